"""What ``s2svpn render`` and ``s2svpn fetch`` share: the template, the operator's choices and
writing the files. Not a command itself.

The template says what AWS enforces (algorithms, lifetimes, routing mode); the deploy-time facts
(outside IPs, PSKs) come from the command line or a JSON file (render) or from AWS (fetch).
"""

from __future__ import annotations

import argparse
import ipaddress
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from site_to_site_vpn.cli.errors import CliError
from site_to_site_vpn.core.asn import DEFAULT_AMAZON_SIDE_ASN
from site_to_site_vpn.core.errors import Problem
from site_to_site_vpn.customer_side import template as tpl
from site_to_site_vpn.customer_side.algorithms import UnknownAlgorithmError
from site_to_site_vpn.customer_side.facts import (
    Dataplane,
    DeployFacts,
    OutsideAddress,
    PathPreference,
    TunnelFacts,
)
from site_to_site_vpn.customer_side.render import RenderedConfig, render


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options both commands take."""
    parser.add_argument(
        "--template", type=Path, required=True, help="cdk.out/<Stack>.template.json"
    )
    parser.add_argument("--logical-id", help="the VPN connection's logical id; needed if several")
    parser.add_argument(
        "--onprem-prefix",
        action="append",
        default=[],
        type=ipaddress.IPv4Network,
        help="on-premises prefix behind the customer gateway (repeatable)",
    )
    parser.add_argument(
        "--remote-prefix",
        action="append",
        default=[],
        type=ipaddress.IPv4Network,
        help="VPC prefixes: static routes (static VPNs) and a fast-reroute backstop (repeatable)",
    )
    parser.add_argument(
        "--amazon-side-asn",
        type=int,
        help="needed when the gateway is not in this template; default 64512",
    )
    parser.add_argument(
        "--path-preference",
        choices=[p.value for p in PathPreference],
        default=PathPreference.PRIMARY_SECONDARY.value,
    )
    parser.add_argument(
        "--dataplane", choices=[d.value for d in Dataplane], default=Dataplane.XFRM.value
    )
    parser.add_argument("--updown", help="hook run on CHILD_SA up/down with the interface name")
    parser.add_argument(
        "--out", type=Path, required=True, help="directory for the files (mode 0600)"
    )


def problems_line(problems: Iterable[Problem]) -> str:
    """Every problem on one line; secret values are redacted by :meth:`Problem.describe`."""
    return "; ".join(p.describe("input").removeprefix("input: ") for p in problems)


@dataclass(frozen=True)
class Vpn:
    """One VPN connection of a synthesized template."""

    template_path: Path
    template: Mapping[str, Any]
    logical_id: str

    @property
    def properties(self) -> Mapping[str, Any]:
        return tpl.vpn_properties(self.template, self.logical_id)


def load_vpn(args: argparse.Namespace) -> Vpn:
    """The template's VPN connection (the only one, or ``--logical-id``)."""
    path: Path = args.template
    try:
        template = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CliError(f"cannot read the template: {error.strerror}: {path}") from None
    except json.JSONDecodeError as error:
        raise CliError(f"{path} is not JSON: {error}") from None
    if not isinstance(template, dict):
        raise CliError(f"{path} is not a CloudFormation template")
    found = tpl.vpn_logical_ids(template)
    if args.logical_id is None:
        if len(found) != 1:
            raise CliError(f"pass --logical-id; VPN connections in {path.name}: {found}")
        return Vpn(path, template, found[0])
    if args.logical_id not in found:
        raise CliError(f"no VPN connection {args.logical_id!r} in {path.name}; found {found}")
    return Vpn(path, template, args.logical_id)


def amazon_side_asn(args: argparse.Namespace, vpn: Vpn) -> int:
    """``--amazon-side-asn``, else the gateway's in the template, else AWS's default."""
    if args.amazon_side_asn is not None:
        return int(args.amazon_side_asn)
    try:
        found = tpl.amazon_side_asn(vpn.template, vpn.properties)
    except tpl.TemplateError as error:
        raise CliError(str(error)) from None
    return found if found is not None else DEFAULT_AMAZON_SIDE_ASN


def deploy_facts(
    args: argparse.Namespace,
    vpn: Vpn,
    *,
    tunnels: tuple[TunnelFacts, TunnelFacts],
    cgw_outside_ip: OutsideAddress,
) -> DeployFacts:
    return DeployFacts(
        tunnels=tunnels,
        cgw_outside_ip=cgw_outside_ip,
        amazon_side_asn=amazon_side_asn(args, vpn),
        onprem_prefixes=tuple(args.onprem_prefix),
        remote_prefixes=tuple(args.remote_prefix),
        path_preference=PathPreference(args.path_preference),
        dataplane=Dataplane(args.dataplane),
        updown=args.updown,
    )


def render_and_write(
    args: argparse.Namespace, vpn: Vpn, *, customer_asn: int, facts: DeployFacts
) -> int:
    """Render, write the files 0600 and print their paths (never their contents)."""
    try:
        config: RenderedConfig = render(
            vpn_properties=vpn.properties, customer_asn=customer_asn, facts=facts
        )
    except (tpl.TemplateError, UnknownAlgorithmError) as error:
        raise CliError(f"{vpn.template_path.name} {vpn.logical_id}: {error}") from None
    except ValueError as error:
        raise CliError(str(error)) from None
    try:
        written = config.write(args.out)
    except OSError as error:
        raise CliError(f"cannot write to {args.out}: {error.strerror}") from None
    for path in written:
        print(path)
    return 0
