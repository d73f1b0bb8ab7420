"""``s2svpn doctor``: check a deployed VPN end to end and say what to fix.

Exit codes: 0 nothing failed, 1 a problem was found, 2 the VPN could not be checked at all (no
region or credentials, VPN or stack not found), as one line on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from site_to_site_vpn.cli.errors import CliError

_STYLE = {"pass": "green", "fail": "bold red", "unknown": "yellow"}


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "doctor",
        help="check a deployed VPN: tunnels, negotiation, routes, security groups, logs",
        description=(
            "Read the live state of one Site-to-Site VPN with boto3 and report each check as "
            "pass / fail / unknown with what to do. Exit 0 healthy, 1 problems, 2 not checkable."
        ),
    )
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--vpn-id", help="the VPN connection id (vpn-...)")
    which.add_argument("--stack", help="a deployed stack holding the VPN (with one VPN, enough)")
    which.add_argument("--site", help="a site name of --sites-file")
    parser.add_argument(
        "--construct-path", help="with --stack: the VPN construct's path (e.g. paris)"
    )
    parser.add_argument("--sites-file", help="with --site: the sites file (examples/sites.yaml)")
    parser.add_argument("--region", help="AWS Region (default: AWS_REGION / profile)")
    parser.add_argument(
        "--onprem-prefix",
        action="append",
        default=[],
        metavar="CIDR",
        help="on-premises prefix to check routes and rules for (repeatable; default: the VPN's "
        "static routes or the prefixes found in the Transit Gateway)",
    )
    parser.add_argument(
        "--tunnel-log-group", action="append", default=[], metavar="NAME", help="also read it"
    )
    parser.add_argument(
        "--bgp-log-group", action="append", default=[], metavar="NAME", help="also read it"
    )
    parser.add_argument(
        "--log-minutes", type=int, default=60, help="how far back to read logs (default 60)"
    )
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(func=run)


def _session(region: str | None) -> Any:
    import boto3  # noqa: PLC0415

    session = boto3.session.Session(region_name=region)
    if not session.region_name:
        raise CliError("no AWS region: pass --region or set AWS_REGION")
    if session.get_credentials() is None:
        raise CliError("no AWS credentials found (environment, profile or instance role)")
    return session


def run(args: argparse.Namespace) -> int:
    import ipaddress  # noqa: PLC0415

    from site_to_site_vpn.doctor import DoctorContext, VpnNotFoundError, describe_vpn, run_checks  # noqa: PLC0415
    from site_to_site_vpn.doctor.log_events import library_classifier  # noqa: PLC0415
    from site_to_site_vpn.doctor.resolve import Located, ResolveError, from_stack, site_stack  # noqa: PLC0415

    if args.log_minutes <= 0:
        raise CliError(f"--log-minutes must be positive, not {args.log_minutes}")
    for prefix in args.onprem_prefix:
        try:
            ipaddress.ip_network(prefix, strict=False)
        except ValueError as error:
            raise CliError(f"--onprem-prefix {prefix!r} is not a CIDR") from error
    region = args.region
    stack, construct_path = args.stack, args.construct_path
    try:
        if args.site:
            if not args.sites_file:
                raise CliError("--site needs --sites-file")
            stack, site_region = site_stack(args.sites_file, args.site)
            construct_path = args.site
            region = region or site_region
        session = _session(region)
        if stack:
            located = from_stack(session.client("cloudformation"), stack, construct_path)
        else:
            located = Located(vpn_id=args.vpn_id)
    except ResolveError as error:
        raise CliError(str(error)) from error
    ec2 = session.client("ec2")
    try:
        vpn = describe_vpn(ec2, located.vpn_id)
    except VpnNotFoundError as error:
        raise CliError(
            f"VPN connection {located.vpn_id} not found in {session.region_name}"
        ) from error
    ctx = DoctorContext(
        ec2=ec2,
        logs=session.client("logs"),
        vpn=vpn,
        region=session.region_name,
        classify=library_classifier(),
        given_prefixes=tuple(args.onprem_prefix),
        extra_log_groups=tuple(
            [(g, "tunnel") for g in args.tunnel_log_group]
            + [(g, "bgp") for g in args.bgp_log_group]
        ),
        log_minutes=args.log_minutes,
        intended_tunnels=located.intended_tunnels,
    )
    report = run_checks(ctx)
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
    else:
        print_report(report)
    return report.exit_code


def print_report(report: Any, file: Any = None) -> None:
    from rich.console import Console  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415

    console = Console(file=file or sys.stdout)
    table = Table(
        title=f"s2svpn doctor: {report.vpn_id} ({report.region})",
        show_lines=True,
        title_justify="left",
    )
    table.add_column("Check", overflow="fold")
    table.add_column("Status")
    table.add_column("Seen", overflow="fold")
    table.add_column("What to do", overflow="fold")
    for result in report.results:
        status = result.status.value
        table.add_row(
            result.title,
            f"[{_STYLE[status]}]{status.upper()}[/]",
            result.detail,
            result.action,
        )
    console.print(table)
    counts = report.counts()
    verdict = "healthy" if report.exit_code == 0 else "problems found"
    console.print(
        f"{verdict}: {counts['pass']} passed, {counts['fail']} failed, "
        f"{counts['unknown']} could not be checked"
    )
