"""What the vendor CLI renderers (Cisco IOS-XE, Junos, PAN-OS, FortiOS) share.

A vendor renderer writes one file, ``<device>.conf``, of commands ready to paste. Each device
module owns one keyword table (AWS name to the vendor's keyword, the vendor's page cited per
row); this module turns a template's allowed names into that device's keywords, strongest
first, and refuses in one line (:class:`DeviceCannotError`) what the device cannot do: an
algorithm the template allows is never dropped. It also holds the numbers every device file
repeats (tunnel MTU, TCP MSS, DPD), the one pre-shared-key check, the inputs every file needs
and the header every file carries. Path preference is :mod:`preference`'s.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final, TypeVar, cast

from site_to_site_vpn.core.psk import psk_problems
from site_to_site_vpn.customer_side import algorithms as alg
from site_to_site_vpn.customer_side import nftables, strongswan
from site_to_site_vpn.customer_side.devices import DeviceCannotError
from site_to_site_vpn.customer_side.facts import Dataplane, DeployFacts
from site_to_site_vpn.customer_side.template import TunnelPolicy, VpnPolicy
from site_to_site_vpn.customer_side.tunnels import MissingFactError, Tunnel

#: The tunnel-interface MTU AWS's own configuration examples give a route-based device: the
#: Site-to-Site VPN User Guide's Check Point example (``set interface vpnt1 mtu 1436``) and the
#: Juniper SRX sample configuration (``family inet mtu 1436``); 10 bytes under the 1446 AWS
#: publishes as the tunnel MTU (Site-to-Site VPN quotas). With IPv6 outside addresses 20 bytes
#: less (the longer outer header, as the nftables renderer reasons).
TUNNEL_MTU: Final = 1436
#: How often IOS-XE probes a quiet tunnel (seconds), before its retries.
DPD_INTERVAL: Final = 10
#: DPD on Junos, PAN-OS and FortiOS: probe every ``timeout // DPD_RETRIES`` seconds, give up
#: after ``DPD_RETRIES`` misses, so the customer side declares AWS dead within the template's
#: DPDTimeoutSeconds, as AWS does (IOS-XE's own shape: DPD_INTERVAL then its five retries).
DPD_RETRIES: Final = 3

K = TypeVar("K", str, int)


class AlgorithmCannotError(DeviceCannotError, alg.UnknownAlgorithmError):
    """The template allows an algorithm the device has no keyword for (one line, the device
    and the names)."""


class PrefixesMissingError(DeviceCannotError, MissingFactError):
    """Route filters or static routes without the prefixes they need (one line, the device)."""


class Kind(enum.Enum):
    """Which list of the template a keyword row translates."""

    IKE_ENCRYPTION = "phase 1 encryption"
    IKE_INTEGRITY = "phase 1 integrity"
    IKE_DH = "phase 1 DH group"
    ESP_ENCRYPTION = "phase 2 encryption"
    ESP_INTEGRITY = "phase 2 integrity"
    ESP_DH = "phase 2 DH group"
    #: A device configuring one PFS group per IPsec policy from its own list (IOS-XE, Junos).
    PFS_DH = "PFS DH group"
    REPLAY_WINDOW = "replay window"


#: Each kind's strength order (strongest first) and the AWS names it covers.
_ORDER: Final[Mapping[Kind, Mapping[str, str] | Mapping[int, str]]] = {
    Kind.IKE_ENCRYPTION: alg.ENCRYPTION,
    Kind.ESP_ENCRYPTION: alg.ENCRYPTION,
    Kind.IKE_INTEGRITY: alg.INTEGRITY,
    Kind.ESP_INTEGRITY: alg.INTEGRITY,
    Kind.IKE_DH: alg.DH_GROUPS,
    Kind.ESP_DH: alg.DH_GROUPS,
    Kind.PFS_DH: alg.DH_GROUPS,
}


def keywords(
    device: str, what: str, allowed: Iterable[K], table: Mapping[K, str], order: Mapping[K, str]
) -> list[str]:
    """The device's keywords for ``allowed``, strongest first (``order``'s order).

    Every allowed name must have a keyword: the rest is refused with the names, never dropped.
    """
    names = list(allowed)
    try:
        ordered = alg.strongest_first(names, order)
    except alg.UnknownAlgorithmError:
        raise alg.UnknownAlgorithmError(
            f"the template's {what} list {names} holds a name AWS does not define"
        ) from None
    missing = [str(n) for n in sorted(n for n in ordered if n not in table)]
    if missing:
        raise AlgorithmCannotError(
            device,
            f"do {what} {', '.join(missing)}: the template allows it; remove it from the "
            "tunnel options for this site",
        )
    return [table[n] for n in ordered]


@dataclass(frozen=True)
class Row:
    """One AWS name and the device's keyword for it, with the vendor page that says so."""

    kind: Kind
    aws: str | int
    keyword: str
    source: str


def numbered_rows(kind: Kind, source: str, numbers: Iterable[int], form: str) -> list[Row]:
    """Rows for numbered values (DH groups, window sizes) whose keyword is ``form`` with the
    number in it (``"group{}"``), all from one page."""
    return [Row(kind, n, form.format(n), source) for n in numbers]


class KeywordTable:
    """A device's one keyword table of :class:`Row` s, looked up by :func:`keywords`."""

    def __init__(self, device: str, rows: Iterable[Row]) -> None:
        self.device = device
        self.rows: tuple[Row, ...] = tuple(rows)
        self._map = {(row.kind, row.aws): row.keyword for row in self.rows}
        if len(self._map) != len(self.rows):
            raise ValueError(f"{device}: a keyword table row is repeated")

    def table(self, kind: Kind) -> dict[str | int, str]:
        """AWS name to keyword for one kind."""
        return {aws: keyword for (k, aws), keyword in self._map.items() if k is kind}

    def keywords(
        self,
        kind: Kind,
        allowed: Iterable[str] | Iterable[int],
        order: Mapping[str, str] | None = None,
    ) -> tuple[str, ...]:
        """The device's keywords for ``allowed``, strongest first (AWS's order for the kind, or
        the device's own ``order``); one missing is refused."""
        # One strength order for names and group numbers alike (the key type varies).
        found = keywords(
            self.device,
            kind.value,
            cast("Iterable[str]", allowed),
            cast("Mapping[str, str]", self.table(kind)),
            order or cast("Mapping[str, str]", _ORDER[kind]),
        )
        return tuple(found)


def tunnel_mtu(facts: DeployFacts) -> int:
    """1436, less the IPv6 outer header's extra 20 bytes."""
    return TUNNEL_MTU - (nftables.IPV6_OUTER_EXTRA_BYTES if facts.outside_ipv6 else 0)


def tcp_mss(facts: DeployFacts) -> int:
    """AWS's recommended 1379, or less when the tunnel MTU cannot carry it."""
    return min(nftables.AWS_RECOMMENDED_MSS, tunnel_mtu(facts) - nftables.IPV4_TCP_HEADERS)


def dpd_interval(policy: TunnelPolicy, *, retries: int = DPD_RETRIES, first: int = 0) -> int:
    """Seconds between DPD retries, so ``first`` (a device's fixed first probe) plus
    ``retries`` misses take at most the template's DPD timeout: the device never declares AWS
    dead later than AWS declares the tunnel dead. The one DPD rule of every vendor device."""
    return (policy.dpd_timeout - first) // retries


def ike_version(policy: TunnelPolicy) -> int:
    """IKEv2 unless the template allows only IKEv1 (the strongSwan renderer's rule)."""
    return strongswan.ike_version(policy)


def ike_v2_only(device: str, policy: TunnelPolicy) -> None:
    """Renderers that configure IKEv2 only refuse a template allowing only IKEv1."""
    if ike_version(policy) != 2:
        raise DeviceCannotError(
            device, "be configured for IKEv1 by this renderer (the template allows only ikev1)"
        )


def refuse_aead_in_ikev1(device: str, policy: TunnelPolicy) -> None:
    """GCM is an IKEv2-only IKE cipher (RFC 5282); an IKEv1-only tunnel cannot offer it."""
    aead = [name for name in policy.phase1_encryption if name in alg.AEAD]
    if ike_version(policy) == 1 and aead:
        raise AlgorithmCannotError(
            device,
            f"do phase 1 encryption {', '.join(aead)} with IKEv1 (the template allows only IKEv1)",
        )


def pfs_group(table: KeywordTable, policy: TunnelPolicy) -> str:
    """The one PFS group a device's IPsec policy takes: the strongest the template allows."""
    strongest = alg.strongest_first(policy.phase2_dh_groups, alg.DH_GROUPS)[0]
    found = table.table(Kind.PFS_DH).get(strongest)
    if found is None:
        raise AlgorithmCannotError(
            table.device, f"do PFS DH group {strongest}, the template's strongest"
        )
    return found


def strongest_pfs_group(table: KeywordTable, policy: TunnelPolicy) -> str:
    """For devices with one PFS group per IPsec profile: every allowed group must be one the
    device knows (else the usual refusal), and the strongest is the one configured."""
    return table.keywords(Kind.ESP_DH, policy.phase2_dh_groups)[0]


def psk(device: str, tunnel: Tunnel) -> str:
    """The tunnel's PSK for a CLI line, after AWS's rule (letters, digits, ``.``, ``_``): such
    a key needs no quoting on any of the CLIs, and anything else could break out of its
    statement. The error never shows the key."""
    problems = psk_problems(f"tunnel{tunnel.number}.psk", tunnel.facts.psk)
    if problems:
        raise MissingFactError(f"{device}: {problems[0].describe('facts').removeprefix('facts: ')}")
    return tunnel.facts.psk


def require_prefixes(device: str, policy: VpnPolicy, facts: DeployFacts) -> None:
    """Route filtering accepts only ``remote_prefixes`` and announces only the on-premises
    prefixes: with none given, a filter would pass nothing, so refuse instead."""
    missing = []
    if not facts.remote_prefixes:
        missing.append("the AWS-side prefixes (--remote-prefix)")
    if not policy.static_routes_only and not facts.onprem_prefixes:
        missing.append("the on-premises prefixes (--onprem-prefix)")
    if missing:
        doing = "route" if policy.static_routes_only else "filter BGP routes"
        raise PrefixesMissingError(device, f"{doing} without {' and '.join(missing)}: pass them")


def check_inputs(device: str, policy: VpnPolicy, facts: DeployFacts) -> None:
    """Refuse what a vendor file cannot express (strongSwan-only options) or would get wrong."""
    if facts.dataplane is not Dataplane.XFRM:
        raise DeviceCannotError(device, "use --dataplane libipsec (a strongSwan data plane)")
    if facts.updown is not None:
        raise DeviceCannotError(device, "run an --updown hook (a strongSwan hook)")
    require_prefixes(device, policy, facts)


def header(
    comment: str, device: str, policy: VpnPolicy, facts: DeployFacts, notes: Iterable[str]
) -> list[str]:
    """Every vendor file's header (``device`` as the vendor names it): provenance, what was
    proven live (nothing) and what only by parsing."""
    routing = "static routes" if policy.static_routes_only else "BGP"
    lines = [
        f"{device} configuration for both AWS Site-to-Site VPN tunnels (generated by s2svpn",
        "render from the VPN's CloudFormation template).",
        f"Proven live: nothing. No {device} device has run this file; the keywords come from the",
        "vendor's documentation (cited per row in the renderer's table).",
        "Checked by parsing only: the test suite parses this file back and compares the",
        "proposals, lifetimes, DPD, inside addresses, BGP neighbours and ASNs, prefix filters",
        "and MSS with the template, and an independent judge written from the vendor's CLI",
        "reference finds no unknown keyword. Review before you paste; it holds the pre-shared",
        "keys: keep it private (mode 0600).",
        f"Routing: {routing}; path preference: {facts.path_preference.value}; "
        f"outside addresses: IPv{6 if facts.outside_ipv6 else 4} "
        f"({policy.outside_ip_address_type}).",
        *notes,
    ]
    return [f"{comment} {line}".rstrip() for line in lines]
