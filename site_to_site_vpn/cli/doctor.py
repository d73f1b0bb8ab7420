"""``s2svpn doctor``: check a deployed VPN end to end and say what to fix.

Exit codes: 0 nothing failed, 1 a problem was found, 2 the VPN could not be checked at all (no
region or credentials, VPN or stack not found), as one line on stderr.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from typing import Any

from site_to_site_vpn.cli.errors import CliError

_STYLE = {"pass": "green", "fail": "bold red", "unknown": "yellow", "warn": "magenta"}
_ROLE = re.compile(r"^(\d{12})=(arn:aws[a-z-]*:iam::(\d{12}):role/.+)$")


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "doctor",
        help="check a deployed VPN: tunnels, negotiation, the traffic path both ways, logs",
        description=(
            "Read the live state of one Site-to-Site VPN with boto3 and report each check as "
            "pass / fail / warn / unknown with what to do. Each on-premises prefix is followed "
            "to each VPC behind the gateway and back, hop by hop, by AWS's routing and filtering "
            "rules; default flow: tcp to any port, return on ports 1024-65535, every workload "
            "interface. Exit 0 healthy (warnings allowed), 1 problems, 2 not checkable."
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
    flow = parser.add_argument_group(
        "the flow judged hop by hop (the VPN attachment's Transit Gateway route table or the VGW "
        "-> the subnet's network ACL -> the interfaces' security groups; back: the subnet's route "
        "table -> network ACL -> the VPC attachment's Transit Gateway route table)"
    )
    flow.add_argument(
        "--target",
        metavar="IP|eni-...|i-...",
        help="one workload to judge (default: every workload network interface of every VPC "
        "behind the gateway)",
    )
    flow.add_argument(
        "--protocol",
        choices=["tcp", "udp", "icmp"],
        default="tcp",
        help="protocol of the flow (default: tcp)",
    )
    flow.add_argument(
        "--port",
        type=int,
        help="destination port (default: any port; a path passes when some port gets through "
        "every hop, as Reachability Analyzer treats a path without a port)",
    )
    flow.add_argument(
        "--return-ports",
        default="1024-65535",
        metavar="LOW-HIGH",
        help="the clients' ephemeral ports the return traffic goes to, which the network ACLs "
        "must let out (default: 1024-65535, AWS's range for any client)",
    )
    parser.add_argument(
        "--assume-role",
        action="append",
        default=[],
        metavar="ACCOUNT=ROLE_ARN",
        help="read the VPCs of another account (a spoke of a shared Transit Gateway) through this "
        "role (repeatable); without it such a VPC is UNKNOWN",
    )
    parser.add_argument(
        "--reachability",
        metavar="IP|eni-...|i-...|nip-...",
        help="also ask AWS's VPC Reachability Analyzer (one analysis, charged by AWS; the "
        "doctor creates and deletes the path, or analyzes an existing nip-... path)",
    )
    parser.add_argument(
        "--yes",
        action="store_true",
        help="accept the Reachability Analyzer charge without asking (for scripts)",
    )
    parser.add_argument(
        "--reachability-timeout",
        type=int,
        default=600,
        metavar="SECONDS",
        help="how long to wait for the analysis (default 600)",
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
    flow = _flow(args)
    roles = _roles(args.assume_role)
    if args.reachability:
        _accept_charge(args)
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
        flow=flow,
    )
    _accounts(ctx, session, roles)
    if args.reachability:
        _reachability_target(ctx, args.reachability)
    report = run_checks(ctx)
    if args.reachability:
        report = _second_opinion(ctx, report, args)
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
    else:
        print_report(report)
    return report.exit_code


def _flow(args: argparse.Namespace) -> Any:
    import ipaddress  # noqa: PLC0415

    from site_to_site_vpn.doctor.context import FlowSpec  # noqa: PLC0415

    if args.port is not None and not 0 <= args.port <= 65535:
        raise CliError(f"--port must be 0-65535, not {args.port}")
    if args.port is not None and args.protocol == "icmp":
        raise CliError("--port applies to tcp and udp, not icmp")
    match = re.fullmatch(r"(\d+)-(\d+)", args.return_ports)
    if not match or not 0 <= int(match[1]) <= int(match[2]) <= 65535:
        raise CliError(f"--return-ports must be LOW-HIGH within 0-65535, not {args.return_ports!r}")
    target = args.target
    if target and not target.startswith(("eni-", "i-")):
        try:
            ipaddress.ip_address(target)
        except ValueError as error:
            raise CliError(f"--target {target!r} is not an IP address, eni-... or i-...") from error
    return FlowSpec(
        protocol=args.protocol,
        port=args.port,
        return_ports=(int(match[1]), int(match[2])),
        target=target,
    )


def _roles(values: list[str]) -> dict[str, str]:
    roles = {}
    for value in values:
        match = _ROLE.fullmatch(value)
        if not match or match[1] != match[3]:
            raise CliError(
                f"--assume-role {value!r} must be ACCOUNT=arn:aws:iam::ACCOUNT:role/NAME "
                "(the same 12-digit account twice)"
            )
        roles[match[1]] = match[2]
    return roles


def _accept_charge(args: argparse.Namespace) -> None:
    from site_to_site_vpn.doctor.reachability import CHARGE_NOTICE  # noqa: PLC0415

    if args.yes:
        return
    if not sys.stdin.isatty():
        raise CliError(f"{CHARGE_NOTICE} Pass --yes to accept it")
    print(CHARGE_NOTICE, file=sys.stderr)
    answer = input("Run it? [y/N] ").strip().lower()
    if answer not in ("y", "yes"):
        raise CliError("Reachability Analyzer not run (not confirmed); nothing was checked")


def _accounts(ctx: Any, session: Any, roles: dict[str, str]) -> None:
    """The caller's account, and an EC2 client per ``--assume-role``."""
    from site_to_site_vpn.doctor.context import reason_of  # noqa: PLC0415

    sts = session.client("sts")
    try:
        ctx.caller_account = str(sts.get_caller_identity()["Account"])
    except Exception:
        ctx.caller_account = None
    for account, role in roles.items():
        try:
            credentials = sts.assume_role(RoleArn=role, RoleSessionName="s2svpn-doctor")[
                "Credentials"
            ]
        except Exception as error:
            ctx.account_errors[account] = f"{role}: {reason_of(error)}"
            continue
        ctx.account_clients[account] = session.client(
            "ec2",
            aws_access_key_id=credentials["AccessKeyId"],
            aws_secret_access_key=credentials["SecretAccessKey"],
            aws_session_token=credentials["SessionToken"],
        )


def _reachability_target(ctx: Any, target: str) -> None:
    """Judge the same destination as AWS: the analyzer's target, or an existing path's."""
    from dataclasses import replace  # noqa: PLC0415

    from site_to_site_vpn.doctor.context import ApiUnavailableError  # noqa: PLC0415

    destination: str | None = target
    if target.startswith("nip-"):
        try:
            [path] = ctx.call(
                ctx.ec2, "DescribeNetworkInsightsPaths", NetworkInsightsPathIds=[target]
            )["NetworkInsightsPaths"]
        except (ApiUnavailableError, ValueError):
            return
        destination = path.get("Destination") or path.get("DestinationIp")
        if destination and destination.startswith("arn:"):
            destination = destination.rsplit("/", 1)[-1]
        if path.get("Protocol") and ctx.flow.port is None and path.get("DestinationPort"):
            ctx.flow = replace(ctx.flow, port=int(path["DestinationPort"]))
    if destination and ctx.flow.target is None:
        ctx.flow = replace(ctx.flow, target=destination)


def _second_opinion(ctx: Any, report: Any, args: argparse.Namespace) -> Any:
    from dataclasses import replace  # noqa: PLC0415

    from site_to_site_vpn.doctor import reachability  # noqa: PLC0415
    from site_to_site_vpn.doctor.context import ApiUnavailableError  # noqa: PLC0415
    from site_to_site_vpn.doctor.model import Status, unknown  # noqa: PLC0415

    paths = [r.status for r in report.results if r.check == "path"]
    ours = None
    if paths and all(s is not Status.UNKNOWN for s in paths):
        ours = Status.FAIL if Status.FAIL in paths else Status.PASS
    try:
        analysis = reachability.analyze(ctx, args.reachability, timeout_s=args.reachability_timeout)
        extra = reachability.result(analysis, ours)
    except ApiUnavailableError as error:
        extra = unknown(reachability.CHECK, "Reachability Analyzer", str(error))
    return replace(report, results=(*report.results, extra))


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
    warned = f", {counts['warn']} to look at" if counts["warn"] else ""
    console.print(
        f"{verdict}: {counts['pass']} passed, {counts['fail']} failed{warned}, "
        f"{counts['unknown']} could not be checked"
    )
