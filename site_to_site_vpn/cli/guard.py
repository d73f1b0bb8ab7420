"""``s2svpn guard``: stop a deployment that would replace or delete a live VPN.

Compares the current synthesized stacks with a baseline (a cdk.out, a folder of templates, or the
deployed stacks) and reports each replacement (with the create-only property forcing it), each
deletion and each in-place tunnel restart; what the templates cannot decide is a warning
("may replace"), blocking with ``--strict``. Exit 0: safe; 1: a VPN, customer gateway, VPN
concentrator, Transit Gateway or virtual private gateway would be replaced or deleted and
``--allow`` does not name it; 2: usage error or unreadable input. CDK-free.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from typing import Any

from site_to_site_vpn.cli.errors import CliError

HELP = "fail when a deployment would replace or delete a VPN, customer gateway or Transit Gateway"


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "guard",
        help=HELP,
        description=f"{HELP}. Exit 0 safe, 1 blocked, 2 usage or unreadable input.",
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--baseline",
        metavar="DIR",
        help="what is deployed: a cloud assembly (cdk.out) or a folder of *.template.json",
    )
    source.add_argument(
        "--baseline-from-stacks",
        metavar="STACK",
        nargs="+",
        help="read the baseline from these deployed stacks (CloudFormation GetTemplate)",
    )
    parser.add_argument(
        "--current",
        metavar="DIR",
        required=True,
        help="what will be deployed: a cloud assembly (cdk.out) or a folder of *.template.json",
    )
    parser.add_argument(
        "--region", help="AWS Region of the deployed stacks (default: AWS_REGION / profile)"
    )
    parser.add_argument(
        "--allow",
        metavar="ID",
        action="append",
        default=[],
        help="an intended replacement or deletion: logical id or construct path (repeatable)",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="also block what the templates cannot decide (a VPN that MAY be replaced or deleted)",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.set_defaults(func=run_guard)


def run_guard(args: argparse.Namespace) -> int:
    from site_to_site_vpn.guard import TemplateReadError, compare, read_stacks  # noqa: PLC0415
    from site_to_site_vpn.guard.report import render_json, render_text  # noqa: PLC0415

    if args.region and not args.baseline_from_stacks:
        raise CliError("--region is only used with --baseline-from-stacks")
    try:
        current = read_stacks(args.current)
        if args.baseline_from_stacks:
            baseline, current, notes = _deployed_baseline(args, current)
        else:
            baseline, notes = read_stacks(args.baseline), ()
        report = compare(baseline, current, allow=args.allow, strict=args.strict)
    except TemplateReadError as error:
        raise CliError(str(error)) from None
    except (TypeError, ValueError, KeyError, AttributeError, RecursionError) as error:
        # Input shaped in a way no check above foresaw: still one line and exit 2, never a
        # traceback that reads as "blocked".
        raise CliError(f"cannot read the templates: {type(error).__name__}: {error}") from None
    if notes:
        report = dataclasses.replace(report, notes=(*notes, *report.notes))
    if args.json:
        render_json(report, sys.stdout)
    else:
        render_text(report, sys.stdout)
    return report.exit_code


def _deployed_baseline(args: argparse.Namespace, current: Any) -> tuple[Any, Any, tuple[str, ...]]:
    from site_to_site_vpn.guard.deployed import deployed_stacks  # noqa: PLC0415

    names: list[str] = list(dict.fromkeys(args.baseline_from_stacks))
    unknown = [name for name in names if name not in current]
    if unknown:
        raise CliError(
            f"stack {', '.join(unknown)} not in {args.current} "
            f"(it has: {', '.join(sorted(current)) or 'none'})"
        )
    baseline, absent = deployed_stacks(names, region=args.region)
    notes = tuple(f"{name}: not deployed yet, so nothing to replace" for name in absent)
    return baseline, {name: current[name] for name in names}, notes
