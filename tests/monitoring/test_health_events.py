"""AWS Health events of the VPN service reach the alarm topic: one EventBridge rule per stack.

Oracles: "AWS Health events" of the AWS Site-to-Site VPN User Guide (tunnel endpoint replacement
and single-tunnel notifications), "Monitoring AWS Health events with Amazon EventBridge" (AWS
Health User Guide: ``source`` ``aws.health``, ``detail-type`` ``AWS Health Event``,
``detail.service``), and, for the permissions, "Why isn't my Amazon SNS topic receiving
EventBridge notifications?" (AWS re:Post): the topic policy must let ``events.amazonaws.com``
publish, and a KMS-encrypted topic's key policy must let it use the key. Every template here is
synthesized under the recommended feature flags with cdk-nag's AwsSolutions and NIST 800-53 R5
packs and linted by cfn-lint (``tests.support.synth``); the no-flags build too.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import aws_sns as sns

from site_to_site_vpn import CustomerGatewayProps, VpnMonitoringOptions
from site_to_site_vpn.constructs.health_events import (
    HEALTH_EVENT_PATTERN,
    KNOWN_EVENT_TYPE_CODES,
    MAX_TARGETS,
    vpn_health_event_rule,
)
from site_to_site_vpn.constructs.vpn_monitoring import validate_monitoring_options
from site_to_site_vpn.stacks.sites_app import build_sites_app
from tests.support import (
    REPO,
    build_vpn,
    canonical,
    logical_id_containing,
    new_app,
    new_stack,
    only_resource,
    resources_of_type,
    synth,
)

EXAMPLE = REPO / "examples" / "sites.yaml"

#: An AWS Health event of the VPN service as EventBridge delivers it (fields per "AWS Health
#: event structure"; the service code and event type code as AWS Health's event ARNs carry them).
REDUNDANCY_LOSS_EVENT: dict[str, Any] = {
    "version": "0",
    "id": "78cf314f-47ba-4d9b-7c24-a3345b103512",
    "detail-type": "AWS Health Event",
    "source": "aws.health",
    "account": "111111111111",
    "time": "2026-05-10T06:00:54Z",
    "region": "us-east-1",
    "resources": ["vpn-0123456789abcdef0"],
    "detail": {
        "eventArn": "arn:aws:health:us-east-1::event/VPN/AWS_VPN_REDUNDANCY_LOSS/"
        "AWS_VPN_REDUNDANCY_LOSS-1652162668164-6104858-IAD",
        "service": "VPN",
        "eventTypeCode": "AWS_VPN_REDUNDANCY_LOSS",
        "eventTypeCategory": "accountNotification",
        "affectedEntities": [{"entityValue": "vpn-0123456789abcdef0"}],
    },
}


def _matches(pattern: dict[str, Any], event: dict[str, Any]) -> bool:
    """EventBridge's matching for the pattern's forms used here: exact values in a list, nested
    objects ("Event patterns in Amazon EventBridge")."""
    for key, wanted in pattern.items():
        if key not in event:
            return False
        if isinstance(wanted, dict):
            if not isinstance(event[key], dict) or not _matches(wanted, event[key]):
                return False
        elif event[key] not in wanted:
            return False
    return True


def _build_two_vpns(stack: Any, **second: Any) -> None:
    """VPNs ``a`` and ``b`` (another customer gateway) in ``stack``; ``second`` for ``b``."""
    build_vpn(stack, "VpnA", vpn_name="a")
    cgw = CustomerGatewayProps(ip_address="203.0.113.20", bgp_asn=65020)
    build_vpn(stack, "VpnB", vpn_name="b", customer_gateway=cgw, **second)


@pytest.fixture(scope="module", params=[True, False], ids=["recommended-flags", "no-flags"])
def two_vpns(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Two VPNs in one stack, default monitoring (the stack's encrypted topic)."""
    stack = new_stack(new_app(flags=request.param))
    _build_two_vpns(stack)
    template: dict[str, Any] = canonical(synth(stack))
    return template


def test_one_rule_per_stack_sends_every_vpn_health_event_to_the_topic(
    two_vpns: dict[str, Any],
) -> None:
    rule = only_resource(two_vpns, "AWS::Events::Rule")["Properties"]
    assert rule["EventPattern"] == HEALTH_EVENT_PATTERN
    assert rule["State"] == "ENABLED"
    topic = logical_id_containing(two_vpns, "AWS::SNS::Topic", "AlarmTopic")
    assert rule["Targets"] == [{"Id": "AlarmTopic1", "Arn": {"Ref": topic}}]


def test_the_pattern_matches_vpn_health_events_only() -> None:
    for code in KNOWN_EVENT_TYPE_CODES:
        event = {**REDUNDANCY_LOSS_EVENT}
        event["detail"] = {**REDUNDANCY_LOSS_EVENT["detail"], "eventTypeCode": code}
        assert _matches(HEALTH_EVENT_PATTERN, event)
    other_service = {**REDUNDANCY_LOSS_EVENT, "detail": {"service": "EC2"}}
    assert not _matches(HEALTH_EVENT_PATTERN, other_service)
    not_health = {**REDUNDANCY_LOSS_EVENT, "source": "aws.ec2"}
    assert not _matches(HEALTH_EVENT_PATTERN, not_health)


def _statements(template: dict[str, Any], type_name: str, key: str) -> list[dict[str, Any]]:
    (resource,) = resources_of_type(template, type_name).values()
    statements: list[dict[str, Any]] = resource["Properties"][key]["Statement"]
    return statements


def test_only_this_rule_may_publish_to_the_topic(two_vpns: dict[str, Any]) -> None:
    rule = logical_id_containing(two_vpns, "AWS::Events::Rule", "HealthEvents")
    from_events = [
        s
        for s in _statements(two_vpns, "AWS::SNS::TopicPolicy", "PolicyDocument")
        if s.get("Principal") == {"Service": "events.amazonaws.com"}
    ]
    assert len(from_events) == 1
    (statement,) = from_events
    assert statement["Effect"] == "Allow"
    assert statement["Action"] == "sns:Publish"
    assert statement["Condition"] == {"ArnEquals": {"aws:SourceArn": {"Fn::GetAtt": [rule, "Arn"]}}}


def test_eventbridge_may_use_the_topics_key_in_this_account(two_vpns: dict[str, Any]) -> None:
    (statement,) = [
        s
        for s in _statements(two_vpns, "AWS::KMS::Key", "KeyPolicy")
        if s.get("Principal") == {"Service": "events.amazonaws.com"}
    ]
    assert sorted(statement["Action"]) == ["kms:Decrypt", "kms:GenerateDataKey*"]
    assert statement["Condition"] == {"StringEquals": {"aws:SourceAccount": "111111111111"}}


def test_opt_out_creates_no_rule() -> None:
    stack = new_stack()
    build_vpn(stack, "Vpn", monitoring=VpnMonitoringOptions(health_events=False))
    template = synth(stack)
    assert resources_of_type(template, "AWS::Events::Rule") == {}
    assert not [
        s
        for s in _statements(template, "AWS::SNS::TopicPolicy", "PolicyDocument")
        if s.get("Principal") == {"Service": "events.amazonaws.com"}
    ]


def test_a_second_topic_is_a_second_target_of_the_same_rule() -> None:
    stack = new_stack()
    other = sns.Topic.from_topic_arn(
        stack, "Other", "arn:aws:sns:us-east-1:111111111111:network-team"
    )
    _build_two_vpns(stack, monitoring=VpnMonitoringOptions(topic=other))
    rule = only_resource(synth(stack), "AWS::Events::Rule")["Properties"]
    assert [t["Id"] for t in rule["Targets"]] == ["AlarmTopic1", "AlarmTopic2"]
    assert rule["Targets"][1]["Arn"] == "arn:aws:sns:us-east-1:111111111111:network-team"


def test_a_sixth_topic_is_refused_with_the_limit() -> None:
    stack = new_stack()
    for index in range(MAX_TARGETS):
        topic = sns.Topic.from_topic_arn(
            stack, f"T{index}", f"arn:aws:sns:us-east-1:111111111111:t{index}"
        )
        vpn_health_event_rule(stack, topic)
    sixth = sns.Topic.from_topic_arn(stack, "T5", "arn:aws:sns:us-east-1:111111111111:t5")
    with pytest.raises(ValueError, match="at most 5 targets"):
        vpn_health_event_rule(stack, sixth)


def test_invalid_health_events_is_a_problem() -> None:
    problems = validate_monitoring_options(VpnMonitoringOptions(health_events="yes"))  # type: ignore[arg-type]
    assert [(p.field, p.value) for p in problems] == [("monitoring.health_events", "yes")]


# --- The sites file: once, in the hub stack; opt-out in the file ----------------------------


def _sites_app(tmp_path: Path, extra_monitoring: str = "") -> dict[str, dict[str, Any]]:
    sites = tmp_path / "sites.yaml"
    text = EXAMPLE.read_text(encoding="utf-8")
    if extra_monitoring:
        text = text.replace("monitoring:\n", f"monitoring:\n  {extra_monitoring}\n", 1)
    sites.write_text(text, encoding="utf-8")
    shutil.copy(EXAMPLE.with_name("sites.lock.json"), tmp_path / "sites.lock.json")
    built = build_sites_app(new_app(), sites, locked=True)
    return {s.stack_name: synth(s) for s in (built.hub_stack, *built.site_stacks)}


@pytest.mark.slow
def test_sites_app_has_one_rule_in_the_hub_stack(tmp_path: Path) -> None:
    templates = _sites_app(tmp_path)
    rules = {name: resources_of_type(t, "AWS::Events::Rule") for name, t in templates.items()}
    assert {name: len(found) for name, found in rules.items()} == {
        "ExampleNetwork-Hub": 1,
        "ExampleNetwork-Sites-001": 0,
    }


@pytest.mark.slow
def test_sites_file_opts_out_with_health_events_false(tmp_path: Path) -> None:
    templates = _sites_app(tmp_path, "health_events: false")
    assert not [t for t in templates.values() if resources_of_type(t, "AWS::Events::Rule")]
