"""Junos (SRX): route-based IKEv2/IPsec on ``st0`` units and BGP, for both tunnels.

One file, ``junos.conf``, of ``set`` commands ready for ``load set terminal``. The keyword table
below cites the Juniper page each row comes from; what Junos cannot do is refused
(:class:`DeviceCannotError`). Junos policies accept by default, so every policy ends in a
``reject`` term.
"""

from __future__ import annotations

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
    Tunnel,
    resolve,
    router_id,
)

DEVICE: Final = "junos"
_IKE: Final = "Juniper, Junos CLI Reference: proposal (Security IKE)"
_IPSEC: Final = "Juniper, Junos CLI Reference: proposal (Security IPsec)"
_PFS: Final = "Juniper, Junos CLI Reference: perfect-forward-secrecy (Security IPsec policy)"

#: THE keyword table: AWS name to Junos keyword, with its source. Nothing else maps names.
_K = vendor.Kind
KEYWORDS: Final = vendor.KeywordTable(
    DEVICE,
    [
        vendor.Row(_K.IKE_ENCRYPTION, "AES256-GCM-16", "aes-256-gcm", _IKE),
        vendor.Row(_K.IKE_ENCRYPTION, "AES128-GCM-16", "aes-128-gcm", _IKE),
        vendor.Row(_K.IKE_ENCRYPTION, "AES256", "aes-256-cbc", _IKE),
        vendor.Row(_K.IKE_ENCRYPTION, "AES128", "aes-128-cbc", _IKE),
        vendor.Row(_K.IKE_INTEGRITY, "SHA2-512", "sha-512", _IKE),
        vendor.Row(_K.IKE_INTEGRITY, "SHA2-384", "sha-384", _IKE),
        vendor.Row(_K.IKE_INTEGRITY, "SHA2-256", "sha-256", _IKE),
        vendor.Row(_K.IKE_INTEGRITY, "SHA1", "sha1", _IKE),
        # dh-group: group1, 2, 5, 14, 15, 16, 19, 20, 21, 24; no 17, 18, 22, 23.
        *vendor.numbered_rows(_K.IKE_DH, _IKE, (2, 14, 15, 16, 19, 20, 21, 24), "group{}"),
        vendor.Row(_K.ESP_ENCRYPTION, "AES256-GCM-16", "aes-256-gcm", _IPSEC),
        vendor.Row(_K.ESP_ENCRYPTION, "AES128-GCM-16", "aes-128-gcm", _IPSEC),
        vendor.Row(_K.ESP_ENCRYPTION, "AES256", "aes-256-cbc", _IPSEC),
        vendor.Row(_K.ESP_ENCRYPTION, "AES128", "aes-128-cbc", _IPSEC),
        vendor.Row(_K.ESP_INTEGRITY, "SHA2-512", "hmac-sha-512", _IPSEC),
        vendor.Row(_K.ESP_INTEGRITY, "SHA2-384", "hmac-sha-384", _IPSEC),
        vendor.Row(_K.ESP_INTEGRITY, "SHA2-256", "hmac-sha-256-128", _IPSEC),
        vendor.Row(_K.ESP_INTEGRITY, "SHA1", "hmac-sha1-96", _IPSEC),
        *vendor.numbered_rows(_K.PFS_DH, _PFS, (2, 5, 14, 15, 16, 19, 20, 21, 24), "group{}"),
    ],
)
#: Route preferences for the static variant: Junos's static default 5, a secondary 6, and for
#: dx-backup floating above BGP's 170 ("Route Preference Values", Junos Routing Policies guide).
STATIC_PREFERENCES: Final = (5, 6, 180)
#: dead-peer-detection: interval 2-60 s, threshold 1-5 ("dead-peer-detection (Security IKE)").
DPD_THRESHOLD: Final = vendor.DPD_RETRIES
DPD_MAX_INTERVAL: Final = 60
#: The internet-facing interface when --outside-interface is not given.
DEFAULT_OUTSIDE_INTERFACE: Final = "ge-0/0/0.0"


def _kw(kind: vendor.Kind, allowed: Any, order: Mapping[Any, str]) -> dict[Any, str]:
    names = alg.strongest_first(allowed, order)
    return dict(zip(names, KEYWORDS.keywords(kind, names, order), strict=True))


#: Junos holds one algorithm per proposal, so GCM and CBC can interleave: longer keys first,
#: AEAD before CBC at the same key length.
STRENGTH: Final[Mapping[str, str]] = {
    name: name for name in ("AES256-GCM-16", "AES256", "AES128-GCM-16", "AES128")
}


def _ike_proposals(policy: TunnelPolicy) -> list[list[str]]:
    """One proposal per (encryption, integrity, group), strongest first; GCM carries no
    authentication-algorithm (Junos derives the PRF of a GCM proposal itself)."""
    encryption = _kw(_K.IKE_ENCRYPTION, policy.phase1_encryption, STRENGTH)
    integrity = _kw(_K.IKE_INTEGRITY, policy.phase1_integrity, alg.INTEGRITY)
    groups = _kw(_K.IKE_DH, policy.phase1_dh_groups, alg.DH_GROUPS)
    proposals = []
    for name, enc in encryption.items():
        auths = [None] if name in alg.AEAD else list(integrity.values())
        for auth in auths:
            for group in groups.values():
                body = [f"encryption-algorithm {enc}", f"dh-group {group}"]
                if auth is not None:
                    body.append(f"authentication-algorithm {auth}")
                proposals.append(body)
    return proposals


def _esp_proposals(policy: TunnelPolicy) -> list[list[str]]:
    encryption = _kw(_K.ESP_ENCRYPTION, policy.phase2_encryption, STRENGTH)
    integrity = _kw(_K.ESP_INTEGRITY, policy.phase2_integrity, alg.INTEGRITY)
    proposals = []
    for name, enc in encryption.items():
        if name in alg.AEAD:
            proposals.append([f"encryption-algorithm {enc}"])
        else:
            proposals += [
                [f"encryption-algorithm {enc}", f"authentication-algorithm {auth}"]
                for auth in integrity.values()
            ]
    return proposals


def _proposals(
    section: str, name: str, first: str, bodies: list[list[str]], lifetime: int
) -> tuple[list[str], str]:
    """One proposal ``<name>-<n>`` a body (``first``, the body, the lifetime) under ``set
    security <section> proposal``, and their names for the policy's ``proposals [ ... ]``."""
    lines: list[str] = []
    for index, body in enumerate(bodies, start=1):
        prefix = f"set security {section} proposal {name}-{index}"
        lines += [f"{prefix} {first}"]
        lines += [f"{prefix} {statement}" for statement in body]
        lines += [f"{prefix} lifetime-seconds {lifetime}"]
    names = " ".join(f"{name}-{i}" for i in range(1, len(bodies) + 1))
    return lines, names


def _crypto(tunnel: Tunnel, facts: DeployFacts, outside: str) -> list[str]:
    policy, n = tunnel.policy, tunnel.number
    name = f"AWS-TUNNEL-{n}"
    family = "inet6" if facts.outside_ipv6 else "inet"
    lines, ike_names = _proposals(
        "ike",
        f"{name}-IKE",
        "authentication-method pre-shared-keys",
        _ike_proposals(policy),
        policy.phase1_lifetime,
    )
    interval = min(DPD_MAX_INTERVAL, vendor.dpd_interval(policy))
    gateway = f"set security ike gateway {name}"
    secret = vendor.psk(DEVICE, tunnel)
    lines += [
        f"set security ike policy {name} proposals [ {ike_names} ]",
        f'set security ike policy {name} pre-shared-key ascii-text "{secret}"',
        f"{gateway} ike-policy {name}",
        f"{gateway} address {tunnel.facts.outside_ip}",
        f"{gateway} dead-peer-detection interval {interval}",
        f"{gateway} dead-peer-detection threshold {DPD_THRESHOLD}",
        f"{gateway} external-interface {outside}",
        f"{gateway} local-address {facts.ike_local_address}",
        f"{gateway} local-identity {family} {facts.cgw_outside_ip}",
        f"{gateway} version v2-only",
    ]
    esp_lines, esp_names = _proposals(
        "ipsec",
        f"{name}-ESP",
        "protocol esp",
        _esp_proposals(policy),
        policy.phase2_lifetime,
    )
    lines += esp_lines
    pfs = vendor.pfs_group(KEYWORDS, policy)
    vpn = f"set security ipsec vpn {name}"
    lines += [
        f"set security ipsec policy {name} perfect-forward-secrecy keys {pfs}",
        f"set security ipsec policy {name} proposals [ {esp_names} ]",
        f"{vpn} bind-interface st0.{n}",
        f"{vpn} ike gateway {name}",
        f"{vpn} ike ipsec-policy {name}",
        f"{vpn} establish-tunnels immediately",
        f"set interfaces st0 unit {n} family inet address "
        f"{tunnel.cgw_inside_ip}/{tunnel.inside_cidr.prefixlen}",
        f"set interfaces st0 unit {n} family inet mtu {vendor.tunnel_mtu(facts)}",
        f"set security zones security-zone aws-vpn interfaces st0.{n} "
        "host-inbound-traffic protocols bgp",
    ]
    return lines


def _policies(tunnel: Tunnel, facts: DeployFacts, own_asn: int) -> list[str]:
    wanted = tunnel_preference(facts.path_preference, tunnel.number)
    name = f"AWS-TUNNEL-{tunnel.number}"
    into = f"set policy-options policy-statement {name}-IN"
    out = f"set policy-options policy-statement {name}-OUT"
    lines = [f"{into} term aws from prefix-list AWS-REMOTE"]
    if wanted.local_preference is not None:
        lines.append(f"{into} term aws then local-preference {wanted.local_preference}")
    lines += [
        f"{into} term aws then accept",
        f"{into} term last then reject",
        f"{out} term onprem from prefix-list AWS-ONPREM",
    ]
    if wanted.prepend:
        lines.append(
            f'{out} term onprem then as-path-prepend "{" ".join([str(own_asn)] * wanted.prepend)}"'
        )
    return [*lines, f"{out} term onprem then accept", f"{out} term last then reject"]


def _bgp(tunnels: tuple[Tunnel, Tunnel], facts: DeployFacts, own_asn: int) -> list[str]:
    lines = [f"set policy-options prefix-list AWS-ONPREM {p}" for p in facts.onprem_prefixes]
    lines += [f"set policy-options prefix-list AWS-REMOTE {p}" for p in facts.remote_prefixes]
    for tunnel in tunnels:
        lines += _policies(tunnel, facts, own_asn)
    group = "set protocols bgp group AWS"
    lines += [
        f"set routing-options autonomous-system {own_asn}",
        f"set routing-options router-id {router_id(tunnels, facts)}",
        f"{group} type external",
        f"{group} peer-as {facts.amazon_side_asn}",
        f"{group} hold-time {BGP_HOLD}",
    ]
    if multipath(facts.path_preference):
        lines.append(f"{group} multipath")
    for tunnel in tunnels:
        neighbor = f"{group} neighbor {tunnel.aws_inside_ip}"
        name = f"AWS-TUNNEL-{tunnel.number}"
        lines += [
            f"{neighbor} description aws-tunnel-{tunnel.number}",
            f"{neighbor} local-address {tunnel.cgw_inside_ip}",
            f"{neighbor} import {name}-IN",
            f"{neighbor} export {name}-OUT",
        ]
    return lines


def _static(tunnels: tuple[Tunnel, Tunnel], facts: DeployFacts) -> list[str]:
    lines = []
    for tunnel in tunnels:
        preference = static_distance(facts.path_preference, tunnel.number, STATIC_PREFERENCES)
        lines += [
            f"set routing-options static route {p} qualified-next-hop {tunnel.aws_inside_ip} "
            f"preference {preference}"
            for p in facts.remote_prefixes
        ]
    return lines


def _uses_sha2_384_512_esp(policy: TunnelPolicy) -> bool:
    cbc = set(policy.phase2_encryption) - alg.AEAD
    return bool(cbc) and bool({"SHA2-384", "SHA2-512"} & set(policy.phase2_integrity))


def render_junos(
    *, vpn_properties: Mapping[str, Any], customer_asn: int, facts: DeployFacts
) -> RenderedConfig:
    """``junos.conf`` for the VPN connection whose template ``Properties`` are given."""
    policy = vpn_policy(vpn_properties)
    vendor.check_inputs(DEVICE, policy, facts)
    tunnels = resolve(policy, facts)
    for tunnel in tunnels:
        vendor.ike_v2_only(DEVICE, tunnel.policy)
    outside = facts.outside_interface or DEFAULT_OUTSIDE_INTERFACE
    if any(c.isspace() or c in '"[]' for c in outside):
        raise DeviceCannotError(DEVICE, f"use the interface name {outside!r}")
    notes = [
        f"Outside interface: {outside}"
        + ("" if facts.outside_interface else " (a guess: pass --outside-interface)."),
        f"IKE DPD: peer dead after {DPD_THRESHOLD} missed probes (interval = DPD timeout / "
        f"{DPD_THRESHOLD}, at most {DPD_MAX_INTERVAL} s); "
        "AWS's DPD action acts on AWS's side.",
        "A GCM IKE proposal has no authentication-algorithm: Junos derives its PRF.",
        "Rekey margin, fuzz and replay window are left to Junos's defaults (AWS-side or "
        "receive-side settings). PFS: one group per IPsec policy, the template's strongest.",
    ]
    if any(_uses_sha2_384_512_esp(t.policy) for t in tunnels):
        notes.append(
            "ESP hmac-sha-384/hmac-sha-512: SRX and MX-SPC3 releases before 20.4R3-S7, 21.1R3, "
            "21.2R2-S1, 21.3R1-S2 authenticate nothing with them (CVE-2024-30391, Juniper "
            "JSA79188): run a fixed release, or drop SHA2-384/512 from phase 2."
        )
    lines = vendor.header("#", DEVICE, policy, facts, notes)
    for tunnel in tunnels:
        lines += _crypto(tunnel, facts, outside)
    lines += [
        f"set security flow tcp-mss ipsec-vpn mss {vendor.tcp_mss(facts)}",
        f"set security zones security-zone untrust interfaces {outside} "
        "host-inbound-traffic system-services ike",
    ]
    lines += (
        _static(tunnels, facts) if policy.static_routes_only else _bgp(tunnels, facts, customer_asn)
    )
    return RenderedConfig(files={f"{DEVICE}.conf": "\n".join([*lines, ""])})
