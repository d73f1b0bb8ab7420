"""The root's public names: one table, few names, lazy, and no optional extra loaded by them."""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys

import pytest

import site_to_site_vpn
from tests.support import REPO

#: Optional extras the release splits out: importing the constructs must not need them.
OPTIONAL = ("boto3", "botocore", "rich", "pydantic", "yaml", "cdk_nag")
#: Root names that belong to the sites file and its stacks (the sites extra).
SITES_NAMES = frozenset({"SitesApp", "build_sites_app", "load_sites_file"})


def _type_checking_imports() -> dict[str, str]:
    tree = ast.parse((REPO / "site_to_site_vpn" / "__init__.py").read_text())
    block = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING"
    )
    found = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom)
        for alias in node.names:
            assert alias.asname == alias.name, "re-export as itself, no other alias"
            found[alias.name] = str(node.module)
    return found


def test_one_table_drives_all_and_the_type_checking_imports() -> None:
    table = site_to_site_vpn._EXPORTS
    assert site_to_site_vpn.__all__ == list(table)
    assert _type_checking_imports() == table
    assert len(table) <= 45


def test_every_name_resolves_to_the_module_the_table_names() -> None:
    for name, module in site_to_site_vpn._EXPORTS.items():
        assert getattr(site_to_site_vpn, name) is getattr(importlib.import_module(module), name)


def test_internals_are_not_exported() -> None:
    names = set(site_to_site_vpn.__all__)
    assert not {n for n in names if n.endswith("Base") or n.startswith("Imported")}
    assert not {n for n in names if n.isupper()}, "constants live in their submodules"
    assert not names & {"VpnAlarmThresholds", "VpnFactsProvider", "VpnConnectionFacts"}


@pytest.mark.slow
def test_importing_the_constructs_loads_no_optional_extra() -> None:
    constructs = [n for n in site_to_site_vpn.__all__ if n not in SITES_NAMES]
    code = (
        "import json, sys\n"
        "import site_to_site_vpn\n"
        f"bare = [m for m in {OPTIONAL!r} if m in sys.modules]\n"
        f"for name in {constructs!r}:\n"
        "    getattr(site_to_site_vpn, name)\n"
        f"print(json.dumps([bare, [m for m in {OPTIONAL!r} if m in sys.modules]]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    bare, after = json.loads(result.stdout.strip().splitlines()[-1])
    assert bare == []
    assert after == []
