"""Every alarm of a default BGP VPN, read from its synthesized template, through CloudWatch's
documented alarm evaluation (``alarm_evaluator``) in the outage scenarios operators live through.

Metrics are simulated as AWS documents them ("Monitor Site-to-Site VPN tunnels using CloudWatch"):
per tunnel (TunnelIpAddress) TunnelState 1 up / 0 down; per VPN (VpnId) the fraction of tunnels up.
One datapoint a minute: the worst case for false alarms, since every short outage is seen. Log
records come from ``log_corpus`` (AWS's documented records) and are counted by the template's own
metric filters through the filter-pattern evaluator, one datapoint of 1 per matching record.
Each scenario runs at five start offsets (0-4 minutes into a 5-minute period), so an alarm that
fires for only some alignments of the outage is caught.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Final

import pytest

from site_to_site_vpn import VpnMonitoringOptions
from site_to_site_vpn.logs.catalog import LogKind
from site_to_site_vpn.logs.filter_pattern import compile_pattern
from tests.monitoring import log_corpus as corpus
from tests.monitoring.alarm_evaluator import (
    ALARM,
    INSUFFICIENT,
    OK,
    AlarmDefinition,
    MetricKey,
    Transition,
    evaluate,
)
from tests.support import REPO, bgp_vpn_template, logical_id_containing, resources_of_type

pytestmark = pytest.mark.xdist_group("monitoring-scenarios")

OUTSIDE_IPS: Final = ("198.51.100.1", "198.51.100.2")
VPN_ID: Final = "vpn-scenario"
MINUTE: Final = 60
HORIZON: Final = 90 * MINUTE


def _tunnel_json(label: str, contains: str) -> str:
    return next(
        r.message
        for r in corpus.CORPUS
        if r.kind is LogKind.TUNNEL
        and r.output_format == "json"
        and r.label == label
        and contains in r.message
    )


def _bgp_json(contains: str) -> str:
    return next(
        r.message
        for r in corpus.CORPUS
        if r.kind is LogKind.BGP and r.output_format == "json" and contains in r.message
    )


#: What the logs show (documented records only).
REKEY: Final = [
    _tunnel_json(corpus.HEALTHY, "processed request"),
    _tunnel_json(corpus.HEALTHY, "sending response"),
]
DPD: Final = [_tunnel_json("dpd_timeout", "DPD timed out")]
BGP_LOST: Final = [_bgp_json("Hold Timer Expired"), _bgp_json("from Established to Idle")]
BGP_BRING_UP: Final = [
    _bgp_json("initiating a connection"),
    _bgp_json("from Idle to Connect"),
    _bgp_json("from Connect to OpenSent"),
    _bgp_json("sent an OPEN message"),
    _bgp_json("from OpenSent to OpenConfirm"),
    _bgp_json("from OpenConfirm to Established"),
]
ROUTES: Final = [_bgp_json('"ADVERTISED"')]
#: AWS's "maximum prefix limit warning" (BGP status UP: the session stays up).
PREFIX_WARNING: Final = [_bgp_json("maximum prefix limit warning")]
#: RouteStatus records of routes AWS denied ("DENIED due to: ...").
DENIED: Final = [_bgp_json("DENIED due to: as-path"), _bgp_json("DENIED due to: non-connected")]


@dataclass(frozen=True)
class Scenario:
    title: str
    #: (first minute, last minute exclusive) each tunnel is down.
    down: tuple[tuple[int, int] | None, tuple[int, int] | None] = (None, None)
    #: (minute, log kind, messages).
    logs: tuple[tuple[int, LogKind, tuple[str, ...]], ...] = ()
    #: Minutes with no AWS/VPN datapoints at all.
    no_data: bool = False
    expected: dict[str, str] = field(default_factory=dict)


def _outage(start: int, minutes: int, tunnels: int) -> dict[str, Any]:
    """Tunnels 1..n down from ``start``; DPD and BGP loss logged at once; bring-up at the end."""
    window = (start, start + minutes)
    logs = [(start, LogKind.TUNNEL, tuple(DPD * tunnels)), (start, LogKind.BGP, tuple(BGP_LOST))]
    if start + minutes < HORIZON // MINUTE:
        logs.append((start + minutes, LogKind.BGP, tuple(BGP_BRING_UP * tunnels)))
    return {
        "down": (window, window if tunnels == 2 else None),
        "logs": tuple(logs),
    }


ALARMS: Final = (
    "VpnDown",
    "RedundancyLost",
    "TunnelADown",
    "TunnelBDown",
    "NegotiationFailures",
    "DpdTimeouts",
    "BgpSessionDown",
    "PrefixLimitWarning",
)


def _expect(*fired: str, insufficient: tuple[str, ...] = ()) -> dict[str, str]:
    return {
        name: ALARM if name in fired else INSUFFICIENT if name in insufficient else OK
        for name in ALARMS
    }


SCENARIOS: Final = (
    Scenario(
        "both tunnels up 1 h",
        logs=((10, LogKind.TUNNEL, tuple(REKEY)), (30, LogKind.BGP, tuple(ROUTES))),
        expected=_expect(),
    ),
    Scenario(
        # AWS replaces one endpoint: no DPD (AWS took it down), a normal BGP bring-up after.
        "one tunnel down 5 min (AWS endpoint maintenance)",
        down=((20, 25), None),
        logs=((25, LogKind.BGP, tuple(BGP_BRING_UP)), (25, LogKind.TUNNEL, tuple(REKEY))),
        expected=_expect(),
    ),
    Scenario(
        "one tunnel down 20 min",
        **_outage(20, 20, tunnels=1),
        expected=_expect("RedundancyLost", "TunnelADown", "DpdTimeouts", "BgpSessionDown"),
    ),
    Scenario(
        "both tunnels down 10 min",
        **_outage(20, 10, tunnels=2),
        expected=_expect("VpnDown", "DpdTimeouts", "BgpSessionDown"),
    ),
    Scenario(
        "both tunnels down 1 h",
        **_outage(20, 60, tunnels=2),
        expected=_expect(
            "VpnDown",
            "RedundancyLost",
            "TunnelADown",
            "TunnelBDown",
            "DpdTimeouts",
            "BgpSessionDown",
        ),
    ),
    Scenario(
        # Approaching the route quota: AWS repeats the warning; the session stays up.
        "BGP prefix limit warning, session up",
        logs=tuple((minute, LogKind.BGP, tuple(PREFIX_WARNING)) for minute in (20, 50)),
        expected=_expect("PrefixLimitWarning"),
    ),
    Scenario(
        # Denied routes are counted (BgpRoutesDenied) but page nobody by default.
        "AWS denies 2 advertised routes",
        logs=((20, LogKind.BGP, tuple(DENIED)),),
        expected=_expect(),
    ),
    Scenario(
        "no data for 30 min (a new VPN)",
        no_data=True,
        expected=_expect(insufficient=("VpnDown", "RedundancyLost", "TunnelADown", "TunnelBDown")),
    ),
)


@dataclass(frozen=True)
class Outcome:
    #: The state the alarm reports: ALARM if it fired at any offset, else its final state.
    state: str
    #: Minutes from the outage start to ALARM (min, max over offsets), if it fired.
    after: tuple[int, int] | None


def _template() -> tuple[dict[str, Any], dict[str, AlarmDefinition]]:
    # Every alarm, RedundancyLost included (by default it is left out when both tunnels have
    # their own alarm), so the table shows what each one does.
    _, template = bgp_vpn_template(
        monitoring=VpnMonitoringOptions(
            tunnel_outside_ip_addresses=OUTSIDE_IPS, redundancy_lost_with_tunnel_alarms=True
        )
    )
    vpn = logical_id_containing(template, "AWS::EC2::VPNConnection", "Vpn")

    def resolve(value: Any) -> str:
        if value == {"Fn::GetAtt": [vpn, "VpnConnectionId"]}:
            return VPN_ID
        assert isinstance(value, str), value
        return value

    alarms = {}
    for key, resource in resources_of_type(template, "AWS::CloudWatch::Alarm").items():
        name = key.split("Monitoring", 1)[1].split("Alarm", 1)[0]
        alarms[name] = AlarmDefinition.from_template(key, resource["Properties"], resolve)
    return template, alarms


def _metric_filters(template: dict[str, Any]) -> list[tuple[LogKind, Any, MetricKey]]:
    groups = {
        logical_id_containing(template, "AWS::Logs::LogGroup", "TunnelLogGroup"): LogKind.TUNNEL,
        logical_id_containing(template, "AWS::Logs::LogGroup", "BgpLogGroup"): LogKind.BGP,
    }
    found: list[tuple[LogKind, Any, MetricKey]] = []
    for resource in resources_of_type(template, "AWS::Logs::MetricFilter").values():
        properties = resource["Properties"]
        [transformation] = properties["MetricTransformations"]
        found.append(
            (
                groups[properties["LogGroupName"]["Ref"]],
                compile_pattern(properties["FilterPattern"]),
                (transformation["MetricNamespace"], transformation["MetricName"], ()),
            )
        )
    return found


def _datapoints(
    scenario: Scenario, offset: int, filters: list[tuple[LogKind, Any, MetricKey]]
) -> dict[MetricKey, list[tuple[int, float]]]:
    points: dict[MetricKey, list[tuple[int, float]]] = {}
    if not scenario.no_data:
        for minute in range(HORIZON // MINUTE):
            at = (minute + offset) * MINUTE
            states = []
            for ip, window in zip(OUTSIDE_IPS, scenario.down, strict=True):
                up = 0.0 if window is not None and window[0] <= minute < window[1] else 1.0
                states.append(up)
                key = ("AWS/VPN", "TunnelState", (("TunnelIpAddress", ip),))
                points.setdefault(key, []).append((at, up))
            per_vpn = ("AWS/VPN", "TunnelState", (("VpnId", VPN_ID),))
            points.setdefault(per_vpn, []).append((at, sum(states) / len(states)))
    for minute, kind, messages in scenario.logs:
        for message in messages:
            json.loads(message)  # every record is a JSON record as the metric filters see it
            for filter_kind, pattern, metric in filters:
                if filter_kind is kind and pattern.matches(message):
                    points.setdefault(metric, []).append(((minute + offset) * MINUTE, 1.0))
    return points


def _outcome(alarm: AlarmDefinition, scenario: Scenario, filters: Any) -> Outcome:
    fired_after = []
    final = OK
    # From the outage, or (no outage) from the first log record.
    first_record = min((minute for minute, _, _ in scenario.logs), default=None)
    outage_start = min((w[0] for w in scenario.down if w is not None), default=first_record)
    for offset in range(5):
        points = _datapoints(scenario, offset, filters).get(alarm.metric, [])
        end = 30 * MINUTE if scenario.no_data else HORIZON
        transitions: list[Transition] = evaluate(alarm, points, end=end)
        final = transitions[-1].state if transitions else INSUFFICIENT
        first_alarm = next((t.at for t in transitions if t.state == ALARM), None)
        if first_alarm is not None:
            reference = (outage_start or 0) + offset
            fired_after.append(first_alarm // MINUTE - reference)
    if fired_after:
        return Outcome(ALARM, (min(fired_after), max(fired_after)))
    return Outcome(final, None)


@pytest.fixture(scope="module")
def synthesized() -> tuple[dict[str, Any], dict[str, AlarmDefinition]]:
    return _template()


@pytest.fixture(scope="module")
def table(
    synthesized: tuple[dict[str, Any], dict[str, AlarmDefinition]],
) -> dict[str, dict[str, Outcome]]:
    template, alarms = synthesized
    assert sorted(alarms) == sorted(ALARMS)
    filters = _metric_filters(template)
    return {
        scenario.title: {name: _outcome(alarm, scenario, filters) for name, alarm in alarms.items()}
        for scenario in SCENARIOS
    }


def scenario_markdown(table: dict[str, dict[str, Outcome]]) -> str:
    """The table as the README shows it: ALARM (minutes after the outage began) / OK / ..."""
    lines = [
        "| scenario | " + " | ".join(ALARMS) + " |",
        "|---|" + "---|" * len(ALARMS),
    ]
    for title, row in table.items():
        cells = []
        for name in ALARMS:
            outcome = row[name]
            if outcome.after is None:
                cells.append(outcome.state.replace("INSUFFICIENT_DATA", "no data"))
            else:
                low, high = outcome.after
                cells.append(
                    f"**ALARM** {low}-{high} min" if low != high else f"**ALARM** {low} min"
                )
        lines.append(f"| {title} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.title)
def test_scenario(table: dict[str, dict[str, Outcome]], scenario: Scenario) -> None:
    got = {name: outcome.state for name, outcome in table[scenario.title].items()}
    assert got == scenario.expected, scenario_markdown(table)


def test_the_templates_filters_count_warnings_and_denials_in_their_own_metrics(
    synthesized: tuple[dict[str, Any], dict[str, AlarmDefinition]],
) -> None:
    """The matrix through the synthesized metric filters: the prefix-limit warning only in
    BgpPrefixLimitWarnings, each DENIED record only in BgpRoutesDenied, neither in
    BgpSessionDown."""
    filters = _metric_filters(synthesized[0])
    for records, metric, count in (
        (PREFIX_WARNING, "BgpPrefixLimitWarnings", 1),
        (DENIED, "BgpRoutesDenied", 2),
    ):
        scenario = Scenario("records", no_data=True, logs=((0, LogKind.BGP, tuple(records)),))
        points = _datapoints(scenario, 0, filters)
        assert {key[1]: len(values) for key, values in points.items()} == {metric: count}


def test_redundancy_lost_fires_between_15_and_20_minutes_as_its_name_says(
    table: dict[str, dict[str, Outcome]],
) -> None:
    after = table["one tunnel down 20 min"]["RedundancyLost"].after
    assert after is not None
    assert 15 <= after[0] <= after[1] <= 20


def test_vpn_down_pages_within_10_minutes_of_a_double_outage(
    table: dict[str, dict[str, Outcome]],
) -> None:
    after = table["both tunnels down 10 min"]["VpnDown"].after
    assert after is not None
    assert after[1] <= 10


def test_docs_show_the_table_the_tests_compute(table: dict[str, dict[str, Outcome]]) -> None:
    guide = (REPO / "docs" / "guides" / "monitoring.md").read_text(encoding="utf-8")
    assert scenario_markdown(table) in guide


def test_print_table(table: dict[str, dict[str, Outcome]]) -> None:
    """``pytest -s -k print_table`` prints the table for docs/guides/monitoring.md."""
    text = scenario_markdown(table)
    print(text)
    assert text.count("\n") == len(SCENARIOS) + 1


def _definition(**overrides: Any) -> AlarmDefinition:
    base: dict[str, Any] = {
        "logical_id": "A",
        "name": "A",
        "metric": ("AWS/VPN", "TunnelState", (("VpnId", VPN_ID),)),
        "statistic": "Maximum",
        "period": 300,
        "evaluation_periods": 1,
        "datapoints_to_alarm": 1,
        "threshold": 1,
        "comparison": "LessThanThreshold",
        "treat_missing_data": "breaching",
    }
    return AlarmDefinition(**{**base, **overrides})


def test_the_former_vpn_down_would_page_for_routine_maintenance() -> None:
    """The evaluator tells the old VpnDown (Maximum < 1) from the fixed one (Maximum <= 0)."""
    scenario = SCENARIOS[1]
    old = _definition()
    fixed = _definition(threshold=0, comparison="LessThanOrEqualToThreshold")
    assert _outcome(old, scenario, []).state == ALARM
    assert _outcome(fixed, scenario, []).state == OK


def test_the_former_redundancy_lost_fired_after_7_minutes_and_after_a_double_outage_ended() -> None:
    old = _definition(statistic="Minimum", evaluation_periods=3, datapoints_to_alarm=3)
    seven = Scenario("one down 7 min", down=((21, 28), None))
    assert _outcome(old, seven, []).state == ALARM
    assert _outcome(old, SCENARIOS[3], []).state == ALARM
    fixed = _definition(evaluation_periods=3, datapoints_to_alarm=3, treat_missing_data="missing")
    assert _outcome(fixed, seven, []).state == OK
    assert _outcome(fixed, SCENARIOS[3], []).state == OK


def test_the_former_bgp_pattern_counted_a_healthy_bring_up() -> None:
    old = compile_pattern("BGPStatus DOWN")
    assert sum(old.matches(m) for m in BGP_BRING_UP) == 5


@pytest.mark.parametrize(
    ("missing", "expected"),
    [("missing", INSUFFICIENT), ("breaching", ALARM), ("notBreaching", OK)],
)
def test_missing_data_treatments(missing: str, expected: str) -> None:
    transitions = evaluate(_definition(treat_missing_data=missing), [], end=900)
    final = transitions[-1].state if transitions else INSUFFICIENT
    assert final == expected


def test_m_of_n() -> None:
    alarm = _definition(evaluation_periods=3, datapoints_to_alarm=2, treat_missing_data="missing")
    down_up_down = [(0, 0.0), (300, 1.0), (600, 0.0)]
    assert evaluate(alarm, down_up_down, end=900)[-1] == Transition(900, ALARM)
    assert evaluate(alarm, down_up_down[:2], end=600)[-1].state == OK
