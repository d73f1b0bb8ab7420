"""Each check moto cannot serve, on recorded AWS responses (botocore Stubber validates shapes)."""

from __future__ import annotations

import json
from typing import Any

from site_to_site_vpn.doctor import CheckResult, Status, run_checks
from site_to_site_vpn.doctor.negotiation import check_negotiated
from site_to_site_vpn.doctor.transit_gateway import check_attachment
from site_to_site_vpn.doctor.vpn_state import check_tunnels
from tests.doctor.conftest import (
    Network,
    Routed,
    stubbed_ec2,
    telemetry,
    tunnel_option,
)

IP1, IP2 = "3.5.1.10", "3.5.1.20"
BGP = {"Options": {"StaticRoutesOnly": False}}


def _bgp_with(*entries: dict[str, Any]) -> dict[str, Any]:
    return {
        "Options": {
            "StaticRoutesOnly": False,
            "TunnelOptions": [tunnel_option(IP1), tunnel_option(IP2)],
        },
        "VgwTelemetry": list(entries),
    }


# -- 2. Tunnels (VgwTelemetry) -----------------------------------------------------------------


def test_both_tunnels_up_with_routes_pass(network: Network) -> None:
    results = check_tunnels(network.context(_bgp_with(telemetry(IP1), telemetry(IP2))))
    assert [r.status for r in results] == [Status.PASS, Status.PASS]
    assert results[0].title == f"Tunnel 1 ({IP1})"
    assert "3 BGP routes accepted" in results[0].detail


def test_down_tunnel_fails_with_aws_message(network: Network) -> None:
    down = telemetry(IP2, status="DOWN", routes=0, message="IPSEC IS DOWN")
    results = check_tunnels(network.context(_bgp_with(telemetry(IP1), down)))
    assert [r.status for r in results] == [Status.PASS, Status.FAIL]
    assert "IPSEC IS DOWN" in results[1].detail
    assert "2026-11-27 09:00 UTC" in results[1].detail


def test_bgp_up_with_zero_routes_fails(network: Network) -> None:
    results = check_tunnels(network.context(_bgp_with(telemetry(IP1, routes=0), telemetry(IP2))))
    assert results[0].status is Status.FAIL
    assert "advertises no prefix" in results[0].action


def test_route_quota_fails_only_above_the_limit(network: Network) -> None:
    """A transit gateway VPN accepts up to 1,000 routes from the device (Site-to-Site VPN quotas:
    "Dynamic routes advertised from a customer gateway device to a Site-to-Site VPN connection
    on a transit gateway: 1,000"): exactly 1,000 is within the quota (the old check said FAIL)."""
    over = telemetry(IP1, routes=1001)
    results = check_tunnels(network.context(_bgp_with(over, telemetry(IP2, routes=1000))))
    assert [r.status for r in results] == [Status.FAIL, Status.PASS]
    assert "quota of 1000 routes" in results[0].action


def test_no_telemetry_is_unknown(network: Network) -> None:
    [result] = check_tunnels(network.context(BGP))
    assert result.status is Status.UNKNOWN


# -- 3. Negotiated parameters (GetActiveVpnTunnelStatus) ----------------------------------------


def _active(**fields: Any) -> dict[str, Any]:
    """GetActiveVpnTunnelStatus response (EC2 API Reference "ActiveVpnTunnelStatus")."""
    status = {
        "Phase1EncryptionAlgorithm": "AES256",
        "Phase2EncryptionAlgorithm": "AES256",
        "Phase1IntegrityAlgorithm": "SHA2-256",
        "Phase2IntegrityAlgorithm": "SHA2-256",
        "Phase1DHGroup": 20,
        "Phase2DHGroup": 20,
        "IkeVersion": "ikev2",
        "ProvisioningStatus": "available",
    }
    status.update(fields)
    return {"ActiveVpnTunnelStatus": status}


def _negotiation(network: Network, *responses: dict[str, Any]) -> list[CheckResult]:
    client, stubber = stubbed_ec2()
    vpn_id = network.vpn["VpnConnectionId"]
    for ip, response in zip((IP1, IP2), responses, strict=True):
        stubber.add_response(
            "get_active_vpn_tunnel_status",
            response,
            {"VpnConnectionId": vpn_id, "VpnTunnelOutsideIpAddress": ip},
        )
    intended: dict[str, list[Any]] = {
        "Phase1EncryptionAlgorithms": ["AES256"],
        "Phase1IntegrityAlgorithms": ["SHA2-256"],
        "Phase1DHGroupNumbers": [20, 21],
        "IkeVersions": ["ikev2"],
    }
    vpn = {
        "Options": {
            "StaticRoutesOnly": False,
            "TunnelOptions": [tunnel_option(IP1, **intended), tunnel_option(IP2, **intended)],
        }
    }
    ctx = network.context(vpn, ec2=Routed(network.ec2, client, {"get_active_vpn_tunnel_status"}))
    with stubber:
        results = check_negotiated(ctx)
        stubber.assert_no_pending_responses()
    return results


def test_negotiated_as_intended_passes(network: Network) -> None:
    results = _negotiation(network, _active(), _active())
    assert [r.status for r in results] == [Status.PASS, Status.PASS]
    assert "IKE version ikev2" in results[0].detail


def test_ikev1_where_ikev2_was_meant_fails(network: Network) -> None:
    results = _negotiation(network, _active(), _active(IkeVersion="ikev1", Phase1DHGroup=2))
    assert [r.status for r in results] == [Status.PASS, Status.FAIL]
    assert "IKE version ikev1 (intended IKEV2)" in results[1].detail
    assert "phase 1 DH group 2" in results[1].detail


def test_weak_value_allowed_by_defaults_passes_with_a_note(network: Network) -> None:
    """Phase 2 integrity was left to AWS's defaults: SHA1 is allowed, so it is noted, not failed."""
    results = _negotiation(network, _active(Phase2IntegrityAlgorithm="SHA1"), _active())
    assert results[0].status is Status.PASS
    assert "weak but allowed by AWS's defaults: phase 2 integrity" in results[0].detail


def test_failed_provisioning_fails(network: Network) -> None:
    failed = {
        "ActiveVpnTunnelStatus": {
            "ProvisioningStatus": "failed",
            "ProvisioningStatusReason": "invalid proposal",
        }
    }
    results = _negotiation(network, failed, _active())
    assert results[0].status is Status.FAIL
    assert "invalid proposal" in results[0].detail


# -- 4. Transit Gateway attachment (propagations: moto lacks the API) ---------------------------


def _propagations(network: Network, tables: list[str], vpn: dict[str, Any]) -> list[CheckResult]:
    client, stubber = stubbed_ec2()
    stubber.add_response(
        "get_transit_gateway_attachment_propagations",
        {
            "TransitGatewayAttachmentPropagations": [
                {"TransitGatewayRouteTableId": t, "State": "enabled"} for t in tables
            ]
        },
        {"TransitGatewayAttachmentId": network.vpn_attachment_id},
    )
    ops = {"get_transit_gateway_attachment_propagations"}
    ctx = network.context(vpn, ec2=Routed(network.ec2, client, ops))
    with stubber:
        return check_attachment(ctx)


def test_associated_and_propagating_attachment_passes(network: Network) -> None:
    [result] = _propagations(network, [network.tgw_route_table_id], BGP)
    assert result.status is Status.PASS
    assert f"propagates to {network.tgw_route_table_id}" in result.detail


def test_bgp_attachment_propagating_nowhere_warns(network: Network) -> None:
    """Propagation only adds routes; static routes to the VPN attachment can carry the traffic
    (Transit Gateway route tables), so this alone is no failure: the path check judges it."""
    [result] = _propagations(network, [], BGP)
    assert result.status is Status.WARN
    assert "enable propagation" in result.action


def test_unassociated_attachment_fails(network: Network) -> None:
    """Recorded (moto cannot disassociate a VPN attachment): EC2 API Reference
    "TransitGatewayAttachment" without an Association."""
    client, stubber = stubbed_ec2()
    stubber.add_response(
        "describe_transit_gateway_attachments",
        {"TransitGatewayAttachments": [{
            "TransitGatewayAttachmentId": network.vpn_attachment_id,
            "TransitGatewayId": network.tgw_id, "ResourceType": "vpn",
            "ResourceId": network.vpn["VpnConnectionId"], "State": "available"}]},
    )  # fmt: skip
    ops = {"describe_transit_gateway_attachments"}
    with stubber:
        [result] = check_attachment(network.context(BGP, ec2=Routed(network.ec2, client, ops)))
    assert result.status is Status.FAIL
    assert "associated with no route table" in result.detail


# -- A refused call makes its check unknown; the rest go on -------------------------------------


def test_access_denied_is_unknown_and_the_other_checks_run(network: Network) -> None:
    client, stubber = stubbed_ec2()
    for ip in (IP1, IP2):
        stubber.add_client_error(
            "get_active_vpn_tunnel_status",
            service_error_code="UnauthorizedOperation",
            service_message="You are not authorized to perform this operation.",
            expected_params={
                "VpnConnectionId": network.vpn["VpnConnectionId"],
                "VpnTunnelOutsideIpAddress": ip,
            },
        )
    ctx = network.context(
        _bgp_with(telemetry(IP1), telemetry(IP2)),
        ec2=Routed(network.ec2, client, {"get_active_vpn_tunnel_status"}),
    )
    with stubber:
        report = run_checks(ctx)
    by_check = {r.check: r for r in report.results}
    negotiation = by_check["negotiation"]
    assert negotiation.status is Status.UNKNOWN
    assert "GetActiveVpnTunnelStatus failed: UnauthorizedOperation" in negotiation.detail
    # moto does not implement GetTransitGatewayAttachmentPropagations: unknown, not a crash.
    assert by_check["tgw-attachment"].status is Status.UNKNOWN
    assert "not been implemented" in by_check["tgw-attachment"].detail
    # Checks after them still ran, in the order.
    order = list(dict.fromkeys(r.check for r in report.results))
    assert order == [
        "vpn-state", "tunnels", "negotiation", "tgw-attachment", "path", "logs",
    ]  # fmt: skip
    assert by_check["vpn-state"].status is Status.PASS


def test_no_pre_shared_key_reaches_the_report(network: Network) -> None:
    """DescribeVpnConnections returns each tunnel's PreSharedKey (Standard storage) and the
    CustomerGatewayConfiguration holding it; neither may reach the report."""
    secret = "s3cretPSKvalue.123"
    vpn = _bgp_with(telemetry(IP1), telemetry(IP2))
    for option in vpn["Options"]["TunnelOptions"]:
        option["PreSharedKey"] = secret
    vpn["CustomerGatewayConfiguration"] = f"<pre_shared_key>{secret}</pre_shared_key>"
    report = run_checks(network.context(vpn))
    assert secret not in json.dumps(report.to_json())
