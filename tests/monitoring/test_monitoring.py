"""Metric filters, alarms, the alarm topic and the metric methods of a monitored VPN."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns

from site_to_site_vpn import VpnAlarmThresholds, VpnMonitoringOptions
from site_to_site_vpn.constructs import alarms as defaults
from site_to_site_vpn.constructs.log_patterns import ALL_PATTERNS, LogKind
from tests.support import (
    bgp_vpn_template,
    build_vpn,
    new_stack,
    only_resource,
    resources_of_type,
    static_vpn_template,
    synth,
)
from tests.support import logical_id_containing as logical_id

OUTSIDE_IPS = ("198.51.100.1", "198.51.100.2")

# One worker per module, so the module-scoped synth runs once.
pytestmark = pytest.mark.xdist_group("monitoring-alarms")


def _alarms(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Alarm properties by the alarm's name in VpnMonitoring (``VpnDown``, ``Tunnel1Down``...)."""
    found = {}
    for key, value in resources_of_type(template, "AWS::CloudWatch::Alarm").items():
        name = key.split("Monitoring", 1)[1].split("Alarm", 1)[0]
        found[name] = value["Properties"]
    return found


def _vpn_dimension(template: dict[str, Any]) -> list[dict[str, Any]]:
    vpn = logical_id(template, "AWS::EC2::VPNConnection", "VpnConnection")
    return [{"Name": "VpnId", "Value": {"Fn::GetAtt": [vpn, "VpnConnectionId"]}}]


@pytest.fixture(scope="module")
def bgp() -> dict[str, Any]:
    return bgp_vpn_template()[1]


def test_metric_filters_have_the_exact_patterns_namespace_and_metrics(bgp: dict[str, Any]) -> None:
    groups = {
        LogKind.TUNNEL: {"Ref": logical_id(bgp, "AWS::Logs::LogGroup", "TunnelLogGroup")},
        LogKind.BGP: {"Ref": logical_id(bgp, "AWS::Logs::LogGroup", "BgpLogGroup")},
    }
    found = sorted(
        (f["Properties"]["FilterPattern"], str(f["Properties"]["LogGroupName"]))
        for f in resources_of_type(bgp, "AWS::Logs::MetricFilter").values()
    )
    assert found == sorted((p.pattern, str(groups[p.log_kind])) for p in ALL_PATTERNS)
    for metric_filter in resources_of_type(bgp, "AWS::Logs::MetricFilter").values():
        [transformation] = metric_filter["Properties"]["MetricTransformations"]
        pattern = next(
            p for p in ALL_PATTERNS if p.pattern == metric_filter["Properties"]["FilterPattern"]
        )
        assert transformation == {
            "MetricName": pattern.metric.value,
            "MetricNamespace": "SiteToSiteVpn/branch",
            "MetricValue": "1",
            "Unit": "Count",
        }


def test_bgp_vpn_has_every_alarm(bgp: dict[str, Any]) -> None:
    assert sorted(_alarms(bgp)) == [
        "BgpSessionDown",
        "DpdTimeouts",
        "NegotiationFailures",
        "RedundancyLost",
        "Tunnel1Down",
        "Tunnel2Down",
        "VpnDown",
    ]


def test_vpn_down_alarm(bgp: dict[str, Any]) -> None:
    alarm = _alarms(bgp)["VpnDown"]
    assert alarm["Namespace"] == "AWS/VPN"
    assert alarm["MetricName"] == "TunnelState"
    assert alarm["Dimensions"] == _vpn_dimension(bgp)
    assert alarm["Statistic"] == "Maximum"
    assert alarm["Threshold"] == 1
    assert alarm["ComparisonOperator"] == "LessThanThreshold"
    assert alarm["Period"] == 300
    assert alarm["EvaluationPeriods"] == 1
    assert alarm["DatapointsToAlarm"] == 1
    assert alarm["TreatMissingData"] == "breaching"


def test_redundancy_lost_alarm(bgp: dict[str, Any]) -> None:
    alarm = _alarms(bgp)["RedundancyLost"]
    assert (alarm["Namespace"], alarm["MetricName"]) == ("AWS/VPN", "TunnelState")
    assert alarm["Dimensions"] == _vpn_dimension(bgp)
    assert alarm["Statistic"] == "Minimum"
    assert (alarm["Threshold"], alarm["ComparisonOperator"]) == (1, "LessThanThreshold")
    assert (alarm["Period"], alarm["EvaluationPeriods"], alarm["DatapointsToAlarm"]) == (300, 3, 3)
    assert alarm["TreatMissingData"] == "breaching"


def test_per_tunnel_alarms_use_the_outside_ip_lookup(bgp: dict[str, Any]) -> None:
    lookup = logical_id(bgp, "Custom::AWS", "TunnelOutsideIpLookup")
    for index in (1, 2):
        alarm = _alarms(bgp)[f"Tunnel{index}Down"]
        path = f"VpnConnections.0.Options.TunnelOptions.{index - 1}.OutsideIpAddress"
        assert alarm["Dimensions"] == [
            {"Name": "TunnelIpAddress", "Value": {"Fn::GetAtt": [lookup, path]}}
        ]
        assert (alarm["Namespace"], alarm["MetricName"]) == ("AWS/VPN", "TunnelState")
        assert (alarm["Statistic"], alarm["Threshold"]) == ("Maximum", 1)
        assert alarm["ComparisonOperator"] == "LessThanThreshold"
        assert (alarm["EvaluationPeriods"], alarm["DatapointsToAlarm"]) == (3, 3)
        assert alarm["TreatMissingData"] == "breaching"


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
    topic = {"Ref": logical_id(bgp, "AWS::SNS::Topic", "SiteToSiteVpnAlarmTopic")}
    for name, alarm in _alarms(bgp).items():
        assert alarm["ActionsEnabled"] is True, name
        assert alarm["AlarmActions"] == [topic], name
        assert alarm["OKActions"] == [topic], name
        description = str(alarm["AlarmDescription"])
        for step in ("both tunnels are configured", "PSK and IKE", "DPD", "route propagation"):
            assert step in description, (name, step)
        assert "MSS 1379" in description
        assert "[branch]" in description


def test_alarm_topic_is_encrypted_and_tls_only(bgp: dict[str, Any]) -> None:
    key = logical_id(bgp, "AWS::KMS::Key", "SiteToSiteVpnMonitoringKey")
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
    assert patterns == {p.pattern for p in ALL_PATTERNS if p.log_kind is LogKind.TUNNEL}
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
        logical_id(template, "AWS::SNS::Topic", "OnCall")
    ]
    assert resources_of_type(template, "Custom::AWS") == {}
    ref = {"Ref": logical_id(template, "AWS::SNS::Topic", "OnCall")}
    found = _alarms(template)
    for alarm in found.values():
        assert alarm["AlarmActions"] == [ref]
    for index, ip in enumerate(OUTSIDE_IPS, start=1):
        assert found[f"Tunnel{index}Down"]["Dimensions"] == [
            {"Name": "TunnelIpAddress", "Value": ip}
        ]


def test_thresholds_are_overridable_and_alarms_can_be_dropped() -> None:
    thresholds = VpnAlarmThresholds(
        vpn_down=dataclasses.replace(
            defaults.VPN_DOWN, evaluation_periods=3, datapoints_to_alarm=2
        ),
        negotiation_failures=dataclasses.replace(defaults.NEGOTIATION_FAILURES, threshold=5),
        dpd_timeouts=dataclasses.replace(defaults.DPD_TIMEOUTS, enabled=False),
        tunnel_down=dataclasses.replace(defaults.TUNNEL_DOWN, enabled=False),
    )
    _, template = bgp_vpn_template(monitoring=VpnMonitoringOptions(thresholds=thresholds))
    found = _alarms(template)
    assert (found["VpnDown"]["EvaluationPeriods"], found["VpnDown"]["DatapointsToAlarm"]) == (3, 2)
    assert found["NegotiationFailures"]["Threshold"] == 5
    assert sorted(found) == ["BgpSessionDown", "NegotiationFailures", "RedundancyLost", "VpnDown"]
    # Without per-tunnel alarms there is no outside IP lookup either.
    assert resources_of_type(template, "Custom::AWS") == {}


def test_monitoring_can_be_turned_off_while_logs_stay() -> None:
    _, template = bgp_vpn_template(monitoring=VpnMonitoringOptions.disabled())
    assert resources_of_type(template, "AWS::CloudWatch::Alarm") == {}
    assert resources_of_type(template, "AWS::Logs::MetricFilter") == {}
    assert resources_of_type(template, "AWS::SNS::Topic") == {}
    assert len(resources_of_type(template, "AWS::Logs::LogGroup")) == 2


def test_metric_methods_per_vpn_and_per_tunnel() -> None:
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
        per_tunnel = method(tunnel_outside_ip=OUTSIDE_IPS[0])
        assert per_tunnel.dimensions == {"TunnelIpAddress": OUTSIDE_IPS[0]}
    assert vpn.metric_tunnel_state(statistic="Minimum").statistic == "Minimum"
