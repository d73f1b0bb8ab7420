"""One lab bring-up shared by the scenarios that can share it; skips only without root/netns."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator

import pytest

from lab.netns import run_prefix
from lab.template_source import LabTemplate, lab_template
from lab.topology import Lab, build


def lab_unavailable() -> str | None:
    """Why this machine cannot run the lab, or None. Missing packages are failures, not skips."""
    if os.geteuid() != 0:
        return "the interop lab needs root (network namespaces, TUN devices, nftables)"
    probe = f"{run_prefix()}-probe"
    added = subprocess.run(
        ["ip", "netns", "add", probe], capture_output=True, text=True, timeout=10, check=False
    )
    if added.returncode != 0:
        return f"`ip netns add` failed here: {added.stderr.strip()}"
    subprocess.run(["ip", "netns", "del", probe], capture_output=True, timeout=10, check=False)
    return None


@pytest.fixture(scope="session")
def template_for_lab() -> LabTemplate:
    reason = lab_unavailable()
    if reason is not None:
        pytest.skip(reason)
    return lab_template()


@pytest.fixture(scope="session")
def running_lab(template_for_lab: LabTemplate) -> Iterator[Lab]:
    lab = build(template_for_lab)
    try:
        yield lab
    finally:
        lab.teardown()
