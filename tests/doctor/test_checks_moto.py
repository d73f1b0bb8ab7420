"""Each check's pass and fail on AWS state built in moto (the APIs moto implements)."""

from __future__ import annotations

import time

import pytest

from site_to_site_vpn.doctor import Status
from site_to_site_vpn.doctor.log_events import check_logs, library_classifier, log_group_name
from site_to_site_vpn.doctor.path import check_paths
from site_to_site_vpn.doctor.vpn_state import check_state
from site_to_site_vpn.logs.catalog import LogKind
from tests.doctor.conftest import ONPREM, Network
from tests.monitoring.log_corpus import CORPUS

# moto keeps neither Options nor Routes: added as DescribeVpnConnections returns them (EC2 API
# Reference "VpnConnection": Options.StaticRoutesOnly; Routes[].DestinationCidrBlock, State).
STATIC = {
    "Options": {"StaticRoutesOnly": True},
    "Routes": [{"DestinationCidrBlock": ONPREM, "Source": "Static", "State": "available"}],
}


# -- 1. VPN state ------------------------------------------------------------------------------


def test_available_vpn_passes(network: Network) -> None:
    [result] = check_state(network.context(STATIC))
    assert result.status is Status.PASS
    assert network.vpn["VpnConnectionId"] in result.title
    assert "static routes" in result.detail


def test_deleted_vpn_fails(network: Network) -> None:
    network.ec2.delete_vpn_connection(VpnConnectionId=network.vpn["VpnConnectionId"])
    [result] = check_state(network.context())
    assert result.status is Status.FAIL
    assert "deleted" in result.detail


# -- 8. Log events -------------------------------------------------------------------------------


def _log(network: Network, group: str, *messages: str) -> None:
    network.logs.create_log_group(logGroupName=group)
    network.logs.create_log_stream(logGroupName=group, logStreamName="vpn-1-3.5.1.10")
    now = int(time.time() * 1000)
    network.logs.put_log_events(
        logGroupName=group,
        logStreamName="vpn-1-3.5.1.10",
        logEvents=[{"timestamp": now - 1000 + i, "message": m} for i, m in enumerate(messages)],
    )


def _tunnel_logs(group_arn: str) -> dict[str, object]:
    """LogOptions as DescribeVpnConnections returns them (EC2 API Reference
    "CloudWatchLogOptions": LogEnabled, LogGroupArn, LogOutputFormat)."""
    return {
        "Options": {
            "StaticRoutesOnly": True,
            "TunnelOptions": [
                {
                    "OutsideIpAddress": "3.5.1.10",
                    "LogOptions": {
                        "CloudWatchLogOptions": {
                            "LogEnabled": True,
                            "LogGroupArn": group_arn,
                            "LogOutputFormat": "json",
                        }
                    },
                }
            ],
        }
    }


# A tunnel record as the Site-to-Site VPN User Guide's "Site-to-Site VPN logs" page shows it.
PSK_MISMATCH = (
    '{"event_timestamp":1700000000,"details":"AWS tunnel detected a pre-shared key mismatch with '
    'cgw: 203.0.113.10","dpd_enabled":true,"nat_t_detected":false,'
    '"ike_phase1_state":"down","ike_phase2_state":"down"}'
)
ESTABLISHED = (
    '{"event_timestamp":1700000000,"details":"IKE SA established","dpd_enabled":true,'
    '"nat_t_detected":false,"ike_phase1_state":"established","ike_phase2_state":"established"}'
)


def test_log_group_name_from_arn() -> None:
    arn = "arn:aws:logs:us-east-1:111111111111:log-group:/aws/vendedlogs/vpn/paris:*"
    assert log_group_name(arn) == "/aws/vendedlogs/vpn/paris"
    assert log_group_name("/plain") == "/plain"


def test_healthy_logs_pass(network: Network) -> None:
    group = "/aws/vendedlogs/vpn/paris"
    _log(network, group, ESTABLISHED)
    arn = f"arn:aws:logs:us-east-1:123456789012:log-group:{group}:*"
    [result] = check_logs(network.context(_tunnel_logs(arn)))
    assert result.status is Status.PASS, result
    assert "1 event(s)" in result.detail


def test_classified_failure_fails(network: Network) -> None:
    group = "/aws/vendedlogs/vpn/paris"
    _log(network, group, ESTABLISHED, PSK_MISMATCH)
    arn = f"arn:aws:logs:us-east-1:123456789012:log-group:{group}:*"
    [result] = check_logs(network.context(_tunnel_logs(arn)))
    assert result.status is Status.FAIL
    assert "1 x psk_mismatch" in result.detail
    assert "pre-shared key mismatch" in result.detail


def test_missing_log_group_is_unknown_and_named(network: Network) -> None:
    [result] = check_logs(network.context(extra_log_groups=(("/nope", "tunnel"),)))
    assert result.status is Status.UNKNOWN
    assert "FilterLogEvents" in result.detail
    assert "ResourceNotFoundException" in result.detail


def test_no_logging_is_unknown(network: Network) -> None:
    [result] = check_logs(network.context())
    assert result.status is Status.UNKNOWN
    assert "write no logs" in result.detail


# -- 8b. The library's own catalog (branch i10) on AWS's documented records ----------------------


def _first(label: str, kind: LogKind) -> str:
    return next(
        r.message
        for r in CORPUS
        if r.label == label and r.kind is kind and r.output_format == "json"
    )


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("ike_failure", LogKind.TUNNEL),
        ("dpd_timeout", LogKind.TUNNEL),
        ("bgp_down", LogKind.BGP),
        ("route_denied", LogKind.BGP),
    ],
)
def test_documented_failure_is_classified_by_the_catalog(
    network: Network, label: str, kind: LogKind
) -> None:
    group = f"/aws/vendedlogs/vpn/{label}"
    _log(network, group, _first("healthy", kind), _first(label, kind))
    classify = library_classifier()
    assert classify is not None
    ctx = network.context(extra_log_groups=((group, kind.value),), classify=classify)
    [result] = check_logs(ctx)
    assert result.status is Status.FAIL
    assert f"1 x {label}" in result.detail


def test_prefix_limit_warning_warns_and_does_not_fail(network: Network) -> None:
    """AWS logs the prefix-limit warning with status UP: the session stays up (logs page)."""
    group = "/aws/vendedlogs/vpn/prefix-warning"
    _log(
        network, group, _first("healthy", LogKind.BGP), _first("prefix_limit_warning", LogKind.BGP)
    )
    ctx = network.context(extra_log_groups=((group, "bgp"),), classify=library_classifier())
    [result] = check_logs(ctx)
    assert result.status is Status.WARN, result
    assert "1 x prefix_limit_warning" in result.detail
    assert "quota" in result.action


@pytest.mark.parametrize("kind", [LogKind.TUNNEL, LogKind.BGP])
def test_documented_healthy_records_pass_with_the_catalog(network: Network, kind: LogKind) -> None:
    """Including the BGP bring-up records AWS logs with status DOWN."""
    healthy = [r.message for r in CORPUS if r.label == "healthy" and r.kind is kind][:5]
    group = f"/aws/vendedlogs/vpn/healthy-{kind.value}"
    _log(network, group, *healthy)
    ctx = network.context(extra_log_groups=((group, kind.value),), classify=library_classifier())
    [result] = check_logs(ctx)
    assert result.status is Status.PASS, result


def test_vgw_routes_give_the_prefixes_to_the_later_checks(network: Network) -> None:
    """A BGP VGW VPN with nothing given: the prefixes routed to the VGW are the on-premises ones."""
    ec2 = network.ec2
    vgw = ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]
    ec2.attach_vpn_gateway(VpnGatewayId=vgw, VpcId=network.vpc_id)
    ec2.create_route(
        RouteTableId=network.route_table_id, DestinationCidrBlock="10.40.0.0/16", GatewayId=vgw
    )
    cgw = ec2.describe_customer_gateways()["CustomerGateways"][0]["CustomerGatewayId"]
    vpn = ec2.create_vpn_connection(Type="ipsec.1", CustomerGatewayId=cgw, VpnGatewayId=vgw)[
        "VpnConnection"
    ]
    ctx = network.context({**vpn, "Options": {"StaticRoutesOnly": False}})
    ctx.vpn.pop("TransitGatewayId", None)
    [path] = check_paths(ctx)
    assert ctx.learned_prefixes == {"10.40.0.0/16"}
    assert path.title.startswith(f"10.40.0.0/16 <-> {network.vpc_id}")
    # The subnet routes it to the VGW; no interface receives it yet: unknown, not a PASS.
    assert path.status is Status.UNKNOWN, path
    assert [h.status for h in path.hops if h.component == "route-table"] == [Status.PASS]
