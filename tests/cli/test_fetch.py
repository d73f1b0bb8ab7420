"""``s2svpn fetch`` run as a user runs it: without region or credentials, or for a VPN that does
not exist, one line and exit 2. AWS is moto's server on loopback (a tool, not an oracle: its VPN
connections carry no tunnel options, so the rendering itself is tested with botocore's Stubber in
tests/customer_side/test_fetch.py)."""

from __future__ import annotations

import json
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from moto.server import ThreadedMotoServer

from tests.support import FIXTURE, run_cli

MISSING_VPN = "vpn-0123456789abcdef0"
FAKE_KEYS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}  # moto's


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def assembly(tmp_path: Path, environment: str) -> Path:
    """A cdk.out holding the fixture as stack ``Site`` deployed to ``environment``."""
    out = tmp_path / "cdk.out"
    out.mkdir()
    shutil.copy(FIXTURE, out / "Site.template.json")
    manifest = {
        "version": "48.0.0",
        "artifacts": {
            "Site": {
                "type": "aws:cloudformation:stack",
                "environment": environment,
                "properties": {"templateFile": "Site.template.json"},
            }
        },
    }
    (out / "manifest.json").write_text(json.dumps(manifest))
    return out / "Site.template.json"


def fetch(template: Path, out: Path, *extra: str, env: dict[str, str] | None = None) -> str:
    result = run_cli(
        "fetch",
        "--vpn-connection-id",
        MISSING_VPN,
        "--template",
        str(template),
        "--onprem-prefix",
        "172.16.0.0/16",
        "--out",
        str(out),
        *extra,
        env=env,
    )
    printed = result.stdout + result.stderr
    assert result.returncode == 2, printed
    assert len(printed.strip().splitlines()) == 1, printed
    assert "Traceback" not in printed
    return printed


def test_no_region_anywhere(tmp_path: Path) -> None:
    printed = fetch(FIXTURE, tmp_path / "cgw", env=FAKE_KEYS)
    assert "no AWS region" in printed


def test_env_agnostic_stack_gives_no_region(tmp_path: Path) -> None:
    template = assembly(tmp_path, "aws://unknown-account/unknown-region")
    assert "no AWS region" in fetch(template, tmp_path / "cgw", env=FAKE_KEYS)


def test_no_credentials(tmp_path: Path) -> None:
    template = assembly(tmp_path, "aws://111111111111/eu-west-2")
    assert "no AWS credentials" in fetch(template, tmp_path / "cgw")


def test_region_comes_from_the_stack_environment(tmp_path: Path, endpoint: str) -> None:
    template = assembly(tmp_path, "aws://111111111111/eu-west-2")
    env = {**FAKE_KEYS, "AWS_ENDPOINT_URL": endpoint}
    printed = fetch(template, tmp_path / "cgw", env=env)
    assert f"no VPN connection {MISSING_VPN} in eu-west-2" in printed


def test_region_flag_wins(tmp_path: Path, endpoint: str) -> None:
    template = assembly(tmp_path, "aws://111111111111/eu-west-2")
    env = {**FAKE_KEYS, "AWS_ENDPOINT_URL": endpoint}
    printed = fetch(template, tmp_path / "cgw", "--region", "ap-south-1", env=env)
    assert "in ap-south-1" in printed


def test_malformed_vpn_id_is_refused_before_any_call(tmp_path: Path) -> None:
    result = run_cli(
        "fetch",
        "--vpn-connection-id",
        "vpn-xyz",
        "--template",
        str(FIXTURE),
        "--out",
        str(tmp_path / "cgw"),
    )
    assert result.returncode == 2
    assert "must be a vpn connection id" in result.stderr
