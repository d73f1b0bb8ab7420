"""The example app's VPN as shipped: logs wired, alarms notifying the topic, dashboard.

The stack's snapshot (hub + monitoring) is tests/hub/test_example_hub_stack.py's."""

from __future__ import annotations

import json
from typing import Any

import aws_cdk as cdk
import pytest

from examples.example_stack import ExampleVpnStack
from site_to_site_vpn.constructs.dashboard import bgp_failures_query, tunnel_failures_query
from tests.support import (
    TEST_ENV,
    canonical,
    logical_id_containing,
    new_app,
    only_resource,
    plain_log_group_arn,
    resources_of_type,
    synth,
)

# One worker per module, so the module-scoped synth runs once.
pytestmark = pytest.mark.xdist_group("monitoring-example")


@pytest.fixture(scope="module")
def stack() -> cdk.Stack:
    return ExampleVpnStack(new_app(), "Example", env=TEST_ENV)


@pytest.fixture(scope="module")
def template(stack: cdk.Stack) -> dict[str, Any]:
    return synth(stack)


def _dashboard_body(template: dict[str, Any]) -> dict[str, Any]:
    """The dashboard JSON with every deploy-time value replaced by ``<Ref X>``/``<GetAtt X>``."""
    body = only_resource(template, "AWS::CloudWatch::Dashboard")["Properties"]["DashboardBody"]
    parts = body["Fn::Join"][1] if isinstance(body, dict) else [body]

    def text(part: Any) -> str:
        if isinstance(part, str):
            return part
        if "Ref" in part:
            return f"<Ref {part['Ref']}>"
        return f"<GetAtt {part['Fn::GetAtt'][0]}>"

    result: dict[str, Any] = json.loads("".join(text(p) for p in parts))
    return result


def test_example_vpn_has_both_log_kinds_wired(template: dict[str, Any]) -> None:
    vpn = only_resource(template, "AWS::EC2::VPNConnection")
    tunnel = logical_id_containing(template, "AWS::Logs::LogGroup", "TunnelLogGroup")
    bgp = logical_id_containing(template, "AWS::Logs::LogGroup", "BgpLogGroup")
    for spec in vpn["Properties"]["VpnTunnelOptionsSpecifications"]:
        options = spec["LogOptions"]["CloudwatchLogOptions"]
        assert canonical(options["LogGroupArn"]) == canonical(plain_log_group_arn(tunnel))
        assert canonical(options["BgpLogGroupArn"]) == canonical(plain_log_group_arn(bgp))


def test_example_alarms_notify_the_topic_whose_arn_is_an_output(template: dict[str, Any]) -> None:
    topic = {"Ref": logical_id_containing(template, "AWS::SNS::Topic", "AlarmTopic")}
    alarms = resources_of_type(template, "AWS::CloudWatch::Alarm")
    assert len(alarms) == 7  # no RedundancyLost: both tunnels have their own alarm
    for alarm in alarms.values():
        assert alarm["Properties"]["AlarmActions"] == [topic]
    assert template["Outputs"]["AlarmTopicArn"]["Value"] == topic


def test_dashboard_widgets(template: dict[str, Any]) -> None:
    widgets = _dashboard_body(template)["widgets"]
    by_title = {w["properties"].get("title"): w for w in widgets}
    state = by_title["branch-office: tunnel state (fraction of tunnels up)"]["properties"]
    assert [m[:2] for m in state["metrics"]] == [["AWS/VPN", "TunnelState"]] * 2
    assert [m[-1]["stat"] for m in state["metrics"]] == ["Maximum", "Minimum"]
    data = by_title["branch-office: tunnel data (bytes)"]["properties"]
    assert [m[1] for m in data["metrics"]] == ["TunnelDataIn", "TunnelDataOut"]
    alarm_status = by_title["branch-office: alarms"]["properties"]
    alarm_ids = {
        logical_id_containing(template, "AWS::CloudWatch::Alarm", name)
        for name in ("VpnDown", "TunnelADown", "TunnelBDown")
    }
    assert {f"<GetAtt {a}>" for a in alarm_ids} <= set(alarm_status["alarms"])
    # RedundancyLost is left out: both tunnels have their own alarm.
    assert len(alarm_status["alarms"]) == 7
    tunnel_logs = by_title["branch-office: last tunnel failures"]["properties"]
    tunnel_group = logical_id_containing(template, "AWS::Logs::LogGroup", "TunnelLogGroup")
    assert tunnel_logs["query"] == f"SOURCE '<Ref {tunnel_group}>' | {tunnel_failures_query()}"
    bgp_logs = by_title["branch-office: last BGP session failures"]["properties"]
    bgp_group = logical_id_containing(template, "AWS::Logs::LogGroup", "BgpLogGroup")
    assert bgp_logs["query"] == f"SOURCE '<Ref {bgp_group}>' | {bgp_failures_query()}"


def test_failure_queries_look_for_what_the_metric_filters_count() -> None:
    assert "/pre-shared key mismatch|invalid Pre-shared Key|" in tunnel_failures_query()
    assert "TS_UNACCEPTABLE" in tunnel_failures_query()
    assert "DPD timed out" in tunnel_failures_query()
    # Not status = "DOWN": AWS gives that status to the records of a normal bring-up.
    assert "DOWN" not in bgp_failures_query()
    assert "changed from Established to" in bgp_failures_query()


def test_log_encryption_and_alarm_actions_hold_without_acknowledgement(
    stack: cdk.Stack, template: dict[str, Any]
) -> None:
    """synth ran cdk-nag; here: none of its monitoring rules was acknowledged anywhere."""
    acknowledged = [
        rule
        for construct in stack.node.find_all()
        for entry in construct.node.metadata
        if entry.type == "aws:cdk:acknowledged-rules"
        for rule in entry.data
    ]
    for rule in acknowledged:
        for word in ("CloudWatchLogGroup", "CloudWatchAlarm", "SNS", "KMS"):
            assert word not in rule, rule
    assert template["Resources"]
