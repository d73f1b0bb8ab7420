"""Run every check in the issue's order; a check whose AWS call fails is unknown, the rest go on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from site_to_site_vpn.doctor import log_events, negotiation, path, transit_gateway, vpn_state
from site_to_site_vpn.doctor.context import ApiUnavailableError, DoctorContext, reason_of
from site_to_site_vpn.doctor.model import CheckResult, Report, unknown

Check = Callable[[DoctorContext], list[CheckResult]]

#: (id, title when it cannot run, check), in the order the report lists them.
CHECKS: Final[tuple[tuple[str, str, Check], ...]] = (
    ("vpn-state", "VPN state", vpn_state.check_state),
    ("tunnels", "Tunnels", vpn_state.check_tunnels),
    ("negotiation", "Negotiated parameters", negotiation.check_negotiated),
    ("tgw-attachment", "Transit Gateway attachment", transit_gateway.check_attachment),
    ("path", path.TITLE, path.check_paths),
    ("logs", "Tunnel and BGP logs", log_events.check_logs),
)


class VpnNotFoundError(Exception):
    """DescribeVpnConnections does not know the VPN in this account and Region."""


def describe_vpn(ec2: Any, vpn_id: str) -> dict[str, Any]:
    """The VPN as AWS describes it; :class:`VpnNotFoundError` when it does not exist.

    Errors other than "not found" (no credentials, access denied) propagate: without the VPN
    nothing can be checked, so the CLI reports them as one line and exit code 2.
    """
    from botocore.exceptions import ClientError  # noqa: PLC0415

    try:
        response = ec2.describe_vpn_connections(VpnConnectionIds=[vpn_id])
    except ClientError as error:
        if "NotFound" in error.response.get("Error", {}).get("Code", ""):
            raise VpnNotFoundError(vpn_id) from error
        raise
    connections = response.get("VpnConnections", [])
    if not connections:
        raise VpnNotFoundError(vpn_id)
    found: dict[str, Any] = connections[0]
    return found


def run_checks(ctx: DoctorContext) -> Report:
    results: list[CheckResult] = []
    for check_id, title, check in CHECKS:
        try:
            results.extend(check(ctx))
        except ApiUnavailableError as error:
            results.append(unknown(check_id, title, f"{error.operation} failed: {error.reason}"))
        except (ValueError, KeyError, TypeError) as error:
            # A response shaped unlike AWS's reference: report it, keep checking.
            results.append(unknown(check_id, title, f"unexpected response: {reason_of(error)}"))
    return Report(vpn_id=ctx.vpn_id, region=ctx.region, results=tuple(results))
