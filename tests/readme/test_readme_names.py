"""Every name the README uses as Python is importable from the package root (issue 9 item 8)."""

from __future__ import annotations

import re

import site_to_site_vpn
from tests.support import REPO

#: Names the README writes as code that belong to aws-cdk, not to this package.
NOT_OURS = {"Vpc"}


def python_names_in_inline_code(markdown: str) -> set[str]:
    """Classes and constants used as code in inline spans: ``Name(``, ``Name.attr``, and
    UPPER_SNAKE constants inside a call."""
    names: set[str] = set()
    for span in re.findall(r"`([^`\n]+)`", markdown):
        names |= set(re.findall(r"(?<![\w.:/])([A-Z]\w+)(?=\(|\.[a-z_])", span))
        if "(" in span:
            names |= set(re.findall(r"(?<![\w.])([A-Z][A-Z0-9]*_[A-Z0-9_]+)\b", span))
    return names - NOT_OURS


def test_the_scanner_sees_calls_and_constants() -> None:
    found = python_names_in_inline_code(
        "use `Foo.bar()` or `Baz(x=QUX_QUUX)`; `SHA1` and `AWS::EC2::VPNConnection` are not code"
    )
    assert found == {"Foo", "Baz", "QUX_QUUX"}


def test_every_name_the_readme_and_docs_use_is_exported() -> None:
    # The user documentation (benchmarks.md writes Python's and aws-cdk's names, not ours).
    pages = [REPO / "README.md", REPO / "docs" / "sites-file.md"]
    pages += sorted((REPO / "docs" / "guides").glob("*.md"))
    names = set().union(*(python_names_in_inline_code(p.read_text()) for p in pages))
    assert {"VpnAlarmSpecs", "TunnelOptions"} <= names
    missing = sorted(n for n in names if n not in site_to_site_vpn.__all__)
    assert missing == [], f"the docs use {missing}, not importable from site_to_site_vpn"
