"""Connection-wide choices of a VPN: routing, outside addressing, bandwidth, PSK storage."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from site_to_site_vpn.errors import Problem, is_token


class OutsideIpAddressType(Enum):
    """Addresses of the tunnels' outside endpoints."""

    #: Internet-facing IPv4 (the default).
    PUBLIC_IPV4 = "PublicIpv4"
    #: Private IPv4 over a Direct Connect transport attachment (needs a Transit Gateway).
    PRIVATE_IPV4 = "PrivateIpv4"
    #: IPv6 outside addresses.
    IPV6 = "Ipv6"


class TunnelBandwidth(Enum):
    """Per-tunnel bandwidth class."""

    #: Up to 1.25 Gbps per tunnel.
    STANDARD = "standard"
    #: Up to 5 Gbps per tunnel; Transit Gateway (or Cloud WAN) only.
    LARGE = "large"


class TunnelInsideIpVersion(Enum):
    """Address family inside the tunnels (what BGP peers on and what the tunnel carries)."""

    IPV4 = "ipv4"
    #: IPv6 inside addresses; Transit Gateway only.
    IPV6 = "ipv6"


class PreSharedKeyStorage(Enum):
    """Where AWS keeps the tunnels' PSKs."""

    #: AWS stores the PSKs in Secrets Manager; the EC2 API then returns only the secret's ARN.
    SECRETS_MANAGER = "SecretsManager"
    #: AWS keeps the PSKs in the VPN's configuration, readable through the EC2 API.
    STANDARD = "Standard"


@dataclass(frozen=True)
class Routing:
    """BGP (dynamic) routing, or static routes to a fixed list of on-premises prefixes."""

    static_routes_only: bool
    #: On-premises prefixes reached through the VPN, for static routing only.
    static_route_prefixes: tuple[str, ...] = ()

    @staticmethod
    def bgp() -> Routing:
        """Dynamic routing: the customer gateway announces its prefixes over BGP in each tunnel."""
        return Routing(static_routes_only=False)

    @staticmethod
    def static(prefixes: Sequence[str]) -> Routing:
        """Static routing to ``prefixes`` (IPv4 or IPv6 CIDRs); no BGP in the tunnels."""
        return Routing(static_routes_only=True, static_route_prefixes=tuple(prefixes))


def validate_routing(routing: Routing) -> list[Problem]:
    """Static routing needs at least one well-formed, unique prefix; BGP takes none."""
    field = "routing.static_route_prefixes"
    prefixes = routing.static_route_prefixes
    if not routing.static_routes_only:
        if prefixes:
            return [Problem(field, list(prefixes), "must be empty with BGP routing")]
        return []
    if not prefixes:
        return [
            Problem(
                field,
                [],
                "static routing needs at least one on-premises prefix, or no traffic is routed",
            )
        ]
    problems = []
    for prefix in prefixes:
        if is_token(prefix):
            continue
        try:
            ipaddress.ip_network(prefix)
        except ValueError:
            problems.append(
                Problem(field, prefix, "must be a CIDR with no host bits set, e.g. 10.20.0.0/16")
            )
    if len(set(prefixes)) != len(prefixes):
        problems.append(Problem(field, list(prefixes), "has duplicates"))
    return problems
