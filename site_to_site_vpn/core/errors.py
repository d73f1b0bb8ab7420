"""Validation errors: gathered per construct (or per CLI input) and raised together.

A user who fixes one typo should not discover the next one only on the next synth, so every
validation function returns all of its problems and the construct raises them in one error.
The rules here see literal values only: deploy-time tokens are the CDK side's business
(``site_to_site_vpn.constructs.rules``), so this module loads no aws_cdk.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


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


def raise_if_any(construct_path: str, problems: Iterable[Problem]) -> None:
    """Raise one :class:`ValidationError` holding all ``problems``, if there are any."""
    collected = tuple(problems)
    if collected:
        raise ValidationError(construct_path, collected)
