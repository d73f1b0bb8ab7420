"""The filter-pattern evaluator on the examples of AWS's syntax page.

Source of every example and expected result: "Filter pattern syntax for metric filters,
subscription filters, filter log events, and Live Tail" / "Filter and Pattern Syntax" (Amazon
CloudWatch Logs User Guide, https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/
FilterAndPatternSyntax.html), sections "Matching Terms in Log Events", "OR Pattern Matching",
"JSON Metric Filter Examples", "JSON Compound Conditions", "JSON Special Considerations",
"Numeric Comparisons" and "Using Metric Filters to Extract Values from Space-Delimited Log Events".
"""

from __future__ import annotations

import json

import pytest

from site_to_site_vpn.logs.filter_pattern import FilterPatternError, compile_pattern

# "Matching Terms in Log Events", examples 1-3.
FATAL = "[ERROR] A fatal exception has occurred"
EXITING = "Exiting with ERRORCODE: -1"
ILLEGAL = "[ERROR] Caught IllegalArgumentException"
UNHANDLED = "[ERROR] Unhandled Exception"
WARN_FAILED = "[WARN] Failed to process the request"
ERROR_FAILED = "[ERROR] Unable to continue: Failed to process the request"


def matching(pattern: str, messages: list[str]) -> list[str]:
    compiled = compile_pattern(pattern)
    return [m for m in messages if compiled.matches(m)]


def test_single_term_matches_inside_words() -> None:
    assert matching('"ERROR"', [FATAL, EXITING, WARN_FAILED]) == [FATAL, EXITING]
    assert matching("ERROR", [FATAL, EXITING, WARN_FAILED]) == [FATAL, EXITING]


def test_exclusion_with_a_space_after_the_minus() -> None:
    assert matching('"ERROR" - "Exiting"', [FATAL, EXITING]) == [FATAL]


def test_all_terms_must_appear() -> None:
    assert matching("ERROR Exception", [ILLEGAL, UNHANDLED, FATAL, WARN_FAILED]) == [
        ILLEGAL,
        UNHANDLED,
    ]
    assert matching("Failed to process the request", [WARN_FAILED, ERROR_FAILED, FATAL]) == [
        WARN_FAILED,
        ERROR_FAILED,
    ]


def test_terms_are_case_sensitive() -> None:
    assert matching("error", [FATAL]) == []


# "OR Pattern Matching": 1. ERROR WARN message, 2. ERROR message, 3. WARN message.
OR_EVENTS = ["ERROR WARN message", "ERROR message", "WARN message"]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("ERROR", [0, 1]),
        ("?ERROR ?WARN", [0, 1, 2]),
        ("ERROR WARN", [0]),
        ("ERROR -WARN", [1]),
    ],
)
def test_or_and_exclusion_of_terms(pattern: str, expected: list[int]) -> None:
    assert matching(pattern, OR_EVENTS) == [OR_EVENTS[i] for i in expected]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [("[w1=ERROR, w2]", [1]), ("[w1=ERROR || w1=WARN, w2]", [1, 2])],
)
def test_or_in_space_delimited_patterns(pattern: str, expected: list[int]) -> None:
    assert matching(pattern, OR_EVENTS) == [OR_EVENTS[i] for i in expected]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [("{$.foo = bar}", [0]), ("{$.foo = baz }", [1]), ("{$.foo = bar || $.foo = baz }", [0, 1])],
)
def test_or_in_json_patterns(pattern: str, expected: list[int]) -> None:
    events = ['{"foo": "bar"}', '{"foo": "baz"}']
    assert matching(pattern, events) == [events[i] for i in expected]


# "JSON Metric Filter Examples": the event and the filters that match it.
EXAMPLE_EVENT = json.dumps(
    {
        "eventType": "UpdateTrail",
        "sourceIPAddress": "111.111.111.111",
        "arrayKey": ["value", "another value"],
        "objectList": [{"name": "a", "id": 1}, {"name": "b", "id": 2}],
        "SomeObject": None,
        "ThisFlag": True,
    }
)


@pytest.mark.parametrize(
    "pattern",
    [
        '{ $.eventType = "UpdateTrail" }',
        "{ $.sourceIPAddress != 123.123.* }",
        '{ $.arrayKey[0] = "value" }',
        "{ $.objectList[1].id = 2 }",
        "{ $.SomeObject IS NULL }",
        "{ $.SomeOtherObject NOT EXISTS }",
        "{ $.ThisFlag IS TRUE }",
    ],
)
def test_json_examples_match(pattern: str) -> None:
    assert compile_pattern(pattern).matches(EXAMPLE_EVENT)


@pytest.mark.parametrize(
    "pattern",
    [
        '{ $.eventType = "UpdateTrai" }',
        "{ $.sourceIPAddress != 111.111.* }",
        '{ $.arrayKey[1] = "value" }',
        "{ $.eventType[0] = UpdateTrail }",  # not an array: false
        "{ $.objectList[1].name = 2 }",
        "{ $.ThisFlag IS NULL }",
        "{ $.SomeObject NOT EXISTS }",
        "{ $.ThisFlag IS FALSE }",
        "{ $.Missing != 1 }",  # a missing field matches no comparison
    ],
)
def test_json_near_misses_do_not_match(pattern: str) -> None:
    assert not compile_pattern(pattern).matches(EXAMPLE_EVENT)


def test_wildcards_at_the_start_or_end_only() -> None:
    # "*Event will match PutEvent and GetEvent. Event* will match EventId and EventName.
    # Ev*ent will only match the actual string Ev*ent."
    events = [json.dumps({"e": v}) for v in ("PutEvent", "EventId", "Ev*ent", "EvXent")]
    assert matching("{ $.e = *Event }", events) == [events[0]]
    assert matching("{ $.e = Event* }", events) == [events[1]]
    assert matching('{ $.e = "Ev*ent" }', events) == [events[2]]
    assert matching('{ $.e = "*vent*" }', events) == [events[0], events[1]]


# "JSON Compound Conditions".
COMPOUND_EVENT = json.dumps(
    {
        "user": {"id": 1, "email": "John.Stiles@example.com"},
        "users": [
            {"id": 2, "email": "John.Doe@example.com"},
            {"id": 3, "email": "Jane.Doe@example.com"},
        ],
        "actions": ["GET", "PUT", "DELETE"],
        "coordinates": [[0, 1, 2], [4, 5, 6], [7, 8, 9]],
    }
)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ('{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }', True),
        ('{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }', False),
        (
            '{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch'
            " && $.actions[2] = nomatch }",
            True,
        ),
        (
            '{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch)'
            " && $.actions[2] = nomatch }",
            False,
        ),
    ],
)
def test_compound_conditions_follow_the_documented_precedence(pattern: str, expected: bool) -> None:
    assert compile_pattern(pattern).matches(COMPOUND_EVENT) is expected


def test_selector_on_an_array_matches_neither_equal_nor_not_equal() -> None:
    # "both {$.users = 1} and {$.users != 1} will fail to match ... where users is an array"
    event = json.dumps({"users": [1, 2, 3]})
    assert not compile_pattern("{$.users = 1}").matches(event)
    assert not compile_pattern("{$.users != 1}").matches(event)


@pytest.mark.parametrize(
    ("pattern", "event", "expected"),
    [
        ("{ $.latency >= 500 }", {"latency": 500}, True),
        ("{ $.latency >= 500 }", {"latency": 499.9}, False),
        ("{ $.numbers[0] < 10e3 }", {"numbers": [9999]}, True),
        ("{ $.numbers[0] < 10e-3 }", {"numbers": [0.01]}, False),
        ("{ $.processes[4].averageRuntime <= 55.5 }", {"processes": [{}] * 4 + [{"a": 1}]}, False),
        ("{ $.errorCode = 400 }", {"errorCode": 400}, True),
        ("{ $.errorCode != 500 }", {"errorCode": 400}, True),
        ("{ $.errorCode != 500 }", {"errorCode": 500}, False),
        ("{ $.latency > +1000 }", {"latency": 1001}, True),
        ("{ $.latency = * }", {"latency": 3}, True),
        ("{ $.latency = * }", {"other": 3}, False),
    ],
)
def test_numeric_comparisons(pattern: str, event: dict[str, object], expected: bool) -> None:
    assert compile_pattern(pattern).matches(json.dumps(event)) is expected


def test_json_pattern_never_matches_a_text_event() -> None:
    assert not compile_pattern('{ $.details = "*DPD*" }').matches("AWS tunnel DPD timed out")


# "Using Metric Filters to Extract Values from Space-Delimited Log Events".
APACHE = [
    '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534',
    '127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /apache_pb.gif HTTP/1.0" 500 5324',
    '127.0.0.1 - frank [10/Oct/2000:13:50:35 -0700] "GET /index.html HTTP/1.0" 404 4355',
]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("[ip, user, username, timestamp, request, status_code, bytes]", [0, 1, 2]),
        ("[..., status_code, bytes]", [0, 1, 2]),
        ("[ip, user, ..., status_code, bytes]", [0, 1, 2]),
        ("[ip, user, ...]", [0, 1, 2]),
        ("[ip, user, username, timestamp, request, status_code, bytes > 1000]", [0, 1, 2]),
        ("[ip, user, username, timestamp, request, status_code, bytes > 5000]", [1]),
        ("[ip, user, username, timestamp, request, status_code = 200, bytes]", [0]),
        ("[ip, user, username, timestamp, request, status_code = 4*, bytes]", [2]),
        ("[ip, user, username, timestamp, request = *html*, status_code = 4*, bytes]", [2]),
        ("[ip, user, username, timestamp, request = *gif*, status_code = 4*, bytes]", []),
        ("[ip, user, username, timestamp, request]", []),
    ],
)
def test_space_delimited_examples(pattern: str, expected: list[int]) -> None:
    assert matching(pattern, APACHE) == [APACHE[i] for i in expected]


def test_regex_terms() -> None:
    assert matching("%ERROR [0-9]+%", ["ERROR 42 x", "ERROR x"]) == ["ERROR 42 x"]
    assert compile_pattern("{ $.m = %tim.d out% }").matches('{"m": "DPD timed out"}')


def test_empty_pattern_matches_everything() -> None:
    assert compile_pattern("").matches("anything")


@pytest.mark.parametrize(
    "pattern",
    ["{ $.a = 1", '"unterminated', "pre-shared", "{ $.a < abc }", "{ $.a = }", "{ a = 1 }"],
)
def test_invalid_patterns_are_refused(pattern: str) -> None:
    with pytest.raises(FilterPatternError):
        compile_pattern(pattern)
