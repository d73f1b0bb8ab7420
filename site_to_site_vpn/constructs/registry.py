"""What one VPN claims that no other may claim: kept per app, looked up by key, never by walking
the construct tree (a thousand sites would make every check a thousand-node walk).

AWS's rules this serves: a tunnel inside CIDR must be unique per Virtual Private Gateway / per
Transit Gateway (AWS Site-to-Site VPN User Guide, "Tunnel options for your Site-to-Site VPN
connection"); CreateCustomerGateway with the same type, IP address and BGP ASN returns the
existing gateway unless the device names differ (EC2 API Reference, "CreateCustomerGateway"), so two
such resources in CloudFormation would be one gateway deleted by whichever goes first; and a VPN
name is the Name tag, the log group path and the metric namespace of its VPN.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from constructs import Construct, IConstruct

from site_to_site_vpn.constructs.rules import is_token
from site_to_site_vpn.constructs.scope_facts import stack_facts
from site_to_site_vpn.core import uniqueness
from site_to_site_vpn.core.errors import Problem

#: App root -> claimed key -> path of the construct that claimed it.
_CLAIMS: weakref.WeakKeyDictionary[IConstruct, dict[Hashable, str]] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Claim:
    """One unique thing a construct wants, and how to report a second claimant."""

    key: Hashable
    field: str
    value: Any
    #: The problem, given the path of the construct that claimed it first.
    taken: Callable[[str], Problem]


def _claims_of(scope: Construct) -> dict[Hashable, str]:
    root = stack_facts(scope).root
    found = _CLAIMS.get(root)
    if found is None:
        found = _CLAIMS[root] = {}
    return found


def conflicts(scope: Construct, path: str, claims: Iterable[Claim]) -> list[Problem]:
    """A problem for every claim another construct of the app already holds."""
    held = _claims_of(scope)
    problems = []
    for claim in claims:
        other = held.get(claim.key)
        if other is not None and other != path:
            problems.append(claim.taken(other))
    return problems


def register(scope: Construct, path: str, claims: Iterable[Claim]) -> None:
    """Record ``claims`` for ``path`` (call once its validation passed)."""
    held = _claims_of(scope)
    for claim in claims:
        held.setdefault(claim.key, path)


def literal_region(scope: Construct) -> str | None:
    """The Region of ``scope``'s stack, or None for an environment-agnostic stack."""
    return stack_facts(scope).literal_region


def _environment(scope: Construct) -> tuple[str, str]:
    # Environment-agnostic stacks share one token per pseudo parameter: they deploy to the same
    # default account and Region, so they are treated as one environment.
    facts = stack_facts(scope)
    return (facts.account, facts.region)


def customer_gateway_claims(
    scope: Construct, *, ip_address: str, bgp_asn: int, device_name: str | None
) -> list[Claim]:
    """A created customer gateway claims its (IP address, ASN, device name) in its account and
    Region. Tokens claim nothing."""
    if is_token(ip_address) or is_token(bgp_asn) or (device_name and is_token(device_name)):
        return []
    rule = (
        f"{{other}} already creates a customer gateway with this IP address and BGP ASN "
        f"{bgp_asn}: AWS would return that one gateway for both (CreateCustomerGateway), and "
        "deleting either stack's copy deletes it for both. Share one CustomerGateway, or give "
        "each a different device_name"
    )
    return [
        Claim(
            ("customer-gateway", *_environment(scope), ip_address, bgp_asn, device_name or ""),
            "ip_address",
            ip_address,
            lambda other: Problem("ip_address", ip_address, rule.format(other=other)),
        )
    ]


def _inside_cidr_taken(field: str, cidr: str, other: str) -> Problem:
    return uniqueness.inside_cidr_taken(field, cidr, f"a tunnel of {other} on the same gateway")


def inside_cidr_claims(gateway_id: str, tunnels: Iterable[tuple[str, str | None]]) -> list[Claim]:
    """Each pinned tunnel inside CIDR claims its place on the gateway (``gateway_id`` may be a
    token: a gateway created in the app has one stable token)."""
    return [
        Claim(
            ("inside-cidr", gateway_id, cidr),
            field,
            cidr,
            functools.partial(_inside_cidr_taken, field, cidr),
        )
        for field, cidr in tunnels
        if cidr is not None and not is_token(cidr)
    ]


def vpn_name_claims(scope: Construct, vpn_name: str) -> list[Claim]:
    """A VPN name is unique in its stack: it is the Name tag, the log group path and the metric
    namespace, and two VPNs sharing it would share (and collide on) all three."""
    if is_token(vpn_name):
        return []
    return [
        Claim(
            ("vpn-name", stack_facts(scope).path, vpn_name),
            "vpn_name",
            vpn_name,
            functools.partial(uniqueness.vpn_name_taken, "vpn_name", vpn_name),
        )
    ]
