"""The GitHub workflows: actionlint-clean, and every step a make target the project's CI runs.

They cannot run here (no GitHub runner), so what they do must be what ``.ci/run`` already runs:
``make test``'s prerequisites.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


def _makefile_prerequisites(target: str) -> set[str]:
    match = re.search(rf"^{target}:([^\n]*)$", (REPO / "Makefile").read_text(), flags=re.M)
    assert match is not None, target
    return set(match.group(1).split())


def _run_steps(path: Path) -> list[str]:
    workflow: dict[str, Any] = yaml.safe_load(path.read_text())
    return [
        step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step
    ]


def test_actionlint_passes_on_every_workflow() -> None:
    actionlint = shutil.which("actionlint", path=str(Path(sys.executable).parent))
    if actionlint is None:
        pytest.fail("actionlint is not installed in this venv: make install")
    assert [p.name for p in WORKFLOWS] == ["release.yml", "test.yml"]
    result = subprocess.run(
        [actionlint, *map(str, WORKFLOWS)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_test_workflow_step_is_a_make_target_ci_runs() -> None:
    steps = _run_steps(REPO / ".github" / "workflows" / "test.yml")
    targets = [re.match(r"make (\S+)", step) for step in steps]
    assert all(targets), steps
    in_make_test = _makefile_prerequisites("test") | {"install"}
    assert {t.group(1) for t in targets if t} <= in_make_test
    assert "make test" in (REPO / ".ci" / "run").read_text()


def test_release_workflow_builds_checks_the_tag_and_publishes_by_trusted_publishing() -> None:
    text = (REPO / ".github" / "workflows" / "release.yml").read_text()
    workflow: dict[Any, Any] = yaml.safe_load(text)
    assert workflow[True]["push"]["tags"] == ["v*.*.*"]  # YAML 1.1 reads `on` as True
    build = _run_steps(REPO / ".github" / "workflows" / "release.yml")[:2]
    assert build == ["make dist", 'make release-notes TAG="${GITHUB_REF_NAME}"']
    publish = workflow["jobs"]["publish"]
    assert publish["permissions"] == {"id-token": "write"}
    assert any(
        s.get("uses", "").startswith("pypa/gh-action-pypi-publish@") for s in publish["steps"]
    )
    assert "password" not in text
    assert "--notes-file dist/RELEASE_NOTES.md" in text
    assert {"dist", "release-notes"} <= _makefile_prerequisites("test")
