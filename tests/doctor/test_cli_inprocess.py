"""The doctor's ways to name a VPN, through ``main`` in process (moto in-process, no server)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from moto import mock_aws

from site_to_site_vpn.cli import main

EXAMPLE = str(Path(__file__).resolve().parents[2] / "examples" / "sites.yaml")


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        yield


def test_site_name_leads_to_its_stack(aws: None, capsys: pytest.CaptureFixture[str]) -> None:
    """berlin lives in ExampleNetwork-Sites-001 (lock file), Region from the sites file."""
    assert main(["doctor", "--sites-file", EXAMPLE, "--site", "berlin"]) == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("s2svpn doctor: stack ExampleNetwork-Sites-001:")
    assert "does not exist" in line


def test_site_needs_the_sites_file(aws: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["doctor", "--site", "berlin", "--region", "us-east-1"]) == 2
    assert capsys.readouterr().err.strip() == "s2svpn doctor: --site needs --sites-file"


def test_bad_prefix_is_one_line(aws: None, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["doctor", "--vpn-id", "vpn-1", "--region", "us-east-1", "--onprem-prefix", "10.300/8"]
    assert main(args) == 2
    assert capsys.readouterr().err.strip() == (
        "s2svpn doctor: --onprem-prefix '10.300/8' is not a CIDR"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--assume-role", "222222222222=arn:aws:iam::333333333333:role/R"],
            "--assume-role '222222222222=arn:aws:iam::333333333333:role/R' must be "
            "ACCOUNT=arn:aws:iam::ACCOUNT:role/NAME (the same 12-digit account twice)",
        ),
        (["--port", "70000"], "--port must be 0-65535, not 70000"),
        (["--protocol", "icmp", "--port", "8"], "--port applies to tcp and udp, not icmp"),
        (["--target", "web-1"], "--target 'web-1' is not an IP address, eni-... or i-..."),
        (
            ["--return-ports", "65535-1024"],
            "--return-ports must be LOW-HIGH within 0-65535, not '65535-1024'",
        ),
    ],
)
def test_bad_flow_options_are_one_line(
    aws: None, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["doctor", "--vpn-id", "vpn-1", "--region", "us-east-1", *args]) == 2
    assert capsys.readouterr().err.strip() == f"s2svpn doctor: {message}"
