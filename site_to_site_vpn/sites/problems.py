"""pydantic's validation errors as the library's :class:`Problem`, at the value's file path.

``sites[1].tunnels[0].phase2.lifetime_seconds = 99999: must be 900-3,600``: the file path of the
value, the value (shortened for mappings and lists, redacted under a key that looks secret) and
what is allowed, for every error at once, in file order.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from enum import Enum
from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel
from pydantic import ValidationError as PydanticError
from pydantic_core import ErrorDetails

from site_to_site_vpn.core.errors import Problem, ValidationError
from site_to_site_vpn.sites.document import PATTERN_RULES


class SitesFileError(ValidationError):
    """Every problem found in a sites file (or its lock file), raised together."""


class Shown:
    """A value as shown in an error message, when the value itself would be too long."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


MISSING: Final = Shown("<missing>")

Location = tuple[str | int, ...]

#: Parts of a key name that mark its value as a secret; such values are never shown.
_SECRET_WORDS: Final = re.compile(
    r"key|psk|secret|passw|passphrase|token|credential|private", re.IGNORECASE
)

_JSON_TYPES: Final = {
    "int_type": "integer",
    "int_parsing": "integer",
    "string_type": "string (quote it in YAML)",
    "bool_type": "boolean",
    "bool_parsing": "boolean",
    "tuple_type": "array",
    "list_type": "array",
    "dict_type": "object",
    "model_type": "object",
    "model_attributes_type": "object",
    "float_type": "number",
}


def dotted(path: Iterable[str | int]) -> str:
    """``["sites", 3, "tunnels"]`` -> ``sites[3].tunnels``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def looks_secret(key: str | int) -> bool:
    """True for a key such as ``pre_shared_key``, ``psk``, ``password`` or ``api_token``."""
    return isinstance(key, str) and _SECRET_WORDS.search(key) is not None


def shown(value: Any) -> Any:
    """``value`` for an error message: mappings and lists by kind only."""
    if isinstance(value, Mapping):
        return Shown("<mapping>")
    if isinstance(value, list | tuple):
        return Shown("<list>")
    return value


def _unwrapped(annotation: Any) -> Any:
    """``Annotated[X | None, ...]`` -> ``X``."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(options) != 1:
                return annotation
            annotation = options[0]
        else:
            return annotation


def type_at(root: type[BaseModel], location: Location) -> Any:
    """The (unwrapped) type the model expects at ``location``; ``None`` where it has none."""
    current: Any = root
    for part in location:
        current = _unwrapped(current)
        origin = typing.get_origin(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            fields = {info.alias or name: info for name, info in current.model_fields.items()}
            if part not in fields:
                return None
            current = fields[str(part)].annotation
        elif origin in (tuple, list) and isinstance(part, int):
            current = typing.get_args(current)[0]
        elif origin is dict:
            current = typing.get_args(current)[1]
        else:
            return None
    return _unwrapped(current)


def _choices(kind: Any) -> list[Any] | None:
    if isinstance(kind, type) and issubclass(kind, Enum):
        return [member.value for member in kind]
    if typing.get_origin(kind) is Literal:
        return list(typing.get_args(kind))
    return None


def _known_keys(root: type[BaseModel], location: Location) -> str:
    parent = type_at(root, location[:-1])
    known = (
        sorted(info.alias or name for name, info in parent.model_fields.items())
        if isinstance(parent, type) and issubclass(parent, BaseModel)
        else []
    )
    return f"is not a known key here; known keys: {', '.join(known)}"


def _one_of(root: type[BaseModel], location: Location, fallback: str) -> str:
    choices = _choices(type_at(root, location))
    if choices is None:
        return fallback
    return f"must be {choices[0]!r}" if len(choices) == 1 else f"must be one of {choices}"


#: pydantic error type -> what is allowed, from the error's context.
_BOUNDS: Final[Mapping[str, Callable[[Mapping[str, Any]], str]]] = {
    "missing": lambda _: "is required",
    "string_pattern_mismatch": lambda c: PATTERN_RULES.get(
        str(c["pattern"]), f"must match {c['pattern']}"
    ),
    "too_long": lambda c: f"must have at most {c['max_length']} item(s)",
    "too_short": lambda c: f"must have at least {c['min_length']} item(s)",
    "string_too_long": lambda c: f"must be at most {c['max_length']} characters",
    "string_too_short": lambda c: f"must be at least {c['min_length']} character(s)",
    "greater_than_equal": lambda c: f"must be at least {c['ge']}",
}


def _allowed(error: ErrorDetails, root: type[BaseModel], location: Location) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        allowed = _known_keys(root, location)
    elif kind in _JSON_TYPES:
        allowed = f"must be of type {_JSON_TYPES[kind]}"
    elif kind in ("enum", "literal_error"):
        allowed = _one_of(root, location, error["msg"])
    elif kind in _BOUNDS:
        allowed = _BOUNDS[kind](error.get("ctx", {}))
    else:
        allowed = error["msg"]
    return allowed


def problems_of(
    error: PydanticError, root: type[BaseModel], prefix: Location = ()
) -> list[tuple[Location, Problem]]:
    """Each of pydantic's errors as a :class:`Problem` with the file location of its value."""
    found = []
    for details in error.errors(include_url=False):
        location: Location = (*prefix, *details["loc"])
        as_key = location[-1:] == ("[key]",)
        where = location[:-1] if as_key else location
        allowed = _allowed(details, root, tuple(details["loc"]))
        value = MISSING if details["type"] == "missing" else shown(details["input"])
        problem = Problem(
            dotted(where),
            value,
            f"as a key: {allowed}" if as_key else allowed,
            secret=any(looks_secret(part) for part in where),
        )
        found.append((where, problem))
    return found


def in_file_order(located: Iterable[tuple[Location, Problem]]) -> list[Problem]:
    """Problems sorted by where their values are in the file (list positions numerically)."""

    def key(item: tuple[Location, Problem]) -> tuple[list[tuple[int, int | str]], str]:
        location, problem = item
        return [(0, p) if isinstance(p, int) else (1, p) for p in location], problem.field

    return [problem for _, problem in sorted(located, key=key)]
