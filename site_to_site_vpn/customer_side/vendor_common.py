"""What the vendor CLI renderers (PAN-OS, FortiOS, and any other device) share.

Each device module owns one keyword table (AWS name to the vendor's keyword, the vendor's page
cited per row); this module turns a template's allowed names into that device's keywords,
strongest first, and refuses in one line what the device cannot do. It also holds the numbers
every device config repeats: the tunnel MTU and TCP MSS, the BGP path-preference knobs, the
static-route distances and the DPD probe.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, cast

from site_to_site_vpn.core.psk import psk_problems
from site_to_site_vpn.customer_side import algorithms as alg
from site_to_site_vpn.customer_side import frr, nftables, strongswan
from site_to_site_vpn.customer_side.facts import DeployFacts, PathPreference
from site_to_site_vpn.customer_side.template import TunnelPolicy, VpnPolicy
from site_to_site_vpn.customer_side.tunnels import MissingFactError, Tunnel

#: The tunnel-interface MTU AWS's own configuration examples give a route-based device: the
#: Site-to-Site VPN User Guide's Check Point example (``set interface vpnt1 mtu 1436``) and the
#: Juniper SRX sample configuration (``family inet mtu 1436``); 10 bytes under the 1446 AWS
#: publishes as the tunnel MTU (Site-to-Site VPN quotas).
VENDOR_TUNNEL_MTU: Final = 1436
IPV4_TCP_HEADERS: Final = nftables.IPV4_TCP_HEADERS
#: An AWS-side peer's routes are less preferred than a Direct Connect path's (default local
#: preference 100) and than the primary tunnel: local preference 50 (as FRR's backup tunnel).
BACKUP_LOCAL_PREF: Final = frr.BACKUP_LOCAL_PREF
PREPEND_COUNT: Final = frr.PREPEND_COUNT
#: Static routes for dx-backup: a floating static route, above the default administrative
#: distance of eBGP (20) and iBGP (200) on both PAN-OS and FortiOS, so a route learned over
#: Direct Connect wins while it exists.
DX_BACKUP_STATIC_DISTANCE: Final = 210
#: DPD: probe every ``timeout / DPD_RETRIES`` seconds, give up after ``DPD_RETRIES`` misses,
#: so the customer side declares AWS dead after the template's DPDTimeoutSeconds, as AWS does.
DPD_RETRIES: Final = 3
#: A device that cannot express a proposal says so in errors under this name.
DEVICE_REFUSES: Final = "cannot do"


class Kind(enum.Enum):
    """Which list of the template a keyword row translates."""

    IKE_ENCRYPTION = "phase 1 encryption"
    IKE_INTEGRITY = "phase 1 integrity"
    IKE_DH = "phase 1 DH group"
    ESP_ENCRYPTION = "phase 2 encryption"
    ESP_INTEGRITY = "phase 2 integrity"
    ESP_DH = "phase 2 DH group"


#: Each kind's strength order (strongest first) and the AWS names it covers.
_ORDER: Final[Mapping[Kind, Mapping[str, str] | Mapping[int, str]]] = {
    Kind.IKE_ENCRYPTION: alg.ENCRYPTION,
    Kind.ESP_ENCRYPTION: alg.ENCRYPTION,
    Kind.IKE_INTEGRITY: alg.INTEGRITY,
    Kind.ESP_INTEGRITY: alg.INTEGRITY,
    Kind.IKE_DH: alg.DH_GROUPS,
    Kind.ESP_DH: alg.DH_GROUPS,
}


@dataclass(frozen=True)
class Row:
    """One AWS name and the device's keyword for it, with the vendor page that says so."""

    kind: Kind
    aws: str | int
    keyword: str
    source: str


class KeywordTable:
    """A device's one keyword table; looks names up strongest first, refusing the unknown."""

    def __init__(self, device: str, rows: Iterable[Row]) -> None:
        self.device = device
        self.rows: tuple[Row, ...] = tuple(rows)
        self._map = {(row.kind, row.aws): row.keyword for row in self.rows}
        if len(self._map) != len(self.rows):
            raise ValueError(f"{device}: a keyword table row is repeated")

    def keywords(self, kind: Kind, allowed: Iterable[str] | Iterable[int]) -> tuple[str, ...]:
        """The device's keywords for ``allowed``, strongest first; one missing is an error."""
        names = list(allowed)
        try:
            # One strength order for names and group numbers alike (the key type varies).
            ordered: Sequence[str | int] = alg.strongest_first(
                cast("Iterable[str]", names), cast("Mapping[str, str]", _ORDER[kind])
            )
        except alg.UnknownAlgorithmError:
            raise alg.UnknownAlgorithmError(
                f"the template's {kind.value} list {names} holds a name AWS does not define"
            ) from None
        missing = [name for name in ordered if (kind, name) not in self._map]
        if missing:
            raise alg.UnknownAlgorithmError(
                f"{self.device} {DEVICE_REFUSES} {kind.value} "
                f"{', '.join(map(str, missing))}: remove it from the tunnel options "
                "for this site"
            )
        return tuple(self._map[(kind, name)] for name in ordered)


def ike_version(policy: TunnelPolicy) -> int:
    """IKEv2 unless the template allows only IKEv1 (the strongSwan renderer's rule)."""
    return strongswan.ike_version(policy)


def refuse_aead_in_ikev1(device: str, policy: TunnelPolicy) -> None:
    """GCM is an IKEv2-only IKE cipher (RFC 5282); an IKEv1-only tunnel cannot offer it."""
    aead = [name for name in policy.phase1_encryption if name in alg.AEAD]
    if ike_version(policy) == 1 and aead:
        raise alg.UnknownAlgorithmError(
            f"{device} {DEVICE_REFUSES} phase 1 encryption {', '.join(aead)} with IKEv1 "
            "(the template allows only IKEv1)"
        )


def psk(device: str, tunnel: Tunnel) -> str:
    """The tunnel's PSK for a CLI line, after AWS's rule (letters, digits, ``.``, ``_``): such
    a key needs no quoting on either CLI, and anything else could break out of its statement.
    The error never shows the key."""
    problems = psk_problems(f"tunnel{tunnel.number}.psk", tunnel.facts.psk)
    if problems:
        raise MissingFactError(f"{device}: {problems[0].describe('facts').removeprefix('facts: ')}")
    return tunnel.facts.psk


def tunnel_mtu(*, outside_ipv6: bool) -> int:
    """1436, less the IPv6 outer header's extra 20 bytes (the nftables renderer's reasoning)."""
    return VENDOR_TUNNEL_MTU - (nftables.IPV6_OUTER_EXTRA_BYTES if outside_ipv6 else 0)


def tcp_mss(*, outside_ipv6: bool) -> int:
    """AWS's recommended 1379, or less when the tunnel MTU cannot carry it."""
    return min(
        nftables.AWS_RECOMMENDED_MSS, tunnel_mtu(outside_ipv6=outside_ipv6) - IPV4_TCP_HEADERS
    )


@dataclass(frozen=True)
class Preference:
    """How one tunnel's BGP routes are weighted: ``None``/0 leave the default."""

    local_preference: int | None
    prepend: int


def bgp_preference(tunnel: Tunnel, path: PathPreference) -> Preference:
    """Primary/secondary weakens tunnel 2; dx-backup weakens both; active-active neither."""
    weak = Preference(BACKUP_LOCAL_PREF, PREPEND_COUNT)
    if path is PathPreference.DX_BACKUP or (
        path is PathPreference.PRIMARY_SECONDARY and tunnel.number == 2
    ):
        return weak
    return Preference(None, 0)


def multipath(path: PathPreference) -> bool:
    """Both tunnels carry traffic at once (ECMP) for active-active and dx-backup (equal pair)."""
    return path in (PathPreference.ACTIVE_ACTIVE, PathPreference.DX_BACKUP)


def static_distance(tunnel: Tunnel, path: PathPreference) -> int:
    """Administrative distance of a static route over ``tunnel``."""
    if path is PathPreference.DX_BACKUP:
        return DX_BACKUP_STATIC_DISTANCE
    if path is PathPreference.ACTIVE_ACTIVE:
        return frr.STATIC_DISTANCE[0]
    return frr.STATIC_DISTANCE[tunnel.number - 1]


def dpd_interval(policy: TunnelPolicy) -> int:
    """Seconds between DPD probes, so DPD_RETRIES misses take the template's DPD timeout."""
    return math.ceil(policy.dpd_timeout / DPD_RETRIES)


def strongest_pfs_group(table: KeywordTable, policy: TunnelPolicy) -> str:
    """For devices with one PFS group per IPsec profile: every allowed group must be one the
    device knows (else the usual refusal), and the strongest is the one configured."""
    return table.keywords(Kind.ESP_DH, policy.phase2_dh_groups)[0]


def require_prefixes(device: str, policy: VpnPolicy, facts: DeployFacts) -> None:
    """Route filtering accepts only ``remote_prefixes`` and announces only the on-premises
    prefixes: with none given, a filter would pass nothing, so refuse instead."""
    missing = []
    if not facts.remote_prefixes:
        missing.append("the AWS-side prefixes (--remote-prefix)")
    if not policy.static_routes_only and not facts.onprem_prefixes:
        missing.append("the on-premises prefixes (--onprem-prefix)")
    if missing:
        raise MissingFactError(
            f"{device}: pass {' and '.join(missing)}; the {device} config "
            + ("routes" if policy.static_routes_only else "filters BGP routes")
            + " by them"
        )


def header(
    comment: str, device: str, policy: VpnPolicy, facts: DeployFacts, notes: Iterable[str]
) -> list[str]:
    """Every vendor file's header: what was proven live (nothing) and what only by parsing."""
    routing = "static routes" if policy.static_routes_only else "BGP"
    lines = [
        f"{device} configuration for both AWS Site-to-Site VPN tunnels (generated by s2svpn).",
        f"Proven live: nothing. No {device} device has run this file.",
        "Checked by parsing only: the test suite parses this file back and compares the",
        "proposals, lifetimes, DPD, inside addresses, BGP neighbours and ASNs, prefix filters",
        "and MSS with the template, and a judge written from the vendor's CLI reference",
        "finds no unknown keyword. Review before you paste; it holds the pre-shared keys.",
        f"Routing: {routing}; path preference: {facts.path_preference.value}; "
        f"outside addresses: IPv{6 if facts.outside_ipv6 else 4} "
        f"({policy.outside_ip_address_type}).",
        *notes,
    ]
    return [f"{comment} {line}".rstrip() for line in lines]
