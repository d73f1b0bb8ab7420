"""Handler of ``Custom::SiteToSiteVpnFacts``: what CloudFormation does not return for a VPN.

``AWS::EC2::VPNConnection`` returns only its id. The routing needs the Transit Gateway attachment
id (``DescribeTransitGatewayAttachments`` filtered by the VPN, the Transit Gateway and
``resource-type`` ``vpn``), and the per-tunnel alarms need each tunnel's AWS-side outside IP
address with its inside CIDR (``DescribeVpnConnections``, ``Options.TunnelOptions``). One call
of each per VPN, at create and update; delete reads nothing.

The answer always reaches CloudFormation before the function times out. CloudFormation invokes
the function asynchronously and then only waits for the PUT to ``ResponseURL`` ("Using AWS Lambda
with CloudFormation", AWS Lambda Developer Guide): a function that times out before answering
leaves the stack waiting until ``ServiceTimeout`` and then failing with a generic timeout. So the
work runs against a :class:`Deadline` taken from ``context.get_remaining_time_in_millis()`` less
:data:`RESPONSE_MARGIN_SECONDS` for the answer: no EC2 attempt starts after it, no socket waits
past it, no wait between attachment look-ups runs over it, and if EC2 still hangs the handler
stops waiting at the deadline and answers FAILED with the reason.

Deployed inline as the function's source, so it uses only the standard library and boto3 (both in
the Lambda Python runtime). It never logs a request or a response: ``DescribeVpnConnections``
returns the customer gateway configuration, which holds the pre-shared keys. Only the fields
below reach CloudFormation.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
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
#: The function's ``Timeout`` (the construct deploys it with this): the budget when the handler
#: runs without a Lambda context.
FUNCTION_TIMEOUT_SECONDS = 120
#: Kept back from the invocation's remaining time to PUT the answer (a body of at most 4 KB to
#: the pre-signed S3 URL).
RESPONSE_MARGIN_SECONDS = 3.0
#: Network timeouts of one EC2 attempt, each also capped by the time left when the client is made.
CONNECT_TIMEOUT_SECONDS = 5.0
READ_TIMEOUT_SECONDS = 20.0
#: botocore's ``total_max_attempts`` counts the first attempt ("retries" in botocore's ``Config``:
#: ``max_attempts`` counts only the retries after it, so ``max_attempts=3`` meant 4 attempts).
TOTAL_MAX_ATTEMPTS = 3
#: States in which an attachment is no longer this VPN's live attachment.
_GONE_STATES = frozenset({"deleting", "deleted", "failed", "failing", "rejected", "rejecting"})


class DeadlineExceededError(TimeoutError):
    """The invocation's time for EC2 is spent: nothing more may start."""


@dataclass(frozen=True)
class Deadline:
    """When the work must be over (``at``) and when the answer must be sent (``answer_by``), on
    ``clock`` (monotonic seconds)."""

    at: float
    answer_by: float
    clock: Callable[[], float] = time.monotonic

    @staticmethod
    def of(
        context: Any,
        *,
        margin: float = RESPONSE_MARGIN_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> Deadline:
        """From the Lambda context's remaining time (the function's timeout without one)."""
        remaining_millis = getattr(context, "get_remaining_time_in_millis", None)
        millis = (
            remaining_millis() if callable(remaining_millis) else FUNCTION_TIMEOUT_SECONDS * 1000
        )
        now = clock()
        answer_by = now + max(0.0, millis / 1000)
        return Deadline(at=max(now, answer_by - margin), answer_by=answer_by, clock=clock)

    def remaining(self) -> float:
        """Seconds left for the work (0 when spent)."""
        return max(0.0, self.at - self.clock())

    def answer_remaining(self) -> float:
        """Seconds left to send the answer (0 when spent)."""
        return max(0.0, self.answer_by - self.clock())

    def check(self, what: str) -> None:
        """Refuse to start ``what`` when no time is left for it."""
        if self.remaining() <= 0:
            raise DeadlineExceededError(
                f"no time left in this invocation for {what} "
                f"({RESPONSE_MARGIN_SECONDS:g} s are kept to send this answer)"
            )


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
    deadline: Deadline | None = None,
) -> str:
    """The ``tgw-attach-`` id of this VPN's attachment to this Transit Gateway.

    With a ``deadline``, it stops early rather than wait into it: a wait and one more call
    must fit in the time left.
    """
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
            if deadline is not None and deadline.remaining() <= ATTACHMENT_DELAY_SECONDS:
                raise DeadlineExceededError(
                    f"no live attachment of VPN connection {vpn_connection_id} to "
                    f"{transit_gateway_id} after {attempt + 1} DescribeTransitGatewayAttachments "
                    f"calls, and {deadline.remaining():.1f} s left in this invocation, less than "
                    f"the {ATTACHMENT_DELAY_SECONDS:g} s wait before the next call"
                )
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


def ec2_client(deadline: Deadline) -> Any:
    """The Lambda runtime's boto3, every attempt bounded by the deadline.

    Socket timeouts are the shorter of their defaults and the time left; at most
    :data:`TOTAL_MAX_ATTEMPTS` attempts in all; and no attempt (first or retry) starts once the
    deadline is spent (botocore's ``before-send`` event comes before each). Imported here, not at
    the top: the constructs import this module for its field names, and must not load boto3.
    """
    import boto3  # noqa: PLC0415 - see the docstring
    from botocore.config import Config  # noqa: PLC0415

    left = max(0.1, deadline.remaining())
    config = Config(
        connect_timeout=min(CONNECT_TIMEOUT_SECONDS, left),
        read_timeout=min(READ_TIMEOUT_SECONDS, left),
        retries={"mode": "standard", "total_max_attempts": TOTAL_MAX_ATTEMPTS},
    )
    client = boto3.client("ec2", config=config)

    def before_send(**_: Any) -> None:
        deadline.check("another EC2 attempt")

    client.meta.events.register("before-send.ec2", before_send)
    return client


def respond(event: dict[str, Any], body: dict[str, Any], *, timeout: float = 30) -> None:
    """PUT the result to the pre-signed ``ResponseURL`` CloudFormation waits on."""
    payload = json.dumps(body).encode()
    request = urllib.request.Request(
        event["ResponseURL"],
        data=payload,
        method="PUT",
        headers={"Content-Type": "", "Content-Length": str(len(payload))},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        response.read()


def _within(deadline: Deadline, work: Callable[[], dict[str, str]]) -> dict[str, str]:
    """``work()``, or :class:`DeadlineExceededError` when it has not returned by the deadline.

    The work runs in a daemon thread, so a call that hangs whatever its timeouts cannot hold
    the answer back; Lambda freezes the thread when the handler returns.
    """
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["data"] = work()
        except Exception as error:  # every failure becomes the answer
            outcome["error"] = error

    worker = threading.Thread(target=run, name="vpn-facts", daemon=True)
    worker.start()
    worker.join(timeout=deadline.remaining())
    if "error" in outcome:
        raise outcome["error"]
    if "data" not in outcome:
        raise DeadlineExceededError(
            "EC2 did not answer before this invocation's deadline "
            f"(its remaining time less {RESPONSE_MARGIN_SECONDS:g} s kept to send this answer)"
        )
    data: dict[str, str] = outcome["data"]
    return data


def handler(
    event: dict[str, Any],
    context: Any,
    *,
    ec2: Any = None,
    send: Callable[[dict[str, Any], dict[str, Any]], None] | None = None,
    sleep: Callable[[float], object] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Answer CloudFormation's Create, Update and Delete; every error becomes a FAILED answer,
    sent before the invocation's time runs out. @default ``send``: :func:`respond`."""
    deadline = Deadline.of(context, clock=clock)
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

        def work() -> dict[str, str]:
            client = ec2 if ec2 is not None else ec2_client(deadline)
            return facts(client, properties, sleep=sleep, deadline=deadline)

        try:
            body["Data"] = _within(deadline, work)
        except Exception as error:
            body["Status"] = "FAILED"
            body["Reason"] = f"{type(error).__name__}: {error}"[:1000]
    if send is None:
        respond(event, body, timeout=max(1.0, deadline.answer_remaining()))
    else:
        send(event, body)
