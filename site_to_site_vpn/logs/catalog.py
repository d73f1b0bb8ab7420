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
            return f'{{ $.type = "BGPStatus" && ({alternatives}) }}'
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
        # "... maximum prefix limit was exceeded ..." (the session is torn down)
        "maximum prefix limit",
    ),
    summary="a BGP session left Established (hold timer expired, prefix limit exceeded, "
    "or the peer closed it)",
)

#: Every class, in the order the metric filters are created.
ALL_CLASSES: Final = (IKE_FAILURE, DPD_TIMEOUT, BGP_DOWN)


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
