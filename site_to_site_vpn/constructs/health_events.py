"""AWS Health events of Site-to-Site VPN sent to the alarm topic: one EventBridge rule per stack.

AWS Health tells an account about its VPN connections: tunnel endpoint replacements (AWS's
maintenance, or the customer's own modification), upcoming replacements under tunnel endpoint
lifecycle control, connections running on a single tunnel, and loss of redundancy. CloudWatch
shows none of this ahead of time. Sources:

- "Monitoring Site-to-Site VPN with AWS Health" / "AWS Health events" (AWS Site-to-Site VPN User
  Guide, https://docs.aws.amazon.com/vpn/latest/s2svpn/monitoring-vpn-health-events.html):
  "Tunnel endpoint replacement notifications" and "Single tunnel VPN notifications".
- "AWS Site-to-Site VPN tunnel endpoint lifecycle control": with it enabled, "You will receive
  AWS Health notifications for upcoming tunnel endpoint replacements".
- "Monitoring AWS Health events with Amazon EventBridge" (AWS Health User Guide): events arrive
  on the default bus with ``source`` ``aws.health``, ``detail-type`` ``AWS Health Event`` and
  ``detail.service`` the service code; a rule only receives its own account's events. The
  service code of Site-to-Site VPN is ``VPN``, and its event type codes include
  ``AWS_VPN_REDUNDANCY_LOSS`` and ``AWS_VPN_SINGLE_TUNNEL_NOTIFICATION`` (AWS Health's event ARNs
  ``arn:aws:health:<region>::event/VPN/<code>/...``, as AWS Health Aware's samples show them).

The rule matches the service, not a list of codes, so an event type AWS adds later is not
missed. Since a rule sees every VPN event of its account and Region, one rule per stack is
enough (a sites app creates it once, in the hub stack).

Publishing to the topic needs the topic policy to allow ``events.amazonaws.com`` (only from this
rule), and, the topic being KMS-encrypted, the key policy to let EventBridge use the key ("Why
isn't my Amazon SNS topic receiving EventBridge notifications?", AWS re:Post Knowledge Center).
Both are added when the topic and key are this app's; an imported topic's owner must grant them.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import Any, Final

from aws_cdk import Stack
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns

#: Construct id (at stack level) of the rule.
HEALTH_RULE_ID: Final = "SiteToSiteVpnHealthEvents"
#: AWS Health's service code of Site-to-Site VPN.
HEALTH_SERVICE: Final = "VPN"
#: The event pattern: every AWS Health event of the VPN service.
HEALTH_EVENT_PATTERN: Final[dict[str, Any]] = {
    "source": ["aws.health"],
    "detail-type": ["AWS Health Event"],
    "detail": {"service": [HEALTH_SERVICE]},
}
#: Event type codes of the VPN service seen in AWS Health (the rule does not list them: it
#: matches the whole service). For the docs and the tests' sample events.
KNOWN_EVENT_TYPE_CODES: Final = (
    "AWS_VPN_REDUNDANCY_LOSS",
    "AWS_VPN_SINGLE_TUNNEL_NOTIFICATION",
)
#: "PutTargets": a rule has at most 5 targets (Amazon EventBridge quotas).
MAX_TARGETS: Final = 5
_EVENTS: Final = "events.amazonaws.com"


@dataclass
class _StackRule:
    rule: events.CfnRule
    topics: list[sns.ITopic] = field(default_factory=list)


_RULES: weakref.WeakKeyDictionary[Stack, _StackRule] = weakref.WeakKeyDictionary()


def vpn_health_event_rule(stack: Stack, topic: sns.ITopic) -> events.CfnRule:
    """The stack's rule sending VPN Health events to ``topic``, created on first use.

    A later VPN of the same stack with another topic adds that topic as a second target: every
    topic that receives a VPN's alarms also receives the Health events.
    """
    entry = _RULES.get(stack)
    if entry is None:
        rule = events.CfnRule(
            stack,
            HEALTH_RULE_ID,
            description="AWS Health events of Site-to-Site VPN (tunnel endpoint replacements, "
            "single tunnel, redundancy loss) to the VPN alarm topic",
            event_pattern=HEALTH_EVENT_PATTERN,
            state="ENABLED",
        )
        entry = _RULES[stack] = _StackRule(rule)
    if any(known is topic for known in entry.topics):
        return entry.rule
    if len(entry.topics) == MAX_TARGETS:
        raise ValueError(
            f"{stack.node.path}/{HEALTH_RULE_ID}: a sixth alarm topic ({topic.node.path}) cannot "
            f"be a target: an EventBridge rule has at most {MAX_TARGETS} targets; give the VPNs "
            "of this stack fewer distinct topics, or health_events=False on some"
        )
    entry.topics.append(topic)
    entry.rule.targets = [
        events.CfnRule.TargetProperty(id=f"AlarmTopic{index}", arn=known.topic_arn)
        for index, known in enumerate(entry.topics, start=1)
    ]
    _allow_publishing(stack, entry.rule, topic)
    return entry.rule


def _allow_publishing(stack: Stack, rule: events.CfnRule, topic: sns.ITopic) -> None:
    """Topic policy (only this rule may publish) and key policy (EventBridge encrypts through
    SNS); no-ops for an imported topic or key, whose owner grants them."""
    topic.add_to_resource_policy(
        # No Sid: a topic shared by the rules of several stacks gets one statement per rule.
        iam.PolicyStatement(
            principals=[iam.ServicePrincipal(_EVENTS)],
            actions=["sns:Publish"],
            resources=[topic.topic_arn],
            conditions={"ArnEquals": {"aws:SourceArn": rule.attr_arn}},
        )
    )
    key = topic.master_key if isinstance(topic, sns.Topic) else None
    if isinstance(key, kms.Key):
        key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="VpnHealthEventsEncrypt",
                principals=[iam.ServicePrincipal(_EVENTS)],
                actions=["kms:Decrypt", "kms:GenerateDataKey*"],
                resources=["*"],
                conditions={"StringEquals": {"aws:SourceAccount": stack.account}},
            )
        )
