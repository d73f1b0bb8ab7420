"""AWS's rules for a tunnel's inside addresses (the BGP peering /30 or /126)."""

from __future__ import annotations

import ipaddress
from typing import Final

from site_to_site_vpn.core.errors import Problem

TUNNEL_INSIDE_IPV4_RANGE: Final = ipaddress.IPv4Network("169.254.0.0/16")
#: AWS refuses these /30s: they collide with link-local services (metadata, DNS, time).
RESERVED_INSIDE_CIDRS: Final = frozenset(
    {ipaddress.IPv4Network(f"169.254.{i}.0/30") for i in range(6)}
    | {ipaddress.IPv4Network("169.254.169.252/30")}
)
TUNNEL_INSIDE_IPV6_RANGE: Final = ipaddress.IPv6Network("fd00::/8")


def inside_cidr_problems(field: str, cidr: str) -> list[Problem]:
    """AWS's rules for a tunnel's inside IPv4 /30."""
    try:
        network = ipaddress.IPv4Network(cidr)
    except ValueError:
        return [Problem(field, cidr, "must be an aligned IPv4 /30 such as 169.254.10.0/30")]
    if network.prefixlen != 30:
        return [Problem(field, cidr, "must be a /30")]
    if not network.subnet_of(TUNNEL_INSIDE_IPV4_RANGE):
        return [Problem(field, cidr, "must be inside 169.254.0.0/16")]
    if network in RESERVED_INSIDE_CIDRS:
        return [
            Problem(
                field,
                cidr,
                "is reserved by AWS (169.254.0.0/30-169.254.5.0/30 and 169.254.169.252/30)",
            )
        ]
    return []


def inside_ipv6_cidr_problems(field: str, cidr: str) -> list[Problem]:
    """AWS's rules for a tunnel's inside IPv6 /126."""
    try:
        network = ipaddress.IPv6Network(cidr)
    except ValueError:
        return [Problem(field, cidr, "must be an aligned IPv6 /126 such as fd00::4/126")]
    if network.prefixlen != 126 or not network.subnet_of(TUNNEL_INSIDE_IPV6_RANGE):
        return [Problem(field, cidr, "must be a /126 inside fd00::/8")]
    return []
