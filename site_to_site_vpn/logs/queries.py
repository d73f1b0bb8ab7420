"""CloudWatch Logs Insights queries over a VPN's tunnel and BGP logs, built from the catalog.

The saved queries (``AWS::Logs::QueryDefinition``) and the dashboard's widgets use these, so what
a query calls a failure is what the metric filters count. Syntax: "CloudWatch Logs Insights
language query syntax" (``fields``, ``filter ... like /regex/``, ``stats ... by bin()``, ``sort``,
``limit``; Amazon CloudWatch Logs User Guide). No CDK import.
"""

from __future__ import annotations

import re
from typing import Final

from site_to_site_vpn.logs.catalog import BGP_DOWN, ROUTE_DENIED, LogKind, classes_for

#: Characters with a meaning in a Logs Insights ``/regex/`` (``/`` ends it).
_REGEX_SPECIAL: Final = re.compile(r"([.*+?^${}()|\[\]\\/])")
#: How many log records the "last failures" widgets list.
LAST_FAILURES: Final = 20
#: Saved-query names, under a folder per VPN in the console.
WHY_TUNNEL_DOWN: Final = "why is this tunnel down"
BGP_FLAPS: Final = "BGP flaps"
ROUTES_DENIED: Final = "BGP routes denied"


def _alternation(phrases: tuple[str, ...]) -> str:
    return "|".join(_REGEX_SPECIAL.sub(r"\\\1", phrase) for phrase in phrases)


def failure_regex(kind: LogKind) -> str:
    """Every failure phrase of one log kind as one regex alternation."""
    return _alternation(tuple(p for c in classes_for(kind) for p in c.phrases))


def query_name(vpn_name: str, title: str) -> str:
    """``site-to-site-vpn/<vpn_name>/<title>``: the console shows the slashes as folders."""
    return f"site-to-site-vpn/{vpn_name}/{title}"


def why_tunnel_down_query() -> str:
    """Tunnel records that were not fully Established or that name a failure, newest first.

    ``@logStream`` is per VPN and tunnel outside IP, so it says which tunnel.
    """
    return (
        "fields @timestamp, @logStream as tunnel, ike_phase1_state, ike_phase2_state, details"
        ' | filter ike_phase1_state != "Established" or ike_phase2_state != "Established"'
        f" or details like /{failure_regex(LogKind.TUNNEL)}/"
        " | sort @timestamp desc | limit 200"
    )


def bgp_flaps_query() -> str:
    """Per hour and tunnel: how often a BGP session went down, and its latest reason."""
    return (
        "fields @timestamp, @logStream, message.details"
        f' | filter type = "BGPStatus" and message.details like /{_alternation(BGP_DOWN.phrases)}/'
        " | stats count(*) as session_drops, latest(message.details) as last_reason"
        " by bin(1h), @logStream"
        " | sort session_drops desc"
    )


def routes_denied_query() -> str:
    """RouteStatus records of routes AWS denied ("DENIED due to: ..."), newest first, with the
    prefix, AS path and next hop AWS received."""
    return (
        "fields @timestamp, @logStream, status, message.prefix, message.asPath,"
        " message.nextHopIp, message.details"
        f' | filter type = "{ROUTE_DENIED.bgp_record_type}"'
        f" and message.details like /{_alternation(ROUTE_DENIED.phrases)}/"
        " | sort @timestamp desc | limit 200"
    )


def tunnel_failures_query() -> str:
    """The latest tunnel records the metric filters count as failures."""
    return (
        "fields @timestamp, @logStream, details, ike_phase1_state, ike_phase2_state"
        f" | filter details like /{failure_regex(LogKind.TUNNEL)}/"
        f" | sort @timestamp desc | limit {LAST_FAILURES}"
    )


def bgp_failures_query() -> str:
    """The latest BGP records the metric filter counts as a session going down."""
    return (
        "fields @timestamp, @logStream, type, status, message.details"
        f' | filter type = "BGPStatus" and message.details like /{_alternation(BGP_DOWN.phrases)}/'
        f" | sort @timestamp desc | limit {LAST_FAILURES}"
    )
