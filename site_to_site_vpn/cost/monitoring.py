"""What the library's monitoring creates per site, for pricing its CloudWatch part.

Counted in a synthesized site stack (``site_to_site_vpn.stacks.site_stack.SiteStack``, monitoring
by ``constructs/vpn_monitoring.py``): tests/cost/test_footprint.py synthesizes one BGP and one
static site and fails when these numbers no longer match, so a monitoring change cannot leave the
cost estimate behind silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class MonitoringFootprint:
    #: Metrics the site's alarms watch (CloudWatch bills alarms per metric).
    alarm_metrics: int
    #: Distinct custom metrics the site's log metric filters publish.
    custom_metrics: int
    #: Log groups (tunnel; BGP when the site uses BGP).
    log_groups: int


#: Per site, by routing: BGP sites add the BGP log group, its metric filters and the BGP alarm.
FOOTPRINT: Final = {
    # BGP: BgpSessionDown, BgpPrefixLimitWarnings (alarmed) and BgpRoutesDenied (counted only).
    "bgp": MonitoringFootprint(alarm_metrics=7, custom_metrics=5, log_groups=2),
    "static": MonitoringFootprint(alarm_metrics=5, custom_metrics=2, log_groups=1),
}

#: What the per-tunnel down alarms add, net: one per tunnel, instead of the per-VPN
#: RedundancyLost alarm that replaces them when ``monitoring.per_tunnel_alarms`` is off.
PER_TUNNEL_ALARM_METRICS: Final = 1
