"""Templates a user has (synthesized from the README's examples and examples/sites.yaml) and
``s2svpn`` run on them as a subprocess, from the user's directory."""

from __future__ import annotations

import json
import re
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import Any

from site_to_site_vpn import (
    CustomerGatewayProps,
    OutsideIpAddressType,
    SiteToSiteVpn,
    TransitGatewayHub,
    TunnelOptions,
    VpnConcentrator,
)
from site_to_site_vpn.stacks.sites_app import build_sites_app
from tests.support import REPO, new_app, new_stack, run_cli, synth

EXAMPLE_SITES = REPO / "examples" / "sites.yaml"
SITES_STACK = "ExampleNetwork-Sites-001"
#: Valid AWS PSKs ([A-Za-z0-9._], 8-64, not starting with 0) standing for the README's "...".
PSKS = ("Readme.psk_one_1234", "Readme.psk_two_5678")


def run_s2svpn(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``s2svpn ARGS`` in ``cwd``, a fresh interpreter with no AWS configuration."""
    return run_cli(*args, env={"PYTHONPATH": str(REPO)}, cwd=cwd, timeout=120)


@lru_cache(maxsize=1)
def sites_template() -> dict[str, Any]:
    """examples/sites.yaml's site stack, synthesized as ``npx cdk synth`` would."""
    built = build_sites_app(new_app(), EXAMPLE_SITES, locked=True)
    (stack,) = [s for s in built.site_stacks if s.stack_name == SITES_STACK]
    return synth(stack)


def site_names() -> list[str]:
    return [
        tag["Value"]
        for resource in sites_template()["Resources"].values()
        if resource["Type"] == "AWS::EC2::VPNConnection"
        for tag in resource["Properties"]["Tags"]
        if tag["Key"] == "Name"
    ]


@lru_cache(maxsize=1)
def readme_examples_template() -> dict[str, Any]:
    """The README's constructs in one stack: a hub with a VPN built from ``CustomerGatewayProps``
    (tunnel options ``compatible()``), a concentrator site and an IPv6-outside site."""
    stack = new_stack(name="ReadmeExamples")
    hub = TransitGatewayHub(stack, "Hub", amazon_side_asn=64512, route_table_names=["onprem"])
    SiteToSiteVpn(
        stack,
        "Branch",
        customer_gateway=CustomerGatewayProps(ip_address="203.0.113.10", bgp_asn=65010),
        transit_gateway=hub,
        tunnel1=TunnelOptions.compatible().with_(tunnel_inside_cidr="169.254.10.0/30"),
        tunnel2=TunnelOptions.compatible().with_(tunnel_inside_cidr="169.254.11.0/30"),
    )
    shops = VpnConcentrator(stack, "Shops", transit_gateway=hub)
    SiteToSiteVpn(
        stack,
        "Shop01",
        customer_gateway=CustomerGatewayProps(ip_address="198.51.100.1", bgp_asn=65101),
        vpn_concentrator=shops,
        tunnel1=TunnelOptions.secure().with_(tunnel_inside_cidr="169.254.20.0/30"),
        tunnel2=TunnelOptions.secure().with_(tunnel_inside_cidr="169.254.21.0/30"),
    )
    SiteToSiteVpn(
        stack,
        "V6Branch",
        customer_gateway=CustomerGatewayProps(ip_address="2001:db8:5::10", bgp_asn=65020),
        transit_gateway=hub,
        outside_ip_address_type=OutsideIpAddressType.IPV6,
        tunnel1=TunnelOptions.secure().with_(tunnel_inside_cidr="169.254.30.0/30"),
        tunnel2=TunnelOptions.secure().with_(tunnel_inside_cidr="169.254.31.0/30"),
    )
    return synth(stack)


def write_template(directory: Path, name: str, template: dict[str, Any]) -> Path:
    path = directory / "cdk.out" / f"{name}.template.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(template), encoding="utf-8")
    return path


def shell_commands(markdown: str, program: str = "s2svpn render") -> list[list[str]]:
    """Every ``program`` command of the Markdown's sh/bash blocks, as argv (continuations
    joined)."""
    found = []
    for block in re.findall(r"```(?:sh|bash)\n(.*?)```", markdown, flags=re.DOTALL):
        joined = block.replace("\\\n", " ")
        for line in joined.splitlines():
            if line.strip().startswith(program):
                found.append(line.split()[1:])
    return found


def json_blocks(markdown: str) -> list[Any]:
    return [json.loads(b) for b in re.findall(r"```json\n(.*?)```", markdown, flags=re.DOTALL)]
