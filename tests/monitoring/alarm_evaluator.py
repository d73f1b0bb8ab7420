"""CloudWatch alarm evaluation, offline, for alarms read from a synthesized template.

Implements the documented behaviour of a metric alarm (static threshold, no metric math: the
library's alarms use none):

- "Using Amazon CloudWatch alarms" / "Evaluating an alarm" (Amazon CloudWatch User Guide,
  https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html): the
  statistic is computed per ``Period``; the alarm looks at the last ``EvaluationPeriods`` periods
  (the evaluation range) and goes to ALARM when at least ``DatapointsToAlarm`` of them breach
  (``ComparisonOperator`` against ``Threshold``), to OK otherwise.
- "Configuring how CloudWatch alarms treat missing data": ``notBreaching`` counts a missing
  period as good, ``breaching`` as bad, ``ignore`` keeps the current state when every period of the
  range is missing, ``missing`` (the default) goes to INSUFFICIENT_DATA when every period of the
  range is missing; a new alarm starts in INSUFFICIENT_DATA.

The alarm is evaluated at the end of every period, as CloudWatch does for a period of one minute
or more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

OK: Final = "OK"
ALARM: Final = "ALARM"
INSUFFICIENT: Final = "INSUFFICIENT_DATA"

_STATISTICS: Final[dict[str, Callable[[list[float]], float]]] = {
    "Maximum": max,
    "Minimum": min,
    "Sum": sum,
    "Average": lambda v: sum(v) / len(v),
    "SampleCount": lambda v: float(len(v)),
}
_COMPARE: Final[dict[str, Callable[[float, float], bool]]] = {
    "GreaterThanOrEqualToThreshold": lambda v, t: v >= t,
    "GreaterThanThreshold": lambda v, t: v > t,
    "LessThanThreshold": lambda v, t: v < t,
    "LessThanOrEqualToThreshold": lambda v, t: v <= t,
}

#: A metric's identity: namespace, name and its dimensions (name, value) sorted.
MetricKey = tuple[str, str, tuple[tuple[str, str], ...]]


@dataclass(frozen=True)
class AlarmDefinition:
    logical_id: str
    name: str
    metric: MetricKey
    statistic: str
    period: int
    evaluation_periods: int
    datapoints_to_alarm: int
    threshold: float
    comparison: str
    treat_missing_data: str

    @staticmethod
    def from_template(
        logical_id: str, properties: Mapping[str, Any], resolve: Callable[[Any], str]
    ) -> AlarmDefinition:
        """Read one ``AWS::CloudWatch::Alarm``; ``resolve`` turns a dimension value into text."""
        assert "Metrics" not in properties, "metric math is not used by the library"
        dimensions = tuple(
            sorted((d["Name"], resolve(d["Value"])) for d in properties.get("Dimensions", []))
        )
        evaluation_periods = int(properties["EvaluationPeriods"])
        return AlarmDefinition(
            logical_id=logical_id,
            name=str(properties.get("AlarmName", logical_id)),
            metric=(properties["Namespace"], properties["MetricName"], dimensions),
            statistic=properties["Statistic"],
            period=int(properties["Period"]),
            evaluation_periods=evaluation_periods,
            datapoints_to_alarm=int(properties.get("DatapointsToAlarm", evaluation_periods)),
            threshold=float(properties["Threshold"]),
            comparison=properties["ComparisonOperator"],
            treat_missing_data=properties.get("TreatMissingData", "missing"),
        )


@dataclass(frozen=True)
class Transition:
    at: int
    state: str


def _period_value(alarm: AlarmDefinition, values: list[float]) -> float | None:
    return _STATISTICS[alarm.statistic](values) if values else None


def evaluate(
    alarm: AlarmDefinition,
    datapoints: Iterable[tuple[int, float]],
    *,
    end: int,
    start: int = 0,
) -> list[Transition]:
    """The alarm's state changes from ``start`` to ``end`` (seconds) for these datapoints."""
    buckets: dict[int, list[float]] = {}
    for at, point in datapoints:
        if start <= at < end:
            buckets.setdefault((at - start) // alarm.period, []).append(point)
    state = INSUFFICIENT
    transitions: list[Transition] = []
    for period_end in range(start + alarm.period, end + 1, alarm.period):
        last = (period_end - start) // alarm.period - 1
        window = range(last - alarm.evaluation_periods + 1, last + 1)
        verdicts: list[bool | None] = []  # True breaching, False not, None missing
        for index in window:
            value = _period_value(alarm, buckets.get(index, [])) if index >= 0 else None
            if value is None:
                verdicts.append(
                    {"breaching": True, "notBreaching": False}.get(alarm.treat_missing_data)
                )
            else:
                verdicts.append(_COMPARE[alarm.comparison](value, alarm.threshold))
        if sum(v is True for v in verdicts) >= alarm.datapoints_to_alarm:
            new = ALARM
        elif all(v is None for v in verdicts):
            new = state if alarm.treat_missing_data == "ignore" else INSUFFICIENT
        else:
            new = OK
        if new != state:
            transitions.append(Transition(period_end, new))
            state = new
    return transitions
