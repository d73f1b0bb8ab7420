"""The core's rules as the constructs apply them: a deploy-time token passes unchecked.

The rules themselves (``site_to_site_vpn.core``) see literal values only and load no CDK; a token
is a value only CloudFormation will know, so AWS checks it at deploy time instead.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

from aws_cdk import Token

from site_to_site_vpn.core import asn, cidr, errors, psk
from site_to_site_vpn.core.errors import Problem

#: CDK encodes a number token as a float near -1.8e289; no literal a user writes comes close.
_NUMBER_TOKEN_MAGNITUDE = 1e200

P = ParamSpec("P")
V = TypeVar("V")


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
resource_id_problems = unless_token(errors.resource_id_problems)
