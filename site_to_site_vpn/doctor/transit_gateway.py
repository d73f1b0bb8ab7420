"""Checks 4-5: the VPN's Transit Gateway attachment, and its routes where the VPCs look them up.

Shapes: EC2 API Reference "TransitGatewayAttachment" (State; Association.TransitGatewayRouteTableId
and State associating | associated | disassociating | disassociated),
"GetTransitGatewayAttachmentPropagations" (TransitGatewayAttachmentPropagations[].State enabling |
enabled | disabling | disabled) and "SearchTransitGatewayRoutes" (Filters required;
``attachment.transit-gateway-attachment-id``; Routes[].DestinationCidrBlock, Type static |
propagated, State active | blackhole, TransitGatewayAttachments[]).
"""

from __future__ import annotations

import ipaddress
from typing import Any

from site_to_site_vpn.doctor.context import DoctorContext
from site_to_site_vpn.doctor.model import CheckResult, failed, passed, unknown

ROUTES_TITLE = "On-premises routes in the VPCs' TGW route tables"


def check_attachment(ctx: DoctorContext) -> list[CheckResult]:  # noqa: PLR0911
    if not ctx.transit_gateway_id:
        return []
    title = "Transit Gateway attachment"
    attachment = ctx.vpn_attachment
    if attachment is None:
        return [
            failed(
                "tgw-attachment",
                title,
                f"no attachment of {ctx.vpn_id} on {ctx.transit_gateway_id}",
                "the VPN is not attached: recreate it against the Transit Gateway",
            )
        ]
    attachment_id = attachment["TransitGatewayAttachmentId"]
    state = attachment.get("State", "?")
    association = attachment.get("Association") or {}
    table = association.get("TransitGatewayRouteTableId")
    seen = f"{attachment_id} {state}"
    if state != "available":
        return [
            failed(
                "tgw-attachment",
                title,
                seen,
                "wait for the attachment to become available, or accept it if it is pending "
                "acceptance",
            )
        ]
    if not table or association.get("State") != "associated":
        return [
            failed(
                "tgw-attachment",
                title,
                seen + "; associated with no route table",
                "associate the attachment with a route table (it then has routes to the VPCs)",
            )
        ]
    seen += f"; associated with {table}"
    response = ctx.call(
        ctx.ec2,
        "GetTransitGatewayAttachmentPropagations",
        TransitGatewayAttachmentId=attachment_id,
    )
    propagations = [
        p["TransitGatewayRouteTableId"]
        for p in response.get("TransitGatewayAttachmentPropagations", [])
        if p.get("State") == "enabled"
    ]
    if propagations:
        return [
            passed("tgw-attachment", title, seen + f"; propagates to {', '.join(propagations)}")
        ]
    if ctx.static_routes_only:
        return [
            passed(
                "tgw-attachment",
                title,
                seen + "; propagates nowhere (static VPN: static Transit Gateway routes must carry "
                "its prefixes, see the next check)",
            )
        ]
    return [
        failed(
            "tgw-attachment",
            title,
            seen + "; propagates to no route table",
            "enable propagation of the VPN attachment to the route tables the VPC attachments are "
            "associated with, or the BGP routes reach no VPC",
        )
    ]


def _routes_via(ctx: DoctorContext, table: str, attachment_id: str) -> list[dict[str, Any]]:
    response = ctx.call(
        ctx.ec2,
        "SearchTransitGatewayRoutes",
        TransitGatewayRouteTableId=table,
        Filters=[{"Name": "attachment.transit-gateway-attachment-id", "Values": [attachment_id]}],
    )
    # Filtered again here: the response is the oracle, whatever filters the endpoint honours.
    return [
        route
        for route in response.get("Routes", [])
        if any(
            a.get("TransitGatewayAttachmentId") == attachment_id
            for a in route.get("TransitGatewayAttachments", [])
        )
    ]


def _covered(prefix: str, destinations: list[str]) -> bool:
    network = ipaddress.ip_network(prefix, strict=False)
    for destination in destinations:
        other = ipaddress.ip_network(destination, strict=False)
        if other.version == network.version and network.subnet_of(other):  # type: ignore[arg-type]
            return True
    return False


def check_tgw_routes(ctx: DoctorContext) -> list[CheckResult]:
    if not ctx.transit_gateway_id:
        return []
    title = ROUTES_TITLE
    attachment = ctx.vpn_attachment
    if attachment is None:
        return [unknown("tgw-routes", title, "the VPN has no Transit Gateway attachment")]
    vpcs = ctx.vpc_attachments
    if not vpcs:
        return [
            failed(
                "tgw-routes",
                title,
                f"no VPC is attached to {ctx.transit_gateway_id}",
                "attach the VPCs that must reach on-premises to the Transit Gateway",
            )
        ]
    tables: dict[str, list[str]] = {}
    unassociated = []
    for vpc in vpcs:
        association = vpc.get("Association") or {}
        table = association.get("TransitGatewayRouteTableId")
        if table and association.get("State") == "associated":
            tables.setdefault(table, []).append(vpc.get("ResourceId", "?"))
        else:
            unassociated.append(vpc.get("ResourceId", "?"))
    problems = []
    if unassociated:
        problems.append(f"VPC attachment(s) of {', '.join(unassociated)} associated with no table")
    attachment_id = attachment["TransitGatewayAttachmentId"]
    expected = list(ctx.given_prefixes) or (ctx.static_routes if ctx.static_routes_only else [])
    found: list[str] = []
    for table, vpc_ids in sorted(tables.items()):
        routes = _routes_via(ctx, table, attachment_id)
        active = [r["DestinationCidrBlock"] for r in routes if r.get("State") == "active"]
        blackholes = [r["DestinationCidrBlock"] for r in routes if r.get("State") == "blackhole"]
        ctx.learned_prefixes.update(r for r in active)
        found.extend(f"{d} in {table}" for d in active)
        if blackholes:
            problems.append(f"{table} blackholes {', '.join(blackholes)}")
        missing = [p for p in expected if not _covered(p, active)]
        if missing:
            problems.append(f"{table} (used by {', '.join(vpc_ids)}) lacks {', '.join(missing)}")
        elif not active:
            problems.append(f"{table} (used by {', '.join(vpc_ids)}) has no route to the VPN")
    if problems:
        action = (
            "add static Transit Gateway routes to the VPN attachment"
            if ctx.static_routes_only
            else "propagate the VPN attachment to these tables and check the device advertises "
            "the prefixes"
        )
        return [failed("tgw-routes", title, "; ".join(problems), action)]
    return [passed("tgw-routes", title, "; ".join(found))]
