"""Usage errors and unreadable input: one line on stderr, exit 2, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from site_to_site_vpn.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(["guard", *args])
    except SystemExit as exit_:  # argparse's usage errors
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def template_dir(path: Path) -> Path:
    path.mkdir()
    (path / "S.template.json").write_text(json.dumps({"Resources": {}}))
    return path


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--current", "x"], "one of the arguments --baseline --baseline-from-stacks"),
        (["--baseline", "a", "--baseline-from-stacks", "S", "--current", "x"], "not allowed"),
        (["--baseline", "a"], "--current"),
        (["--baseline", "a", "--current", "b", "--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_usage_errors(capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    code, _, err = run(capsys, *args)
    assert code == 2
    assert message in one_line(err)


def test_missing_directory(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    good = template_dir(tmp_path / "good")
    code, _, err = run(capsys, "--baseline", str(tmp_path / "nope"), "--current", str(good))
    assert code == 2
    assert "nope: not a directory" in one_line(err)


def test_empty_directory(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    good = template_dir(tmp_path / "good")
    (tmp_path / "empty").mkdir()
    code, _, err = run(capsys, "--baseline", str(tmp_path / "empty"), "--current", str(good))
    assert code == 2
    assert "no stacks" in one_line(err)


def test_broken_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    good = template_dir(tmp_path / "good")
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "S.template.json").write_text("{ not json")
    code, _, err = run(capsys, "--baseline", str(good), "--current", str(bad))
    assert code == 2
    assert "S.template.json: not JSON" in one_line(err)


def test_manifest_pointing_at_a_missing_template(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    good = template_dir(tmp_path / "good")
    broken = tmp_path / "cdk.out"
    broken.mkdir()
    manifest = {
        "version": "48.0.0",
        "artifacts": {
            "S": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "S.json"}}
        },
    }
    (broken / "manifest.json").write_text(json.dumps(manifest))
    code, _, err = run(capsys, "--baseline", str(good), "--current", str(broken))
    assert code == 2
    assert "S.json: no such file" in one_line(err)


def test_region_without_deployed_stacks(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    good = template_dir(tmp_path / "good")
    code, _, err = run(
        capsys, "--baseline", str(good), "--current", str(good), "--region", "us-east-1"
    )
    assert code == 2
    assert "--region is only used with --baseline-from-stacks" in one_line(err)
