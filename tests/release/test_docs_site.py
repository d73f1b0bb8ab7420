"""The docs site builds strictly, its API reference lists every public name, the README stays an
overview that points into it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import site_to_site_vpn

REPO = Path(__file__).resolve().parents[2]
GUIDES = ("routing", "monitoring", "sites-file", "customer-side", "changing-safely")


@pytest.mark.slow
def test_mkdocs_builds_strictly_and_the_api_reference_lists_every_public_name(
    tmp_path: Path,
) -> None:
    mkdocs = Path(sys.executable).parent / "mkdocs"
    result = subprocess.run(
        [str(mkdocs), "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=REPO,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    html = (tmp_path / "site" / "reference" / "api" / "index.html").read_text()
    documented = set(re.findall(r'id="site_to_site_vpn\.(\w+)"', html))
    assert sorted(set(site_to_site_vpn.__all__) - documented) == []


def test_the_nav_lists_every_page_of_this_branch() -> None:
    nav = yaml.safe_load((REPO / "mkdocs.yml").read_text())["nav"]
    pages = set(re.findall(r"[\w/-]+\.md", str(nav)))
    for guide in (*GUIDES, "constructs", "after-deploy", "development", "deploy"):
        assert f"guides/{guide}.md" in pages
        assert (REPO / "docs" / "guides" / f"{guide}.md").is_file()
    assert "reference/api.md" in pages


def test_readme_is_an_overview_of_at_most_300_lines() -> None:
    readme = (REPO / "README.md").read_text()
    assert len(readme.splitlines()) <= 300
    for heading in ("## Stability", "## Install", "## Example", "## What a default VPN creates"):
        assert heading in readme
    for extra in ("[sites]", "[cli]", "[compliance]", "[all]"):
        assert f"cdk-site-to-site-vpn{extra}" in readme
    for created in ("KMS key", "facts function", "SNS topic"):
        assert created in readme
    for guide in GUIDES:
        assert f"(docs/guides/{guide}.md)" in readme
