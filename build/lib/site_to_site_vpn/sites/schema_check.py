"""JSON Schema problems as the library's :class:`Problem`, labelled with the value's file path."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Final

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError

from site_to_site_vpn.errors import Problem, ValidationError


class SitesFileError(ValidationError):
    """Every problem found in a sites file (or its lock file), raised together."""


class Shown:
    """A value as shown in an error message, when the value itself would be too long."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


MISSING: Final = Shown("<missing>")

JsonPath = tuple[str | int, ...]


def dotted(path: Iterable[str | int]) -> str:
    """``["sites", 3, "tunnels"]`` -> ``sites[3].tunnels``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _shown(value: Any) -> Any:
    if isinstance(value, Mapping):
        return Shown("<mapping>")
    if isinstance(value, list):
        return Shown("<list>")
    return value


def _problems(error: SchemaError) -> Iterator[Problem]:
    path = list(error.absolute_path)
    where = dotted(path)
    kind, expected, instance = error.validator, error.validator_value, error.instance
    if kind == "required":
        for key in expected:
            if isinstance(instance, Mapping) and key not in instance:
                yield Problem(dotted([*path, key]), MISSING, "is required")
    elif kind == "additionalProperties" and isinstance(instance, Mapping):
        known = sorted(error.schema.get("properties", {}))
        for key in instance:
            if key not in known:
                yield Problem(
                    dotted([*path, key]),
                    _shown(instance[key]),
                    f"is not a known key here; known keys: {', '.join(known)}",
                )
    elif kind == "type":
        hint = " (quote it in YAML)" if expected == "string" else ""
        yield Problem(where, _shown(instance), f"must be of type {expected}{hint}")
    elif kind == "enum":
        yield Problem(where, _shown(instance), f"must be one of {list(expected)}")
    elif kind == "const":
        yield Problem(where, _shown(instance), f"must be {expected!r}")
    elif kind == "pattern":
        yield Problem(where, instance, error.schema.get("description") or f"must match {expected}")
    elif kind in ("maxItems", "minItems"):
        bound = "at most" if kind == "maxItems" else "at least"
        yield Problem(where, _shown(instance), f"must have {bound} {expected} item(s)")
    else:
        yield Problem(where, _shown(instance), error.message)


def _sort_key(item: tuple[JsonPath, Problem]) -> tuple[list[tuple[int, int | str]], str]:
    path, problem = item
    return [(0, p) if isinstance(p, int) else (1, p) for p in path], problem.field


def schema_problems(document: Any, schema: Mapping[str, Any]) -> list[tuple[JsonPath, Problem]]:
    """Every structural problem (Draft 2020-12), with the JSON path of its value, in file order."""
    validator = Draft202012Validator(schema)
    found = [
        (tuple(error.absolute_path), problem)
        for error in validator.iter_errors(document)
        for problem in _problems(error)
    ]
    return sorted(found, key=_sort_key)
