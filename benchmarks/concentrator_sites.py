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
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

#: "Amazon VPC Transit Gateways Quotas": VPN connections per VPN Concentrator.
SITES_PER_CONCENTRATOR = 100
REPO = Path(__file__).resolve().parents[1]
_MEASURE = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "code = subprocess.run(sys.argv[1:]).returncode\n"
    "wall = time.perf_counter() - start\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(f'{code} {wall} {usage.ru_maxrss} {usage.ru_utime + usage.ru_stime}', file=sys.stderr)\n"
)


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


def measure(sites: int, concentrators: bool, workdir: Path) -> dict[str, Any]:
    """One whole-process synth of the library app; wall and CPU seconds, peak MB, resources."""
    from benchmarks.generate_sites import write_sites_file  # noqa: PLC0415

    directory = workdir / f"{'concentrator' if concentrators else 'standard'}-{sites}"
    directory.mkdir()
    path = write_sites_file(directory / "sites.yaml", sites, vpn_concentrators=concentrators)
    outdir = directory / "cdk.out"
    env = {**os.environ, "CDK_OUTDIR": str(outdir), "PYTHONPATH": str(REPO)}
    app = [sys.executable, "-m", "benchmarks.apps", "library", str(path)]
    finished = subprocess.run(
        [sys.executable, "-c", _MEASURE, *app],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    code, wall, peak_kb, cpu = finished.stderr.strip().splitlines()[-1].split()
    if code != "0":
        raise SystemExit(
            f"N={sites} concentrators={concentrators} failed:\n{finished.stderr[-3000:]}"
        )
    templates = [json.loads(p.read_text()) for p in sorted(outdir.glob("*.template.json"))]
    return {
        "sites": sites,
        "app": "library, every site on a concentrator" if concentrators else "library",
        "wall": float(wall),
        "cpu": float(cpu),
        "peak_mb": int(peak_kb) / 1024,
        "stacks": len(templates),
        "resources": sum(len(t["Resources"]) for t in templates),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    args = parser.parse_args()
    print(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} CPUs")
    print("| N | app | wall s | CPU s | peak MB | stacks | resources |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="concentrator-bench-") as workdir:
        for sites in args.sizes:
            for concentrators in (False, True):
                r = measure(sites, concentrators, Path(workdir))
                print(
                    f"| {r['sites']} | {r['app']} | {r['wall']:.1f} | {r['cpu']:.1f} "
                    f"| {r['peak_mb']:.0f} | {r['stacks']} | {r['resources']} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
