"""The library as a user gets it: the wheel, installed with requirements.txt alone into a fresh
venv, synthesizes the README's first example under ``cdk init``'s feature flags with the
compliance checks on. Nothing from this checkout is importable there (the app runs outside it).

Slow by nature (a venv and about 30 packages, from pip's cache after the first run); it runs once
per session.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.readme.test_readme import EXAMPLES
from tests.support import REPO, lint_problems, recommended_flags
from tests.wheel import WheelEnv

pytestmark = pytest.mark.xdist_group("wheel")
_SKIP = shutil.ignore_patterns("__pycache__", "*.pyc")


def _run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload]
    assert result.returncode == 0, f"{args[:4]}:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
    return result  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def installed(wheel_env: WheelEnv) -> Path:
    """The python of a fresh venv holding the wheel and requirements.txt (tests/wheel.py)."""
    return wheel_env.bin("python")


def _env(out: Path, context: dict[str, object]) -> dict[str, str]:
    """What ``cdk synth`` gives the app: cdk.json's context and an output directory."""
    env = {
        key: value for key, value in os.environ.items() if key not in {"PYTHONPATH", "VIRTUAL_ENV"}
    }
    env.update(
        CDK_CONTEXT_JSON=json.dumps(context),
        CDK_OUTDIR=str(out),
        CDK_DISABLE_CLI_TELEMETRY="true",
    )
    return env


def test_readme_first_example_synthesizes_from_the_installed_wheel(
    installed: Path, tmp_path: Path
) -> None:
    app = tmp_path / "app.py"
    app.write_text(str(EXAMPLES[0].parsed))
    out = tmp_path / "cdk.out"
    env = _env(out, recommended_flags())
    _run([str(installed), "-I", str(app)], cwd=tmp_path, env=env)
    where = _run(
        [str(installed), "-I", "-c", "import site_to_site_vpn; print(site_to_site_vpn.__file__)"],
        cwd=tmp_path,
        env=env,
    )
    assert str(REPO) not in where.stdout, "the app imported the checkout, not the wheel"
    templates = sorted(out.glob("*.template.json"))
    assert [t.name for t in templates] == ["BranchVpn.template.json"]
    template = json.loads(templates[0].read_text())
    assert not lint_problems(template)
    kinds = {r["Type"] for r in template["Resources"].values()}
    assert {"AWS::EC2::VPNConnection", "AWS::EC2::CustomerGateway", "AWS::Logs::LogGroup"} <= kinds


def test_own_app_example_builds_a_sites_file_from_the_installed_wheel(
    installed: Path, tmp_path: Path
) -> None:
    """examples/own_app: a user's app directory with cdk.json, app.py and a sites file."""
    own = REPO / "examples" / "own_app"
    for name in ("app.py", "cdk.json"):
        shutil.copy(own / name, tmp_path / name)
    shutil.copy(REPO / "examples" / "sites.yaml", tmp_path / "sites.yaml")
    shutil.copy(REPO / "examples" / "sites.lock.json", tmp_path / "sites.lock.json")
    context = json.loads((tmp_path / "cdk.json").read_text())["context"]
    out = tmp_path / "cdk.out"
    _run(
        [str(installed), "-I", "app.py"], cwd=tmp_path, env=_env(out, {**context, "locked": "true"})
    )
    names = sorted(t.name for t in out.glob("*.template.json"))
    assert "ExampleNetwork-Hub.template.json" in names
    assert any(n.startswith("ExampleNetwork-Sites-") for n in names)
    for path in out.glob("*.template.json"):
        assert not lint_problems(json.loads(path.read_text())), path.name
