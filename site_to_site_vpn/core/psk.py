"""AWS's rule for a tunnel's pre-shared key, shared by the constructs and the customer side."""

from __future__ import annotations

import re
from typing import Final

from site_to_site_vpn.core.errors import Problem

#: AWS's PSK rule: 8-64 characters of letters, digits, ``.`` and ``_``; must not start with ``0``.
PSK_PATTERN: Final = re.compile(r"^[A-Za-z1-9._][A-Za-z0-9._]{7,63}$")
PSK_RULE: Final = (
    "must be 8-64 characters of A-Z, a-z, 0-9, '.' and '_', and must not start with '0'"
)


def psk_problems(field: str, value: object) -> list[Problem]:
    """Problems with a literal PSK; the value is never shown (the problem is marked secret)."""
    if isinstance(value, str) and PSK_PATTERN.fullmatch(value):
        return []
    return [Problem(field, value, PSK_RULE, secret=True)]
