"""Synth-time validation errors: gathered per construct and raised together.

A user who fixes one typo should not discover the next one only on the next synth, so every
validation function returns all of its problems and the construct raises them in one error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from aws_cdk import Token

#: CDK encodes a number token as a float near -1.8e289; no literal a user writes comes close.
_NUMBER_TOKEN_MAGNITUDE = 1e200


def is_token(value: Any) -> bool:
    """True when ``value`` is only known at deploy time; such values are not checked as literals.

    Plain values are recognised in Python first: asking Node costs a jsii round trip, which adds
    up to seconds over a thousand sites' validation.
    """
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return abs(value) >= _NUMBER_TOKEN_MAGNITUDE and Token.is_unresolved(value)
    if isinstance(value, str):
        return "Token[" in value and Token.is_unresolved(value)
    return False


@dataclass(frozen=True)
class Problem:
    """One invalid input: which field, what it was, and what would have been accepted."""

    field: str
    value: Any
    allowed: str
    secret: bool = False

    def describe(self, construct_path: str) -> str:
        shown = (
            f"<redacted, {len(str(self.value))} characters>" if self.secret else repr(self.value)
        )
        return f"{construct_path}: {self.field} = {shown}: {self.allowed}"

    def nested(self, prefix: str) -> Problem:
        """The same problem reported under a parent field, e.g. ``tunnel1.``."""
        return Problem(f"{prefix}{self.field}", self.value, self.allowed, self.secret)


class ValidationError(ValueError):
    """Raised at synth time with every problem found in one construct's props."""

    def __init__(self, construct_path: str, problems: Iterable[Problem]) -> None:
        self.construct_path = construct_path
        self.problems: tuple[Problem, ...] = tuple(problems)
        lines = [p.describe(construct_path) for p in self.problems]
        count = len(lines)
        header = f"{count} invalid value{'s' if count != 1 else ''} in {construct_path}:"
        super().__init__("\n  - ".join([header, *lines]))


def resource_id_problems(
    field: str, value: object, pattern: re.Pattern[str], example: str
) -> list[Problem]:
    """An imported resource's id must have its resource type's shape (tokens pass unchecked)."""
    if is_token(value) or (isinstance(value, str) and pattern.match(value)):
        return []
    return [Problem(field, value, f"must look like {example}")]


def raise_if_any(construct_path: str, problems: Iterable[Problem]) -> None:
    """Raise one :class:`ValidationError` holding all ``problems``, if there are any."""
    collected = tuple(problems)
    if collected:
        raise ValidationError(construct_path, collected)
