"""The release workflow's notes and its tag check (tools/release_notes.py)."""

from __future__ import annotations

import pytest

from tools.release_notes import ReleaseError, main, notes

CHANGELOG = """# Changelog

## [Unreleased]

### Added
- next thing

## [0.2.0] - 2026-12-06

### Added
- a feature

### Fixed
- a bug

## [0.1.0] - 2026-11-26

### Added
- the start

[Unreleased]: https://example.com/compare/v0.2.0...HEAD
[0.2.0]: https://example.com/compare/v0.1.0...v0.2.0
"""


def test_a_tag_gets_its_own_section_only() -> None:
    text = notes(CHANGELOG, "v0.2.0", "0.2.0")
    assert text.startswith("### Added\n- a feature")
    assert "- a bug" in text
    assert "next thing" not in text
    assert "the start" not in text


def test_the_tag_must_be_the_package_version() -> None:
    with pytest.raises(ReleaseError, match=r"_version\.py says 0\.2\.1"):
        notes(CHANGELOG, "v0.2.0", "0.2.1")


def test_a_release_without_a_section_or_a_date_is_refused() -> None:
    with pytest.raises(ReleaseError, match=r"no '## \[0.3.0\]' section"):
        notes(CHANGELOG, "v0.3.0", "0.3.0")
    undated = CHANGELOG.replace("## [0.2.0] - 2026-12-06", "## [0.2.0]")
    with pytest.raises(ReleaseError, match="no date"):
        notes(undated, "v0.2.0", "0.2.0")
    with pytest.raises(ReleaseError, match=r"not vX\.Y\.Z"):
        notes(CHANGELOG, "0.2.0", "0.2.0")


def test_without_a_tag_the_unreleased_section(capsys: pytest.CaptureFixture[str]) -> None:
    assert notes(CHANGELOG, None, "0.2.0.dev0") == "### Added\n- next thing"
    assert main([]) == 0  # this repository's own CHANGELOG.md
    assert "### Added" in capsys.readouterr().out


def test_this_repository_refuses_a_tag_that_is_not_its_version(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["v99.0.0"]) == 1
    assert capsys.readouterr().err.startswith("release_notes: tag v99.0.0 but")
