"""docs/github-actions-guard.yml: valid YAML, and its guard step uses the CLI's real arguments
on the directories its own synth steps write."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import yaml

from site_to_site_vpn.cli import build_parser
from tests.support import REPO

WORKFLOW = REPO / "docs" / "github-actions-guard.yml"


def steps() -> list[dict[str, Any]]:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key `on` as True
    assert triggers["pull_request"]["branches"] == ["main"]
    (job,) = workflow["jobs"].values()
    found: list[dict[str, Any]] = job["steps"]
    return found


def step_running(text: str) -> tuple[int, dict[str, Any]]:
    matches = [(i, s) for i, s in enumerate(steps()) if text in s.get("run", "")]
    assert len(matches) == 1, text
    return matches[0]


def synth_output(checkout_path: str) -> tuple[int, str]:
    """Index and output directory of the `cdk synth` step run in ``checkout_path``."""
    index, step = next(
        (i, s)
        for i, s in enumerate(steps())
        if "cdk synth" in s.get("run", "") and s.get("working-directory") == checkout_path
    )
    argv = shlex.split(step["run"])
    output = argv[argv.index("--output") + 1]
    return index, str(Path(output).name)


def checkout(ref: str | None) -> dict[str, Any]:
    (found,) = [
        s
        for s in steps()
        if s.get("uses", "").startswith("actions/checkout@") and s.get("with", {}).get("ref") == ref
    ]
    return found


def test_guard_compares_mains_assembly_with_the_pull_requests() -> None:
    guard_index, guard = step_running("s2svpn guard")
    argv = shlex.split(guard["run"])
    assert argv[:2] == ["s2svpn", "guard"]
    args = build_parser().parse_args(argv[1:])  # the real CLI: unknown options fail here
    main_path = checkout("main")["with"]["path"]
    pr_path = checkout(None)["with"]["path"]
    main_index, main_out = synth_output(main_path)
    pr_index, pr_out = synth_output(pr_path)
    assert args.baseline == main_out
    assert args.current == pr_out
    assert args.allow == []
    assert max(main_index, pr_index) < guard_index


def test_snapshot_tests_run_before_the_guard() -> None:
    tests_index, tests_step = step_running("pytest")
    guard_index, _ = step_running("s2svpn guard")
    assert tests_index < guard_index
    assert tests_step["working-directory"] == checkout(None)["with"]["path"]


def test_docs_point_at_the_workflow() -> None:
    guide = REPO / "docs" / "guides" / "changing-safely.md"
    assert "](../github-actions-guard.yml)" in guide.read_text()
