"""The core's rules as the constructs apply them: a deploy-time token passes unchecked.

The rules themselves (``site_to_site_vpn.core``) see literal values only and load no CDK; a token
is a value only CloudFormation will know, so AWS checks it at deploy time instead.
"""

from __future__ import annotations

import functools
import re
import struct
from collections.abc import Callable
from typing import Any, Concatenate, Final, ParamSpec, TypeVar

from site_to_site_vpn.core import asn, cidr, ids, psk
from site_to_site_vpn.core.errors import Problem

# How aws-cdk-lib encodes a token in a plain value (core/lib/private/encoding.ts, the `unresolved`
# function behind `Token.isUnresolved`): a string holds `${Token[<key>]}` or a stringified number
# token, a number token is a double whose upper 16 bits are 0xFBFF. Recognised here, in Python,
# because asking Node costs a jsii round trip per value (seconds over a thousand sites).
# tests/core/test_token_check.py checks these against `Token.is_unresolved` itself.
_STRING_TOKEN: Final = re.compile(r"\$\{Token\[[a-zA-Z0-9:._-]+\]\}|-1\.\d{10,16}e\+289")
_DOUBLE_TOKEN_MARKER_BITS: Final = 0xFBFF0000
#: Number tokens are near -1.8e289: no int below this magnitude can be one.
_NUMBER_TOKEN_MAGNITUDE: Final = 10**200
_LARGEST_DOUBLE: Final = 2**1024

P = ParamSpec("P")
V = TypeVar("V")


def is_token(value: Any) -> bool:
    """True when ``value`` is only known at deploy time; such values are not checked as literals.

    Exactly ``Token.is_unresolved`` for strings and numbers, without the jsii round trip.
    """
    if isinstance(value, bool):
        return False
    if isinstance(value, int) and abs(value) >= _NUMBER_TOKEN_MAGNITUDE:
        # jsii hands number tokens back as floats; a huge int is checked as the double it sends.
        value = float(value) if abs(value) < _LARGEST_DOUBLE else 0.0
    if isinstance(value, float):
        bits = int.from_bytes(struct.pack("<d", value), "little")
        return (bits >> 32) & 0xFFFF0000 == _DOUBLE_TOKEN_MARKER_BITS
    if isinstance(value, str):
        return "Token[" in value and _STRING_TOKEN.search(value) is not None
    return False


def unless_token(
    rule: Callable[Concatenate[str, V, P], list[Problem]],
) -> Callable[Concatenate[str, V, P], list[Problem]]:
    """``rule(field, value, ...)`` for literal values; no problems for a token ``value``."""

    @functools.wraps(rule)
    def checked(field: str, value: V, /, *args: P.args, **kwargs: P.kwargs) -> list[Problem]:
        return [] if is_token(value) else rule(field, value, *args, **kwargs)

    return checked


customer_asn_problems = unless_token(asn.customer_asn_problems)
amazon_asn_problems = unless_token(asn.amazon_asn_problems)
inside_cidr_problems = unless_token(cidr.inside_cidr_problems)
inside_ipv6_cidr_problems = unless_token(cidr.inside_ipv6_cidr_problems)
psk_problems = unless_token(psk.psk_problems)
ec2_id_problems = unless_token(ids.ec2_id_problems)


def asn_clash_problems(
    field: str, customer_asn: object, amazon_asn: object, side: str
) -> list[Problem]:
    """The customer gateway's ASN must differ from the Amazon side's (``side`` names it, e.g.
    "the hub's"), or the BGP session never comes up; unknown or token ASNs are not compared."""
    if (
        customer_asn is None
        or amazon_asn is None
        or is_token(customer_asn)
        or is_token(amazon_asn)
        or customer_asn != amazon_asn
    ):
        return []
    return [
        Problem(
            field,
            customer_asn,
            f"must differ from {side} Amazon-side ASN ({amazon_asn}), or BGP never comes up",
        )
    ]
