"""CloudWatch Logs filter patterns for Site-to-Site VPN tunnel and BGP log records.

Each pattern is kept with one record it must match and one it must not, so the tests can run every
pattern through a real filter evaluator. The patterns are exact phrases (``"..."``) or all-of
terms (``BGPStatus DOWN``): the forms moto's ``filter_log_events`` evaluates. They match the text of
a JSON record, so they hold whichever field AWS puts the message in. Where one failure has two
phrasings, two patterns feed the same metric, because the OR form (``?"a" ?"b"``) cannot be checked
offline.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import Enum
from typing import Any, Final


class LogKind(Enum):
    """Which of a VPN's log groups a pattern applies to."""

    TUNNEL = "tunnel"
    BGP = "bgp"


class FailureMetric(Enum):
    """Metrics the metric filters publish, one per alarm (value 1 per matching record)."""

    IKE_NEGOTIATION_FAILURES = "IkeNegotiationFailures"
    DPD_TIMEOUTS = "DpdTimeouts"
    BGP_SESSION_DOWN = "BgpSessionDown"


def _tunnel_record(details: str, phase1: str, phase2: str) -> str:
    return json.dumps(
        {
            "event_timestamp": 1700000000,
            "details": details,
            "dpd_enabled": True,
            "nat_t_detected": False,
            "ike_phase1_state": phase1,
            "ike_phase2_state": phase2,
        }
    )


def _bgp_record(status_type: str, status: str, details: str, **extra: Any) -> str:
    return json.dumps(
        {
            "resource_id": "vpn-0123456789abcdef0",
            "event_timestamp": 1700000000,
            "type": status_type,
            "status": status,
            "message": {"details": details, **extra},
        }
    )


@dataclass(frozen=True)
class LogPattern:
    """One metric filter: where it runs, what it matches, which metric it feeds, and proof."""

    #: Construct id suffix of the metric filter.
    name: str
    log_kind: LogKind
    metric: FailureMetric
    #: The filter pattern, exactly as written to ``AWS::Logs::MetricFilter.FilterPattern``.
    pattern: str
    #: A log record (as CloudWatch stores it) the pattern must match.
    matching_record: str
    #: A similar record the pattern must not match.
    non_matching_record: str


#: A healthy tunnel: the negative sample most IKE patterns must ignore.
_TUNNEL_ESTABLISHED: Final = _tunnel_record(
    "AWS tunnel Phase 2 is now established", "Established", "Established"
)

PSK_MISMATCH: Final = LogPattern(
    name="PreSharedKeyMismatch",
    log_kind=LogKind.TUNNEL,
    metric=FailureMetric.IKE_NEGOTIATION_FAILURES,
    pattern='"pre-shared key mismatch"',
    matching_record=_tunnel_record(
        "AWS tunnel detected a pre-shared key mismatch with cgw", "Down", "Down"
    ),
    non_matching_record=_TUNNEL_ESTABLISHED,
)
#: IKEv1 reports a wrong PSK as a failed decryption.
PSK_INVALID_IKEV1: Final = LogPattern(
    name="PreSharedKeyInvalid",
    log_kind=LogKind.TUNNEL,
    metric=FailureMetric.IKE_NEGOTIATION_FAILURES,
    pattern='"invalid Pre-shared Key"',
    matching_record=_tunnel_record(
        "AWS tunnel payload decryption was unsuccessful due to invalid Pre-shared Key",
        "Negotiating",
        "Down",
    ),
    non_matching_record=_TUNNEL_ESTABLISHED,
)
NO_PROPOSAL_MATCH: Final = LogPattern(
    name="NoProposalMatch",
    log_kind=LogKind.TUNNEL,
    metric=FailureMetric.IKE_NEGOTIATION_FAILURES,
    pattern='"No Proposal Match"',
    matching_record=_tunnel_record("No Proposal Match Found by AWS", "Negotiating", "Down"),
    non_matching_record=_tunnel_record(
        "AWS tunnel selected proposal AES256-GCM-16/SHA2-512", "Negotiating", "Down"
    ),
)
TRAFFIC_SELECTOR_UNACCEPTABLE: Final = LogPattern(
    name="TrafficSelectorUnacceptable",
    log_kind=LogKind.TUNNEL,
    metric=FailureMetric.IKE_NEGOTIATION_FAILURES,
    pattern='"TS_UNACCEPTABLE"',
    matching_record=_tunnel_record(
        "AWS: Traffic Selector: TS_UNACCEPTABLE: received from responder", "Established", "Down"
    ),
    non_matching_record=_tunnel_record(
        "AWS: Traffic Selector: 0.0.0.0/0 === 0.0.0.0/0 accepted", "Established", "Established"
    ),
)
PHASE2_FAILURE: Final = LogPattern(
    name="Phase2Failure",
    log_kind=LogKind.TUNNEL,
    metric=FailureMetric.IKE_NEGOTIATION_FAILURES,
    pattern='"Phase 2 was unable to establish"',
    matching_record=_tunnel_record(
        "AWS tunnel Phase 2 was unable to establish while keeping Phase 1", "Established", "Down"
    ),
    non_matching_record=_TUNNEL_ESTABLISHED,
)
DPD_TIMED_OUT: Final = LogPattern(
    name="DpdTimedOut",
    log_kind=LogKind.TUNNEL,
    metric=FailureMetric.DPD_TIMEOUTS,
    pattern='"DPD timed out"',
    matching_record=_tunnel_record("AWS tunnel DPD timed out after 3 retransmits", "Down", "Down"),
    non_matching_record=_tunnel_record(
        "AWS tunnel received DPD R-U-THERE-ACK from CGW", "Established", "Established"
    ),
)
#: IKEv1's wording of a DPD timeout.
PEER_DEAD: Final = LogPattern(
    name="PeerDead",
    log_kind=LogKind.TUNNEL,
    metric=FailureMetric.DPD_TIMEOUTS,
    pattern='"Declaring peer dead"',
    matching_record=_tunnel_record("Peer is not responsive - Declaring peer dead", "Down", "Down"),
    non_matching_record=_tunnel_record(
        "AWS tunnel received DELETE for IKE_SA from CGW", "Down", "Down"
    ),
)
BGP_STATUS_DOWN: Final = LogPattern(
    name="BgpStatusDown",
    log_kind=LogKind.BGP,
    metric=FailureMetric.BGP_SESSION_DOWN,
    pattern="BGPStatus DOWN",
    matching_record=_bgp_record(
        "BGPStatus", "DOWN", "AWS-side peer sent a Hold Timer Expired notification"
    ),
    non_matching_record=_bgp_record(
        "BGPStatus",
        "UP",
        "AWS-side peer BGP session state has changed from OpenConfirm to Established "
        "with neighbor 169.254.10.2",
    ),
)
BGP_LEFT_ESTABLISHED: Final = LogPattern(
    name="BgpLeftEstablished",
    log_kind=LogKind.BGP,
    metric=FailureMetric.BGP_SESSION_DOWN,
    pattern='"state has changed from Established"',
    matching_record=_bgp_record(
        "BGPStatus",
        "DOWN",
        "AWS-side peer BGP session state has changed from Established to Idle "
        "with neighbor 169.254.10.2",
    ),
    non_matching_record=_bgp_record(
        "BGPStatus",
        "UP",
        "AWS-side peer BGP session state has changed from OpenConfirm to Established "
        "with neighbor 169.254.10.2",
    ),
)

#: Every pattern, in the order the metric filters are created.
ALL_PATTERNS: Final = (
    PSK_MISMATCH,
    PSK_INVALID_IKEV1,
    NO_PROPOSAL_MATCH,
    TRAFFIC_SELECTOR_UNACCEPTABLE,
    PHASE2_FAILURE,
    DPD_TIMED_OUT,
    PEER_DEAD,
    BGP_STATUS_DOWN,
    BGP_LEFT_ESTABLISHED,
)


def patterns_for(kind: LogKind) -> tuple[LogPattern, ...]:
    """The patterns that run on one kind of log group."""
    return tuple(p for p in ALL_PATTERNS if p.log_kind is kind)
