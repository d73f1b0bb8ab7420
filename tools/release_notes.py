"""A release's notes from CHANGELOG.md, and the check that the tag is the package's version.

    python -m tools.release_notes v0.2.0 --out dist/RELEASE_NOTES.md   # the release workflow
    python -m tools.release_notes                                       # [Unreleased] (CI here)

With a tag ``vX.Y.Z``: fails unless site_to_site_vpn/_version.py says ``X.Y.Z`` and CHANGELOG.md has
a non-empty ``## [X.Y.Z] - date`` section; writes that section's body (the GitHub release notes).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from tools.check_dist import version

REPO = Path(__file__).resolve().parent.parent


class ReleaseError(Exception):
    """The tag, the version and the changelog disagree."""


def section(changelog: str, release: str) -> str:
    """The body of ``## [release]`` (up to the next ``## [``), stripped; ReleaseError if none."""
    heading = re.compile(rf"^## \[{re.escape(release)}\][^\n]*$", re.MULTILINE)
    match = heading.search(changelog)
    if match is None:
        raise ReleaseError(f"CHANGELOG.md has no '## [{release}]' section")
    rest = changelog[match.end() :]
    following = re.search(r"^## \[", rest, flags=re.MULTILINE)
    body = (rest[: following.start()] if following else rest).strip()
    body = re.sub(r"^\[[^\]]+\]: \S+$", "", body, flags=re.MULTILINE).strip()
    if not body:
        raise ReleaseError(f"CHANGELOG.md's '## [{release}]' section is empty")
    return body


def notes(changelog: str, tag: str | None, package_version: str) -> str:
    if tag is None:
        return section(changelog, "Unreleased")
    if not re.fullmatch(r"v\d+\.\d+\.\d+", tag):
        raise ReleaseError(f"tag {tag!r} is not vX.Y.Z")
    if tag[1:] != package_version:
        raise ReleaseError(f"tag {tag} but site_to_site_vpn/_version.py says {package_version}")
    body = section(changelog, tag[1:])
    if not re.search(rf"^## \[{re.escape(tag[1:])}\] - \d{{4}}-\d{{2}}-\d{{2}}$", changelog, re.M):
        raise ReleaseError(f"CHANGELOG.md's '## [{tag[1:]}]' heading has no date (YYYY-MM-DD)")
    return body


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.release_notes")
    parser.add_argument("tag", nargs="?", help="vX.Y.Z (default: the [Unreleased] section)")
    parser.add_argument("--out", type=Path, help="write the notes here (default: stdout)")
    args = parser.parse_args(argv)
    try:
        text = notes((REPO / "CHANGELOG.md").read_text(), args.tag, version())
    except ReleaseError as error:
        print(f"release_notes: {error}", file=sys.stderr)
        return 1
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
