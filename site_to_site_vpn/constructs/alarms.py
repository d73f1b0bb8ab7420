"""The one place VPN alarms are built, and their deliberately chosen defaults.

Every alarm is an :class:`AlarmSpec` (statistic, threshold, comparison, period, M of N,
missing-data treatment); :class:`VpnAlarmSpecs` holds one per alarm, and ``dataclasses.replace``
on either overrides any value. Alarms are written as L1 ``AWS::CloudWatch::Alarm`` from a
prebuilt property set (one jsii call each), since a site creates several.

Sources: "Monitor Site-to-Site VPN tunnels using CloudWatch" (AWS Site-to-Site VPN User Guide,
https://docs.aws.amazon.com/vpn/latest/s2svpn/monitoring-cloudwatch-vpn.html): TunnelState is 1 up
(BGP: established), 0 down; per ``VpnId`` the alarm for all tunnels down is ``<= 0`` on Maximum
over 5 minutes (``0.5`` for "at least one tunnel down"); per tunnel (``TunnelIpAddress``) the
guide's alarm is Maximum ``<= 0`` for 3 consecutive 5-minute periods. Alarm evaluation:
"Using Amazon CloudWatch alarms" / "Evaluating an alarm" and "Configuring how CloudWatch
alarms treat missing data" (Amazon CloudWatch User Guide).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import cache
from typing import Any, Final

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from constructs import Construct

from site_to_site_vpn.constructs.rules import is_token
from site_to_site_vpn.core.errors import Problem

Comparison = cloudwatch.ComparisonOperator
Missing = cloudwatch.TreatMissingData
#: AWS/VPN metrics are alarmed on over 5 minutes in AWS's guide; a shorter period only yields
#: empty buckets.
FIVE_MINUTES: Final = Duration.minutes(5)

#: CloudFormation's ``ComparisonOperator`` and the symbol of each (jsii enums carry their names,
#: not CloudFormation's strings).
_OPERATORS: Final = {
    Comparison.GREATER_THAN_OR_EQUAL_TO_THRESHOLD: ("GreaterThanOrEqualToThreshold", ">="),
    Comparison.GREATER_THAN_THRESHOLD: ("GreaterThanThreshold", ">"),
    Comparison.LESS_THAN_THRESHOLD: ("LessThanThreshold", "<"),
    Comparison.LESS_THAN_OR_EQUAL_TO_THRESHOLD: ("LessThanOrEqualToThreshold", "<="),
}
#: CloudFormation's ``TreatMissingData`` values.
_MISSING_DATA: Final = {
    Missing.BREACHING: "breaching",
    Missing.NOT_BREACHING: "notBreaching",
    Missing.IGNORE: "ignore",
    Missing.MISSING: "missing",
}


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

    def condition(self, metric: str) -> str:
        """What fires the alarm, in words: ``Maximum of TunnelState <= 0 in 1 of 1 5-minute
        periods``."""
        minutes = _period_seconds(self.period) // 60
        symbol = _OPERATORS[self.comparison_operator][1]
        return (
            f"{self.statistic} of {metric} {symbol} {self.threshold:g} in "
            f"{self.datapoints_to_alarm} of {self.evaluation_periods} {minutes}-minute periods"
        )


@cache
def _period_seconds(period: Duration) -> int:
    # One jsii call per distinct Duration object, not per alarm.
    return int(period.to_seconds())


#: Both tunnels down. Per VPN, TunnelState is the fraction of tunnels up (0, 0.5, 1): Maximum
#: <= 0 over 5 minutes means no tunnel was up at any time in it (AWS's "all tunnels down"). A
#: single tunnel down (0.5), as during AWS's routine endpoint replacement, does not fire it. One
#: period: an outage pages at once. Missing data does not breach: a VPN reports TunnelState all
#: the time, so no data means a VPN that is not there yet (INSUFFICIENT_DATA), not an outage.
VPN_DOWN: Final = AlarmSpec(
    threshold=0,
    comparison_operator=Comparison.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
    statistic="Maximum",
    treat_missing_data=Missing.MISSING,
)
#: Redundancy lost for 15 minutes: Maximum < 1 in a 5-minute period means the two tunnels were
#: never both up in it; 3 of 3 periods means that held for 15 minutes in a row, so it fires after
#: 15-20 minutes of one tunnel down and never for AWS's few minutes of maintenance on one tunnel.
#: (Minimum < 1 would count any moment of a tunnel down and fire after ~7 minutes.)
REDUNDANCY_LOST: Final = AlarmSpec(
    threshold=1,
    comparison_operator=Comparison.LESS_THAN_THRESHOLD,
    statistic="Maximum",
    evaluation_periods=3,
    datapoints_to_alarm=3,
    treat_missing_data=Missing.MISSING,
)
#: One tunnel (TunnelIpAddress) down for 3 consecutive 5-minute periods: AWS's guide's alarm.
TUNNEL_DOWN: Final = AlarmSpec(
    threshold=0,
    comparison_operator=Comparison.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
    statistic="Maximum",
    evaluation_periods=3,
    datapoints_to_alarm=3,
    treat_missing_data=Missing.MISSING,
)


def _any_record(*, enabled: bool = True) -> AlarmSpec:
    """Fire on the first matching log record (Sum >= 1 in one period). The metric filters
    publish nothing when nothing matches, so missing data is the healthy case and does not
    breach."""
    return AlarmSpec(
        threshold=1,
        comparison_operator=Comparison.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        statistic="Sum",
        enabled=enabled,
    )


#: Any IKE negotiation failure record.
NEGOTIATION_FAILURES: Final = _any_record()
#: Any DPD timeout: the customer gateway stopped answering (reboot, ISP, firewall).
DPD_TIMEOUTS: Final = _any_record()
#: Any BGP session leaving Established (BGP VPNs only); a session's bring-up is not counted.
BGP_SESSION_DOWN: Final = _any_record()


#: Approaching the route quota: any "maximum prefix limit warning" record (BGP VPNs only). AWS
#: logs it periodically while the customer gateway advertises nearly as many prefixes as AWS
#: accepts; the session is still UP. It is the last signal before "maximum prefix limit was
#: exceeded" tears the session down, so it pages at the first record.
PREFIX_LIMIT_WARNING: Final = _any_record()
#: Routes AWS denied ("DENIED due to: ..." RouteStatus records). Counted by a metric filter and
#: listed by a saved query; @default no alarm (``enabled=False``): a denied route is a
#: configuration finding that the route tables show too, not an outage by itself.
ROUTES_DENIED: Final = _any_record(enabled=False)


@dataclass(frozen=True)
class VpnAlarmSpecs:
    """One :class:`AlarmSpec` per alarm; each @default is the module constant of the same name."""

    vpn_down: AlarmSpec = VPN_DOWN
    redundancy_lost: AlarmSpec = REDUNDANCY_LOST
    tunnel_down: AlarmSpec = TUNNEL_DOWN
    negotiation_failures: AlarmSpec = NEGOTIATION_FAILURES
    dpd_timeouts: AlarmSpec = DPD_TIMEOUTS
    bgp_session_down: AlarmSpec = BGP_SESSION_DOWN
    prefix_limit_warning: AlarmSpec = PREFIX_LIMIT_WARNING
    routes_denied: AlarmSpec = ROUTES_DENIED


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
    seconds = _period_seconds(spec.period)
    if not is_token(seconds) and seconds % 60 != 0:
        problems.append(
            Problem(f"{name}.period", f"{seconds}s", "must be a whole number of minutes")
        )
    if spec.comparison_operator not in _OPERATORS:
        problems.append(
            Problem(
                f"{name}.comparison_operator",
                spec.comparison_operator,
                "must be a static-threshold operator (>=, >, <, <=)",
            )
        )
    if spec.treat_missing_data not in _MISSING_DATA:
        problems.append(
            Problem(
                f"{name}.treat_missing_data", spec.treat_missing_data, "must be a TreatMissingData"
            )
        )
    if not isinstance(spec.threshold, int | float) or isinstance(spec.threshold, bool):
        problems.append(Problem(f"{name}.threshold", spec.threshold, "must be a number"))
    return problems


def validate_alarm_specs(specs: VpnAlarmSpecs, prefix: str = "") -> list[Problem]:
    """Every alarm spec's own rules, reported under ``<prefix><alarm>.<field>``."""
    problems: list[Problem] = []
    for f in fields(specs):
        problems += _spec_problems(f"{prefix}{f.name}", getattr(specs, f.name))
    return problems


@dataclass(frozen=True)
class MetricRef:
    """A CloudWatch metric as an alarm names it (no jsii object): namespace, name, dimensions."""

    namespace: str
    metric_name: str
    dimensions: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class AlarmRequest:
    """What the factory needs besides the spec: what to watch and what to tell the operator."""

    metric: MetricRef
    #: ``AlarmName``: says what fires it.
    name: str
    description: str
    #: ARNs notified when the alarm fires and when it clears. @default none
    action_arns: tuple[str, ...] = ()


def alarm_properties(spec: AlarmSpec, request: AlarmRequest) -> Mapping[str, Any]:
    """The ``AWS::CloudWatch::Alarm`` properties (CDK L1 keyword names) of one alarm."""
    properties: dict[str, Any] = {
        "alarm_name": request.name[:255],
        "alarm_description": request.description[:1024],
        "namespace": request.metric.namespace,
        "metric_name": request.metric.metric_name,
        "statistic": spec.statistic,
        "period": _period_seconds(spec.period),
        "evaluation_periods": spec.evaluation_periods,
        "datapoints_to_alarm": spec.datapoints_to_alarm,
        "threshold": spec.threshold,
        "comparison_operator": _OPERATORS[spec.comparison_operator][0],
        "treat_missing_data": _MISSING_DATA[spec.treat_missing_data],
        "actions_enabled": True,
    }
    if request.metric.dimensions:
        properties["dimensions"] = [
            cloudwatch.CfnAlarm.DimensionProperty(name=name, value=value)
            for name, value in request.metric.dimensions
        ]
    if request.action_arns:
        properties["alarm_actions"] = list(request.action_arns)
        properties["ok_actions"] = list(request.action_arns)
    return properties


def create_alarm(
    scope: Construct, construct_id: str, *, spec: AlarmSpec, request: AlarmRequest
) -> cloudwatch.CfnAlarm:
    """An L1 alarm from ``spec`` that notifies ``request.action_arns`` on ALARM and on OK."""
    return cloudwatch.CfnAlarm(scope, construct_id, **alarm_properties(spec, request))
