"""PAN-OS configuration (``set`` commands) for both AWS tunnels, route-based, from the template.

Targets PAN-OS 10.2 or later with the legacy routing engine (``network virtual-router``): DH
groups 15, 16 and 21 arrive in 10.2, GCM in IKE in 10.0.3. PAN-OS takes one PFS group per IPsec
crypto profile, so the strongest the template allows is configured; every allowed group must
still be one PAN-OS knows, or the render is refused (never a silently shorter list).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from site_to_site_vpn.customer_side import vendor as vc
from site_to_site_vpn.customer_side.facts import DeployFacts
from site_to_site_vpn.customer_side.preference import multipath, static_distance, tunnel_preference
from site_to_site_vpn.customer_side.render import RenderedConfig
from site_to_site_vpn.customer_side.template import TunnelPolicy, vpn_policy
from site_to_site_vpn.customer_side.tunnels import (
    BGP_HOLD,
    BGP_KEEPALIVE,
    Tunnel,
    resolve,
    router_id,
)

#: The ``--device`` name, which every refusal names (as the registry's DeviceCannotError).
DEVICE: Final = "panos"
PRODUCT: Final = "PAN-OS"
FILE: Final = "panos.conf"
#: Site-specific names the file assumes (stated in its header): edit before pasting.
OUTSIDE_INTERFACE: Final = "ethernet1/1"
VIRTUAL_ROUTER: Final = "default"
ZONE: Final = "aws-vpn"
#: PAN-OS refuses two static routes to one destination with equal metrics, even over different
#: interfaces with ECMP on (Cloudflare's PAN-OS configuration guide, "Add static routes"): tunnel
#: 2's routes take the next metric; the administrative distance carries the path preference.
STATIC_METRIC: Final = 10
#: Static administrative distances (primary, secondary, floating): PAN-OS's default for static
#: routes is 10; floating above eBGP's 20 and iBGP's 200 for dx-backup, so a route learned over
#: Direct Connect wins while it exists (PAN-OS Admin Guide, "Administrative Distance").
STATIC_DISTANCES: Final = (10, 20, 210)

_IKE_P1 = (
    "PAN-OS 10.0 Admin Guide, Site-to-Site VPN Concepts > IKE Phase 1 "
    "(docs.paloaltonetworks.com/pan-os/10-0/pan-os-admin/vpns/site-to-site-vpn-concepts/"
    "internet-key-exchange-ike-for-vpn/ike-phase-1)"
)
_IKE_P2 = (
    "Network Security docs, IPsec VPN Basics > IKE Phase 2, DH exchange options "
    "(docs.paloaltonetworks.com/network-security/ipsec-vpn/administration/ipsec-vpn-basics/"
    "internet-key-exchange-ike-for-vpn/ike-phase-2)"
)
_IPSEC = (
    "PAN-OS 10.0 Admin Guide, Define IPSec Crypto Profiles "
    "(docs.paloaltonetworks.com/pan-os/10-0/pan-os-admin/vpns/set-up-site-to-site-vpn/"
    "define-cryptographic-profiles/define-ipsec-crypto-profiles)"
)
_K = vc.Kind

#: The one AWS-name-to-PAN-OS-keyword table. AWS's groups 17, 18, 22, 23 and 24 are in none of
#: these pages, so PAN-OS refuses them.
KEYWORDS: Final = vc.KeywordTable(
    DEVICE,
    [
        vc.Row(_K.IKE_ENCRYPTION, "AES256-GCM-16", "aes-256-gcm", _IKE_P1 + " (10.0.3+)"),
        vc.Row(_K.IKE_ENCRYPTION, "AES128-GCM-16", "aes-128-gcm", _IKE_P1 + " (10.0.3+)"),
        vc.Row(_K.IKE_ENCRYPTION, "AES256", "aes-256-cbc", _IKE_P1),
        vc.Row(_K.IKE_ENCRYPTION, "AES128", "aes-128-cbc", _IKE_P1),
        vc.Row(_K.IKE_INTEGRITY, "SHA2-512", "sha512", _IKE_P1),
        vc.Row(_K.IKE_INTEGRITY, "SHA2-384", "sha384", _IKE_P1),
        vc.Row(_K.IKE_INTEGRITY, "SHA2-256", "sha256", _IKE_P1),
        vc.Row(_K.IKE_INTEGRITY, "SHA1", "sha1", _IKE_P1),
        vc.Row(_K.IKE_DH, 21, "group21", _IKE_P2 + " (10.2+)"),
        vc.Row(_K.IKE_DH, 20, "group20", _IKE_P1),
        vc.Row(_K.IKE_DH, 16, "group16", _IKE_P2 + " (10.2+)"),
        vc.Row(_K.IKE_DH, 19, "group19", _IKE_P1),
        vc.Row(_K.IKE_DH, 15, "group15", _IKE_P2 + " (10.2+)"),
        vc.Row(_K.IKE_DH, 14, "group14", _IKE_P1),
        vc.Row(_K.IKE_DH, 2, "group2", _IKE_P1),
        vc.Row(_K.ESP_ENCRYPTION, "AES256-GCM-16", "aes-256-gcm", _IPSEC),
        vc.Row(_K.ESP_ENCRYPTION, "AES128-GCM-16", "aes-128-gcm", _IPSEC),
        vc.Row(_K.ESP_ENCRYPTION, "AES256", "aes-256-cbc", _IPSEC),
        vc.Row(_K.ESP_ENCRYPTION, "AES128", "aes-128-cbc", _IPSEC),
        vc.Row(_K.ESP_INTEGRITY, "SHA2-512", "sha512", _IPSEC),
        vc.Row(_K.ESP_INTEGRITY, "SHA2-384", "sha384", _IPSEC),
        vc.Row(_K.ESP_INTEGRITY, "SHA2-256", "sha256", _IPSEC),
        vc.Row(_K.ESP_INTEGRITY, "SHA1", "sha1", _IPSEC),
        vc.Row(_K.ESP_DH, 21, "group21", _IKE_P2 + " (10.2+)"),
        vc.Row(_K.ESP_DH, 20, "group20", _IKE_P2),
        vc.Row(_K.ESP_DH, 16, "group16", _IKE_P2 + " (10.2+)"),
        vc.Row(_K.ESP_DH, 19, "group19", _IKE_P2),
        vc.Row(_K.ESP_DH, 15, "group15", _IKE_P2 + " (10.2+)"),
        vc.Row(_K.ESP_DH, 14, "group14", _IKE_P2),
        vc.Row(_K.ESP_DH, 5, "group5", _IKE_P2),
        vc.Row(_K.ESP_DH, 2, "group2", _IKE_P2),
    ],
)

#: Statement sources outside the keyword table, cited once here:
#: - tunnel interface ``adjust-tcp-mss enable yes ipv4-mss-adjustment N`` (40-300; MSS = MTU - N):
#:   "PAN-OS 7.1 Enhancements to TCP MSS" (live.paloaltonetworks.com, tunnel interfaces included)
#:   and PAN-OS 9.1 Admin Guide "Maximum Segment Size (MSS)";
#: - tunnel units, zones, IKE gateway (``local-address``, ``peer-address``, ``protocol ikev2 dpd``,
#:   ``local-id``), IPsec tunnel (``auto-key``, ``tunnel-interface``, ``tunnel-monitor``,
#:   ``anti-replay``), virtual-router static routes and ECMP, in ``set`` form: Cloudflare WAN's
#:   "Palo Alto Networks NGFW" configuration guide (developers.cloudflare.com), which also says
#:   PAN-OS refuses equal-metric static routes to one destination and that enabling ECMP
#:   restarts the virtual router;
#: - virtual-router BGP (peer groups, ``policy import/export rules ... used-by <peer group>``,
#:   ``redist-rules <subnet>``): PAN-OS Web Interface Help, Network > Virtual Routers > BGP
#:   (Import/Export "Used By" names peer groups; a Redist Rule names a subnet or a profile).


def _list(values: tuple[str, ...]) -> str:
    return values[0] if len(values) == 1 else f"[ {' '.join(values)} ]"


def _ifname(tunnel: Tunnel) -> str:
    return f"tunnel.{tunnel.number}"


def _crypto(tunnel: Tunnel) -> list[str]:
    policy = tunnel.policy
    vc.refuse_aead_in_ikev1(DEVICE, policy)
    ike = f"set network ike crypto-profiles ike-crypto-profiles {tunnel.name}"
    esp = f"set network ike crypto-profiles ipsec-crypto-profiles {tunnel.name}"
    return [
        f"{ike} encryption {_list(KEYWORDS.keywords(_K.IKE_ENCRYPTION, policy.phase1_encryption))}",
        f"{ike} hash {_list(KEYWORDS.keywords(_K.IKE_INTEGRITY, policy.phase1_integrity))}",
        f"{ike} dh-group {_list(KEYWORDS.keywords(_K.IKE_DH, policy.phase1_dh_groups))}",
        f"{ike} lifetime seconds {policy.phase1_lifetime}",
        f"{esp} esp encryption "
        f"{_list(KEYWORDS.keywords(_K.ESP_ENCRYPTION, policy.phase2_encryption))}",
        f"{esp} esp authentication "
        f"{_list(KEYWORDS.keywords(_K.ESP_INTEGRITY, policy.phase2_integrity))}",
        f"{esp} dh-group {vc.strongest_pfs_group(KEYWORDS, policy)}",
        f"{esp} lifetime seconds {policy.phase2_lifetime}",
    ]


def _interface(tunnel: Tunnel, facts: DeployFacts) -> list[str]:
    mtu = vc.tunnel_mtu(facts)
    unit = f"set network interface tunnel units {_ifname(tunnel)}"
    return [
        f"{unit} ip {tunnel.cgw_inside_ip}/{tunnel.inside_cidr.prefixlen}",
        f"{unit} mtu {mtu}",
        f"{unit} adjust-tcp-mss enable yes",
        f"{unit} adjust-tcp-mss ipv4-mss-adjustment {mtu - vc.tcp_mss(facts)}",
        f'{unit} comment "AWS tunnel {tunnel.number}, AWS side {tunnel.aws_inside_ip}"',
    ]


def _dpd(policy: TunnelPolicy, version: int) -> list[str]:
    interval = vc.dpd_interval(policy)
    lines = ["dpd enable yes", f"dpd interval {interval}"]
    if version == 1:
        lines.append(f"dpd retry {vc.DPD_RETRIES}")
    return lines


def _gateway(tunnel: Tunnel, facts: DeployFacts) -> list[str]:
    version = vc.ike_version(tunnel.policy)
    proto = f"ikev{version}"
    gw = f"set network ike gateway {tunnel.name}"
    lines = [
        f"{gw} protocol version {proto}",
        f"{gw} protocol {proto} ike-crypto-profile {tunnel.name}",
        *(f"{gw} protocol {proto} {item}" for item in _dpd(tunnel.policy, version)),
        f"{gw} authentication pre-shared-key key {vc.psk(DEVICE, tunnel)}",
        f"{gw} local-address interface {OUTSIDE_INTERFACE}",
        f"{gw} local-address ip {facts.cgw_outside_ip}",
        f"{gw} peer-address ip {tunnel.facts.outside_ip}",
        f"{gw} local-id type ipaddr",
        f"{gw} local-id id {facts.cgw_outside_ip}",
        f"{gw} peer-id type ipaddr",
        f"{gw} peer-id id {tunnel.facts.outside_ip}",
        f"{gw} protocol-common nat-traversal enable yes",
        f"{gw} protocol-common passive-mode no",
    ]
    if facts.outside_ipv6:
        lines.append(f"{gw} ipv6 yes")
    ipsec = f"set network tunnel ipsec {tunnel.name}"
    lines += [
        f"{ipsec} auto-key ike-gateway {tunnel.name}",
        f"{ipsec} auto-key ipsec-crypto-profile {tunnel.name}",
        f"{ipsec} tunnel-interface {_ifname(tunnel)}",
        f"{ipsec} anti-replay yes",
    ]
    return lines


def _placement(tunnels: tuple[Tunnel, Tunnel]) -> list[str]:
    names = _list(tuple(_ifname(t) for t in tunnels))
    return [
        f"set zone {ZONE} network layer3 {names}",
        f"set network virtual-router {VIRTUAL_ROUTER} interface {names}",
    ]


def _distance(tunnel: Tunnel, facts: DeployFacts) -> int:
    return static_distance(facts.path_preference, tunnel.number, STATIC_DISTANCES)


def _static(tunnels: tuple[Tunnel, Tunnel], facts: DeployFacts) -> list[str]:
    vr = f"set network virtual-router {VIRTUAL_ROUTER}"
    lines = []
    for tunnel in tunnels:
        # The tunnel monitor takes the tunnel (and its static routes) down when AWS stops
        # answering on its inside address, so the other tunnel's routes take over.
        ipsec = f"set network tunnel ipsec {tunnel.name}"
        lines += [
            f"{ipsec} tunnel-monitor enable yes",
            f"{ipsec} tunnel-monitor destination-ip {tunnel.aws_inside_ip}",
        ]
        for index, prefix in enumerate(facts.remote_prefixes, start=1):
            route = f"{vr} routing-table ip static-route aws-t{tunnel.number}-r{index}"
            lines += [
                f"{route} destination {prefix}",
                f"{route} interface {_ifname(tunnel)}",
                f"{route} nexthop ip-address {tunnel.aws_inside_ip}",
                f"{route} admin-dist {_distance(tunnel, facts)}",
                f"{route} metric {STATIC_METRIC + tunnel.number - 1}",
            ]
    if multipath(facts.path_preference):
        lines += [f"{vr} ecmp enable yes", f"{vr} ecmp max-path 2"]
    return lines


def _policies(tunnel: Tunnel, facts: DeployFacts) -> list[str]:
    """Import only the AWS-side prefixes, export only the on-premises ones, then deny the rest:
    PAN-OS BGP imports and exports everything when no rule matches."""
    bgp = f"set network virtual-router {VIRTUAL_ROUTER} protocol bgp policy"
    pref = tunnel_preference(facts.path_preference, tunnel.number)
    lines = []
    for direction, prefixes, exact in (
        ("import", facts.remote_prefixes, "no"),
        ("export", facts.onprem_prefixes, "yes"),
    ):
        rule = f"{bgp} {direction} rules {tunnel.name}-{direction}"
        lines += [f"{rule} enable yes", f"{rule} used-by {tunnel.name}"]
        lines += [f"{rule} match address-prefix {prefix} exact {exact}" for prefix in prefixes]
        if direction == "import" and pref.local_preference is not None:
            lines.append(f"{rule} action allow update local-preference {pref.local_preference}")
        elif direction == "export" and pref.prepend:
            lines.append(f"{rule} action allow update as-path prepend {pref.prepend}")
        else:
            lines.append(f"{rule} action allow")
        deny = f"{bgp} {direction} rules {tunnel.name}-{direction}-deny-rest"
        lines += [
            f"{deny} enable yes",
            f"{deny} used-by {tunnel.name}",
            f"{deny} match address-prefix 0.0.0.0/0 exact no",
            f"{deny} action deny",
        ]
    return lines


def _bgp(tunnels: tuple[Tunnel, Tunnel], facts: DeployFacts, customer_asn: int) -> list[str]:
    vr = f"set network virtual-router {VIRTUAL_ROUTER}"
    bgp = f"{vr} protocol bgp"
    lines = [
        f"{bgp} enable yes",
        f"{bgp} router-id {router_id(tunnels, facts)}",
        f"{bgp} local-as {customer_asn}",
        f"{bgp} install-route yes",
    ]
    for tunnel in tunnels:
        # One peer group per tunnel: policy rules apply to peer groups (``used-by``).
        group = f"{bgp} peer-group {tunnel.name}"
        peer = f"{group} peer {tunnel.name}"
        lines += [
            f"{group} type ebgp",
            f"{group} enable yes",
            f"{peer} enable yes",
            f"{peer} peer-as {facts.amazon_side_asn}",
            f"{peer} local-address interface {_ifname(tunnel)}",
            f"{peer} local-address ip {tunnel.cgw_inside_ip}/{tunnel.inside_cidr.prefixlen}",
            f"{peer} peer-address ip {tunnel.aws_inside_ip}",
            f"{peer} connection-options keep-alive-interval {BGP_KEEPALIVE}",
            f"{peer} connection-options hold-time {BGP_HOLD}",
        ]
    for tunnel in tunnels:
        lines += _policies(tunnel, facts)
    # A redistribution rule named by the prefix itself (no redistribution profile needed);
    # the export rules above still decide what each peer is sent.
    for prefix in facts.onprem_prefixes:
        rule = f"{bgp} redist-rules {prefix}"
        lines += [
            f"{rule} enable yes",
            f"{rule} address-family-identifier ipv4",
            f"{rule} set-origin igp",
        ]
    if multipath(facts.path_preference):
        lines += [f"{vr} ecmp enable yes", f"{vr} ecmp max-path 2"]
    return lines


def _notes(facts: DeployFacts) -> list[str]:
    notes = [
        f"Site-specific names assumed: outside interface {OUTSIDE_INTERFACE}, virtual router "
        f"{VIRTUAL_ROUTER}, zone {ZONE}.",
        f"Edit them, add security policy rules for zone {ZONE}, then paste only the set lines",
        "(PAN-OS's CLI takes no comments: grep -v '^#').",
        "PFS: PAN-OS takes one DH group per IPsec crypto profile: each tunnel's is the strongest",
        "its template allows (all of which PAN-OS knows, or the render is refused).",
        "Targets PAN-OS 10.2+ with the legacy routing engine (network virtual-router).",
    ]
    if multipath(facts.path_preference):
        notes.append("Turning ECMP on restarts the virtual router: paste in a maintenance window.")
    return notes


def render_panos(
    *, vpn_properties: Mapping[str, Any], customer_asn: int, facts: DeployFacts
) -> RenderedConfig:
    """``panos.conf``: PAN-OS set commands for the VPN whose template ``Properties`` are given."""
    policy = vpn_policy(vpn_properties)
    vc.check_inputs(DEVICE, policy, facts)
    tunnels = resolve(policy, facts)
    lines = vc.header("#", PRODUCT, policy, facts, _notes(facts))
    for tunnel in tunnels:
        lines += _crypto(tunnel) + _interface(tunnel, facts) + _gateway(tunnel, facts)
    lines += _placement(tunnels)
    lines += (
        _static(tunnels, facts) if policy.static_routes_only else _bgp(tunnels, facts, customer_asn)
    )
    return RenderedConfig(files={FILE: "\n".join([*lines, ""])})
