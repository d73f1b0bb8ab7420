"""aws-cdk-lib compatibility: the wheel synthesizes the README's first example with aws-cdk-lib at
the declared floor (pyproject.toml) and with the newest 2.x the package index serves.

``make compat`` (part of ``make test``; ``make unit`` leaves this file to it) runs it and prints
both versions.
A failure at the newest 2.x is a real signal: fix the library or declare the ceiling in
pyproject.toml (and say so in CHANGELOG.md).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.readme.test_readme import EXAMPLES
from tests.support import lint_problems, recommended_flags
from tests.wheel import WheelEnv, node_bin_dir

REPO = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("wheel")]
PRINT_CDK_VERSION = "import importlib.metadata as m; print(m.version('aws-cdk-lib'))"


def declared_floor() -> str:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    (spec,) = [d for d in project["dependencies"] if d.startswith("aws-cdk-lib")]
    match = re.search(r">=([\d.]+)", spec)
    assert match is not None, spec
    return match.group(1)


def _synth_readme_example(python: Path, tmp_path: Path) -> str:
    """Run the README's first example with ``python``; return aws-cdk-lib's version there."""
    (tmp_path / "app.py").write_text(str(EXAMPLES[0].parsed))
    out = tmp_path / "cdk.out"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(
        PATH=os.pathsep.join([str(python.parent), str(node_bin_dir()), env.get("PATH", "")]),
        CDK_CONTEXT_JSON=json.dumps(recommended_flags()),
        CDK_OUTDIR=str(out),
        CDK_DISABLE_CLI_TELEMETRY="true",
    )
    run = subprocess.run(
        [str(python), "-I", "app.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    version = subprocess.run(
        [str(python), "-I", "-c", PRINT_CDK_VERSION],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert run.returncode == 0, f"aws-cdk-lib {version}:\n{run.stderr[-4000:]}"
    template = json.loads((out / "BranchVpn.template.json").read_text())
    assert not lint_problems(template), f"aws-cdk-lib {version}"
    assert "AWS::EC2::VPNConnection" in {r["Type"] for r in template["Resources"].values()}
    print(f"compat: aws-cdk-lib {version} synthesizes the README's first example")
    return version


def test_floor(wheel_env: WheelEnv, tmp_path: Path) -> None:
    """requirements.txt pins the floor: the wheel venv of tests/wheel.py is that install."""
    assert _synth_readme_example(wheel_env.bin("python"), tmp_path) == declared_floor()


def test_newest_2x(built_wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-compile", "--disable-pip-version-check",
         "--upgrade", f"{built_wheel}[compliance]", "aws-cdk-lib>=2,<3"],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr[-3000:]
    app = tmp_path / "app"
    app.mkdir()
    version = _synth_readme_example(python, app)
    assert tuple(map(int, version.split("."))) >= tuple(map(int, declared_floor().split(".")))
