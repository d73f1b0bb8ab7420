"""``python -m site_to_site_vpn.customer_side fetch ...``: render a deployed VPN's customer side.

Reads the synthesized template (what AWS enforces) and, with boto3, the deploy-time facts; writes
the files with mode 0600. Prints file names only; PSKs never reach stdout or logs.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from site_to_site_vpn.customer_side import template as tpl
from site_to_site_vpn.customer_side.facts import Dataplane, DeployFacts, PathPreference
from site_to_site_vpn.customer_side.fetch import fetch
from site_to_site_vpn.customer_side.render import render


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m site_to_site_vpn.customer_side")
    commands = parser.add_subparsers(dest="command", required=True)
    cmd = commands.add_parser("fetch", help="read a deployed VPN with boto3 and render its config")
    cmd.add_argument("--vpn-connection-id", required=True)
    cmd.add_argument("--template", type=Path, required=True, help="cdk.out/<Stack>.template.json")
    cmd.add_argument("--logical-id", help="VPN connection's logical id; needed if several")
    cmd.add_argument("--onprem-prefix", action="append", default=[], type=ipaddress.IPv4Network)
    cmd.add_argument(
        "--remote-prefix",
        action="append",
        default=[],
        type=ipaddress.IPv4Network,
        help="VPC prefixes: static routes (static VPNs) and a fast-reroute backstop",
    )
    cmd.add_argument(
        "--amazon-side-asn",
        type=int,
        help="needed when the gateway is not in this template; default 64512",
    )
    cmd.add_argument(
        "--path-preference",
        choices=[p.value for p in PathPreference],
        default=PathPreference.PRIMARY_SECONDARY.value,
    )
    cmd.add_argument(
        "--dataplane", choices=[d.value for d in Dataplane], default=Dataplane.XFRM.value
    )
    cmd.add_argument("--updown", help="hook run on CHILD_SA up/down with the interface name")
    cmd.add_argument("--region")
    cmd.add_argument("--out", type=Path, required=True, help="directory for the files (0600)")
    return parser


def _logical_id(template: dict[str, Any], wanted: str | None) -> str:
    if wanted is not None:
        return wanted
    found = tpl.vpn_logical_ids(template)
    if len(found) != 1:
        raise SystemExit(f"pass --logical-id; VPN connections in the template: {found}")
    return found[0]


def main(argv: Sequence[str] | None = None, *, session: Any = None) -> int:
    """Entry point; ``session`` (a boto3 Session) is injectable for offline tests."""
    args = _parser().parse_args(argv)
    if session is None:
        import boto3  # noqa: PLC0415 - only the fetch command needs AWS

        session = boto3.Session(region_name=args.region)
    template = json.loads(args.template.read_text(encoding="utf-8"))
    properties = tpl.vpn_properties(template, _logical_id(template, args.logical_id))
    deployed = fetch(
        ec2=session.client("ec2"),
        secretsmanager=session.client("secretsmanager"),
        vpn_connection_id=args.vpn_connection_id,
    )
    amazon_asn = args.amazon_side_asn or tpl.amazon_side_asn(template, properties)
    facts = DeployFacts(
        tunnels=deployed.tunnels,
        cgw_outside_ip=deployed.cgw_outside_ip,
        amazon_side_asn=amazon_asn or tpl.DEFAULT_AMAZON_SIDE_ASN,
        onprem_prefixes=tuple(args.onprem_prefix),
        remote_prefixes=tuple(args.remote_prefix),
        path_preference=PathPreference(args.path_preference),
        dataplane=Dataplane(args.dataplane),
        updown=args.updown,
    )
    config = render(vpn_properties=properties, customer_asn=deployed.customer_asn, facts=facts)
    for path in config.write(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
