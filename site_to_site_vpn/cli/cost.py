"""``s2svpn cost SITES_FILE``: monthly estimate per site and in total, sources and assumptions."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from site_to_site_vpn.cli.errors import CliError


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "cost",
        help="monthly cost estimate of a sites file's VPNs, and the Direct Connect break-even",
        description=(
            "Estimate what the sites file's VPNs cost a month: connection-hours, Transit Gateway "
            "attachment-hours and processing, data transfer out, acceleration, CloudWatch. "
            "Prices are package data with their source and date."
        ),
    )
    parser.add_argument("sites_file", metavar="SITES_FILE")
    parser.add_argument(
        "--gb-per-month",
        type=float,
        default=0.0,
        metavar="N",
        help="outbound GB per month to each site (default 0)",
    )
    parser.add_argument(
        "--log-gb-per-site",
        type=float,
        default=None,
        metavar="N",
        help="tunnel + BGP log GB per site per month (default 0.1, an assumption)",
    )
    parser.add_argument("--region", help="price Region (default: the sites file's hub Region)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(func=run)


def _load(path: str) -> Any:
    from site_to_site_vpn.sites import SitesFileError, load_sites_file  # noqa: PLC0415

    try:
        return load_sites_file(path)
    except SitesFileError as error:
        problems = getattr(error, "problems", ())
        if problems:
            first = problems[0].describe(getattr(error, "construct_path", path))
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise CliError(f"invalid sites file: {first}{more}") from error
        raise CliError(f"invalid sites file {path}: {str(error).splitlines()[0]}") from error


def run(args: argparse.Namespace) -> int:
    from site_to_site_vpn.cost import (  # noqa: PLC0415
        DEFAULT_LOG_GB_PER_SITE,
        UnknownRegionError,
        estimate,
        price_table,
        site_inputs,
    )

    log_gb = DEFAULT_LOG_GB_PER_SITE if args.log_gb_per_site is None else args.log_gb_per_site
    if not args.gb_per_month >= 0:
        raise CliError(f"--gb-per-month must be 0 or more, not {args.gb_per_month}")
    if not log_gb >= 0:
        raise CliError(f"--log-gb-per-site must be 0 or more, not {log_gb}")
    if args.region:
        try:
            prices = price_table(args.region)
        except UnknownRegionError as error:
            raise CliError(str(error)) from error
    sites_file = _load(args.sites_file)
    region = args.region or sites_file.hub.region
    try:
        prices = price_table(region)
    except UnknownRegionError as error:
        raise CliError(f"{error}; pass --region") from error
    result = estimate(
        prices,
        site_inputs(sites_file),
        gb_per_site=args.gb_per_month,
        log_gb_per_site=log_gb,
        per_tunnel_alarms=bool(getattr(sites_file.monitoring, "per_tunnel_alarms", True)),
    )
    if args.json:
        print(json.dumps(result.to_json(), indent=2))
    else:
        print_estimate(result)
    return 0


def print_estimate(result: Any, file: Any = None) -> None:
    from rich.console import Console  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415

    from site_to_site_vpn.cost.estimate import COLUMNS  # noqa: PLC0415

    prices = result.prices
    console = Console(file=file or sys.stdout)
    table = Table(
        title=(
            f"s2svpn cost: {prices.region}, {prices.currency} per month, "
            f"{result.gb_per_site:g} GB out per site"
        ),
        title_justify="left",
    )
    table.add_column("Site")
    for _, label in COLUMNS:
        table.add_column(label, justify="right")
    table.add_column("Total", justify="right", style="bold")
    for site in result.sites:
        table.add_row(
            site.name, *(f"{site.parts[key]:.2f}" for key, _ in COLUMNS), f"{site.total:.2f}"
        )
    for name, usd in result.concentrators:
        table.add_row(f"concentrator {name}", "", f"{usd:.2f}", "", "", "", "", f"{usd:.2f}")
    table.add_section()
    table.add_row("Total", *("" for _ in COLUMNS), f"{result.total:.2f}")
    console.print(table)
    if result.dx_break_even_gb is not None:
        console.print(
            f"Direct Connect (1 Gbps dedicated port) is cheaper than a site's VPN above "
            f"{result.dx_break_even_gb:,.0f} GB out per month."
        )
    console.print(
        f"Prices: package data read on {prices.read_on}, sources in "
        "site_to_site_vpn/cost/prices.json (--json lists them). Assumptions:"
    )
    for note in (*result.assumptions, *(f"not priced: {n}" for n in result.not_priced)):
        console.print(f"  - {note}", highlight=False)
