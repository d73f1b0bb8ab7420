"""The one place VPN alarms are built, and their deliberately chosen defaults.

Every alarm is an :class:`AlarmSpec` (threshold, comparison, period, evaluation window,
missing-data treatment); :class:`VpnAlarmThresholds` holds one per alarm, and
``dataclasses.replace`` on either overrides any value.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Final

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_sns as sns
from constructs import Construct

from site_to_site_vpn.errors import Problem, is_token

Comparison = cloudwatch.ComparisonOperator
Missing = cloudwatch.TreatMissingData
#: AWS/VPN metrics arrive every 5 minutes; a shorter period only yields empty buckets.
FIVE_MINUTES: Final = Duration.minutes(5)


@dataclass(frozen=True)
class AlarmSpec:
    """How one alarm decides: ``statistic`` over ``period``, ``datapoints_to_alarm`` of the last
    ``evaluation_periods`` periods compared with ``threshold``."""

    threshold: float
    comparison_operator: cloudwatch.ComparisonOperator
    statistic: str
    #: @default 5 minutes (``FIVE_MINUTES``).
    period: Duration = FIVE_MINUTES
    evaluation_periods: int = 1
    datapoints_to_alarm: int = 1
    treat_missing_data: cloudwatch.TreatMissingData = Missing.NOT_BREACHING
    #: Create this alarm at all. @default True
    enabled: bool = True


#: Both tunnels down. Per VPN, TunnelState is the tunnels' average, so Maximum < 1 over 5 minutes
#: means no tunnel was up at any time in it. One period: an outage should page at once. Missing
#: data breaches: a VPN that reports nothing (deleted, or never came up) is not serving traffic.
VPN_DOWN: Final = AlarmSpec(
    threshold=1,
    comparison_operator=Comparison.LESS_THAN_THRESHOLD,
    statistic="Maximum",
    treat_missing_data=Missing.BREACHING,
)
#: One tunnel down: Minimum < 1 means some tunnel was down in the period. Three periods in a row,
#: because AWS replaces tunnel endpoints one at a time during maintenance and a few minutes of one
#: tunnel down is routine; 15 minutes is not.
REDUNDANCY_LOST: Final = AlarmSpec(
    threshold=1,
    comparison_operator=Comparison.LESS_THAN_THRESHOLD,
    statistic="Minimum",
    evaluation_periods=3,
    datapoints_to_alarm=3,
    treat_missing_data=Missing.BREACHING,
)
#: One named tunnel down for 15 minutes (dimension TunnelIpAddress), same reasoning as redundancy.
TUNNEL_DOWN: Final = AlarmSpec(
    threshold=1,
    comparison_operator=Comparison.LESS_THAN_THRESHOLD,
    statistic="Maximum",
    evaluation_periods=3,
    datapoints_to_alarm=3,
    treat_missing_data=Missing.BREACHING,
)
#: Any IKE negotiation failure record. The metric filters publish nothing when nothing matches,
#: so missing data is the healthy case and does not breach.
NEGOTIATION_FAILURES: Final = AlarmSpec(
    threshold=1,
    comparison_operator=Comparison.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    statistic="Sum",
)
#: Any DPD timeout: the customer gateway stopped answering (reboot, ISP, firewall).
DPD_TIMEOUTS: Final = AlarmSpec(
    threshold=1,
    comparison_operator=Comparison.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    statistic="Sum",
)
#: Any BGP session leaving Established (BGP VPNs only).
BGP_SESSION_DOWN: Final = AlarmSpec(
    threshold=1,
    comparison_operator=Comparison.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    statistic="Sum",
)


@dataclass(frozen=True)
class VpnAlarmThresholds:
    """One :class:`AlarmSpec` per alarm; each @default is the module constant of the same name."""

    vpn_down: AlarmSpec = VPN_DOWN
    redundancy_lost: AlarmSpec = REDUNDANCY_LOST
    tunnel_down: AlarmSpec = TUNNEL_DOWN
    negotiation_failures: AlarmSpec = NEGOTIATION_FAILURES
    dpd_timeouts: AlarmSpec = DPD_TIMEOUTS
    bgp_session_down: AlarmSpec = BGP_SESSION_DOWN


def _spec_problems(name: str, spec: AlarmSpec) -> list[Problem]:
    problems = []
    for attr in ("evaluation_periods", "datapoints_to_alarm"):
        value = getattr(spec, attr)
        if is_token(value):
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            problems.append(Problem(f"{name}.{attr}", value, "must be an integer of at least 1"))
    e, d = spec.evaluation_periods, spec.datapoints_to_alarm
    if isinstance(e, int) and isinstance(d, int) and d > e:
        problems.append(
            Problem(f"{name}.datapoints_to_alarm", d, f"must be at most evaluation_periods ({e})")
        )
    seconds = spec.period.to_seconds()
    if not is_token(seconds) and seconds % 60 != 0:
        problems.append(
            Problem(f"{name}.period", f"{seconds}s", "must be a whole number of minutes")
        )
    if not isinstance(spec.threshold, int | float) or isinstance(spec.threshold, bool):
        problems.append(Problem(f"{name}.threshold", spec.threshold, "must be a number"))
    return problems


def validate_alarm_thresholds(thresholds: VpnAlarmThresholds, prefix: str = "") -> list[Problem]:
    """Every alarm spec's own rules, reported under ``<prefix><alarm>.<field>``."""
    problems: list[Problem] = []
    for f in fields(thresholds):
        problems += _spec_problems(f"{prefix}{f.name}", getattr(thresholds, f.name))
    return problems


@dataclass(frozen=True)
class AlarmRequest:
    """What the factory needs besides the spec: what to watch and what to tell the operator."""

    metric: cloudwatch.Metric
    description: str
    #: Notified when the alarm fires and when it clears. @default no action
    topic: sns.ITopic | None = None


def create_alarm(
    scope: Construct, construct_id: str, *, spec: AlarmSpec, request: AlarmRequest
) -> cloudwatch.Alarm:
    """An alarm from ``spec`` that notifies ``request.topic`` when it fires and when it clears."""
    alarm = cloudwatch.Alarm(
        scope,
        construct_id,
        # The spec decides how the metric is aggregated, whatever the factory defaulted to.
        metric=request.metric.with_(statistic=spec.statistic, period=spec.period),
        threshold=spec.threshold,
        comparison_operator=spec.comparison_operator,
        evaluation_periods=spec.evaluation_periods,
        datapoints_to_alarm=spec.datapoints_to_alarm,
        treat_missing_data=spec.treat_missing_data,
        alarm_description=request.description,
        actions_enabled=True,
    )
    if request.topic is not None:
        action = cloudwatch_actions.SnsAction(request.topic)
        alarm.add_alarm_action(action)
        alarm.add_ok_action(action)
    return alarm
