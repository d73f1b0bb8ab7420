"""Namespaces and processes the lab creates, and nothing else: it tears down only its own.

Every namespace carries a per-run prefix and every process is tracked by PID, so teardown never
touches anything another run (or the host) owns. Every command has a timeout.
"""

from __future__ import annotations

import os
import secrets
import shlex
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

COMMAND_TIMEOUT = 20.0
T = TypeVar("T")


class LabError(RuntimeError):
    """A lab command failed; the message carries its output."""


def run_prefix() -> str:
    """``s2s<pid-hex><2 random hex>``: unique per run, recognisable as ours."""
    return f"s2s{os.getpid():x}{secrets.token_hex(1)}"


@dataclass
class Netns:
    """Creates namespaces and processes and remembers them for :meth:`teardown`."""

    prefix: str
    workdir: Path
    namespaces: list[str] = field(default_factory=list)
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def name(self, short: str) -> str:
        return f"{self.prefix}-{short}"

    def add(self, short: str) -> str:
        """Create namespace ``<prefix>-<short>`` with loopback up."""
        name = self.name(short)
        host(["ip", "netns", "add", name])
        self.namespaces.append(name)
        self.run(short, ["ip", "link", "set", "lo", "up"])
        return name

    def run(
        self, short: str, argv: Sequence[str], *, check: bool = True, timeout: float = 10.0
    ) -> subprocess.CompletedProcess[str]:
        """Run ``argv`` inside namespace ``short``."""
        return host(["ip", "netns", "exec", self.name(short), *argv], check=check, timeout=timeout)

    def sh(
        self, short: str, script: str, *, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        return self.run(short, ["sh", "-c", script], check=check)

    def spawn(self, short: str, script: str, log: Path) -> subprocess.Popen[bytes]:
        """Start a long-running process in ``short``; it is killed by PID at teardown."""
        with log.open("ab") as out:
            process = subprocess.Popen(
                ["ip", "netns", "exec", self.name(short), "sh", "-c", script],
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self.processes.append(process)
        return process

    def veth(self, left: tuple[str, str], right: tuple[str, str]) -> None:
        """A veth pair from (namespace, ifname) to (namespace, ifname), both up.

        Created inside the namespaces, so nothing ever appears in the host's namespace.
        """
        (left_ns, left_if), (right_ns, right_if) = left, right
        host(
            [
                "ip",
                "-n",
                self.name(left_ns),
                "link",
                "add",
                left_if,
                "type",
                "veth",
                "peer",
                "name",
                right_if,
                "netns",
                self.name(right_ns),
            ]
        )
        self.run(left_ns, ["ip", "link", "set", left_if, "up"])
        self.run(right_ns, ["ip", "link", "set", right_if, "up"])

    def stop(self, process: subprocess.Popen[bytes]) -> None:
        """Terminate one of our processes (its session), then kill it if it lingers."""
        if process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
        except ProcessLookupError:
            pass

    def teardown(self) -> None:
        """Stop our processes, delete our namespaces and the work directory (it holds this run's
        random PSKs). Safe to call twice."""
        for process in reversed(self.processes):
            self.stop(process)
        self.processes.clear()
        for name in reversed(self.namespaces):
            host(["ip", "netns", "del", name], check=False)
        self.namespaces.clear()
        shutil.rmtree(self.workdir, ignore_errors=True)


def host(
    argv: Sequence[str], *, check: bool = True, timeout: float = COMMAND_TIMEOUT
) -> subprocess.CompletedProcess[str]:
    """Run a command with a timeout; on failure raise with its output."""
    result = subprocess.run(
        list(argv), capture_output=True, text=True, timeout=timeout, check=False
    )
    if check and result.returncode != 0:
        raise LabError(
            f"{shlex.join(argv)} exited {result.returncode}: {result.stderr.strip()[-2000:]}"
        )
    return result


def wait_for(probe: Callable[[], T | None], *, timeout: float, interval: float = 0.1) -> T | None:
    """Poll ``probe`` until it returns something other than ``None``, at most ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value is not None:
            return value
        if time.monotonic() >= deadline:
            return None
        time.sleep(interval)
