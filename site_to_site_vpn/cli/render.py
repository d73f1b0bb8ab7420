"""``s2svpn render``: customer-gateway files from a synthesized template, offline.

The deploy-time facts AWS assigns (each tunnel's outside IP, PSK and, when the template leaves it
to AWS, inside CIDR) come from the command line or from a JSON file (``--facts``)::

    {"cgw_outside_ip": "198.51.100.10", "customer_asn": 65010,
     "tunnels": [{"outside_ip": "192.0.2.10", "psk": "...", "inside_cidr": "169.254.10.0/30"},
                 {"outside_ip": "192.0.2.20", "psk": "..."}]}

A command-line value wins over the file's. A PSK may also be a literal in the template. Keys are
written only into the swanctl files (mode 0600) and never printed, not even in an error.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from site_to_site_vpn.cli import customer_config as cc
from site_to_site_vpn.cli.errors import CliError
from site_to_site_vpn.core.asn import customer_asn_problems
from site_to_site_vpn.core.cidr import inside_cidr_problems
from site_to_site_vpn.core.errors import Problem
from site_to_site_vpn.core.psk import psk_problems
from site_to_site_vpn.customer_side import template as tpl
from site_to_site_vpn.customer_side.facts import OutsideAddress, TunnelFacts

TUNNELS = (1, 2)


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "render",
        help="customer-gateway files (strongSwan, FRR, nftables) from a template, offline",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
    )
    cc.add_arguments(parser)
    parser.add_argument("--facts", type=Path, help="JSON file with the deploy-time facts")
    parser.add_argument("--cgw-outside-ip", help="@default the template's customer gateway's")
    parser.add_argument("--customer-asn", type=int, help="@default the template's gateway's")
    for n in TUNNELS:
        parser.add_argument(f"--tunnel{n}-outside-ip", help=f"tunnel {n}'s AWS outside IP")
        parser.add_argument(
            f"--tunnel{n}-psk", help=f"tunnel {n}'s PSK (prefer --facts: argv is visible)"
        )
        parser.add_argument(
            f"--tunnel{n}-inside-cidr", help="needed when the template leaves it to AWS"
        )
    parser.set_defaults(func=run)


def _facts_file(path: Path | None) -> Mapping[str, Any]:
    if path is None:
        return {}
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CliError(f"cannot read the facts file: {error.strerror}: {path}") from None
    except json.JSONDecodeError as error:
        # The decoder's message quotes no document text, only a position.
        raise CliError(f"{path} is not JSON: {error.msg} (line {error.lineno})") from None
    tunnels = loaded.get("tunnels", []) if isinstance(loaded, dict) else None
    if (
        not isinstance(tunnels, list)
        or len(tunnels) > 2
        or not all(isinstance(t, dict) for t in tunnels)
    ):
        raise CliError(f"{path}: expected an object with 'tunnels': a list of two objects")
    return dict(loaded)


class _Inputs:
    """The command line over the facts file over the template, with every problem collected."""

    def __init__(self, args: argparse.Namespace, vpn: cc.Vpn) -> None:
        self.args = args
        self.vpn = vpn
        self.file = _facts_file(args.facts)
        self.problems: list[Problem] = []

    def value(self, arg: str, key: str, tunnel: int | None = None) -> Any:
        given = getattr(self.args, arg)
        if given is not None:
            return given
        if tunnel is None:
            return self.file.get(key)
        tunnels = self.file.get("tunnels", [])
        return tunnels[tunnel - 1].get(key) if len(tunnels) >= tunnel else None

    def address(self, field: str, raw: Any) -> OutsideAddress | None:
        try:
            return ipaddress.ip_address(raw)
        except ValueError:
            allowed = "is required" if raw is None else "must be an IPv4 or IPv6 address"
            self.problems.append(Problem(field, raw, allowed))
            return None

    def tunnel(self, n: int) -> TunnelFacts | None:
        outside_ip = self.address(
            f"tunnel{n}.outside_ip", self.value(f"tunnel{n}_outside_ip", "outside_ip", n)
        )
        psk = self.value(f"tunnel{n}_psk", "psk", n)
        if psk is None:
            psk = tpl.vpn_policy(self.vpn.properties).tunnels[n - 1].literal_psk
        if psk is None:
            self.problems.append(
                Problem(f"tunnel{n}.psk", None, "is required (the template holds no literal PSK)")
            )
        else:
            self.problems += psk_problems(f"tunnel{n}.psk", psk)
        raw_cidr = self.value(f"tunnel{n}_inside_cidr", "inside_cidr", n)
        cidr_problems = (
            [] if raw_cidr is None else inside_cidr_problems(f"tunnel{n}.inside_cidr", raw_cidr)
        )
        self.problems += cidr_problems
        if outside_ip is None or psk is None or cidr_problems:
            return None
        return TunnelFacts(
            outside_ip=outside_ip,
            psk=str(psk),
            inside_cidr=ipaddress.IPv4Network(raw_cidr) if raw_cidr is not None else None,
        )

    def customer_gateway(self) -> tuple[OutsideAddress | None, int | None]:
        """The CGW's outside IP and ASN: given, or the template's customer gateway's."""
        cgw = tpl.customer_gateway_properties(self.vpn.template, self.vpn.properties)
        raw_ip = self.value("cgw_outside_ip", "cgw_outside_ip") or cgw.get("IpAddress")
        ip = self.address("cgw_outside_ip", raw_ip if isinstance(raw_ip, str) else None)
        asn = self.value("customer_asn", "customer_asn")
        if asn is None:
            asn = cgw.get("BgpAsnExtended", cgw.get("BgpAsn"))
        asn_problems = (
            customer_asn_problems("customer_asn", asn)
            if asn is not None
            else [
                Problem(
                    "customer_asn",
                    None,
                    "is required (the template's gateway has no literal BgpAsn)",
                )
            ]
        )
        self.problems += asn_problems
        return ip, None if asn_problems else int(asn)


def run(args: argparse.Namespace) -> int:
    vpn = cc.load_vpn(args)
    try:
        inputs = _Inputs(args, vpn)
        first, second = inputs.tunnel(1), inputs.tunnel(2)
        cgw_ip, customer_asn = inputs.customer_gateway()
    except tpl.TemplateError as error:
        raise CliError(f"{vpn.template_path.name} {vpn.logical_id}: {error}") from None
    if inputs.problems or first is None or second is None or cgw_ip is None or customer_asn is None:
        raise CliError(cc.problems_line(inputs.problems))
    facts = cc.deploy_facts(args, vpn, tunnels=(first, second), cgw_outside_ip=cgw_ip)
    return cc.render_and_write(args, vpn, customer_asn=customer_asn, facts=facts)
