"""``s2svpn cost`` as a user runs it, and its one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from site_to_site_vpn.cli import main
from tests.wheel import node_bin_dir

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = str(REPO / "examples" / "sites.yaml")


def test_example_priced_from_the_command_line() -> None:
    node_bin = node_bin_dir()
    env = {**os.environ, "PATH": f"{node_bin}{os.pathsep}{os.environ.get('PATH', '')}"}
    run = subprocess.run(
        [sys.executable, "-m", "site_to_site_vpn.cli", "cost", EXAMPLE, "--json"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["region"] == "us-east-1"
    assert len(result["sites"]) == 5
    assert result["total"] >= 5 * (36.50 + 36.50)
    assert all(site["cloudwatch"] > 0 for site in result["sites"])
    assert result["sources"]["vpn_connection_hour"].startswith("AWS VPN pricing")
    assert result["direct_connect_break_even_gb_per_site"] > 0


def test_table_says_where_prices_come_from(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cost", EXAMPLE, "--gb-per-month", "500"]) == 0
    out = " ".join(capsys.readouterr().out.split())  # rich wraps at the terminal's width
    assert "paris" in out
    assert "500 GB out per site" in out
    assert "Direct Connect" in out
    assert "read on 2026-11-27" in out
    assert "Assumptions:" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--gb-per-month", "-5"], "s2svpn cost: --gb-per-month must be 0 or more, not -5.0"),
        (["--region", "mars-north-1"], "s2svpn cost: no price data for Region 'mars-north-1'"),
        (["--log-gb-per-site", "-1"], "s2svpn cost: --log-gb-per-site must be 0 or more"),
    ],
)
def test_bad_options_exit_2_in_one_line(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["cost", EXAMPLE, *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith(message)


def test_invalid_sites_file_exits_2_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "sites.yaml"
    bad.write_text("version: 1\nhub: {}\nsites: []\n", encoding="utf-8")
    assert main(["cost", str(bad)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("s2svpn cost: invalid sites file")


def test_missing_sites_file_exits_2_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["cost", str(tmp_path / "nope.yaml")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "nope.yaml" in err[0]
