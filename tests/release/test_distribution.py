"""The release as PyPI and a user read it: LICENSE, CHANGELOG, one version, metadata, data files.

The built sdist and wheel go through the same checks as ``make dist`` (twine check --strict, then
tools/check_dist.py); the file-level rules are checked without building.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest

from site_to_site_vpn._version import __version__
from site_to_site_vpn.cli import main
from tests.wheel import build_wheel
from tools import check_dist

REPO = Path(__file__).resolve().parents[2]


def test_license_is_the_full_apache_2_text() -> None:
    text = (REPO / "LICENSE").read_text()
    assert "Apache License" in text
    assert "Version 2.0, January 2004" in text
    assert "END OF TERMS AND CONDITIONS" in text
    assert len(text.splitlines()) > 190


def test_pyproject_reads_the_one_version_and_declares_an_spdx_license() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert project["project"]["dynamic"] == ["version"]
    assert "version" not in project["project"]
    attr = project["tool"]["setuptools"]["dynamic"]["version"]["attr"]
    assert attr == "site_to_site_vpn._version.__version__"
    assert project["project"]["license"] == "Apache-2.0"
    assert not any(c.startswith("License ::") for c in project["project"]["classifiers"])
    backend = project["build-system"]["requires"]
    assert backend == ["setuptools>=77"], "PEP 639 license expressions need setuptools 77"


def test_changelog_keeps_a_changelog_with_unreleased_and_0_1_0() -> None:
    text = (REPO / "CHANGELOG.md").read_text()
    headings = re.findall(r"^## \[([^\]]+)\]", text, flags=re.MULTILINE)
    assert headings[0] == "Unreleased"
    assert "0.1.0" in headings
    unreleased = text.split("## [Unreleased]", 1)[1].split("\n## [", 1)[0]
    for section in ("### Added", "### Changed"):
        assert section in unreleased
    for release in headings[1:]:
        assert re.search(rf"^## \[{re.escape(release)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", text, re.M)
        assert re.search(rf"^\[{re.escape(release)}\]: https://", text, re.M), release


def test_no_python_minor_version_in_the_makefile() -> None:
    makefile = (REPO / "Makefile").read_text()
    assert not re.search(r"python3\.\d+", makefile)


def test_cli_prints_the_one_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"s2svpn {__version__}"


@pytest.mark.slow
def test_sdist_and_wheel_pass_twine_and_carry_every_data_file(tmp_path: Path) -> None:
    build_wheel(tmp_path)  # the sdist, then the wheel built from it
    archives = sorted(str(p) for p in tmp_path.glob("cdk_site_to_site_vpn-*"))
    twine = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *archives],
        capture_output=True,
        text=True,
        check=False,
    )
    assert twine.returncode == 0, twine.stdout + twine.stderr
    assert twine.stdout.count("PASSED") == 2
    assert check_dist.problems(tmp_path) == []


def test_check_dist_reports_a_missing_data_file(tmp_path: Path) -> None:
    """The checker can fail: a wheel without the guard's table is reported."""
    wheel = tmp_path / f"cdk_site_to_site_vpn-{__version__}-py3-none-any.whl"
    meta = "Metadata-Version: 2.4\nName: cdk-site-to-site-vpn\nVersion: 0\n\n"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("x.dist-info/METADATA", meta)
        archive.writestr("site_to_site_vpn/py.typed", "")
    with tarfile.open(tmp_path / f"cdk_site_to_site_vpn-{__version__}.tar.gz", "w:gz"):
        pass
    found = check_dist.problems(tmp_path)
    assert "the wheel lacks site_to_site_vpn/guard/create_only.json" in found
    assert any(p.startswith("wheel version 0 ") for p in found)
    assert "extra 'compliance' missing" in found
