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
from site_to_site_vpn.customer_side import devices
from site_to_site_vpn.customer_side import template as tpl
from site_to_site_vpn.customer_side.algorithms import UnknownAlgorithmError
from site_to_site_vpn.customer_side.devices import DEFAULT_DEVICE, DEVICES
from site_to_site_vpn.customer_side.facts import (
    Dataplane,
    DeployFacts,
    OutsideAddress,
    PathPreference,
    TunnelFacts,
)
from site_to_site_vpn.customer_side.render import RenderedConfig


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options both commands take."""
    parser.add_argument(
        "--template", type=Path, required=True, help="cdk.out/<Stack>.template.json"
    )
    parser.add_argument("--logical-id", help="the VPN connection's logical id; needed if several")
    parser.add_argument(
        "--site",
        help="the VPN whose Name tag (a sites file's site name) or construct id is SITE; "
        "needed if the template holds several",
    )
    parser.add_argument(
        "--device",
        choices=list(DEVICES),
        default=DEFAULT_DEVICE,
        help=f"the customer gateway's kind; @default {DEFAULT_DEVICE} (strongSwan + FRR files)",
    )
    parser.add_argument(
        "--local-address",
        type=ipaddress.ip_address,
        help="the device's own address behind NAT (IKE leaves from it; the customer gateway IP "
        "stays the IKE identity); @default the customer gateway IP",
    )
    parser.add_argument(
        "--outside-interface",
        help="the device's internet-facing interface, for devices that name it (junos)",
    )
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


def _vpn_names(template: Mapping[str, Any], logical_id: str) -> set[str]:
    """A VPN's names a user knows: its ``Name`` tag (a sites file's site name) and the id of
    the construct holding it (from ``aws:cdk:path``)."""
    resource = template.get("Resources", {}).get(logical_id, {})
    tags = resource.get("Properties", {}).get("Tags", [])
    names = {
        str(t.get("Value"))
        for t in tags
        if isinstance(tags, list)
        if isinstance(t, dict) and t.get("Key") == "Name"
    }
    path = str(resource.get("Metadata", {}).get("aws:cdk:path", ""))
    parts = path.split("/")
    if len(parts) >= 3:
        names.add(parts[-2])
    return names


def _choices(template: Mapping[str, Any], found: list[str]) -> str:
    return ", ".join(
        f"{'/'.join(sorted(_vpn_names(template, logical_id))) or '?'} ({logical_id})"
        for logical_id in found
    )


def load_vpn(args: argparse.Namespace, *, name: str | None = None) -> Vpn:
    """The template's VPN connection: the only one, ``--logical-id``, or ``--site``; else the
    one called ``name`` (the deployed connection's ``Name`` tag, for fetch)."""
    return choose_vpn(args, read_template(args), name=name)


def read_template(args: argparse.Namespace) -> Mapping[str, Any]:
    """``--template`` as a dict, or a one-line error."""
    path: Path = args.template
    try:
        template = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CliError(f"cannot read the template: {error.strerror}: {path}") from None
    except json.JSONDecodeError as error:
        raise CliError(f"{path} is not JSON: {error}") from None
    if not isinstance(template, dict):
        raise CliError(f"{path} is not a CloudFormation template")
    return template


def choose_vpn(
    args: argparse.Namespace, template: Mapping[str, Any], *, name: str | None = None
) -> Vpn:
    """One VPN connection of ``template``, as :func:`load_vpn` picks it."""
    path: Path = args.template
    found = tpl.vpn_logical_ids(template)
    site = getattr(args, "site", None)
    if site is None and args.logical_id is None and len(found) > 1 and name is not None:
        site = name
    if site is not None:
        named = [lid for lid in found if site in _vpn_names(template, lid)]
        if len(named) != 1 or (args.logical_id not in (None, named[0])):
            raise CliError(
                f"no single VPN connection named {site!r} in {path.name}; "
                f"its VPNs: {_choices(template, found) or 'none'}"
            )
        return Vpn(path, template, named[0])
    if args.logical_id is None:
        if len(found) != 1:
            raise CliError(
                f"{path.name} holds {len(found)} VPN connections; pass --site NAME or "
                f"--logical-id ID, one of: {_choices(template, found) or 'none'}"
            )
        return Vpn(path, template, found[0])
    if args.logical_id not in found:
        raise CliError(f"no VPN connection {args.logical_id!r} in {path.name}; found {found}")
    return Vpn(path, template, args.logical_id)


def amazon_side_asn(args: argparse.Namespace, vpn: Vpn, reported: int | None = None) -> int:
    """``--amazon-side-asn``, else what AWS reported (fetch), else the template's gateway's."""
    if args.amazon_side_asn is not None:
        return int(args.amazon_side_asn)
    if reported is not None:
        return reported
    if tpl.vpn_policy(vpn.properties).static_routes_only:
        return DEFAULT_AMAZON_SIDE_ASN  # a static VPN speaks no BGP: the ASN is not used
    try:
        return tpl.amazon_side_asn(vpn.template, vpn.properties)
    except tpl.TemplateError as error:
        raise CliError(f"{vpn.template_path.name} {vpn.logical_id}: {error}") from None


def deploy_facts(
    args: argparse.Namespace,
    vpn: Vpn,
    *,
    tunnels: tuple[TunnelFacts, TunnelFacts],
    cgw_outside_ip: OutsideAddress,
    reported_amazon_asn: int | None = None,
) -> DeployFacts:
    try:
        return _deploy_facts(
            args,
            vpn,
            tunnels=tunnels,
            cgw_outside_ip=cgw_outside_ip,
            reported_amazon_asn=reported_amazon_asn,
        )
    except ValueError as error:
        raise CliError(str(error)) from None


def _deploy_facts(
    args: argparse.Namespace,
    vpn: Vpn,
    *,
    tunnels: tuple[TunnelFacts, TunnelFacts],
    cgw_outside_ip: OutsideAddress,
    reported_amazon_asn: int | None,
) -> DeployFacts:
    return DeployFacts(
        tunnels=tunnels,
        cgw_outside_ip=cgw_outside_ip,
        amazon_side_asn=amazon_side_asn(args, vpn, reported_amazon_asn),
        onprem_prefixes=tuple(args.onprem_prefix),
        remote_prefixes=tuple(args.remote_prefix),
        path_preference=PathPreference(args.path_preference),
        dataplane=Dataplane(args.dataplane),
        updown=args.updown,
        local_address=args.local_address,
        outside_interface=args.outside_interface,
    )


def render_and_write(
    args: argparse.Namespace, vpn: Vpn, *, customer_asn: int, facts: DeployFacts
) -> int:
    """Render, write the files 0600 and print their paths (never their contents)."""
    try:
        config: RenderedConfig = devices.renderer(args.device)(
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
