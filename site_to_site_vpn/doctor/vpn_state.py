"""Checks 1-2: the VPN's state and each tunnel's status, last change and accepted routes.

Field meanings: EC2 API Reference "VpnConnection" (State: pending | available | deleting |
deleted) and "VgwTelemetry" (Status UP | DOWN; StatusMessage "if an error occurs, a description of
the error"; LastStatusChange "updated when changes in IKE (Phase 1), IPSec (Phase 2), or BGP status
are detected"; AcceptedRouteCount "the number of accepted routes").
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from site_to_site_vpn.doctor.context import DoctorContext
from site_to_site_vpn.doctor.model import CheckResult, failed, passed, unknown

#: Dynamic routes a customer gateway may advertise to one VPN connection, not adjustable
#: (AWS Site-to-Site VPN User Guide, "Site-to-Site VPN quotas": 100 on a virtual private gateway,
#: 1,000 on a transit gateway; /work/shared/notes/aws-site-to-site-vpn.md).
ROUTE_LIMIT_VGW: Final = 100
ROUTE_LIMIT_TGW: Final = 1_000


def _gateway(ctx: DoctorContext) -> str:
    if ctx.vpn.get("VpnConcentratorId"):
        return f"VPN concentrator {ctx.vpn['VpnConcentratorId']} on {ctx.transit_gateway_id}"
    if ctx.transit_gateway_id:
        return f"transit gateway {ctx.transit_gateway_id}"
    if ctx.vpn_gateway_id:
        return f"virtual private gateway {ctx.vpn_gateway_id}"
    return "no gateway (Cloud WAN or detached)"


def check_state(ctx: DoctorContext) -> list[CheckResult]:
    state = ctx.vpn.get("State", "?")
    routing = "static routes" if ctx.static_routes_only else "BGP"
    detail = f"{state}; {_gateway(ctx)}; {routing}"
    title = f"VPN {ctx.vpn_id}"
    if state == "available":
        return [passed("vpn-state", title, detail)]
    if state == "pending":
        return [failed("vpn-state", title, detail, "wait: AWS is still creating the connection")]
    return [
        failed(
            "vpn-state",
            title,
            detail,
            "the connection is being deleted or gone; check the stack or sites file that owns it",
        )
    ]


def _when(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    return str(value) if value else "?"


def check_tunnels(ctx: DoctorContext) -> list[CheckResult]:
    telemetry = ctx.vpn.get("VgwTelemetry", [])
    if not telemetry:
        return [
            unknown(
                "tunnels",
                "Tunnels",
                "DescribeVpnConnections returned no tunnel telemetry (VgwTelemetry)",
            )
        ]
    limit = ROUTE_LIMIT_TGW if ctx.transit_gateway_id else ROUTE_LIMIT_VGW
    results = []
    for position, tunnel in enumerate(telemetry, start=1):
        ip = tunnel.get("OutsideIpAddress", "?")
        number = ctx.tunnel_number(ip) or position
        title = f"Tunnel {number} ({ip})"
        status = tunnel.get("Status", "?")
        routes = tunnel.get("AcceptedRouteCount")
        message = tunnel.get("StatusMessage") or ""
        seen = f"{status} since {_when(tunnel.get('LastStatusChange'))}"
        if not ctx.static_routes_only:
            seen += f", {routes if routes is not None else '?'} BGP routes accepted"
        if message:
            seen += f"; AWS says: {message}"
        if status != "UP":
            results.append(
                failed(
                    "tunnels",
                    title,
                    seen,
                    "bring the tunnel up on the customer gateway (IKE/IPsec settings, PSK, "
                    "outside IP); the log check below names the failure",
                )
            )
        elif not ctx.static_routes_only and routes == 0:
            results.append(
                failed(
                    "tunnels",
                    title,
                    seen,
                    "BGP is up but the device advertises no prefix: add the on-premises networks "
                    "to its BGP advertisements (network statements / redistribution)",
                )
            )
        elif routes is not None and routes > limit:
            results.append(
                failed(
                    "tunnels",
                    title,
                    seen,
                    f"over the fixed quota of {limit} routes from a customer gateway (exactly "
                    f"{limit} is allowed): summarize the advertised prefixes",
                )
            )
        else:
            results.append(passed("tunnels", title, seen))
    return results
