"""Count jsii round trips (Python -> Node kernel requests) per site, library vs plain L1.

``jsii._kernel.providers.process._NodeProcess.send``, through which every request to the Node
kernel passes (create, get, set, invoke, static get/set/invoke, delete, callback completion), is
wrapped with a counter keyed by request type. (``jsii.create`` & co. are bound methods captured at
import, so wrapping ``Kernel``'s methods would miss them.)
Two sites files (``--low`` and ``--high`` sites) are built in one process each; the difference
divided by the difference in sites is the marginal round trips per site, split into building
the constructs and ``app.synth()`` (with cdk-nag for the library).

Run: ``python -m benchmarks.jsii_round_trips [--low 10 --high 60]``. Not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.generate_sites import write_sites_file

REPO = Path(__file__).resolve().parents[1]

_CHILD = """
import json, os, sys, time
from collections import Counter
from jsii._kernel.providers import process

counts = Counter()
original = process._NodeProcess.send
def send(self, request, response_type):
    counts[type(request).__name__.removesuffix("Request")] += 1
    return original(self, request, response_type)
process._NodeProcess.send = send

import aws_cdk as cdk
from benchmarks.apps import baseline
from site_to_site_vpn.compliance import apply_compliance_checks
from site_to_site_vpn.stacks.sites_app import build_sites_app

mode, path = sys.argv[1], sys.argv[2]
app = cdk.App()
before = sum(counts.values())
start = time.perf_counter()
if mode == "baseline":
    baseline(app, path)
else:
    build_sites_app(app, path)
    apply_compliance_checks(app)
built = sum(counts.values())
build_seconds = time.perf_counter() - start
app.synth()
done = sum(counts.values())
resources = 0
for name in os.listdir(os.environ["CDK_OUTDIR"]):
    if name.endswith(".template.json"):
        with open(os.path.join(os.environ["CDK_OUTDIR"], name)) as handle:
            resources += len(json.load(handle)["Resources"])
print(json.dumps({{"build": built - before, "synth": done - built, "resources": resources,
                  "build_seconds": build_seconds, "by_method": dict(counts)}}))
"""


def measure(mode: str, sites: int, workdir: Path) -> dict[str, Any]:
    directory = workdir / f"{mode}-{sites}"
    directory.mkdir()
    sites_file = write_sites_file(directory / "sites.yaml", sites)
    env = {**os.environ, "CDK_OUTDIR": str(directory / "cdk.out"), "PYTHONPATH": str(REPO)}
    code = _CHILD.format()
    finished = subprocess.run(
        [sys.executable, "-c", code, mode, str(sites_file)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if finished.returncode != 0:
        raise SystemExit(f"{mode} N={sites} failed:\n{finished.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(finished.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--low", type=int, default=10)
    parser.add_argument("--high", type=int, default=60)
    parser.add_argument("--modes", nargs="+", default=["library", "baseline"])
    args = parser.parse_args()
    span = args.high - args.low
    print("| app | round trips per site: build | synth | total | resources per site |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="jsii-count-") as workdir:
        for mode in args.modes:
            low = measure(mode, args.low, Path(workdir))
            high = measure(mode, args.high, Path(workdir))
            per = {
                key: (float(high[key]) - float(low[key])) / span
                for key in ("build", "synth", "resources")
            }
            methods: Counter[str] = Counter(high["by_method"])
            methods.subtract(Counter(low["by_method"]))
            print(
                f"| {mode} | {per['build']:.0f} | {per['synth']:.0f} "
                f"| {per['build'] + per['synth']:.0f} | {per['resources']:.1f} |",
                flush=True,
            )
            detail = ", ".join(f"{k} {v / span:.0f}" for k, v in methods.most_common() if v)
            print(f"|  | ({detail}) | | | |", flush=True)


if __name__ == "__main__":
    main()
