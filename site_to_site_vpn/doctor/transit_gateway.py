"""Check 4: the VPN's Transit Gateway attachment, its association and propagation (routes: path.py).

Shapes: EC2 API Reference "TransitGatewayAttachment" (State; Association.TransitGatewayRouteTableId
and State associating | associated | disassociating | disassociated),
"GetTransitGatewayAttachmentPropagations" (TransitGatewayAttachmentPropagations[].State enabling |
enabled | disabling | disabled) and "SearchTransitGatewayRoutes" (Filters required;
``attachment.transit-gateway-attachment-id``; Routes[].DestinationCidrBlock, Type static |
propagated, State active | blackhole, TransitGatewayAttachments[]).
"""

from __future__ import annotations

from site_to_site_vpn.doctor.context import DoctorContext
from site_to_site_vpn.doctor.model import CheckResult, Status, failed, passed


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
        CheckResult(
            "tgw-attachment",
            title,
            Status.WARN,
            seen + "; propagates to no route table (only static Transit Gateway routes can "
            "carry its prefixes: the path check says whether they do)",
            "enable propagation of the VPN attachment to the route tables the VPC attachments are "
            "associated with, or the BGP routes reach no VPC",
        )
    ]
