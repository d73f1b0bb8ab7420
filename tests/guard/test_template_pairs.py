"""The guard's template pairs (tests/guard/pairs.py), each run through ``s2svpn guard`` as a
subprocess, as a pipeline runs it: every outcome is the one CloudFormation's rules give."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.guard.pairs import PAIRS, REPO, run_pairs, score


@pytest.mark.slow
def test_every_template_pair_gets_cloudformations_outcome(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    outcomes = run_pairs([sys.executable, "-m", "site_to_site_vpn.cli"], tmp_path, env)
    wrong = [(o.pair.name, o.pair.expected, o.got, o.detail) for o in outcomes if not o.right]
    assert not wrong, f"{score(outcomes)}: {wrong}"


def test_the_pairs_cover_every_kind_of_case() -> None:
    expected = {pair.expected for pair in PAIRS}
    assert expected == {"block", "pass", "warn", "error"}
    assert len({pair.name for pair in PAIRS}) == len(PAIRS)
    assert all(pair.rule for pair in PAIRS if pair.expected != "error")
