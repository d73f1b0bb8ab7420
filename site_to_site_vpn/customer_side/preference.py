"""How each tunnel is preferred, the same for every device: one rule, written once.

BGP: a less preferred tunnel gets a lower local preference on what it learns (this device's
outbound choice) and its own AS prepended on what it announces (AWS's return choice; AWS picks
the shortest AS path among VPN routes). Static VPNs use administrative distances instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from site_to_site_vpn.customer_side.facts import PathPreference

#: BGP's default local preference (RFC 4271 leaves it to the implementation; FRR, IOS-XE and
#: Junos all use 100). A Direct Connect path learned without policy has it.
DEFAULT_LOCAL_PREFERENCE: Final = 100


@dataclass(frozen=True)
class TunnelPreference:
    """One tunnel's BGP policy: ``local_preference`` None keeps the device's default."""

    local_preference: int | None
    prepend: int


_PREFERENCES: Final = {
    PathPreference.PRIMARY_SECONDARY: (TunnelPreference(None, 0), TunnelPreference(50, 2)),
    PathPreference.ACTIVE_ACTIVE: (TunnelPreference(None, 0), TunnelPreference(None, 0)),
    # Both tunnels below a Direct Connect path (local preference 100, no prepend); tunnel 1
    # still before tunnel 2 when Direct Connect is down.
    PathPreference.DX_BACKUP: (TunnelPreference(50, 2), TunnelPreference(40, 3)),
}


def tunnel_preference(preference: PathPreference, number: int) -> TunnelPreference:
    """Tunnel ``number``'s (1 or 2) BGP policy under ``preference``."""
    return _PREFERENCES[preference][number - 1]


def multipath(preference: PathPreference) -> bool:
    """Both tunnels carry traffic (ECMP) only when active/active."""
    return preference is PathPreference.ACTIVE_ACTIVE


def static_distance(
    preference: PathPreference,
    number: int,
    distances: tuple[int, int, int],
    *,
    higher_wins: bool = False,
) -> int:
    """A static route's distance from a device's ``(primary, secondary, floating)`` distances.

    dx-backup makes both routes floating: worse than the device's eBGP routes, so a prefix
    learned from Direct Connect wins while it exists; tunnel 2's one step worse than tunnel 1's.
    ``higher_wins`` for devices whose route preference grows with priority (BIRD).
    """
    primary, secondary, floating = distances
    if preference is PathPreference.DX_BACKUP:
        return floating - (number - 1) if higher_wins else floating + (number - 1)
    if preference is PathPreference.ACTIVE_ACTIVE or number == 1:
        return primary
    return secondary
