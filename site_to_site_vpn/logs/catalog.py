"""The failure classes a VPN's tunnel and BGP logs reveal, and the one filter pattern of each.

This is the single definition the metric filters (``constructs/vpn_monitoring.py``), the Logs
Insights queries and :func:`classify` (``s2svpn doctor``) are built from. No CDK import.

Each class lists the fragments of the documented ``details`` messages that name it. Sources:

- "Contents of Site-to-Site VPN logs" / "AWS Site-to-Site VPN logs" (AWS Site-to-Site VPN User
  Guide, https://docs.aws.amazon.com/vpn/latest/s2svpn/log-contents.html): the tunnel activity log
  fields (``details``, ``ike_phase1_state``, ``ike_phase2_state``...), the IKEv1 and IKEv2 error
  messages and the IKEv2 negotiation messages; the BGP log fields (``type`` BGPStatus |
  RouteStatus, ``status``, ``message.details``) and the sample BGP status messages, whose table
  gives status DOWN to the records of a normal bring-up ("Idle to Connect", "Connect to
  OpenSent", "sent an OPEN message", "OpenSent to OpenConfirm", "initiating a connection").
  A BGP session is down only when it *leaves Established*, its hold timer expires, or the
  maximum-prefix limit tears it down, so ``status = DOWN`` is not used.
- The same page's "BGP Status Messages" table (verbatim rows): "AWS-side peer is reporting a
  maximum prefix limit warning - received {prefixes (count): xxx} prefixes from neighbor
  {ip: xxx}, limit is {limit (numeric): xxx}" has BGP status **UP** ("The AWS side periodically
  generates a log message when the number of prefixes received from the CGW nears the allowed
  limit"), while "AWS-side peer detected the maximum prefix limit was exceeded - received ..."
  has status DOWN (the session is torn down). So the warning is a class of its own
  (:data:`PREFIX_LIMIT_WARNING`, the last signal before the session is lost), never a session
  down. The page's current address: https://docs.aws.amazon.com/vpn/latest/s2svpn/monitoring-logs.html
  ("AWS Site-to-Site VPN logs", sections "Site-to-Site VPN log contents", "BGP Status Messages",
  "Route Status Messages", "Example log format for Tunnel BGP logs").
- Its "Route Status Messages": a RouteStatus record carries ``message.details`` only when AWS
  rejected the route, e.g. "DENIED due to: as-path contains our own AS" and "DENIED due to:
  non-connected next-hop"; the example record has ``"type": "RouteStatus"``, ``"status":
  "UPDATED"`` and the route's ``prefix``, ``asPath``, ``localPref``, ``med``, ``nextHopIp``,
  ``weight``. :data:`ROUTE_DENIED` counts them: a route the device advertises that AWS drops.

A metric filter uses :attr:`FailureClass.json_pattern`: JSON selectors on the documented field
(``$.details`` for tunnel records; ``$.type`` and ``$.message.details`` for BGP records), the
documented phrases merged with ``||`` into one filter per class. Quoted values with a leading and
trailing ``*`` match the phrase anywhere in the field ("Filter pattern syntax for metric
filters...": "use the asterisk '*' wildcard character to match any text at, before, or after a
search term"). :attr:`FailureClass.text_pattern` (``?"a" ?"b"``) is the same phrases for records
in the text output format.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import Final

from site_to_site_vpn.logs.filter_pattern import CompiledPattern, compile_pattern

__all__ = [
    "ALL_CLASSES",
    "BGP_DOWN",
    "DPD_TIMEOUT",
    "IKE_FAILURE",
    "PREFIX_LIMIT_WARNING",
    "ROUTE_DENIED",
    "FailureClass",
    "FailureMetric",
    "LogKind",
    "classes_for",
    "classify",
]


class LogKind(Enum):
    """Which of a VPN's log groups a record (and a pattern) belongs to."""

    TUNNEL = "tunnel"
    BGP = "bgp"


class FailureMetric(Enum):
    """Metrics the metric filters publish (value 1 per matching record), one per alarm."""

    IKE_NEGOTIATION_FAILURES = "IkeNegotiationFailures"
    DPD_TIMEOUTS = "DpdTimeouts"
    BGP_SESSION_DOWN = "BgpSessionDown"
    BGP_PREFIX_LIMIT_WARNINGS = "BgpPrefixLimitWarnings"
    BGP_ROUTES_DENIED = "BgpRoutesDenied"


@dataclass(frozen=True)
class FailureClass:
    """One kind of failure: where it is logged, the phrases that name it, the metric it feeds."""

    #: The label :func:`classify` returns (``ike_failure``...).
    name: str
    log_kind: LogKind
    metric: FailureMetric
    #: Fragments of the documented ``details`` messages, each matched anywhere in the field.
    phrases: tuple[str, ...]
    #: What the class means, for alarm descriptions and docs.
    summary: str
    #: The BGP log record ``type`` it matches (BGP classes only). @default ``BGPStatus``
    bgp_record_type: str = "BGPStatus"

    @property
    def json_field(self) -> str:
        return "$.details" if self.log_kind is LogKind.TUNNEL else "$.message.details"

    @property
    def json_pattern(self) -> str:
        """The metric filter's ``FilterPattern``: one JSON pattern with the phrases OR-ed."""
        alternatives = " || ".join(
            f'{self.json_field} = "*{_escape(phrase)}*"' for phrase in self.phrases
        )
        if self.log_kind is LogKind.BGP:
            return f'{{ $.type = "{self.bgp_record_type}" && ({alternatives}) }}'
        return f"{{ {alternatives} }}"

    @property
    def text_pattern(self) -> str:
        """The same phrases as an OR term pattern, for the text output format."""
        return " ".join(f'?"{_escape(phrase)}"' for phrase in self.phrases)


def _escape(phrase: str) -> str:
    return phrase.replace("\\", "\\\\").replace('"', '\\"')


#: IKE phase 1 or 2 could not be (re)established: wrong PSK, proposals, traffic selectors,
#: authentication, or a half-open IKE SA the customer gateway abandoned.
IKE_FAILURE: Final = FailureClass(
    name="ike_failure",
    log_kind=LogKind.TUNNEL,
    metric=FailureMetric.IKE_NEGOTIATION_FAILURES,
    phrases=(
        # IKEv2: "AWS tunnel detected a pre-shared key mismatch with cgw: xxxx"
        "pre-shared key mismatch",
        # IKEv1: "AWS tunnel payload decryption was unsuccessful due to invalid Pre-shared Key"
        "invalid Pre-shared Key",
        # IKEv1 and IKEv2: "No Proposal Match Found by AWS" and
        # "No Proposal Match Found. Notifying with "No proposal chosen""
        "No Proposal Match Found",
        # IKEv2: "AWS: Traffic Selector: TS_UNACCEPTABLE: received from responder"
        "TS_UNACCEPTABLE",
        # IKEv2: "AWS tunnel Phase 2 was unable to establish while keeping Phase 1"
        "Phase 2 was unable to establish",
        # IKEv2: "AWS tunnel is sending AUTHENTICATION_FAILED as the response"
        "AUTHENTICATION_FAILED",
        # IKEv2: "AWS tunnel Timeout: deleting un-established Phase 1 IKE_SA with cgw: xxxx"
        "deleting un-established Phase 1 IKE_SA",
    ),
    summary="IKE negotiation failed (pre-shared key, proposals, traffic selectors, "
    "authentication, or an abandoned phase 1)",
)
#: Dead peer detection gave up: the customer gateway stopped answering.
DPD_TIMEOUT: Final = FailureClass(
    name="dpd_timeout",
    log_kind=LogKind.TUNNEL,
    metric=FailureMetric.DPD_TIMEOUTS,
    phrases=(
        # IKEv2: "AWS tunnel DPD timed out after {retry_count} retransmits"
        "DPD timed out",
        # IKEv1: "Peer is not responsive - Declaring peer dead"
        "Declaring peer dead",
    ),
    summary="dead peer detection timed out: the customer gateway stopped answering",
)
#: A BGP session that was up went down. Not the DOWN-status records of a bring-up.
BGP_DOWN: Final = FailureClass(
    name="bgp_down",
    log_kind=LogKind.BGP,
    metric=FailureMetric.BGP_SESSION_DOWN,
    phrases=(
        # "AWS-side peer BGP session state has changed from Established to Idle with neighbor
        # 169.254.x.x" (the only transition out of Established)
        "changed from Established to",
        # "AWS-side peer sent a Hold Timer Expired notification ..." / "... received ..."
        "Hold Timer Expired",
        # "AWS-side peer detected the maximum prefix limit was exceeded ..." (status DOWN: the
        # session is torn down). Not "maximum prefix limit" alone: that also matches the
        # warning, whose status is UP.
        "maximum prefix limit was exceeded",
    ),
    summary="a BGP session left Established (hold timer expired, prefix limit exceeded, "
    "or the peer closed it)",
)

#: The number of prefixes the customer gateway advertises nears AWS's limit; the session stays
#: UP. The next step is "maximum prefix limit was exceeded" and the session torn down.
PREFIX_LIMIT_WARNING: Final = FailureClass(
    name="prefix_limit_warning",
    log_kind=LogKind.BGP,
    metric=FailureMetric.BGP_PREFIX_LIMIT_WARNINGS,
    phrases=(
        # "AWS-side peer is reporting a maximum prefix limit warning - received N prefixes from
        # neighbor 169.254.x.x, limit is L" (status UP)
        "maximum prefix limit warning",
    ),
    summary="approaching the route quota: the customer gateway advertises nearly as many "
    "prefixes as AWS accepts (the session is still up)",
)
#: AWS rejected a route the customer gateway advertised (RouteStatus "DENIED due to: ...").
ROUTE_DENIED: Final = FailureClass(
    name="route_denied",
    log_kind=LogKind.BGP,
    metric=FailureMetric.BGP_ROUTES_DENIED,
    phrases=(
        # "DENIED due to: as-path contains our own AS", "DENIED due to: non-connected next-hop"
        "DENIED due to:",
    ),
    summary="AWS denied a route the customer gateway advertised (own AS in the AS path, "
    "non-connected next hop...)",
    bgp_record_type="RouteStatus",
)

#: Every class, in the order the metric filters are created.
ALL_CLASSES: Final = (IKE_FAILURE, DPD_TIMEOUT, BGP_DOWN, PREFIX_LIMIT_WARNING, ROUTE_DENIED)


def classes_for(kind: LogKind) -> tuple[FailureClass, ...]:
    """The failure classes logged to one kind of log group."""
    return tuple(c for c in ALL_CLASSES if c.log_kind is kind)


@cache
def _compiled(failure: FailureClass, json_format: bool) -> CompiledPattern:
    return compile_pattern(failure.json_pattern if json_format else failure.text_pattern)


def classify(message: str, kind: LogKind) -> tuple[str, ...]:
    """Names of the failure classes whose metric filter pattern matches one log event.

    ``message`` is the event as CloudWatch Logs stores it: a JSON record (what the metric
    filters evaluate) or a record in the text output format. ``()`` means healthy.
    """
    try:
        json_format = isinstance(json.loads(message), dict)
    except ValueError:
        json_format = False
    return tuple(
        failure.name
        for failure in classes_for(kind)
        if _compiled(failure, json_format).matches(message)
    )
