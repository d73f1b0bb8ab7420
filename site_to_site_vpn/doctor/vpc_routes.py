"""Check 6: do the VPCs' route tables send the on-premises prefixes to the gateway?

Transit Gateway VPN: in each attached VPC, a route table whose most specific route for the prefix
targets the Transit Gateway. Virtual private gateway VPN: a route table that propagates the VGW's
routes or has a route to the VGW for the prefix. Shapes: EC2 API Reference "RouteTable" (Routes[],
PropagatingVgws[].GatewayId, Associations[]) and "Route" (DestinationCidrBlock,
DestinationIpv6CidrBlock, GatewayId, TransitGatewayId, State active | blackhole). Route
selection: Amazon VPC User Guide "Route priority" (longest prefix match).
"""

from __future__ import annotations

import ipaddress
from typing import Any

from site_to_site_vpn.doctor.context import DoctorContext, IpNetwork
from site_to_site_vpn.doctor.model import CheckResult, failed, passed, unknown

TITLE = "VPC route tables send on-premises prefixes to the gateway"


def _destination(route: dict[str, Any]) -> IpNetwork | None:
    text = route.get("DestinationCidrBlock") or route.get("DestinationIpv6CidrBlock")
    return ipaddress.ip_network(text, strict=False) if text else None


def _best_route(table: dict[str, Any], prefix: IpNetwork) -> dict[str, Any] | None:
    """The route the VPC uses for ``prefix``: the longest destination containing it."""
    best: tuple[int, dict[str, Any]] | None = None
    for route in table.get("Routes", []):
        destination = _destination(route)
        if destination is None or destination.version != prefix.version:
            continue
        if prefix.subnet_of(destination) and (best is None or destination.prefixlen > best[0]):  # type: ignore[arg-type]
            best = (destination.prefixlen, route)
    return best[1] if best else None


def _target(route: dict[str, Any]) -> str:
    for key in ("TransitGatewayId", "GatewayId", "NatGatewayId", "NetworkInterfaceId"):
        if route.get(key):
            return str(route[key])
    return str(route.get("VpcPeeringConnectionId", "?"))


def _tables(ctx: DoctorContext, vpc_id: str) -> list[dict[str, Any]]:
    return ctx.paged(
        ctx.ec2,
        "DescribeRouteTables",
        "RouteTables",
        Filters=[{"Name": "vpc-id", "Values": [vpc_id]}],
    )


def _prefixes_or_unknown(ctx: DoctorContext) -> list[IpNetwork] | CheckResult:
    prefixes = ctx.onprem_prefixes()
    if not prefixes:
        return unknown(
            "vpc-routes",
            TITLE,
            "no on-premises prefix known (no static route, none learned over BGP)",
            "pass --onprem-prefix CIDR, or make the device advertise its networks",
        )
    return prefixes


def check_vpc_routes(ctx: DoctorContext) -> list[CheckResult]:
    if ctx.transit_gateway_id:
        return _via_gateway(ctx, ctx.transit_gateway_id, propagation=False)
    if ctx.vpn_gateway_id:
        return _via_gateway(ctx, ctx.vpn_gateway_id, propagation=True)
    return []


def _via_gateway(ctx: DoctorContext, gateway: str, *, propagation: bool) -> list[CheckResult]:
    vpc_ids = ctx.vpc_ids
    tables_of = {vpc_id: _tables(ctx, vpc_id) for vpc_id in vpc_ids}
    if propagation:
        # A virtual private gateway's BGP routes show up in the route tables it propagates to.
        ctx.learned_prefixes.update(
            str(_destination(route))
            for tables in tables_of.values()
            for table in tables
            for route in table.get("Routes", [])
            if route.get("GatewayId") == gateway and _destination(route) is not None
        )
    prefixes = _prefixes_or_unknown(ctx)
    if isinstance(prefixes, CheckResult):
        return [prefixes]
    if not vpc_ids:
        return [
            failed(
                "vpc-routes",
                TITLE,
                f"no VPC is attached to {gateway}",
                "attach the VPC to the gateway",
            )
        ]
    problems, good = [], []
    for vpc_id, tables in tables_of.items():
        for prefix in prefixes:
            routing = []
            for table in tables:
                propagates = propagation and any(
                    v.get("GatewayId") == gateway for v in table.get("PropagatingVgws", [])
                )
                route = _best_route(table, prefix)
                to_gateway = (
                    route is not None
                    and _target(route) == gateway
                    and route.get("State", "active") == "active"
                )
                # A propagated VGW route only exists once learned; propagation on is what counts
                # when nothing more specific sends the prefix elsewhere.
                if to_gateway or (propagates and (route is None or _target(route) == gateway)):
                    routing.append(table["RouteTableId"])
            if routing:
                good.append(f"{vpc_id} {prefix} via {', '.join(routing)}")
            else:
                problems.append(f"no route table of {vpc_id} sends {prefix} to {gateway}")
    if problems:
        action = (
            f"enable route propagation from {gateway} on the subnets' route tables, or add routes"
            if propagation
            else f"route each on-premises prefix to {gateway} in the subnets' route tables"
        )
        return [failed("vpc-routes", TITLE, "; ".join(problems), action)]
    return [passed("vpc-routes", TITLE, "; ".join(good))]
