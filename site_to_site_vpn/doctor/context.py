"""Everything the checks share: the EC2 and Logs clients, the VPN as AWS describes it, and caches.

A check calls AWS only through :meth:`DoctorContext.call`; a refused or unsupported call
(AccessDenied, throttling, an action the endpoint does not implement) raises
:class:`ApiUnavailableError`, which the runner turns into an "unknown" result naming the call
and the reason, so one missing permission never hides the other checks.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from botocore import xform_name

#: ``classify(message, kind)`` with kind ``"tunnel"`` or ``"bgp"``: the failure classes one log
#: event matches, () for a healthy one (the library's pattern catalog, or a fake in tests).
Classifier = Callable[[str, str], Sequence[str]]

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class FlowSpec:
    """The traffic a path is judged for.

    Defaults: TCP to any destination port (a path passes when some TCP port gets through every
    hop, as Reachability Analyzer treats a path without a port), return traffic on the client's
    ephemeral ports 1024-65535, every workload network interface of each VPC.
    """

    protocol: str = "tcp"
    port: int | None = None
    return_ports: tuple[int, int] = (1024, 65535)
    #: An IP address, ``eni-...`` or ``i-...``; None judges every workload interface.
    target: str | None = None

    def label(self) -> str:
        if self.protocol not in ("tcp", "udp"):
            return self.protocol
        return f"{self.protocol} {'any port' if self.port is None else self.port}"


class ApiUnavailableError(Exception):
    """An AWS call a check needs could not be made; the check's result is unknown."""

    def __init__(self, operation: str, reason: str) -> None:
        super().__init__(f"{operation}: {reason}")
        self.operation = operation
        self.reason = reason


def reason_of(error: BaseException) -> str:
    """A short reason for a failed call: the AWS error code and message, or the exception."""
    response = getattr(error, "response", None)
    if isinstance(response, dict):
        err = response.get("Error", {})
        code, message = err.get("Code", ""), err.get("Message", "")
        return f"{code}: {message}".strip(": ") or type(error).__name__
    text = str(error).splitlines()[0] if str(error) else ""
    return f"{type(error).__name__}: {text}".rstrip(": ")


@dataclass
class DoctorContext:
    """The VPN under examination and the clients to look around it."""

    ec2: Any
    logs: Any
    #: ``DescribeVpnConnections`` ``VpnConnections[0]``.
    vpn: dict[str, Any]
    region: str
    classify: Classifier | None = None
    #: On-premises prefixes given by the user; otherwise taken from the VPN's static routes and
    #: the Transit Gateway routes that point at the VPN.
    given_prefixes: tuple[str, ...] = ()
    #: Log groups to read besides the ones the tunnel options name: (name, kind).
    extra_log_groups: tuple[tuple[str, str], ...] = ()
    #: How far back the log check reads.
    log_minutes: int = 60
    #: Tunnel options intended, when a template says more than DescribeVpnConnections.
    intended_tunnels: tuple[dict[str, Any], ...] = ()
    #: Prefixes found in the Transit Gateway route tables (filled by the path check).
    learned_prefixes: set[str] = field(default_factory=set)
    #: The traffic the path check judges.
    flow: FlowSpec = field(default_factory=FlowSpec)
    #: The account the credentials belong to (STS GetCallerIdentity), when known.
    caller_account: str | None = None
    #: EC2 clients for other accounts (``--assume-role ACCOUNT=ROLE_ARN``), by account id.
    account_clients: dict[str, Any] = field(default_factory=dict)
    #: Why a role given with ``--assume-role`` could not be assumed, by account id.
    account_errors: dict[str, str] = field(default_factory=dict)

    def ec2_for(self, account: str | None) -> tuple[Any, str]:
        """The EC2 client that can read ``account``'s resources, or (None, why not)."""
        if not account or account == self.caller_account or self.caller_account is None:
            return self.ec2, ""
        if account in self.account_clients:
            return self.account_clients[account], ""
        if account in self.account_errors:
            return None, f"the role given for {account} could not be assumed: " + (
                self.account_errors[account]
            )
        return None, f"owned by account {account}, not {self.caller_account}"

    def call(self, client: Any, operation: str, **params: Any) -> dict[str, Any]:
        """One AWS call; any failure becomes :class:`ApiUnavailableError` with its reason."""
        method = getattr(client, xform_name(operation), None)
        if method is None:
            raise ApiUnavailableError(operation, "not supported by the installed botocore")
        try:
            response: dict[str, Any] = method(**params)
        except Exception as error:  # every failure of one call makes only its check unknown
            raise ApiUnavailableError(operation, reason_of(error)) from error
        return response

    def paged(self, client: Any, operation: str, key: str, **params: Any) -> list[Any]:
        """All items of ``key`` across pages (NextToken), through :meth:`call`."""
        items: list[Any] = []
        token: str | None = None
        while True:
            page = self.call(client, operation, **params, **({"NextToken": token} if token else {}))
            items.extend(page.get(key, []))
            token = page.get("NextToken")
            if not token:
                return items

    # -- facts about the VPN -------------------------------------------------------------------

    @property
    def vpn_id(self) -> str:
        return str(self.vpn["VpnConnectionId"])

    @property
    def transit_gateway_id(self) -> str | None:
        return self.vpn.get("TransitGatewayId")

    @property
    def vpn_gateway_id(self) -> str | None:
        return self.vpn.get("VpnGatewayId")

    @property
    def static_routes_only(self) -> bool:
        return bool(self.vpn.get("Options", {}).get("StaticRoutesOnly", False))

    @property
    def tunnel_options(self) -> list[dict[str, Any]]:
        options: list[dict[str, Any]] = self.vpn.get("Options", {}).get("TunnelOptions", [])
        return options

    @property
    def static_routes(self) -> list[str]:
        return [
            r["DestinationCidrBlock"]
            for r in self.vpn.get("Routes", [])
            if r.get("State", "available") == "available" and "DestinationCidrBlock" in r
        ]

    def tunnel_number(self, outside_ip: str | None) -> int | None:
        """1 or 2, by the tunnel options' order (as AWS lists them), for a tunnel's outside IP."""
        for index, options in enumerate(self.tunnel_options, start=1):
            if outside_ip and options.get("OutsideIpAddress") == outside_ip:
                return index
        return None

    # -- Transit Gateway, shared by several checks ----------------------------------------------

    @cached_property
    def vpn_attachment(self) -> dict[str, Any] | None:
        """The VPN's Transit Gateway attachment (the concentrator's, for a concentrator VPN)."""
        resource = self.vpn.get("VpnConcentratorId") or self.vpn_id
        filters = [{"Name": "resource-id", "Values": [resource]}]
        if self.transit_gateway_id:
            filters.append({"Name": "transit-gateway-id", "Values": [self.transit_gateway_id]})
        attachments = self.paged(
            self.ec2,
            "DescribeTransitGatewayAttachments",
            "TransitGatewayAttachments",
            Filters=filters,
        )
        live = [a for a in attachments if a.get("State") not in ("deleted", "deleting")]
        chosen: dict[str, Any] | None = (live or attachments or [None])[0]
        return chosen

    @cached_property
    def vpc_attachments(self) -> list[dict[str, Any]]:
        """The VPC attachments of the VPN's Transit Gateway (the traffic's other end)."""
        assert self.transit_gateway_id
        attachments = self.paged(
            self.ec2,
            "DescribeTransitGatewayAttachments",
            "TransitGatewayAttachments",
            Filters=[
                {"Name": "transit-gateway-id", "Values": [self.transit_gateway_id]},
                {"Name": "resource-type", "Values": ["vpc"]},
            ],
        )
        return [a for a in attachments if a.get("State") not in ("deleted", "deleting", "failed")]

    @cached_property
    def vgw_vpc_ids(self) -> list[str]:
        """VPCs the VPN's virtual private gateway is attached to."""
        assert self.vpn_gateway_id
        gateways = self.call(self.ec2, "DescribeVpnGateways", VpnGatewayIds=[self.vpn_gateway_id])
        return [
            a["VpcId"]
            for g in gateways.get("VpnGateways", [])
            for a in g.get("VpcAttachments", [])
            if a.get("State") == "attached"
        ]

    @property
    def vpc_ids(self) -> list[str]:
        """The VPCs whose routes, security groups and network ACLs matter for this VPN."""
        if self.transit_gateway_id:
            return sorted({a["ResourceId"] for a in self.vpc_attachments if "ResourceId" in a})
        if self.vpn_gateway_id:
            return sorted(set(self.vgw_vpc_ids))
        return []

    def onprem_prefixes(self) -> list[IpNetwork]:
        """The on-premises prefixes traffic should reach: given, static or learned."""
        texts = self.given_prefixes or tuple(self.static_routes) or tuple(self.learned_prefixes)
        networks = {ipaddress.ip_network(t, strict=False) for t in texts}
        return sorted(networks, key=lambda n: (n.version, n))
