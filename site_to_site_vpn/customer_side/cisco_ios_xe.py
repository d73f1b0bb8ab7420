"""Cisco IOS-XE: route-based IKEv2/IPsec (virtual tunnel interfaces) and BGP, for both tunnels.

One file, ``cisco-ios-xe.conf``, of configuration-mode commands. The keyword table below cites
the Cisco page each row comes from; what IOS-XE cannot do is refused (:class:`DeviceCannotError`).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any, Final

from site_to_site_vpn.customer_side import algorithms as alg
from site_to_site_vpn.customer_side import vendor
from site_to_site_vpn.customer_side.devices import DeviceCannotError
from site_to_site_vpn.customer_side.facts import DeployFacts
from site_to_site_vpn.customer_side.preference import (
    multipath,
    static_distance,
    tunnel_preference,
)
from site_to_site_vpn.customer_side.render import RenderedConfig
from site_to_site_vpn.customer_side.template import TunnelPolicy, vpn_policy
from site_to_site_vpn.customer_side.tunnels import (
    BGP_HOLD,
    BGP_KEEPALIVE,
    Tunnel,
    resolve,
    router_id,
)

DEVICE: Final = "cisco-ios-xe"

_IKEV2: Final = (
    "Cisco, Security for VPNs with IPsec Configuration Guide, Cisco IOS XE 17: Configuring "
    "Internet Key Exchange Version 2 and FlexVPN Site-to-Site (crypto ikev2 proposal)"
)
_TS: Final = "Cisco IOS Security Command Reference: Commands A to C, crypto ipsec transform-set"
_PFS: Final = "Cisco IOS Security Command Reference: Commands S to Z, set pfs"
_REPLAY: Final = (
    "Cisco IOS Security Command Reference: Commands S to Z, set security-association "
    "replay window-size"
)

#: THE keyword table: AWS name to IOS-XE keyword, with its source. Nothing else maps names.
_K = vendor.Kind
KEYWORDS: Final = vendor.KeywordTable(
    DEVICE,
    [
        vendor.Row(_K.IKE_ENCRYPTION, "AES256-GCM-16", "aes-gcm-256", _IKEV2),
        vendor.Row(_K.IKE_ENCRYPTION, "AES128-GCM-16", "aes-gcm-128", _IKEV2),
        vendor.Row(_K.IKE_ENCRYPTION, "AES256", "aes-cbc-256", _IKEV2),
        vendor.Row(_K.IKE_ENCRYPTION, "AES128", "aes-cbc-128", _IKEV2),
        vendor.Row(_K.IKE_INTEGRITY, "SHA2-512", "sha512", _IKEV2),
        vendor.Row(_K.IKE_INTEGRITY, "SHA2-384", "sha384", _IKEV2),
        vendor.Row(_K.IKE_INTEGRITY, "SHA2-256", "sha256", _IKEV2),
        vendor.Row(_K.IKE_INTEGRITY, "SHA1", "sha1", _IKEV2),
        # IKEv2 proposal "group": 1, 2, 5, 14, 15, 16, 19, 20, 21, 24; no 17, 18, 22, 23.
        *vendor.numbered_rows(_K.IKE_DH, _IKEV2, (2, 14, 15, 16, 19, 20, 21, 24), "{}"),
        vendor.Row(_K.ESP_ENCRYPTION, "AES256-GCM-16", "esp-gcm 256", _TS),
        vendor.Row(_K.ESP_ENCRYPTION, "AES128-GCM-16", "esp-gcm 128", _TS),
        vendor.Row(_K.ESP_ENCRYPTION, "AES256", "esp-aes 256", _TS),
        vendor.Row(_K.ESP_ENCRYPTION, "AES128", "esp-aes 128", _TS),
        vendor.Row(_K.ESP_INTEGRITY, "SHA2-512", "esp-sha512-hmac", _TS),
        vendor.Row(_K.ESP_INTEGRITY, "SHA2-384", "esp-sha384-hmac", _TS),
        vendor.Row(_K.ESP_INTEGRITY, "SHA2-256", "esp-sha256-hmac", _TS),
        vendor.Row(_K.ESP_INTEGRITY, "SHA1", "esp-sha-hmac", _TS),
        *vendor.numbered_rows(_K.PFS_DH, _PFS, (2, 5, 14, 15, 16, 19, 20, 21, 24), "group{}"),
        *vendor.numbered_rows(_K.REPLAY_WINDOW, _REPLAY, (64, 128, 256, 512, 1024), "{}"),
    ],
)
#: ``set transform-set`` takes at most six transform sets ("set transform-set", Commands S to Z).
MAX_TRANSFORM_SETS: Final = 6
#: IOS-XE administrative distances for the static variant: primary, secondary, and floating
#: above eBGP's 20 for dx-backup ("IP Routing: Protocol-Independent Configuration Guide").
STATIC_DISTANCES: Final = (1, 10, 250)
#: IOS-XE retransmits a DPD probe five times at the retry interval before declaring the peer
#: dead (IKEv2 configuration guide, "dpd").
DPD_RETRIES: Final = 5


def _kw(kind: vendor.Kind, allowed: Any, order: Mapping[Any, str]) -> list[str]:
    return list(KEYWORDS.keywords(kind, allowed, order))


def _encryption(kind: vendor.Kind, allowed: Any) -> dict[str, str]:
    """AWS encryption name to IOS-XE keyword, strongest first. Every AWS name has a row, so
    only a name AWS does not define is refused (by ``strongest_first``)."""
    names = list(alg.strongest_first(allowed, alg.ENCRYPTION))
    return dict(zip(names, _kw(kind, names, alg.ENCRYPTION), strict=True))


def _split(names: list[str]) -> tuple[list[str], list[str]]:
    aead = [n for n in names if n in alg.AEAD]
    return aead, [n for n in names if n not in alg.AEAD]


def _ike_proposals(policy: TunnelPolicy) -> list[list[str]]:
    """One IKEv2 proposal for GCM (with PRFs) and one for CBC (with integrity), strongest first."""
    enc = _encryption(_K.IKE_ENCRYPTION, policy.phase1_encryption)
    integrity = _kw(_K.IKE_INTEGRITY, policy.phase1_integrity, alg.INTEGRITY)
    groups = _kw(_K.IKE_DH, policy.phase1_dh_groups, alg.DH_GROUPS)
    aead, cbc = _split(list(enc))
    proposals = []
    if aead:
        proposals.append(
            [f" encryption {' '.join(enc[e] for e in aead)}", f" prf {' '.join(integrity)}"]
        )
    if cbc:
        proposals.append(
            [f" encryption {' '.join(enc[e] for e in cbc)}", f" integrity {' '.join(integrity)}"]
        )
    return [[*p, f" group {' '.join(groups)}"] for p in proposals]


def _transform_sets(policy: TunnelPolicy) -> list[str]:
    """Transform-set bodies, strongest first: each GCM alone, then each CBC x integrity."""
    enc = _encryption(_K.ESP_ENCRYPTION, policy.phase2_encryption)
    integrity = _kw(_K.ESP_INTEGRITY, policy.phase2_integrity, alg.INTEGRITY)
    aead, cbc = _split(list(enc))
    sets = [enc[e] for e in aead] + [f"{enc[e]} {i}" for e in cbc for i in integrity]
    if len(sets) > MAX_TRANSFORM_SETS:
        raise DeviceCannotError(
            DEVICE,
            f"hold the template's {len(sets)} phase 2 algorithm combinations in one IPsec "
            f"profile (at most {MAX_TRANSFORM_SETS} transform sets); narrow the tunnel options",
        )
    return sets


def _host(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    return f"{address} 255.255.255.255" if address.version == 4 else f"{address}/128"


def _crypto(tunnel: Tunnel, facts: DeployFacts) -> list[str]:
    policy, n, peer = tunnel.policy, tunnel.number, tunnel.facts.outside_ip
    name = f"AWS-TUNNEL-{n}"
    replay = KEYWORDS.table(_K.REPLAY_WINDOW).get(policy.replay_window)
    if replay is None:
        raise DeviceCannotError(DEVICE, f"set replay window {policy.replay_window}")
    retry = vendor.dpd_interval(policy, retries=DPD_RETRIES, first=vendor.DPD_INTERVAL)
    retry = max(2, min(60, retry))  # IOS-XE's range for the retry interval
    lines = [
        f"crypto ikev2 keyring {name}",
        f" peer {name}",
        f"  address {peer}" if peer.version == 4 else f"  address {peer}/128",
        f"  pre-shared-key {vendor.psk(DEVICE, tunnel)}",
        "!",
        f"crypto ikev2 profile {name}",
        f" match identity remote address {_host(peer)}",
        f" identity local address {facts.cgw_outside_ip}",
        " authentication remote pre-share",
        " authentication local pre-share",
        f" keyring local {name}",
        f" lifetime {policy.phase1_lifetime}",
        f" dpd {vendor.DPD_INTERVAL} {retry} periodic",
        "!",
    ]
    sets = _transform_sets(policy)
    for index, body in enumerate(sets, start=1):
        lines += [f"crypto ipsec transform-set {name}-ESP-{index} {body}", " mode tunnel", "!"]
    lines += [
        f"crypto ipsec profile {name}",
        f" set transform-set {' '.join(f'{name}-ESP-{i}' for i in range(1, len(sets) + 1))}",
        f" set pfs {vendor.pfs_group(KEYWORDS, policy)}",
        f" set security-association lifetime seconds {policy.phase2_lifetime}",
        f" set security-association replay window-size {replay}",
        f" set ikev2-profile {name}",
        "!",
    ]
    return lines


def _interface(tunnel: Tunnel, facts: DeployFacts) -> list[str]:
    mode = "ipsec ipv6 v4-overlay" if facts.outside_ipv6 else "ipsec ipv4"
    return [
        f"interface Tunnel{tunnel.number}",
        f" description AWS tunnel {tunnel.number} to {tunnel.facts.outside_ip}",
        f" ip address {tunnel.cgw_inside_ip} {tunnel.inside_cidr.netmask}",
        f" ip mtu {vendor.tunnel_mtu(facts)}",
        f" ip tcp adjust-mss {vendor.tcp_mss(facts)}",
        f" tunnel source {facts.outside_interface or facts.ike_local_address}",
        f" tunnel mode {mode}",
        f" tunnel destination {tunnel.facts.outside_ip}",
        f" tunnel protection ipsec profile AWS-TUNNEL-{tunnel.number}",
        " no shutdown",
        "!",
    ]


def _prefix_lists(facts: DeployFacts) -> list[str]:
    lines = [
        f"ip prefix-list AWS-ONPREM seq {5 * i} permit {p}"
        for i, p in enumerate(facts.onprem_prefixes, start=1)
    ]
    lines += [
        f"ip prefix-list AWS-REMOTE seq {5 * i} permit {p}"
        for i, p in enumerate(facts.remote_prefixes, start=1)
    ]
    return [*lines, "!"]


def _route_maps(tunnel: Tunnel, facts: DeployFacts, own_asn: int) -> list[str]:
    wanted = tunnel_preference(facts.path_preference, tunnel.number)
    name = f"AWS-TUNNEL-{tunnel.number}"
    into = [f"route-map {name}-IN permit 10", " match ip address prefix-list AWS-REMOTE"]
    if wanted.local_preference is not None:
        into.append(f" set local-preference {wanted.local_preference}")
    out = [f"route-map {name}-OUT permit 10", " match ip address prefix-list AWS-ONPREM"]
    if wanted.prepend:
        out.append(f" set as-path prepend {' '.join([str(own_asn)] * wanted.prepend)}")
    # IOS-XE's route-maps end in an implicit deny; written out so the intent is visible.
    return [*into, f"route-map {name}-IN deny 100", *out, f"route-map {name}-OUT deny 100", "!"]


def _bgp(tunnels: tuple[Tunnel, Tunnel], facts: DeployFacts, own_asn: int) -> list[str]:
    lines = _prefix_lists(facts)
    for tunnel in tunnels:
        lines += _route_maps(tunnel, facts, own_asn)
    lines += [
        f"router bgp {own_asn}",
        f" bgp router-id {router_id(tunnels, facts)}",
        " bgp log-neighbor-changes",
    ]
    for tunnel in tunnels:
        peer = tunnel.aws_inside_ip
        lines += [
            f" neighbor {peer} remote-as {facts.amazon_side_asn}",
            f" neighbor {peer} description aws-tunnel-{tunnel.number}",
            f" neighbor {peer} timers {BGP_KEEPALIVE} {BGP_HOLD}",
        ]
    lines.append(" address-family ipv4 unicast")
    lines += [f"  network {p.network_address} mask {p.netmask}" for p in facts.onprem_prefixes]
    for tunnel in tunnels:
        peer, name = tunnel.aws_inside_ip, f"AWS-TUNNEL-{tunnel.number}"
        lines += [
            f"  neighbor {peer} activate",
            f"  neighbor {peer} route-map {name}-IN in",
            f"  neighbor {peer} route-map {name}-OUT out",
        ]
    if multipath(facts.path_preference):
        lines.append("  maximum-paths 2")
    return [*lines, " exit-address-family", "!"]


def _static(tunnels: tuple[Tunnel, Tunnel], facts: DeployFacts) -> list[str]:
    lines = []
    for tunnel in tunnels:
        distance = static_distance(facts.path_preference, tunnel.number, STATIC_DISTANCES)
        lines += [
            f"ip route {p.network_address} {p.netmask} Tunnel{tunnel.number} "
            f"{tunnel.aws_inside_ip} {distance}"
            for p in facts.remote_prefixes
        ]
    return [*lines, "!"]


def render_cisco_ios_xe(
    *, vpn_properties: Mapping[str, Any], customer_asn: int, facts: DeployFacts
) -> RenderedConfig:
    """``cisco-ios-xe.conf`` for the VPN connection whose template ``Properties`` are given."""
    policy = vpn_policy(vpn_properties)
    vendor.check_inputs(DEVICE, policy, facts)
    tunnels = resolve(policy, facts)
    proposals = [_ike_proposals(t.policy) for t in tunnels]
    for tunnel in tunnels:
        vendor.ike_v2_only(DEVICE, tunnel.policy)
    if proposals[0] != proposals[1]:
        raise DeviceCannotError(
            DEVICE,
            "use different phase 1 algorithms per tunnel from one local address (IOS-XE picks "
            "the IKEv2 policy by local address); give both tunnels the same phase 1 options",
        )
    notes = [
        f"IKEv2 DPD: a probe every {vendor.DPD_INTERVAL} s when idle, {DPD_RETRIES} retries; "
        "AWS's DPD timeout and action act on AWS's side.",
        "Rekey margin and fuzz are AWS-side settings; IOS-XE rekeys before its own lifetimes.",
        "PFS: one group per IPsec profile, the template's strongest phase 2 group.",
    ]
    lines = vendor.header("!", DEVICE, policy, facts, notes)
    lines += ["!"]
    for index, body in enumerate(proposals[0], start=1):
        lines += [f"crypto ikev2 proposal AWS-IKE-{index}", *body, "!"]
    lines += [
        "crypto ikev2 policy AWS",
        f" match address local {facts.ike_local_address}",
        *(f" proposal AWS-IKE-{i}" for i in range(1, len(proposals[0]) + 1)),
        "!",
    ]
    for tunnel in tunnels:
        lines += _crypto(tunnel, facts)
    for tunnel in tunnels:
        lines += _interface(tunnel, facts)
    lines += (
        _static(tunnels, facts) if policy.static_routes_only else _bgp(tunnels, facts, customer_asn)
    )
    lines += ["end", ""]
    return RenderedConfig(files={f"{DEVICE}.conf": "\n".join(lines)})
