"""Handler of ``Custom::SiteToSiteVpnFacts``: what CloudFormation does not return for a VPN.

``AWS::EC2::VPNConnection`` returns only its id. The routing needs the Transit Gateway attachment
id (``DescribeTransitGatewayAttachments`` filtered by the VPN, the Transit Gateway and
``resource-type`` ``vpn``), and the per-tunnel alarms need each tunnel's AWS-side outside IP
address with its inside CIDR (``DescribeVpnConnections``, ``Options.TunnelOptions``). One call
of each per VPN, at create and update; delete reads nothing.

Deployed inline as the function's source, so it uses only the standard library and boto3 (both in
the Lambda Python runtime). It never logs a request or a response: ``DescribeVpnConnections``
returns the customer gateway configuration, which holds the pre-shared keys. Only the fields
below reach CloudFormation.
"""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Callable
from typing import Any

#: The Transit Gateway attachment of a new VPN can trail the VPN by a few seconds.
ATTACHMENT_ATTEMPTS = 10
ATTACHMENT_DELAY_SECONDS = 6.0
#: The fields returned one by one, and joined by ``|`` as ``Packed`` in this order (a missing
#: attachment id is empty): one ``Fn::GetAtt`` and one ``Fn::Split`` give a construct all five.
PACKED_FIELDS = (
    "Tunnel1OutsideIpAddress",
    "Tunnel1InsideCidr",
    "Tunnel2OutsideIpAddress",
    "Tunnel2InsideCidr",
    "TransitGatewayAttachmentId",
)
PACKED = "Packed"
#: States in which an attachment is no longer this VPN's live attachment.
_GONE_STATES = frozenset({"deleting", "deleted", "failed", "failing", "rejected", "rejecting"})


def tunnel_facts(ec2: Any, vpn_connection_id: str) -> dict[str, str]:
    """``Tunnel{1,2}OutsideIpAddress`` and ``Tunnel{1,2}InsideCidr`` in the order EC2 lists them.

    The inside CIDR is what tells tunnel1 from tunnel2 of the template: the list order is EC2's.
    For IPv6 inside tunnels it is the ``TunnelInsideIpv6Cidr``.
    """
    connections = ec2.describe_vpn_connections(VpnConnectionIds=[vpn_connection_id])
    listed = connections.get("VpnConnections") or []
    if not listed:
        raise LookupError(f"DescribeVpnConnections returned no VPN connection {vpn_connection_id}")
    tunnels = (listed[0].get("Options") or {}).get("TunnelOptions") or []
    if len(tunnels) != 2:
        raise LookupError(f"VPN connection {vpn_connection_id} lists {len(tunnels)} tunnels, not 2")
    facts: dict[str, str] = {}
    for index, tunnel in enumerate(tunnels, start=1):
        facts[f"Tunnel{index}OutsideIpAddress"] = tunnel.get("OutsideIpAddress") or ""
        facts[f"Tunnel{index}InsideCidr"] = (
            tunnel.get("TunnelInsideCidr") or tunnel.get("TunnelInsideIpv6Cidr") or ""
        )
    return facts


def transit_gateway_attachment_id(
    ec2: Any,
    vpn_connection_id: str,
    transit_gateway_id: str,
    *,
    sleep: Callable[[float], object] = time.sleep,
) -> str:
    """The ``tgw-attach-`` id of this VPN's attachment to this Transit Gateway."""
    filters = [
        {"Name": "resource-id", "Values": [vpn_connection_id]},
        {"Name": "transit-gateway-id", "Values": [transit_gateway_id]},
        {"Name": "resource-type", "Values": ["vpn"]},
    ]
    for attempt in range(ATTACHMENT_ATTEMPTS):
        listed = ec2.describe_transit_gateway_attachments(Filters=filters)
        live = [
            a
            for a in listed.get("TransitGatewayAttachments") or []
            if a.get("State") not in _GONE_STATES
        ]
        if live:
            return str(live[0]["TransitGatewayAttachmentId"])
        if attempt + 1 < ATTACHMENT_ATTEMPTS:
            sleep(ATTACHMENT_DELAY_SECONDS)
    raise LookupError(
        f"no live attachment of VPN connection {vpn_connection_id} to {transit_gateway_id} "
        f"after {ATTACHMENT_ATTEMPTS} DescribeTransitGatewayAttachments calls"
    )


def facts(ec2: Any, properties: dict[str, Any], **options: Any) -> dict[str, str]:
    """Everything the resource returns for its ``ResourceProperties``."""
    vpn_connection_id = str(properties["VpnConnectionId"])
    data = tunnel_facts(ec2, vpn_connection_id)
    transit_gateway_id = properties.get("TransitGatewayId")
    if transit_gateway_id:
        data["TransitGatewayAttachmentId"] = transit_gateway_attachment_id(
            ec2, vpn_connection_id, str(transit_gateway_id), **options
        )
    data[PACKED] = "|".join(data.get(name, "") for name in PACKED_FIELDS)
    return data


def ec2_client() -> Any:
    """The Lambda runtime's boto3, with short network timeouts: a hung call must end well inside
    the function's 120 s. Imported here, not at the top: the constructs import this module for
    its field names, and must not load boto3 for that."""
    import boto3  # noqa: PLC0415 - see the docstring
    from botocore.config import Config  # noqa: PLC0415

    config = Config(connect_timeout=5, read_timeout=20, retries={"max_attempts": 3})
    return boto3.client("ec2", config=config)


def respond(event: dict[str, Any], body: dict[str, Any]) -> None:
    """PUT the result to the pre-signed ``ResponseURL`` CloudFormation waits on."""
    payload = json.dumps(body).encode()
    request = urllib.request.Request(
        event["ResponseURL"],
        data=payload,
        method="PUT",
        headers={"Content-Type": "", "Content-Length": str(len(payload))},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()


def handler(
    event: dict[str, Any],
    context: Any,
    *,
    ec2: Any = None,
    send: Callable[[dict[str, Any], dict[str, Any]], None] = respond,
    sleep: Callable[[float], object] = time.sleep,
) -> None:
    """Answer CloudFormation's Create, Update and Delete; every error becomes a FAILED answer."""
    properties = event.get("ResourceProperties") or {}
    physical_id = str(
        properties.get("VpnConnectionId")
        or event.get("PhysicalResourceId")
        or event.get("LogicalResourceId")
    )
    body: dict[str, Any] = {
        "Status": "SUCCESS",
        "Reason": "",
        "PhysicalResourceId": physical_id,
        "StackId": event.get("StackId"),
        "RequestId": event.get("RequestId"),
        "LogicalResourceId": event.get("LogicalResourceId"),
        "NoEcho": False,
        "Data": {},
    }
    if event.get("RequestType") == "Delete":
        body["PhysicalResourceId"] = event.get("PhysicalResourceId") or physical_id
    else:
        try:
            if ec2 is None:
                ec2 = ec2_client()
            body["Data"] = facts(ec2, properties, sleep=sleep)
        except Exception as error:
            body["Status"] = "FAILED"
            body["Reason"] = f"{type(error).__name__}: {error}"[:1000]
    send(event, body)
