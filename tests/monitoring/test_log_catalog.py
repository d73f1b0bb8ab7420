"""The failure classes' patterns against every documented log record (``log_corpus``).

The matrix: zero healthy records counted as a failure, and every failure record caught by the
class (and so the metric) meant for it, in the JSON format the metric filters read and in the
text format ``classify`` also accepts.
"""

from __future__ import annotations

from collections import Counter

import pytest

from site_to_site_vpn.logs.catalog import (
    ALL_CLASSES,
    BGP_DOWN,
    PREFIX_LIMIT_WARNING,
    ROUTE_DENIED,
    FailureMetric,
    LogKind,
    classes_for,
    classify,
)
from site_to_site_vpn.logs.filter_pattern import compile_pattern
from tests.monitoring.log_corpus import CORPUS, HEALTHY, LogRecord, record_id

FAILURE_NAMES = {c.name for c in ALL_CLASSES}


def expected(record: LogRecord) -> tuple[str, ...]:
    return (record.label,) if record.label in FAILURE_NAMES else ()


def test_corpus_covers_every_documented_record_kind() -> None:
    assert len(CORPUS) >= 40
    labels = Counter(r.label for r in CORPUS)
    assert set(labels) >= {HEALTHY, *FAILURE_NAMES}
    assert {r.output_format for r in CORPUS} == {"json", "text"}
    assert all(r.source for r in CORPUS)


@pytest.mark.parametrize("record", CORPUS, ids=record_id)
def test_classify_names_exactly_the_records_failure_class(record: LogRecord) -> None:
    assert classify(record.message, record.kind) == expected(record)


@pytest.mark.parametrize("record", [r for r in CORPUS if r.output_format == "json"], ids=record_id)
def test_each_metric_filter_counts_only_its_own_failures(record: LogRecord) -> None:
    """What each metric filter (its JSON pattern on its log group) would publish for the record."""
    counted = {
        failure.metric
        for failure in classes_for(record.kind)
        if compile_pattern(failure.json_pattern).matches(record.message)
    }
    wanted = {c.metric for c in ALL_CLASSES if c.name == record.label}
    assert counted == wanted


def test_bring_up_records_with_status_down_are_not_a_session_down() -> None:
    bring_up = [
        r
        for r in CORPUS
        if r.kind is LogKind.BGP and r.label == HEALTHY and '"status": "DOWN"' in r.message
    ]
    assert len(bring_up) == 5
    pattern = compile_pattern(BGP_DOWN.json_pattern)
    assert not [r for r in bring_up if pattern.matches(r.message)]


def test_one_filter_per_metric_and_patterns_fit_cloudwatch_limits() -> None:
    assert len({c.metric for c in ALL_CLASSES}) == len(ALL_CLASSES) == len(FailureMetric)
    for failure in ALL_CLASSES:
        # AWS::Logs::MetricFilter FilterPattern: at most 1,024 characters.
        assert len(failure.json_pattern) <= 1024
        compile_pattern(failure.text_pattern)


def test_a_record_of_the_other_log_kind_is_not_classified() -> None:
    dpd = next(r for r in CORPUS if r.label == "dpd_timeout" and r.output_format == "json")
    assert classify(dpd.message, LogKind.BGP) == ()


def _json_records(label: str) -> list[LogRecord]:
    return [r for r in CORPUS if r.label == label and r.output_format == "json"]


def _metrics_counting(record: LogRecord) -> set[FailureMetric]:
    return {
        failure.metric
        for failure in classes_for(record.kind)
        if compile_pattern(failure.json_pattern).matches(record.message)
    }


def test_the_prefix_limit_warning_counts_in_its_own_metric_only() -> None:
    """AWS's table gives the warning status UP: it must not page as a session down."""
    (warning,) = _json_records("prefix_limit_warning")
    assert '"status": "UP"' in warning.message
    assert _metrics_counting(warning) == {FailureMetric.BGP_PREFIX_LIMIT_WARNINGS}
    assert not compile_pattern(BGP_DOWN.json_pattern).matches(warning.message)
    assert PREFIX_LIMIT_WARNING.metric.value == "BgpPrefixLimitWarnings"


def test_the_prefix_limit_exceeded_is_a_session_down_not_a_warning() -> None:
    exceeded = [r for r in _json_records("bgp_down") if "was exceeded" in r.message]
    assert len(exceeded) == 1
    assert _metrics_counting(exceeded[0]) == {FailureMetric.BGP_SESSION_DOWN}


def test_denied_routes_count_in_their_own_metric_only() -> None:
    denied = _json_records("route_denied")
    assert len(denied) == 2
    for record in denied:
        assert '"type": "RouteStatus"' in record.message
        assert _metrics_counting(record) == {FailureMetric.BGP_ROUTES_DENIED}
    # The routine route changes are not denials.
    routine = [r for r in CORPUS if r.label == HEALTHY and '"RouteStatus"' in r.message]
    assert routine
    assert not [r for r in routine if compile_pattern(ROUTE_DENIED.json_pattern).matches(r.message)]


def test_a_denied_phrase_in_a_bgp_status_record_is_not_a_denied_route() -> None:
    """The denied-route filter reads RouteStatus records only: the type selector matters."""
    status = '{"type": "BGPStatus", "status": "UP", "message": {"details": "DENIED due to: x"}}'
    assert not compile_pattern(ROUTE_DENIED.json_pattern).matches(status)
