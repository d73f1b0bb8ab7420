"""FortiOS configuration (``config`` blocks) for both AWS tunnels, route-based, from the template.

Interface-mode IPsec (``phase1-interface``/``phase2-interface``), one tunnel interface per AWS
tunnel with the inside addresses, eBGP (or static routes) over them. FortiOS proposals pair an
encryption with an integrity (or, for GCM in IKE, a PRF) keyword; phase 2 GCM takes none.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from typing import Any, Final

from site_to_site_vpn.customer_side import algorithms as alg
from site_to_site_vpn.customer_side import vendor as vc
from site_to_site_vpn.customer_side.facts import DeployFacts
from site_to_site_vpn.customer_side.preference import multipath, static_distance, tunnel_preference
from site_to_site_vpn.customer_side.render import RenderedConfig
from site_to_site_vpn.customer_side.template import VpnPolicy, vpn_policy
from site_to_site_vpn.customer_side.tunnels import (
    BGP_HOLD,
    BGP_KEEPALIVE,
    Tunnel,
    resolve,
    router_id,
)

#: The ``--device`` name, which every refusal names (as the registry's DeviceCannotError).
DEVICE: Final = "fortios"
PRODUCT: Final = "FortiOS"
FILE: Final = "fortios.conf"
#: Site-specific names the file assumes (stated in its header): edit before pasting.
OUTSIDE_INTERFACE: Final = "wan1"
VDOM: Final = "root"
#: Static distances (primary, secondary, floating): FortiOS's default for static routes is 10;
#: floating above eBGP's 20 and iBGP's 200 for dx-backup, so a route learned over Direct
#: Connect wins while it exists (FortiOS Administration Guide, "Route priority/distance").
STATIC_DISTANCES: Final = (10, 20, 210)
REMOTE_LIST: Final = "aws-remote"
ONPREM_LIST: Final = "aws-onprem"

_P1 = (
    "FortiOS 6.0 CLI Reference, vpn ipsec {phase1-interface | phase1}, set proposal "
    "(docs.fortinet.com/document/fortigate/6.0.0/cli-reference/791036)"
)
_P2 = (
    "FortiOS 6.0.5 CLI Reference, vpn ipsec {phase2-interface | phase2}, set proposal "
    "(docs.fortinet.com/document/fortigate/6.0.5/cli-reference/487941)"
)
_DH = (
    "FortiOS 7.2.4 CLI Reference, config system ike: config dh-group-N, one block per "
    "supported group (docs.fortinet.com/document/fortigate/7.2.4/cli-reference/156620)"
)
_K = vc.Kind

#: The one AWS-name-to-FortiOS-keyword table. Encryption and integrity keywords are the halves
#: of FortiOS's proposal keywords (``aes256-sha512``, ``aes256gcm-prfsha512``, ``aes256gcm``).
#: AWS's groups 22, 23 and 24 have no dh-group block in config system ike: FortiOS refuses them.
KEYWORDS: Final = vc.KeywordTable(
    DEVICE,
    [
        *(
            vc.Row(kind, aws, keyword, source)
            for kind, source in ((_K.IKE_ENCRYPTION, _P1), (_K.ESP_ENCRYPTION, _P2))
            for aws, keyword in (
                ("AES256-GCM-16", "aes256gcm"),
                ("AES128-GCM-16", "aes128gcm"),
                ("AES256", "aes256"),
                ("AES128", "aes128"),
            )
        ),
        *(
            vc.Row(kind, aws, keyword, source)
            for kind, source in ((_K.IKE_INTEGRITY, _P1), (_K.ESP_INTEGRITY, _P2))
            for aws, keyword in (
                ("SHA2-512", "sha512"),
                ("SHA2-384", "sha384"),
                ("SHA2-256", "sha256"),
                ("SHA1", "sha1"),
            )
        ),
        *(
            vc.Row(kind, group, str(group), _DH)
            for kind in (_K.IKE_DH, _K.ESP_DH)
            for group in (21, 18, 20, 17, 16, 19, 15, 14, 5, 2)
            if not (kind is _K.IKE_DH and group == 5)
        ),
    ],
)

#: Statement sources outside the keyword table, cited once here:
#: - ``config system interface`` ``mtu-override``/``mtu`` (FortiGate-6000 Administration Guide
#:   "Setting the MTU for a data interface") and ``tcp-mss`` (Fortinet Technical Tip 221376
#:   "Behavior of TCP MSS setting under system interface": both directions from FortiOS 7.0.1,
#:   only the return direction before); the firewall policy's ``tcp-mss-sender``/
#:   ``tcp-mss-receiver`` (FortiOS 6.0 Handbook "TCP MSS values", Technical Tip 194518) do the
#:   same per policy, but policies are site-specific, so the interface carries the clamp;
#: - ``config router bgp`` (FortiOS 7.0.9 CLI Reference, config router bgp): ``as``,
#:   ``router-id``, ``ebgp-multipath``, neighbour ``remote-as``, ``keep-alive-timer``,
#:   ``holdtime-timer``, ``route-map-in``/``route-map-out``, ``config network``;
#: - ``config router prefix-list``/``route-map`` (FortiOS CLI Reference, router): rules with
#:   ``action``, ``prefix``, ``le``, ``match-ip-address``, ``set-local-preference``,
#:   ``set-aspath``.


def _ciphers(kind: vc.Kind, names: tuple[str, ...]) -> list[tuple[bool, str]]:
    """(is AEAD, keyword) per allowed cipher, strongest first."""
    keywords = KEYWORDS.keywords(kind, names)
    ordered = alg.strongest_first(names, alg.ENCRYPTION)
    return [(name in alg.AEAD, kw) for name, kw in zip(ordered, keywords, strict=True)]


def _proposals_p1(tunnel: Tunnel) -> list[str]:
    """Every cipher with every integrity; for GCM the integrity names the PRF."""
    policy = tunnel.policy
    vc.refuse_aead_in_ikev1(DEVICE, policy)
    ciphers = _ciphers(_K.IKE_ENCRYPTION, policy.phase1_encryption)
    integrity = KEYWORDS.keywords(_K.IKE_INTEGRITY, policy.phase1_integrity)
    return [f"{kw}-{'prf' if aead else ''}{mac}" for aead, kw in ciphers for mac in integrity]


def _proposals_p2(tunnel: Tunnel) -> list[str]:
    """GCM alone (it authenticates), other ciphers with every integrity."""
    policy = tunnel.policy
    ciphers = _ciphers(_K.ESP_ENCRYPTION, policy.phase2_encryption)
    integrity = KEYWORDS.keywords(_K.ESP_INTEGRITY, policy.phase2_integrity)
    proposals: list[str] = []
    for aead, kw in ciphers:
        proposals += [kw] if aead else [f"{kw}-{mac}" for mac in integrity]
    return proposals


def _block(path: str, entries: Iterable[tuple[str, Iterable[str]]]) -> list[str]:
    """``config PATH`` / ``edit NAME`` ... ``next`` / ``end`` with four-space indents."""
    lines = [f"config {path}"]
    for name, settings in entries:
        lines.append(f"    edit {name}")
        lines += [f"        {setting}" for setting in settings]
        lines.append("    next")
    return [*lines, "end"]


def _mask(network: ipaddress.IPv4Network) -> str:
    return f"{network.network_address} {network.netmask}"


def _phase1(tunnel: Tunnel, facts: DeployFacts) -> list[str]:
    policy = tunnel.policy
    version = 6 if facts.outside_ipv6 else 4
    suffix = "6" if facts.outside_ipv6 else ""
    return [
        f'set interface "{OUTSIDE_INTERFACE}"',
        f"set ip-version {version}",
        f"set ike-version {vc.ike_version(policy)}",
        f"set local-gw{suffix} {facts.cgw_outside_ip}",
        f"set remote-gw{suffix} {tunnel.facts.outside_ip}",
        "set peertype any",
        "set net-device disable",
        f"set proposal {' '.join(_proposals_p1(tunnel))}",
        f"set dhgrp {' '.join(KEYWORDS.keywords(_K.IKE_DH, policy.phase1_dh_groups))}",
        f"set keylife {policy.phase1_lifetime}",
        "set dpd on-idle",
        f"set dpd-retryinterval {vc.dpd_interval(policy)}",
        f"set dpd-retrycount {vc.DPD_RETRIES}",
        f"set psksecret {vc.psk(DEVICE, tunnel)}",
    ]


def _phase2(tunnel: Tunnel) -> list[str]:
    policy = tunnel.policy
    return [
        f'set phase1name "{tunnel.name}"',
        f"set proposal {' '.join(_proposals_p2(tunnel))}",
        "set pfs enable",
        f"set dhgrp {' '.join(KEYWORDS.keywords(_K.ESP_DH, policy.phase2_dh_groups))}",
        "set replay enable",
        "set keylife-type seconds",
        f"set keylifeseconds {policy.phase2_lifetime}",
        "set auto-negotiate enable",
    ]


def _interface(tunnel: Tunnel, facts: DeployFacts) -> list[str]:
    return [
        f'set vdom "{VDOM}"',
        "set type tunnel",
        f'set interface "{OUTSIDE_INTERFACE}"',
        f"set ip {tunnel.cgw_inside_ip} 255.255.255.255",
        f"set remote-ip {tunnel.aws_inside_ip} {tunnel.inside_cidr.netmask}",
        # Answer pings on the inside address, as in AWS's FortiGate example: the first check
        # from AWS's side and from this one that the tunnel carries traffic.
        "set allowaccess ping",
        "set mtu-override enable",
        f"set mtu {vc.tunnel_mtu(facts)}",
        f"set tcp-mss {vc.tcp_mss(facts)}",
        f'set description "AWS tunnel {tunnel.number}"',
    ]


def _prefix_list(prefixes: Iterable[ipaddress.IPv4Network], *, longer: bool) -> list[str]:
    rules: list[tuple[str, list[str]]] = []
    for index, prefix in enumerate(prefixes, start=1):
        settings = ["set action permit", f"set prefix {_mask(prefix)}"]
        if longer:
            settings.append("set le 32")
        rules.append((str(index), settings))
    # Explicit final deny (FortiOS's implicit one would do the same; explicit is auditable).
    rules.append((str(len(rules) + 1), ["set action deny", "set prefix any", "set le 32"]))
    return _block("rule", rules)


def _route_maps(tunnels: tuple[Tunnel, Tunnel], facts: DeployFacts, asn: int) -> list[str]:
    entries: list[tuple[str, list[str]]] = []
    for tunnel in tunnels:
        pref = tunnel_preference(facts.path_preference, tunnel.number)
        into = ["set action permit", f'set match-ip-address "{REMOTE_LIST}"']
        if pref.local_preference is not None:
            into.append(f"set set-local-preference {pref.local_preference}")
        out = ["set action permit", f'set match-ip-address "{ONPREM_LIST}"']
        if pref.prepend:
            out.append(f'set set-aspath "{" ".join([str(asn)] * pref.prepend)}"')
        for direction, first in (("in", into), ("out", out)):
            rules = [("1", first), ("2", ["set action deny"])]
            entries.append((f'"{tunnel.name}-{direction}"', _block("rule", rules)))
    return _block("router route-map", entries)


def _bgp(tunnels: tuple[Tunnel, Tunnel], facts: DeployFacts, asn: int) -> list[str]:
    lines = _block(
        "router prefix-list",
        [
            (f'"{REMOTE_LIST}"', _prefix_list(facts.remote_prefixes, longer=True)),
            (f'"{ONPREM_LIST}"', _prefix_list(facts.onprem_prefixes, longer=False)),
        ],
    )
    lines += _route_maps(tunnels, facts, asn)
    neighbours = [
        (
            f'"{tunnel.aws_inside_ip}"',
            [
                f"set remote-as {facts.amazon_side_asn}",
                f'set update-source "{tunnel.name}"',
                f"set keep-alive-timer {BGP_KEEPALIVE}",
                f"set holdtime-timer {BGP_HOLD}",
                f'set route-map-in "{tunnel.name}-in"',
                f'set route-map-out "{tunnel.name}-out"',
                "set soft-reconfiguration enable",
            ],
        )
        for tunnel in tunnels
    ]
    networks = [
        (str(index), [f"set prefix {_mask(prefix)}"])
        for index, prefix in enumerate(facts.onprem_prefixes, start=1)
    ]
    body = [
        f"set as {asn}",
        f"set router-id {router_id(tunnels, facts)}",
        f"set ebgp-multipath {'enable' if multipath(facts.path_preference) else 'disable'}",
        *_block("neighbor", neighbours),
        *_block("network", networks),
    ]
    return [*lines, "config router bgp", *(f"    {line}" for line in body), "end"]


def _distance(tunnel: Tunnel, facts: DeployFacts) -> int:
    return static_distance(facts.path_preference, tunnel.number, STATIC_DISTANCES)


def _static(tunnels: tuple[Tunnel, Tunnel], facts: DeployFacts) -> list[str]:
    routes = [
        (
            "0",
            [
                f"set dst {_mask(prefix)}",
                f'set device "{tunnel.name}"',
                f"set gateway {tunnel.aws_inside_ip}",
                f"set distance {_distance(tunnel, facts)}",
            ],
        )
        for tunnel in tunnels
        for prefix in facts.remote_prefixes
    ]
    return _block("router static", routes)


def _notes() -> list[str]:
    return [
        f"Site-specific names assumed: outside interface {OUTSIDE_INTERFACE}, VDOM {VDOM}; edit",
        "them and add firewall policies between your LAN and the two tunnel interfaces.",
        "TCP MSS: clamped on the tunnel interfaces (set tcp-mss), both directions from FortiOS",
        "7.0.1; before 7.0.1 also set tcp-mss-sender/-receiver on the tunnel firewall policies.",
    ]


def render_fortios(
    *, vpn_properties: Mapping[str, Any], customer_asn: int, facts: DeployFacts
) -> RenderedConfig:
    """``fortios.conf``: FortiOS config blocks for the VPN whose template ``Properties`` are
    given."""
    policy: VpnPolicy = vpn_policy(vpn_properties)
    vc.check_inputs(DEVICE, policy, facts)
    tunnels = resolve(policy, facts)
    lines = vc.header("#", PRODUCT, policy, facts, _notes())
    lines += _block(
        "vpn ipsec phase1-interface", [(f'"{t.name}"', _phase1(t, facts)) for t in tunnels]
    )
    lines += _block("vpn ipsec phase2-interface", [(f'"{t.name}"', _phase2(t)) for t in tunnels])
    lines += _block("system interface", [(f'"{t.name}"', _interface(t, facts)) for t in tunnels])
    lines += (
        _static(tunnels, facts) if policy.static_routes_only else _bgp(tunnels, facts, customer_asn)
    )
    return RenderedConfig(files={FILE: "\n".join([*lines, ""])})
