"""The create-only table: which property changes make CloudFormation replace a resource.

Generated from the CloudFormation registry schemas by ``tools/create_only_table.py`` and shipped as
package data (``create_only.json``), so the guard needs no cfn-lint at run time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class TypeRule:
    """One resource type's replacement rule from its registry schema."""

    type_name: str
    #: JSON pointers such as ``/properties/StaticRoutesOnly``; ``*`` stands for any list item.
    create_only: tuple[str, ...]
    #: ``delete_then_create`` when the schema says so; None means CloudFormation's usual order
    #: (create the replacement, then delete the old resource).
    replacement_strategy: str | None = None

    @property
    def deletes_first(self) -> bool:
        return self.replacement_strategy == "delete_then_create"


@dataclass(frozen=True)
class CreateOnlyTable:
    source: str
    rules: dict[str, TypeRule]

    def rule(self, type_name: str) -> TypeRule | None:
        return self.rules.get(type_name)


def parse_table(data: dict[str, Any]) -> CreateOnlyTable:
    rules = {
        name: TypeRule(
            type_name=name,
            create_only=tuple(entry.get("createOnlyProperties", [])),
            replacement_strategy=entry.get("replacementStrategy"),
        )
        for name, entry in data["resourceTypes"].items()
    }
    return CreateOnlyTable(source=str(data.get("source", "")), rules=rules)


@cache
def load_table() -> CreateOnlyTable:
    """The table shipped with the package."""
    text = resources.files("site_to_site_vpn.guard").joinpath("create_only.json").read_text()
    return parse_table(json.loads(text))
