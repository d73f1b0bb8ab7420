"""Every tunnel-log and BGP-log record AWS documents, labelled with what it means.

Sources (cited per record in ``source``):

- TUNNEL_PAGE: "Contents of Site-to-Site VPN logs" (AWS Site-to-Site VPN User Guide,
  https://docs.aws.amazon.com/vpn/latest/s2svpn/log-contents.html), tables "IKEv1 Error Messages",
  "IKEv2 Error Messages" and "IKEv2 Negotiation Messages"; field list (timestamp, VPN id, tunnel
  outside IP, DPD enabled, NAT-T detected, IKE phase 1 and 2 state: Established | Rekeying |
  Negotiating | Down, details). JSON records use the JSON field names ``event_timestamp``,
  ``details``, ``dpd_enabled``, ``nat_t_detected``, ``ike_phase1_state``, ``ike_phase2_state``.
- BGP_PAGE: the same page's BGP log section, "Sample BGP status messages" and "Sample route status
  messages" (fields ``resource_id``, ``event_timestamp``, ``type`` BGPStatus | RouteStatus,
  ``status`` UP/DOWN or ADVERTISED/UPDATED/WITHDRAWN, ``message`` with ``details`` or the route's
  ``prefix``, ``asPath``, ``localPref``, ``med``, ``nextHopIp``). The bring-up rows carry status
  DOWN. The quoted fragments ("Idle to Connect", "sent an OPEN message", "Hold Timer Expired",
  "maximum prefix limit was exceeded"...) are AWS's; the sentence around a fragment follows the
  documented "AWS-side peer BGP session state has changed from Established to Idle with neighbor
  169.254.50.85".
  The page is now "AWS Site-to-Site VPN logs"
  (https://docs.aws.amazon.com/vpn/latest/s2svpn/monitoring-logs.html); its "BGP Status Messages"
  rows give the prefix-limit records verbatim: "AWS-side peer is reporting a maximum prefix limit
  warning - received {n} prefixes from neighbor {ip}, limit is {limit}" (status UP: the session
  stays up) and "AWS-side peer detected the maximum prefix limit was exceeded - received ..."
  (status DOWN); its "Route Status Messages": "DENIED due to: as-path contains our own AS",
  "DENIED due to: non-connected next-hop", in ``message.details`` of a RouteStatus record shaped
  like the page's "Example log format for Tunnel BGP logs" (status UPDATED, ``weight`` 32768).
- TROUBLESHOOT: AWSSupport-TroubleshootVPN (AWS Systems Manager Automation runbook reference),
  known errors it looks for in the tunnel logs: pre-shared key mismatch, no proposal match,
  traffic selector unacceptable, DPD timeout, phase 2 failure, authentication failed.

The text output format's exact layout is not documented beyond its field list, so a text record
is the fields space-separated in the documented order with the details last; a pattern for text
records keys only on the verbatim details, never on that layout.

Labels: ``healthy`` (normal operation, incl. rekey collisions and negotiation), ``peer_delete``
(the customer gateway deleted an SA: informational; a tunnel left down shows in TunnelState),
and the failure classes of ``site_to_site_vpn.logs.catalog``: ``ike_failure``, ``dpd_timeout``,
``bgp_down``, ``prefix_limit_warning``, ``route_denied``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Final

from site_to_site_vpn.logs.catalog import LogKind

TUNNEL_PAGE: Final = "Contents of Site-to-Site VPN logs"
BGP_PAGE: Final = "Contents of Site-to-Site VPN logs (BGP status and route status messages)"
TROUBLESHOOT: Final = "AWSSupport-TroubleshootVPN (known errors)"

HEALTHY: Final = "healthy"
PEER_DELETE: Final = "peer_delete"

VPN_ID: Final = "vpn-0123456789abcdef0"
OUTSIDE_IP: Final = "203.0.113.10"
CGW_IP: Final = "198.51.100.7"
NEIGHBOR: Final = "169.254.50.85"
T0: Final = 1764230400000


@dataclass(frozen=True)
class LogRecord:
    label: str
    kind: LogKind
    #: ``json`` or ``text``: the tunnel option's LogOutputFormat.
    output_format: str
    message: str
    #: Title of the AWS page the record comes from.
    source: str


def _tunnel_json(details: str, phase1: str, phase2: str) -> str:
    return json.dumps(
        {
            "event_timestamp": T0,
            "details": details,
            "dpd_enabled": True,
            "nat_t_detected": False,
            "ike_phase1_state": phase1,
            "ike_phase2_state": phase2,
        }
    )


def _tunnel_text(details: str, phase1: str, phase2: str) -> str:
    return f"2025-11-27T08:00:00Z {VPN_ID} {OUTSIDE_IP} True False {phase1} {phase2} {details}"


def _bgp_status_json(status: str, details: str) -> str:
    return json.dumps(
        {
            "resource_id": VPN_ID,
            "event_timestamp": T0,
            "type": "BGPStatus",
            "status": status,
            "message": {"details": details},
        }
    )


def _bgp_text(status: str, details: str) -> str:
    return f"2025-11-27T08:00:00Z {VPN_ID} BGPStatus {status} {details}"


def _route_json(status: str, prefix: str, details: str | None = None) -> str:
    message: dict[str, object] = {
        "prefix": prefix,
        "asPath": "65010",
        "localPref": 100,
        "med": 100,
        "nextHopIp": "169.254.50.86",
    }
    if details is not None:
        message["weight"] = 32768
        message["details"] = details
    return json.dumps(
        {
            "resource_id": VPN_ID,
            "event_timestamp": T0,
            "type": "RouteStatus",
            "status": status,
            "message": message,
        }
    )


#: (label, details, phase 1 state, phase 2 state, source) of every documented tunnel message.
TUNNEL_MESSAGES: Final = (
    # IKEv1 Error Messages
    ("dpd_timeout", "Peer is not responsive - Declaring peer dead", "Down", "Down", TUNNEL_PAGE),
    (
        "ike_failure",
        "AWS tunnel payload decryption was unsuccessful due to invalid Pre-shared Key",
        "Negotiating",
        "Down",
        TUNNEL_PAGE,
    ),
    ("ike_failure", "No Proposal Match Found by AWS", "Negotiating", "Down", TUNNEL_PAGE),
    (
        "ike_failure",
        'No Proposal Match Found. Notifying with "No proposal chosen"',
        "Established",
        "Negotiating",
        TUNNEL_PAGE,
    ),
    (
        PEER_DELETE,
        "AWS tunnel received DELETE for Phase 2 SA with SPI: c1a2b3d4",
        "Established",
        "Down",
        TUNNEL_PAGE,
    ),
    (PEER_DELETE, "AWS tunnel received DELETE for IKE_SA from CGW", "Down", "Down", TUNNEL_PAGE),
    # IKEv2 Error Messages
    ("dpd_timeout", "AWS tunnel DPD timed out after 3 retransmits", "Down", "Down", TUNNEL_PAGE),
    (
        HEALTHY,
        "AWS tunnel detected a (CHILD_REKEY) collision as CHILD_DELETE",
        "Established",
        "Rekeying",
        TUNNEL_PAGE,
    ),
    (
        HEALTHY,
        "AWS tunnel (CHILD_SA) redundant SA is being deleted due to detected collision",
        "Established",
        "Established",
        TUNNEL_PAGE,
    ),
    (
        "ike_failure",
        "AWS tunnel Phase 2 was unable to establish while keeping Phase 1",
        "Established",
        "Down",
        TUNNEL_PAGE,
    ),
    (
        "ike_failure",
        "AWS: Traffic Selector: TS_UNACCEPTABLE: received from responder",
        "Established",
        "Down",
        TUNNEL_PAGE,
    ),
    (
        "ike_failure",
        "AWS tunnel is sending AUTHENTICATION_FAILED as the response",
        "Negotiating",
        "Down",
        TUNNEL_PAGE,
    ),
    (
        "ike_failure",
        f"AWS tunnel detected a pre-shared key mismatch with cgw: {CGW_IP}",
        "Negotiating",
        "Down",
        TROUBLESHOOT,
    ),
    (
        "ike_failure",
        f"AWS tunnel Timeout: deleting un-established Phase 1 IKE_SA with cgw: {CGW_IP}",
        "Down",
        "Down",
        TUNNEL_PAGE,
    ),
    # IKEv2 Negotiation Messages
    (
        HEALTHY,
        "AWS tunnel processed request (id=12) for CREATE_CHILD_SA",
        "Established",
        "Rekeying",
        TUNNEL_PAGE,
    ),
    (
        HEALTHY,
        "AWS tunnel is sending response (id=12) for CREATE_CHILD_SA",
        "Established",
        "Rekeying",
        TUNNEL_PAGE,
    ),
    (
        HEALTHY,
        "AWS tunnel is sending request (id=13) for CREATE_CHILD_SA",
        "Established",
        "Rekeying",
        TUNNEL_PAGE,
    ),
    (
        HEALTHY,
        "AWS tunnel processed response (id=13) for CREATE_CHILD_SA",
        "Established",
        "Established",
        TUNNEL_PAGE,
    ),
)

#: (label, status, details) of the documented BGP status messages.
BGP_STATUS_MESSAGES: Final = (
    # A normal bring-up: every row but the last carries status DOWN.
    (HEALTHY, "DOWN", f"AWS-side peer is initiating a connection with neighbor {NEIGHBOR}"),
    (
        HEALTHY,
        "DOWN",
        "AWS-side peer BGP session state has changed from Idle to Connect with neighbor "
        f"{NEIGHBOR}",
    ),
    (
        HEALTHY,
        "DOWN",
        "AWS-side peer BGP session state has changed from Connect to OpenSent with neighbor "
        f"{NEIGHBOR}",
    ),
    (HEALTHY, "DOWN", f"AWS-side peer sent an OPEN message to neighbor {NEIGHBOR}"),
    (
        HEALTHY,
        "DOWN",
        "AWS-side peer BGP session state has changed from OpenSent to OpenConfirm with neighbor "
        f"{NEIGHBOR}",
    ),
    (
        HEALTHY,
        "UP",
        "AWS-side peer BGP session state has changed from OpenConfirm to Established with "
        f"neighbor {NEIGHBOR}",
    ),
    # A session that was up going down.
    (
        "bgp_down",
        "DOWN",
        "AWS-side peer BGP session state has changed from Established to Idle with neighbor "
        f"{NEIGHBOR}",
    ),
    ("bgp_down", "DOWN", f"AWS-side peer sent a Hold Timer Expired notification to {NEIGHBOR}"),
    (
        "bgp_down",
        "DOWN",
        "AWS-side peer detected the maximum prefix limit was exceeded - received 101 prefixes "
        f"from neighbor {NEIGHBOR}, limit is 100",
    ),
    # Nearing the limit: a warning, the session stays UP.
    (
        "prefix_limit_warning",
        "UP",
        "AWS-side peer is reporting a maximum prefix limit warning - received 95 prefixes from "
        f"neighbor {NEIGHBOR}, limit is 100",
    ),
)

#: (status, prefix, details) of the documented route status records AWS denied.
DENIED_ROUTES: Final = (
    ("UPDATED", "172.31.0.0/16", "DENIED due to: as-path contains our own AS"),
    ("ADVERTISED", "10.40.0.0/16", "DENIED due to: non-connected next-hop"),
)

#: Route status records: routine route changes, healthy however many arrive.
ROUTE_STATUSES: Final = (
    ("ADVERTISED", "10.20.0.0/16"),
    ("UPDATED", "10.20.0.0/16"),
    ("WITHDRAWN", "10.30.0.0/16"),
)


def _build() -> tuple[LogRecord, ...]:
    records = []
    for label, details, phase1, phase2, source in TUNNEL_MESSAGES:
        records.append(
            LogRecord(label, LogKind.TUNNEL, "json", _tunnel_json(details, phase1, phase2), source)
        )
        records.append(
            LogRecord(label, LogKind.TUNNEL, "text", _tunnel_text(details, phase1, phase2), source)
        )
    for label, status, details in BGP_STATUS_MESSAGES:
        records.append(
            LogRecord(label, LogKind.BGP, "json", _bgp_status_json(status, details), BGP_PAGE)
        )
        records.append(LogRecord(label, LogKind.BGP, "text", _bgp_text(status, details), BGP_PAGE))
    for status, prefix in ROUTE_STATUSES:
        records.append(
            LogRecord(HEALTHY, LogKind.BGP, "json", _route_json(status, prefix), BGP_PAGE)
        )
    for status, prefix, details in DENIED_ROUTES:
        records.append(
            LogRecord(
                "route_denied", LogKind.BGP, "json", _route_json(status, prefix, details), BGP_PAGE
            )
        )
    return tuple(records)


CORPUS: Final = _build()


def record_id(record: LogRecord) -> str:
    text = record.message if record.output_format == "text" else json.loads(record.message)
    details = (
        text.get("details") or (text.get("message") or {}).get("details") or text.get("status")
        if isinstance(text, dict)
        else text.split(" ", 8)[-1]
    )
    return f"{record.kind.value}-{record.output_format}-{record.label}-{str(details)[:40]}"
