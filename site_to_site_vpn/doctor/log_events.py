"""Check 8: recent tunnel and BGP log events, each classified with the library's pattern catalog.

The log groups come from the tunnel options (EC2 API Reference "CloudWatchLogOptions": LogEnabled,
LogGroupArn, BgpLogEnabled, BgpLogGroupArn) and from ``--tunnel-log-group``/``--bgp-log-group``.
Events: CloudWatch Logs API Reference "FilterLogEvents" (logGroupName, startTime in ms since the
epoch; events[].timestamp, message, logStreamName; nextToken). Each message is classified by
``site_to_site_vpn.logs.catalog.classify``: the same metric filter patterns the alarms count, so
the doctor and the alarms agree on what a failure is.
"""

from __future__ import annotations

import importlib
import json
import time
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Final

from site_to_site_vpn.doctor.context import ApiUnavailableError, Classifier, DoctorContext
from site_to_site_vpn.doctor.model import CheckResult, Status, failed, passed, unknown

#: Events read per log group at most (newest window first is not guaranteed by the API).
MAX_EVENTS: Final = 1_000
#: Classes whose records say the session is still up: AWS logs "maximum prefix limit warning"
#: with status UP (Site-to-Site VPN logs page, BGP log contents). WARN, not FAIL: traffic flows,
#: but the next step is the session torn down.
WARNING_CLASSES: Final = frozenset({"prefix_limit_warning"})
_NEAR_QUOTA: Final = (
    "advertise fewer prefixes (summarise them) before AWS's route quota tears the BGP session "
    "down; see the Site-to-Site VPN quotas page"
)


def library_classifier() -> Classifier | None:
    """The library's catalog (``site_to_site_vpn.logs.catalog``), or None if not installed."""
    try:
        catalog: Any = importlib.import_module("site_to_site_vpn.logs.catalog")
    except ImportError:
        return None

    def classify(message: str, kind: str) -> Sequence[str]:
        return tuple(catalog.classify(message, catalog.LogKind(kind)))

    return classify


def log_group_name(arn_or_name: str) -> str:
    """``arn:aws:logs:r:a:log-group:NAME:*`` -> ``NAME``; a plain name is returned as is."""
    if not arn_or_name.startswith("arn:"):
        return arn_or_name
    name = arn_or_name.split(":log-group:", 1)[1]
    return name.removesuffix(":*")


def log_groups(ctx: DoctorContext) -> list[tuple[str, str]]:
    """(log group name, kind) for every tunnel and BGP log group of the VPN, in order, unique."""
    found: list[tuple[str, str]] = []
    for tunnel in ctx.tunnel_options:
        options = tunnel.get("LogOptions", {}).get("CloudWatchLogOptions", {})
        if options.get("LogEnabled") and options.get("LogGroupArn"):
            found.append((log_group_name(options["LogGroupArn"]), "tunnel"))
        if options.get("BgpLogEnabled") and options.get("BgpLogGroupArn"):
            found.append((log_group_name(options["BgpLogGroupArn"]), "bgp"))
    found.extend((log_group_name(name), kind) for name, kind in ctx.extra_log_groups)
    return list(dict.fromkeys(found))


def _events(ctx: DoctorContext, group: str, since_ms: int) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    token: str | None = None
    while len(events) < MAX_EVENTS:
        params: dict[str, Any] = {"logGroupName": group, "startTime": since_ms}
        if token:
            params["nextToken"] = token
        page = ctx.call(ctx.logs, "FilterLogEvents", **params)
        events.extend(page.get("events", []))
        token = page.get("nextToken")
        if not token:
            break
    return events[:MAX_EVENTS]


def _details(message: str) -> str:
    """The documented ``details`` of a JSON record (``message.details`` for BGP), else as is."""
    try:
        record = json.loads(message)
    except ValueError:
        return message
    if not isinstance(record, dict):
        return message
    inner = record.get("message")
    details = record.get("details") or (inner.get("details") if isinstance(inner, dict) else None)
    return str(details) if details else message


def _when(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def check_logs(ctx: DoctorContext) -> list[CheckResult]:
    groups = log_groups(ctx)
    if not groups:
        return [
            unknown(
                "logs",
                "Tunnel and BGP logs",
                "the VPN's tunnels write no logs",
                "enable tunnel and BGP logging (VpnLoggingOptions) or pass --tunnel-log-group",
            )
        ]
    classify = ctx.classify
    if classify is None:
        return [
            unknown("logs", "Tunnel and BGP logs", "the library's log pattern catalog is missing")
        ]
    since_ms = int((time.time() - ctx.log_minutes * 60) * 1000)
    results = []
    for group, kind in groups:
        title = f"{kind.upper() if kind == 'bgp' else 'Tunnel'} log {group}"
        try:
            events = _events(ctx, group, since_ms)
        except ApiUnavailableError as error:
            results.append(unknown("logs", title, str(error)))
            continue
        classes: Counter[str] = Counter()
        latest: dict[str, dict[str, Any]] = {}
        for event in events:
            for name in classify(str(event.get("message", "")), kind):
                classes[name] += 1
                if event.get("timestamp", 0) >= latest.get(name, {}).get("timestamp", 0):
                    latest[name] = event
        window = f"last {ctx.log_minutes} min"
        if not classes:
            results.append(
                passed("logs", title, f"{len(events)} event(s) in the {window}, no known failure")
            )
            continue
        summary = ", ".join(f"{n} x {name}" for name, n in classes.most_common())
        newest = max(latest.values(), key=lambda e: int(e.get("timestamp", 0)))
        message = _details(str(newest.get("message", "")))
        shown = message if len(message) <= 160 else message[:157] + "..."
        detail = f"{summary} in the {window}; latest at {_when(int(newest['timestamp']))}: {shown}"
        if set(classes) <= WARNING_CLASSES:
            results.append(CheckResult("logs", title, Status.WARN, detail, _NEAR_QUOTA))
            continue
        results.append(
            failed(
                "logs",
                title,
                detail,
                "fix the customer gateway setting the failure names (pre-shared key, IKE/IPsec "
                "proposals, DPD, BGP peer), then watch the log again",
            )
        )
    return results
