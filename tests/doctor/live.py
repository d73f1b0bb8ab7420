"""``s2svpn doctor`` as a user runs it: a subprocess talking to moto's server on loopback through
AWS_ENDPOINT_URL with fake credentials (shared by the CLI tests and the scenario corpus)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from moto.server import ThreadedMotoServer

from tests.wheel import node_bin_dir

REPO = Path(__file__).resolve().parents[2]
REGION = "us-east-1"


def _path() -> str:
    """PATH with the supported Node first: importing aws_cdk under the machine's Node 20 prints an
    end-of-life banner on stderr, which is not the CLI's output."""
    return os.pathsep.join([str(node_bin_dir()), os.environ.get("PATH", "")])


def clean_env(tmp: Path, **extra: str) -> dict[str, str]:
    """A clean environment: no profile, no instance metadata, only what the test gives."""
    env = {
        "PATH": _path(),
        "HOME": str(tmp),
        "AWS_CONFIG_FILE": str(tmp / "none"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp / "none"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "NO_COLOR": "1",
        "COLUMNS": "200",
    }
    env.update(extra)
    return env


def server_env(tmp: Path, url: str) -> dict[str, str]:
    return clean_env(
        tmp, AWS_ENDPOINT_URL=url, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing"
    )


def doctor(
    tmp: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "site_to_site_vpn.cli", "doctor", *args],
        cwd=REPO,
        env=env or clean_env(tmp),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@contextmanager
def moto_server() -> Iterator[str]:
    """moto's server on 127.0.0.1 (a free port), stopped afterwards; yields its URL."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
    finally:
        server.stop()
