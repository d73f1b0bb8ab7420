"""Route selection as AWS documents it, for VPC and Transit Gateway route tables (no AWS calls).

- VPC ("Route priority", https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html,
  and Site-to-Site VPN "Route tables and VPN route priority",
  https://docs.aws.amazon.com/vpn/latest/s2svpn/vpn-route-priority.html): the longest prefix
  wins; for the same destination a static route beats a prefix-list route, which beats a route
  propagated from a virtual private gateway.
- Transit Gateway ("Route evaluation order" in "How transit gateways work",
  https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html): the most specific
  route wins; for the same destination: static routes, prefix-list-referenced routes,
  VPC-propagated, Direct Connect gateway-propagated, Transit Gateway Connect-propagated,
  Site-to-Site VPN-propagated routes. A blackhole route drops what it matches.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Final

from site_to_site_vpn.doctor.filtering import IpNetwork

#: Same-destination rank of a propagated Transit Gateway route, by its attachment's resource type.
TGW_PROPAGATED_RANK: Final = {"vpc": 2, "direct-connect-gateway": 3, "connect": 4, "vpn": 5}
VPC_ORIGIN_RANK: Final = {"CreateRouteTable": -1, "CreateRoute": 0, "EnableVgwRoutePropagation": 2}
VPC_TARGET_KEYS: Final = (
    "TransitGatewayId", "GatewayId", "NatGatewayId", "NetworkInterfaceId", "InstanceId",
    "VpcPeeringConnectionId", "LocalGatewayId", "CarrierGatewayId", "CoreNetworkArn",
    "EgressOnlyInternetGatewayId",
)  # fmt: skip


@dataclass(frozen=True)
class Candidate:
    """One route as the selection rules see it."""

    destination: IpNetwork
    #: Lower wins among routes to the same destination.
    rank: int
    #: Where it sends traffic: an attachment id, a gateway id, ``local``; "" for a blackhole.
    target: str
    #: How AWS made it, for people: ``static``, ``propagated from vpn``...
    origin: str
    active: bool
    #: Attachment resource type (Transit Gateway) or "" (VPC).
    resource_type: str = ""
    resource_id: str = ""

    def describe(self) -> str:
        where = self.target or "blackhole"
        if self.resource_id:
            where += f" ({self.resource_type} {self.resource_id})"
        state = "" if self.active else " [blackhole]"
        return f"{self.destination} -> {where}, {self.origin}{state}"


@dataclass(frozen=True)
class Selection:
    """The route AWS uses for a destination prefix, the ones it beats, and the ones inside it."""

    best: Candidate | None
    #: Same destination, lower priority.
    shadowed: tuple[Candidate, ...]
    #: Less specific routes that also cover the destination (they lose on prefix length).
    broader: tuple[Candidate, ...]
    #: More specific routes inside the destination: part of it goes where they say.
    inner: tuple[Candidate, ...]


def select(candidates: Iterable[Candidate], destination: IpNetwork) -> Selection:
    same_family = [c for c in candidates if c.destination.version == destination.version]
    covering = [c for c in same_family if destination.subnet_of(c.destination)]  # type: ignore[arg-type]
    covering.sort(key=lambda c: (-c.destination.prefixlen, c.rank))
    best = covering[0] if covering else None
    shadowed = tuple(c for c in covering[1:] if best and c.destination == best.destination)
    broader = tuple(c for c in covering[1:] if best and c.destination != best.destination)
    inner_all = [
        c
        for c in same_family
        if c.destination != destination and c.destination.subnet_of(destination)  # type: ignore[arg-type]
    ]
    winners: dict[IpNetwork, Candidate] = {}
    for c in sorted(inner_all, key=lambda c: c.rank):
        winners.setdefault(c.destination, c)
    return Selection(best, shadowed, broader, tuple(winners.values()))


def _net(text: str) -> IpNetwork:
    return ipaddress.ip_network(text, strict=False)


def tgw_candidates(
    routes: Iterable[dict[str, Any]], prefix_list_cidrs: Callable[[str], Iterable[str]]
) -> list[Candidate]:
    """SearchTransitGatewayRoutes ``Routes`` (EC2 API Reference "TransitGatewayRoute")."""
    found = []
    for route in routes:
        attachments = route.get("TransitGatewayAttachments") or [{}]
        first = attachments[0]
        resource_type = str(first.get("ResourceType", ""))
        if route.get("Type") == "static":
            rank, origin = 0, "static"
        else:
            rank = TGW_PROPAGATED_RANK.get(resource_type, 8)
            origin = f"propagated from {resource_type or '?'}"
        destinations = (
            [route["DestinationCidrBlock"]]
            if route.get("DestinationCidrBlock")
            else list(prefix_list_cidrs(str(route.get("PrefixListId"))))
        )
        if route.get("PrefixListId"):
            rank, origin = 1, f"prefix list {route['PrefixListId']}"
        for destination in destinations:
            found.append(
                Candidate(
                    destination=_net(destination),
                    rank=rank,
                    target=str(first.get("TransitGatewayAttachmentId", "")),
                    origin=origin,
                    active=route.get("State", "active") == "active",
                    resource_type=resource_type,
                    resource_id=str(first.get("ResourceId", "")),
                )
            )
    return found


def vpc_candidates(
    table: dict[str, Any], prefix_list_cidrs: Callable[[str], Iterable[str]]
) -> list[Candidate]:
    """DescribeRouteTables ``Routes`` (EC2 API Reference "Route": Origin, State, targets)."""
    found: list[Candidate] = []
    for route in table.get("Routes", []):
        origin = str(route.get("Origin", "CreateRoute"))
        rank = VPC_ORIGIN_RANK.get(origin, 0)
        target = next((str(route[k]) for k in VPC_TARGET_KEYS if route.get(k)), "")
        active = route.get("State", "active") == "active"
        if route.get("DestinationPrefixListId"):
            destinations = list(prefix_list_cidrs(str(route["DestinationPrefixListId"])))
            rank = max(rank, 1)
        else:
            text = route.get("DestinationCidrBlock") or route.get("DestinationIpv6CidrBlock")
            destinations = [text] if text else []
        label = {"CreateRouteTable": "local", "EnableVgwRoutePropagation": "propagated"}.get(
            origin, "static"
        )
        found.extend(
            Candidate(_net(d), rank, target, label, active and bool(target)) for d in destinations
        )
    return found
