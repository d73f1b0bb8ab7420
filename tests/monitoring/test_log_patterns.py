"""Every metric filter pattern, run through a real CloudWatch Logs filter evaluator (moto's).

moto's ``filter_log_events`` evaluates exact phrases (``"a b"``) and all-of terms (``a b``) but
treats JSON (``{ $.x = ... }``), OR (``?a ?b``), exclusion (``-a``) and regex (``%a%``) patterns
as "match everything"; the last test pins that, so a moto upgrade that learns them is noticed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import boto3
import pytest
from moto import mock_aws

from site_to_site_vpn.constructs.log_patterns import (
    ALL_PATTERNS,
    FailureMetric,
    LogKind,
    LogPattern,
    patterns_for,
)

Matcher = Callable[[str, list[str]], list[str]]


@pytest.fixture(scope="module")
def matches() -> Iterator[Matcher]:
    """``matches(pattern, records)``: the records moto's filter_log_events returns for pattern."""
    with mock_aws():
        client = boto3.client(
            "logs",
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        counter = iter(range(1_000_000))

        def run(pattern: str, records: list[str]) -> list[str]:
            group = f"/test/patterns/{next(counter)}"
            client.create_log_group(logGroupName=group)
            client.create_log_stream(logGroupName=group, logStreamName="tunnel")
            now = int(time.time() * 1000)
            client.put_log_events(
                logGroupName=group,
                logStreamName="tunnel",
                logEvents=[{"timestamp": now + i, "message": r} for i, r in enumerate(records)],
            )
            events = client.filter_log_events(logGroupName=group, filterPattern=pattern)["events"]
            return [event["message"] for event in events]

        yield run


@pytest.mark.parametrize("pattern", ALL_PATTERNS, ids=lambda p: p.name)
def test_pattern_matches_its_record(matches: Matcher, pattern: LogPattern) -> None:
    assert matches(pattern.pattern, [pattern.matching_record]) == [pattern.matching_record]


@pytest.mark.parametrize("pattern", ALL_PATTERNS, ids=lambda p: p.name)
def test_pattern_ignores_its_non_matching_record(matches: Matcher, pattern: LogPattern) -> None:
    assert matches(pattern.pattern, [pattern.non_matching_record]) == []


@pytest.mark.parametrize("kind", list(LogKind))
def test_healthy_records_feed_no_failure_metric(matches: Matcher, kind: LogKind) -> None:
    """A record some pattern must ignore is ignored by every pattern of that log kind."""
    patterns = patterns_for(kind)
    healthy = sorted({p.non_matching_record for p in patterns})
    for pattern in patterns:
        assert matches(pattern.pattern, healthy) == [], pattern.name


def test_patterns_do_not_cross_log_kinds(matches: Matcher) -> None:
    """Tunnel patterns never count BGP records and BGP patterns never count tunnel records."""
    for kind, other in ((LogKind.TUNNEL, LogKind.BGP), (LogKind.BGP, LogKind.TUNNEL)):
        other_records = [p.matching_record for p in patterns_for(other)]
        for pattern in patterns_for(kind):
            assert matches(pattern.pattern, other_records) == [], pattern.name


def test_every_failure_metric_has_patterns() -> None:
    assert {p.metric for p in ALL_PATTERNS} == set(FailureMetric)
    assert len({p.name for p in ALL_PATTERNS}) == len(ALL_PATTERNS)


def test_patterns_use_only_forms_the_evaluator_checks() -> None:
    for pattern in ALL_PATTERNS:
        text = pattern.pattern
        quoted_phrase = text.startswith('"') and text.endswith('"') and text.count('"') == 2
        plain_terms = all(word.isalnum() for word in text.split(" "))
        assert quoted_phrase or plain_terms, pattern.name


@pytest.mark.parametrize(
    "unsupported",
    ['{ $.details = "*mismatch*" }', '?"DPD" ?"dead"', '-"DPD"', "%DPD%"],
)
def test_moto_cannot_evaluate_json_or_or_patterns(matches: Matcher, unsupported: str) -> None:
    """moto returns every record for these forms: they could not be checked, so none is used."""
    record = '{"details": "nothing to see"}'
    assert matches(unsupported, [record]) == [record]
