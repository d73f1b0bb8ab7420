"""Synth benchmark: N generated sites through the library app and through a plain L1 baseline.

Each synth is a whole process (``python -m benchmarks.apps MODE SITES_FILE`` with ``CDK_OUTDIR``
set), as ``cdk synth`` runs an app: wall time includes Python and jsii start-up. Peak memory is
the largest process's maximum RSS (the Python app or its Node jsii kernel), read with
``resource.getrusage(RUSAGE_CHILDREN)`` in a fresh wrapper process per run, so runs do not
inherit each other's peak.

Run: ``python -m benchmarks.synth_benchmark [--sizes 10 100 1000] [--modes ...]``. Not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.generate_sites import write_sites_file

REPO = Path(__file__).resolve().parents[1]
MODES = ("library", "library-no-nag", "baseline")
_WRAPPER = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "code = subprocess.run(sys.argv[1:]).returncode\n"
    "wall = time.perf_counter() - start\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "cpu = usage.ru_utime + usage.ru_stime\n"
    "print(f'{code} {wall} {usage.ru_maxrss} {cpu}', file=sys.stderr)\n"
)


@dataclass(frozen=True)
class Result:
    mode: str
    sites: int
    wall_seconds: float
    #: User + system CPU of the app's processes (Python and Node): less sensitive to other load.
    cpu_seconds: float
    peak_mb: float
    stacks: int
    resources: int
    template_bytes: int
    largest_template_bytes: int
    largest_stack_resources: int


def run(mode: str, sites: int, workdir: Path, *, vpn_concentrators: bool = False) -> Result:
    """One whole-process synth of ``mode`` over ``sites`` generated sites (optionally every site
    on a VPN Concentrator), measured from a fresh wrapper process."""
    directory = workdir / f"{mode}-{sites}{'-concentrators' if vpn_concentrators else ''}"
    directory.mkdir()
    sites_file = write_sites_file(
        directory / "sites.yaml", sites, vpn_concentrators=vpn_concentrators
    )
    outdir = directory / "cdk.out"
    env = {**os.environ, "CDK_OUTDIR": str(outdir), "PYTHONPATH": str(REPO)}
    app = [sys.executable, "-m", "benchmarks.apps", mode, str(sites_file)]
    finished = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *app],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    code, wall, peak_kb, cpu = finished.stderr.strip().splitlines()[-1].split()
    if code != "0":
        raise SystemExit(f"{mode} N={sites} failed:\n{finished.stderr[-3000:]}")
    templates = sorted(outdir.glob("*.template.json"))
    sizes = [path.stat().st_size for path in templates]
    counts = [len(json.loads(path.read_text())["Resources"]) for path in templates]
    return Result(
        mode=mode,
        sites=sites,
        wall_seconds=float(wall),
        cpu_seconds=float(cpu),
        peak_mb=int(peak_kb) / 1024,
        stacks=len(templates),
        resources=sum(counts),
        template_bytes=sum(sizes),
        largest_template_bytes=max(sizes),
        largest_stack_resources=max(counts),
    )


def machine() -> str:
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}, "
        f"load average {load:.1f} at start"
    )


def table(results: list[Result]) -> str:
    by_key = {(r.mode, r.sites): r for r in results}
    lines = [
        "| N | app | wall s | CPU s | peak MB | stacks | resources | template kB (largest) "
        "| largest stack resources | CPU vs baseline |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        base = by_key.get(("baseline", r.sites))
        ratio = f"{r.cpu_seconds / base.cpu_seconds:.2f}x" if base else "-"
        kilobytes = f"{r.template_bytes / 1000:.0f} ({r.largest_template_bytes / 1000:.0f})"
        lines.append(
            f"| {r.sites} | {r.mode} | {r.wall_seconds:.1f} | {r.cpu_seconds:.1f} "
            f"| {r.peak_mb:.0f} | {r.stacks} "
            f"| {r.resources} | {kilobytes} | {r.largest_stack_resources} | {ratio} |"
        )
    sizes = sorted({r.sites for r in results})
    if len(sizes) > 1:
        low, high = sizes[0], sizes[-1]
        lines += [
            "",
            f"Per-site cost between N={low} and N={high} (marginal CPU time per site):",
            "",
        ]
        for mode in MODES:
            a, b = by_key.get((mode, low)), by_key.get((mode, high))
            base_a, base_b = by_key.get(("baseline", low)), by_key.get(("baseline", high))
            if a is None or b is None:
                continue
            per_site = (b.cpu_seconds - a.cpu_seconds) / (high - low)
            line = f"- {mode}: {per_site * 1000:.1f} ms per site"
            if base_a and base_b and mode != "baseline":
                base_per_site = (base_b.cpu_seconds - base_a.cpu_seconds) / (high - low)
                line += f" ({per_site / base_per_site:.1f}x the baseline's)"
            lines.append(line)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    args = parser.parse_args()
    print(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: {machine()}", flush=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="synth-bench-") as workdir:
        for sites in args.sizes:
            for mode in args.modes:
                result = run(mode, sites, Path(workdir))
                print(
                    f"  {mode} N={sites}: {result.wall_seconds:.1f} s wall, "
                    f"{result.cpu_seconds:.1f} s CPU",
                    flush=True,
                )
                results.append(result)
    print(table(results))


if __name__ == "__main__":
    main()
