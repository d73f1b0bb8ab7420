"""Generate ``site_to_site_vpn/guard/create_only.json`` from cfn-lint's bundled registry schemas.

The guard must know which property changes make CloudFormation replace a resource. That knowledge
is AWS's: each resource type's registry schema lists its ``createOnlyProperties`` (and, for some,
a ``replacementStrategy``). cfn-lint ships those schemas (``cfnlint/data/schemas/providers/
us-east-1.json`` maps a type name to ``resources/<hash>.json``), so this script reads them for every
resource type the library emits and writes the table the guard loads at run time. Nothing is typed
by hand; ``tests/guard/test_create_only_table.py`` fails when the pinned cfn-lint disagrees.

Usage: ``python -m tools.create_only_table`` (write) or ``... --check`` (compare only).
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
TABLE_PATH = REPO / "site_to_site_vpn" / "guard" / "create_only.json"
REGION = "us-east-1"

#: Types the library can emit that no example synthesizes yet (VPN Concentrator: issue 13).
#: Source: the AWS::EC2::VPNConcentrator registry schema bundled with cfn-lint 1.58.
EXTRA_TYPES = frozenset({"AWS::EC2::VPNConcentrator"})

_IMPORT = re.compile(r"^from aws_cdk import (aws_\w+) as (\w+)$", re.MULTILINE)
_CFN_USE = re.compile(r"\b(\w+)\.(Cfn[A-Z]\w*)\(")


def schemas_dir() -> Path:
    """cfn-lint's bundled registry schemas (the installed, pinned version)."""
    import cfnlint  # noqa: PLC0415 - a dev dependency, only this tool needs it

    return Path(cfnlint.__file__).parent / "data" / "schemas"


def cfn_lint_version() -> str:
    from cfnlint.version import __version__  # noqa: PLC0415

    return str(__version__)


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


def template_types(templates: Iterable[dict[str, Any]]) -> set[str]:
    """Resource types in synthesized templates, without custom resources (no registry schema)."""
    return {
        resource["Type"]
        for template in templates
        for resource in template.get("Resources", {}).values()
        if not resource["Type"].startswith("Custom::")
        and resource["Type"] != "AWS::CloudFormation::CustomResource"
    }


def example_templates() -> list[dict[str, Any]]:
    """Synthesize the example stack and the example sites app under cdk.json's feature flags."""
    import aws_cdk as cdk  # noqa: PLC0415

    from examples.example_stack import ExampleVpnStack  # noqa: PLC0415
    from site_to_site_vpn.stacks.sites_app import build_sites_app  # noqa: PLC0415

    context = json.loads((REPO / "cdk.json").read_text())["context"]
    env = cdk.Environment(account="111111111111", region=REGION)
    app = cdk.App(outdir=tempfile.mkdtemp(prefix="create-only-"), context=context)
    ExampleVpnStack(app, "ExampleVpnStack", env=env)
    build_sites_app(app, REPO / "examples" / "sites.yaml", locked=True)
    assembly = app.synth()
    return [stack.template for stack in assembly.stacks]


def emitted_types() -> set[str]:
    """Every resource type the library emits: examples, L1 classes in its source, extras."""
    return template_types(example_templates()) | source_types() | EXTRA_TYPES


def table_for(types: Iterable[str], schemas: Path | None = None) -> dict[str, Any]:
    """The create-only table for ``types`` from the registry schemas under ``schemas``."""
    schemas = schemas or schemas_dir()
    provider: dict[str, str] = json.loads((schemas / "providers" / f"{REGION}.json").read_text())
    entries: dict[str, Any] = {}
    for type_name in sorted(set(types)):
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
    return json.dumps(table, indent=2, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the shipped file differs")
    args = parser.parse_args(argv)
    text = render(table_for(emitted_types()))
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
