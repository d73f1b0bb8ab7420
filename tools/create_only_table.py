"""Generate ``site_to_site_vpn/guard/create_only.json`` from cfn-lint's bundled registry schemas.

The guard must know which property changes make CloudFormation replace a resource. That knowledge
is AWS's: each resource type's registry schema lists its ``createOnlyProperties`` (and, for some,
a ``replacementStrategy``). cfn-lint ships those schemas (``cfnlint/data/schemas/providers/
us-east-1.json`` maps a type name to ``resources/<hash>.json``), so this script reads them for
EVERY resource type in the provider (a replaced VPC, certificate or secret replaces what refers to
it, whatever the library itself emits) and writes the table the guard loads at run time. Nothing
is typed by hand; ``tests/guard/test_create_only_table.py`` fails when the installed cfn-lint
disagrees.

Usage: ``python -m tools.create_only_table`` (write) or ``... --check`` (compare only).
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
TABLE_PATH = REPO / "site_to_site_vpn" / "guard" / "create_only.json"
REGION = "us-east-1"

_IMPORT = re.compile(r"^from aws_cdk import (aws_\w+) as (\w+)$", re.MULTILINE)
_CFN_USE = re.compile(r"\b(\w+)\.(Cfn[A-Z]\w*)\(")


def schemas_dir() -> Path:
    """cfn-lint's bundled registry schemas (the installed, pinned version)."""
    import cfnlint  # noqa: PLC0415 - a dev dependency, only this tool needs it

    return Path(cfnlint.__file__).parent / "data" / "schemas"


def cfn_lint_version() -> str:
    from cfnlint.version import __version__  # noqa: PLC0415

    return str(__version__)


def provider_types(schemas: Path | None = None) -> list[str]:
    """Every resource type in cfn-lint's provider for :data:`REGION`."""
    provider = json.loads(((schemas or schemas_dir()) / "providers" / f"{REGION}.json").read_text())
    return sorted(provider)


def source_types(package: Path = REPO / "site_to_site_vpn") -> set[str]:
    """Resource types of every L1 ``Cfn*`` class the library's source constructs."""
    found: set[str] = set()
    for path in package.rglob("*.py"):
        text = path.read_text()
        aliases = {alias: module for module, alias in _IMPORT.findall(text)}
        for alias, class_name in _CFN_USE.findall(text):
            module_name = aliases.get(alias)
            if module_name is None:
                continue
            module = importlib.import_module(f"aws_cdk.{module_name}")
            found.add(getattr(module, class_name).CFN_RESOURCE_TYPE_NAME)
    return found


def table_for(types: Iterable[str] | None = None, schemas: Path | None = None) -> dict[str, Any]:
    """The create-only table for ``types`` (default: every type) from the schemas at ``schemas``."""
    schemas = schemas or schemas_dir()
    provider: dict[str, str] = json.loads((schemas / "providers" / f"{REGION}.json").read_text())
    entries: dict[str, Any] = {}
    for type_name in sorted(set(provider if types is None else types)):
        if type_name not in provider:
            raise KeyError(f"{type_name}: no registry schema in cfn-lint's {REGION} provider")
        schema = json.loads((schemas / "resources" / f"{provider[type_name]}.json").read_text())
        entry: dict[str, Any] = {
            "createOnlyProperties": list(schema.get("createOnlyProperties", [])),
        }
        if "replacementStrategy" in schema:
            entry["replacementStrategy"] = schema["replacementStrategy"]
        entries[type_name] = entry
    return {
        "source": f"cfn-lint {cfn_lint_version()} registry schemas ({REGION})",
        "generator": "tools/create_only_table.py",
        "resourceTypes": entries,
    }


def render(table: dict[str, Any]) -> str:
    """JSON with one line per resource type: small in the wheel, readable in a diff."""
    head = {key: value for key, value in table.items() if key != "resourceTypes"}
    lines = [f"  {json.dumps(key)}: {json.dumps(value)}," for key, value in sorted(head.items())]
    types = sorted(table["resourceTypes"].items())
    body = [f"    {json.dumps(name)}: {json.dumps(entry, sort_keys=True)}" for name, entry in types]
    return "{\n" + "\n".join(lines) + '\n  "resourceTypes": {\n' + ",\n".join(body) + "\n  }\n}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the shipped file differs")
    args = parser.parse_args(argv)
    text = render(table_for())
    if args.check:
        if TABLE_PATH.read_text() != text:
            print(f"{TABLE_PATH} is stale: run python -m tools.create_only_table", file=sys.stderr)
            return 1
        return 0
    TABLE_PATH.write_text(text)
    print(f"wrote {TABLE_PATH.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
