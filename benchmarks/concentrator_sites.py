"""The concentrator variant of the synth benchmark: every site on a VPN Concentrator.

``python -m benchmarks.concentrator_sites --sizes 10 1000`` synthesizes, in one run, the standard
generated sites file and the same sites on concentrators, both through the library app with
cdk-nag on (``benchmarks.apps library``), and prints one row each. Not a test.

A concentrator takes at most 100 sites and a Transit Gateway at most 5 concentrators ("Amazon
VPC Transit Gateways Quotas"), so one Transit Gateway holds 500 concentrator sites at AWS's
quotas. The generated file fills concentrators of 100 and states the number of concentrators it
needs as ``quotas.vpn_concentrators_per_transit_gateway``: for a synth measurement the cost is the
same as two hubs of 500, and the file says what it assumes.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path
from typing import Any

#: "Amazon VPC Transit Gateways Quotas": VPN connections per VPN Concentrator.
SITES_PER_CONCENTRATOR = 100


def on_concentrators(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with every site on a concentrator of at most 100 sites."""
    sites = document["sites"]
    count = -(-len(sites) // SITES_PER_CONCENTRATOR)
    routing = document.get("defaults", {})
    document["hub"]["vpn_concentrators"] = [
        {
            "name": f"concentrator-{n:02d}",
            "route_table": routing.get("route_table", "branches"),
            "propagate_to": routing.get("propagate_to", ["shared"]),
        }
        for n in range(1, count + 1)
    ]
    for index, site in enumerate(sites):
        site["vpn_concentrator"] = f"concentrator-{index // SITES_PER_CONCENTRATOR + 1:02d}"
    document.setdefault("quotas", {})["vpn_concentrators_per_transit_gateway"] = max(count, 5)
    return document


def main() -> None:
    # Imported here: synth_benchmark imports generate_sites, which imports this module.
    from benchmarks.synth_benchmark import run  # noqa: PLC0415

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    args = parser.parse_args()
    print(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} CPUs")
    print("| N | app | wall s | CPU s | peak MB | stacks | resources |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="concentrator-bench-") as workdir:
        for sites in args.sizes:
            for concentrators in (False, True):
                r = run("library", sites, Path(workdir), vpn_concentrators=concentrators)
                app = "library, every site on a concentrator" if concentrators else "library"
                print(
                    f"| {r.sites} | {app} | {r.wall_seconds:.1f} | {r.cpu_seconds:.1f} "
                    f"| {r.peak_mb:.0f} | {r.stacks} | {r.resources} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
