"""Every ``s2svpn`` command as a user gets it: the console script of the installed wheel (a fresh
venv, tests/wheel.py), run outside this checkout, with no AWS region or credentials."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.support import FIXTURE, NO_AWS_ENV, PSKS, REPO
from tests.wheel import WheelEnv

pytestmark = pytest.mark.xdist_group("wheel")

COMMANDS = ("render", "fetch", "guard", "doctor", "cost")


def s2svpn(wheel_env: WheelEnv, cwd: Path, *args: str) -> tuple[int, str, str]:
    env = {**wheel_env.env(), **NO_AWS_ENV, "HOME": tempfile.gettempdir()}
    env["PATH"] = wheel_env.env()["PATH"]
    for key in ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        env.pop(key, None)
    done = subprocess.run(
        [str(wheel_env.bin("s2svpn")), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


def test_help_lists_every_command(wheel_env: WheelEnv, tmp_path: Path) -> None:
    code, out, _ = s2svpn(wheel_env, tmp_path, "--help")
    assert code == 0
    for command in COMMANDS:
        assert command in out


def test_render_writes_configs_and_prints_no_key(wheel_env: WheelEnv, tmp_path: Path) -> None:
    code, out, err = s2svpn(
        wheel_env,
        tmp_path,
        "render",
        "--template",
        str(FIXTURE),
        "--onprem-prefix",
        "172.16.0.0/16",
        "--tunnel1-outside-ip",
        "192.0.2.10",
        "--tunnel2-outside-ip",
        "192.0.2.20",
        "--tunnel1-psk",
        PSKS[0],
        "--tunnel2-psk",
        PSKS[1],
        "--out",
        str(tmp_path / "cgw"),
    )
    assert code == 0, err
    assert (tmp_path / "cgw" / "swanctl.conf").is_file()
    assert not any(psk in out + err for psk in PSKS)


def test_render_bad_input_is_one_line(wheel_env: WheelEnv, tmp_path: Path) -> None:
    code, _, err = s2svpn(
        wheel_env,
        tmp_path,
        "render",
        "--template",
        str(FIXTURE),
        "--tunnel1-outside-ip",
        "not-an-ip",
        "--out",
        str(tmp_path / "cgw"),
    )
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "args",
    [
        (
            "fetch",
            "--vpn-connection-id",
            "vpn-0123456789abcdef0",
            "--template",
            str(FIXTURE),
            "--out",
            "cgw",
        ),
        ("doctor", "--vpn-id", "vpn-0123456789abcdef0"),
    ],
    ids=["fetch", "doctor"],
)
def test_aws_commands_without_region_are_one_line(
    wheel_env: WheelEnv, tmp_path: Path, args: tuple[str, ...]
) -> None:
    code, _, err = s2svpn(wheel_env, tmp_path, *args)
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert "region" in err


def test_cost_prices_the_example_sites_file(wheel_env: WheelEnv, tmp_path: Path) -> None:
    code, out, err = s2svpn(
        wheel_env, tmp_path, "cost", str(REPO / "examples" / "sites.yaml"), "--json"
    )
    assert code == 0, err
    report = json.loads(out)
    # Issue 14's floor: 5 sites x (36.50 VPN + 36.50 attachment) USD a month, monitoring on top.
    assert len(report["sites"]) == 5
    assert report["total"] >= 5 * (36.50 + 36.50)
