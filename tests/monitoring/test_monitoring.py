"""Metric filters, alarms, the alarm topic and the metric methods of a monitored VPN."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns

from site_to_site_vpn import SiteToSiteVpn, VpnAlarmSpecs, VpnMonitoringOptions
from site_to_site_vpn.constructs import alarms as defaults
from site_to_site_vpn.logs import queries
from site_to_site_vpn.logs.catalog import ALL_CLASSES, LogKind
from tests.support import (
    bgp_vpn_template,
    build_vpn,
    facts_field,
    logical_id_containing,
    new_stack,
    only_resource,
    resources_of_type,
    static_vpn_template,
    synth,
)

OUTSIDE_IPS = ("198.51.100.1", "198.51.100.2")

# One worker per module, so the module-scoped synth runs once.
pytestmark = pytest.mark.xdist_group("monitoring-alarms")


def _alarms(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Alarm properties by the alarm's name in VpnMonitoring (``VpnDown``, ``TunnelADown``...)."""
    found = {}
    for key, value in resources_of_type(template, "AWS::CloudWatch::Alarm").items():
        name = key.split("Monitoring", 1)[1].split("Alarm", 1)[0]
        found[name] = value["Properties"]
    return found


def _vpn_dimension(template: dict[str, Any]) -> list[dict[str, Any]]:
    vpn = logical_id_containing(template, "AWS::EC2::VPNConnection", "Vpn")
    return [{"Name": "VpnId", "Value": {"Fn::GetAtt": [vpn, "VpnConnectionId"]}}]


@pytest.fixture(scope="module")
def bgp() -> dict[str, Any]:
    return bgp_vpn_template()[1]


def test_one_metric_filter_per_failure_class_with_its_catalog_pattern(
    bgp: dict[str, Any],
) -> None:
    groups = {
        LogKind.TUNNEL: {
            "Ref": logical_id_containing(bgp, "AWS::Logs::LogGroup", "TunnelLogGroup")
        },
        LogKind.BGP: {"Ref": logical_id_containing(bgp, "AWS::Logs::LogGroup", "BgpLogGroup")},
    }
    filters = resources_of_type(bgp, "AWS::Logs::MetricFilter")
    found = sorted(
        (f["Properties"]["FilterPattern"], str(f["Properties"]["LogGroupName"]))
        for f in filters.values()
    )
    assert found == sorted((c.json_pattern, str(groups[c.log_kind])) for c in ALL_CLASSES)
    for metric_filter in filters.values():
        [transformation] = metric_filter["Properties"]["MetricTransformations"]
        failure = next(
            c for c in ALL_CLASSES if c.json_pattern == metric_filter["Properties"]["FilterPattern"]
        )
        assert transformation == {
            "MetricName": failure.metric.value,
            "MetricNamespace": "SiteToSiteVpn/branch",
            "MetricValue": "1",
            "Unit": "Count",
        }


def test_bgp_vpn_has_every_alarm_but_the_redundancy_lost_its_tunnel_alarms_cover(
    bgp: dict[str, Any],
) -> None:
    """Both tunnels have their own alarm, which pages for the same outage at the same minute as
    RedundancyLost would, naming the tunnel: one page, not two."""
    assert sorted(_alarms(bgp)) == [
        "BgpSessionDown",
        "DpdTimeouts",
        "NegotiationFailures",
        "PrefixLimitWarning",
        "TunnelADown",
        "TunnelBDown",
        "VpnDown",
    ]


def test_redundancy_lost_with_tunnel_alarms_on_request() -> None:
    _, template = bgp_vpn_template(
        monitoring=VpnMonitoringOptions(redundancy_lost_with_tunnel_alarms=True)
    )
    assert {"RedundancyLost", "TunnelADown", "TunnelBDown"} <= set(_alarms(template))


def test_redundancy_lost_stays_when_a_tunnel_has_no_alarm_of_its_own() -> None:
    _, template = bgp_vpn_template(
        monitoring=VpnMonitoringOptions(tunnel_outside_ip_addresses=("203.0.113.1",))
    )
    assert {"RedundancyLost", "TunnelADown"} <= set(_alarms(template))
    assert "TunnelBDown" not in _alarms(template)


def test_vpn_down_alarm(bgp: dict[str, Any]) -> None:
    alarm = _alarms(bgp)["VpnDown"]
    assert alarm["Namespace"] == "AWS/VPN"
    assert alarm["MetricName"] == "TunnelState"
    assert alarm["Dimensions"] == _vpn_dimension(bgp)
    # AWS's guide: per VpnId, Maximum <= 0 over 5 minutes = all tunnels down.
    assert alarm["Statistic"] == "Maximum"
    assert alarm["Threshold"] == 0
    assert alarm["ComparisonOperator"] == "LessThanOrEqualToThreshold"
    assert alarm["Period"] == 300
    assert alarm["EvaluationPeriods"] == 1
    assert alarm["DatapointsToAlarm"] == 1
    assert alarm["TreatMissingData"] == "missing"
    assert alarm["AlarmName"] == (
        "TestStack/branch VpnDown: both tunnels down "
        "(Maximum of TunnelState (VpnId) <= 0 in 1 of 1 5-minute periods)"
    )


def test_redundancy_lost_alarm() -> None:
    _, template = bgp_vpn_template(
        monitoring=VpnMonitoringOptions(redundancy_lost_with_tunnel_alarms=True)
    )
    alarm = _alarms(template)["RedundancyLost"]
    assert (alarm["Namespace"], alarm["MetricName"]) == ("AWS/VPN", "TunnelState")
    assert alarm["Dimensions"] == _vpn_dimension(template)
    assert alarm["Statistic"] == "Maximum"
    assert (alarm["Threshold"], alarm["ComparisonOperator"]) == (1, "LessThanThreshold")
    assert (alarm["Period"], alarm["EvaluationPeriods"], alarm["DatapointsToAlarm"]) == (300, 3, 3)
    assert alarm["TreatMissingData"] == "missing"
    assert "a tunnel down for 15 minutes" in alarm["AlarmName"]
    assert "Maximum of TunnelState (VpnId) < 1 in 3 of 3 5-minute periods" in alarm["AlarmName"]


def test_per_tunnel_alarms_use_the_vpn_facts(bgp: dict[str, Any]) -> None:
    facts = logical_id_containing(bgp, "Custom::SiteToSiteVpnFacts", "Facts")
    for index in (1, 2):
        alarm = _alarms(bgp)[f"Tunnel{'AB'[index - 1]}Down"]
        # The index is the position in EC2's DescribeVpnConnections list, not the template's.
        outside_ip = facts_field(facts, f"Tunnel{index}OutsideIpAddress")
        assert alarm["Dimensions"] == [{"Name": "TunnelIpAddress", "Value": outside_ip}]
        assert (alarm["Namespace"], alarm["MetricName"]) == ("AWS/VPN", "TunnelState")
        assert (alarm["Statistic"], alarm["Threshold"]) == ("Maximum", 0)
        assert alarm["ComparisonOperator"] == "LessThanOrEqualToThreshold"
        assert (alarm["EvaluationPeriods"], alarm["DatapointsToAlarm"]) == (3, 3)
        assert alarm["TreatMissingData"] == "missing"
        # Named by the outside IP it watches, never by a tunnel number the list order can't give.
        assert outside_ip in alarm["AlarmName"]["Fn::Join"][1]
        assert outside_ip in alarm["AlarmDescription"]["Fn::Join"][1]
        # ...and by the inside CIDR of the same listed tunnel, which says which tunnel it is.
        inside_cidr = facts_field(facts, f"Tunnel{index}InsideCidr")
        assert inside_cidr in alarm["AlarmDescription"]["Fn::Join"][1]
        assert "tunnel 1" not in str(alarm).lower()
        assert "tunnel 2" not in str(alarm).lower()


@pytest.mark.parametrize(
    ("name", "metric"),
    [
        ("NegotiationFailures", "IkeNegotiationFailures"),
        ("DpdTimeouts", "DpdTimeouts"),
        ("BgpSessionDown", "BgpSessionDown"),
    ],
)
def test_log_based_alarms(bgp: dict[str, Any], name: str, metric: str) -> None:
    alarm = _alarms(bgp)[name]
    assert (alarm["Namespace"], alarm["MetricName"]) == ("SiteToSiteVpn/branch", metric)
    assert "Dimensions" not in alarm
    assert alarm["Statistic"] == "Sum"
    assert (alarm["Threshold"], alarm["ComparisonOperator"]) == (
        1,
        "GreaterThanOrEqualToThreshold",
    )
    assert (alarm["Period"], alarm["EvaluationPeriods"], alarm["DatapointsToAlarm"]) == (300, 1, 1)
    assert alarm["TreatMissingData"] == "notBreaching"


def test_every_alarm_notifies_the_topic_and_says_what_to_check(bgp: dict[str, Any]) -> None:
    topic = {"Ref": logical_id_containing(bgp, "AWS::SNS::Topic", "SiteToSiteVpnAlarmTopic")}
    for name, alarm in _alarms(bgp).items():
        assert alarm["ActionsEnabled"] is True, name
        assert alarm["AlarmActions"] == [topic], name
        assert alarm["OKActions"] == [topic], name
        description = str(alarm["AlarmDescription"])
        for step in ("both tunnels on the device", "PSK and IKE", "DPD", "route propagation"):
            assert step in description, (name, step)
        assert "MSS 1379" in description
        assert "[branch]" in description


def test_alarm_topic_is_encrypted_and_tls_only(bgp: dict[str, Any]) -> None:
    key = logical_id_containing(bgp, "AWS::KMS::Key", "SiteToSiteVpnMonitoringKey")
    topic = only_resource(bgp, "AWS::SNS::Topic")
    assert topic["Properties"]["KmsMasterKeyId"] == {"Fn::GetAtt": [key, "Arn"]}
    statements = only_resource(bgp, "AWS::SNS::TopicPolicy")["Properties"]["PolicyDocument"][
        "Statement"
    ]
    deny = next(s for s in statements if s["Effect"] == "Deny")
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert deny["Action"] == "sns:Publish"
    allow = next(s for s in statements if s["Effect"] == "Allow")
    assert allow["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert allow["Condition"]["StringEquals"] == {"aws:SourceAccount": "111111111111"}
    key_statements = bgp["Resources"][key]["Properties"]["KeyPolicy"]["Statement"]
    cloudwatch = next(
        s for s in key_statements if s.get("Principal") == {"Service": "cloudwatch.amazonaws.com"}
    )
    assert sorted(cloudwatch["Action"]) == ["kms:Decrypt", "kms:GenerateDataKey*"]


def test_static_vpn_has_no_bgp_filter_or_alarm() -> None:
    _, template = static_vpn_template()
    patterns = {
        f["Properties"]["FilterPattern"]
        for f in resources_of_type(template, "AWS::Logs::MetricFilter").values()
    }
    assert patterns == {c.json_pattern for c in ALL_CLASSES if c.log_kind is LogKind.TUNNEL}
    assert "BgpSessionDown" not in _alarms(template)
    assert "NegotiationFailures" in _alarms(template)


def test_passed_topic_and_outside_ips_are_used() -> None:
    stack = new_stack()
    key = kms.Key(stack, "TopicKey", enable_key_rotation=True)
    topic = sns.Topic(stack, "OnCall", master_key=key, enforce_ssl=True)
    build_vpn(
        stack,
        vpn_name="branch",
        monitoring=VpnMonitoringOptions(topic=topic, tunnel_outside_ip_addresses=OUTSIDE_IPS),
    )
    template = synth(stack)
    assert list(resources_of_type(template, "AWS::SNS::Topic")) == [
        logical_id_containing(template, "AWS::SNS::Topic", "OnCall")
    ]
    assert resources_of_type(template, "Custom::SiteToSiteVpnFacts") == {}
    assert resources_of_type(template, "AWS::Lambda::Function") == {}
    ref = {"Ref": logical_id_containing(template, "AWS::SNS::Topic", "OnCall")}
    found = _alarms(template)
    for alarm in found.values():
        assert alarm["AlarmActions"] == [ref]
    for index, ip in enumerate(OUTSIDE_IPS, start=1):
        assert found[f"Tunnel{'AB'[index - 1]}Down"]["Dimensions"] == [
            {"Name": "TunnelIpAddress", "Value": ip}
        ]


def test_thresholds_are_overridable_and_alarms_can_be_dropped() -> None:
    specs = VpnAlarmSpecs(
        vpn_down=dataclasses.replace(
            defaults.VPN_DOWN, evaluation_periods=3, datapoints_to_alarm=2
        ),
        negotiation_failures=dataclasses.replace(defaults.NEGOTIATION_FAILURES, threshold=5),
        dpd_timeouts=dataclasses.replace(defaults.DPD_TIMEOUTS, enabled=False),
        tunnel_down=dataclasses.replace(defaults.TUNNEL_DOWN, enabled=False),
    )
    _, template = bgp_vpn_template(monitoring=VpnMonitoringOptions(alarms=specs))
    found = _alarms(template)
    assert (found["VpnDown"]["EvaluationPeriods"], found["VpnDown"]["DatapointsToAlarm"]) == (3, 2)
    assert found["NegotiationFailures"]["Threshold"] == 5
    assert sorted(found) == [
        "BgpSessionDown",
        "NegotiationFailures",
        "PrefixLimitWarning",
        "RedundancyLost",
        "VpnDown",
    ]
    # Without per-tunnel alarms there are no VPN facts (and no provider) either.
    assert resources_of_type(template, "Custom::SiteToSiteVpnFacts") == {}
    assert resources_of_type(template, "AWS::Lambda::Function") == {}


def test_monitoring_can_be_turned_off_while_logs_stay() -> None:
    _, template = bgp_vpn_template(monitoring=VpnMonitoringOptions.disabled())
    assert resources_of_type(template, "AWS::CloudWatch::Alarm") == {}
    assert resources_of_type(template, "AWS::Logs::MetricFilter") == {}
    assert resources_of_type(template, "AWS::SNS::Topic") == {}
    assert len(resources_of_type(template, "AWS::Logs::LogGroup")) == 2


def test_metric_methods_take_metric_options() -> None:
    stack = new_stack()
    vpn = build_vpn(stack, monitoring=VpnMonitoringOptions.disabled())
    vpn_id = stack.resolve(vpn.vpn_connection_id)
    for method, name, statistic in (
        (vpn.metric_tunnel_state, "TunnelState", "Maximum"),
        (vpn.metric_tunnel_data_in, "TunnelDataIn", "Sum"),
        (vpn.metric_tunnel_data_out, "TunnelDataOut", "Sum"),
    ):
        per_vpn = method()
        assert (per_vpn.namespace, per_vpn.metric_name) == ("AWS/VPN", name)
        assert per_vpn.statistic == statistic
        assert per_vpn.period.to_seconds() == 300
        assert stack.resolve(per_vpn.dimensions) == {"VpnId": vpn_id}
        per_tunnel = vpn.metric_for_tunnel(name, OUTSIDE_IPS[0])
        assert per_tunnel.dimensions == {"TunnelIpAddress": OUTSIDE_IPS[0]}
    assert vpn.metric_tunnel_state(statistic="Minimum").statistic == "Minimum"
    assert vpn.metric_tunnel_state(label="state", color="#ff0000").color == "#ff0000"
    assert vpn.metric("TunnelDataIn", statistic="Average").statistic == "Average"
    every = SiteToSiteVpn.metric_all_tunnel_state()
    assert (every.metric_name, every.dimensions) == ("TunnelState", None)
    assert SiteToSiteVpn.metric_all_tunnel_data_in().statistic == "Sum"
    assert SiteToSiteVpn.metric_all_tunnel_data_out().metric_name == "TunnelDataOut"


def test_saved_queries_are_scoped_to_the_vpns_log_groups(bgp: dict[str, Any]) -> None:
    found = {
        q["Properties"]["Name"]: q["Properties"]
        for q in resources_of_type(bgp, "AWS::Logs::QueryDefinition").values()
    }
    tunnel = {"Ref": logical_id_containing(bgp, "AWS::Logs::LogGroup", "TunnelLogGroup")}
    bgp_group = {"Ref": logical_id_containing(bgp, "AWS::Logs::LogGroup", "BgpLogGroup")}
    why = found["site-to-site-vpn/branch/why is this tunnel down"]
    assert why["LogGroupNames"] == [tunnel]
    assert why["QueryString"] == queries.why_tunnel_down_query()
    flaps = found["site-to-site-vpn/branch/BGP flaps"]
    assert flaps["LogGroupNames"] == [bgp_group]
    assert "changed from Established to" in flaps["QueryString"]
    assert "session_drops" in flaps["QueryString"]
    denied = found["site-to-site-vpn/branch/BGP routes denied"]
    assert denied["LogGroupNames"] == [bgp_group]
    assert denied["QueryString"] == queries.routes_denied_query()
    assert 'filter type = "RouteStatus"' in denied["QueryString"]
    assert "DENIED due to:" in denied["QueryString"]


def test_former_thresholds_name_still_works() -> None:
    specs = VpnAlarmSpecs(vpn_down=dataclasses.replace(defaults.VPN_DOWN, enabled=False))
    _, template = static_vpn_template(monitoring=VpnMonitoringOptions(alarms=specs))
    assert "VpnDown" not in _alarms(template)
