"""FRR configuration: eBGP to AWS over both tunnels, or static routes for a static VPN."""

from __future__ import annotations

from typing import Final

from site_to_site_vpn.customer_side.facts import DeployFacts, PathPreference
from site_to_site_vpn.customer_side.tunnels import Tunnel

#: AWS's BGP timers: keepalive 10 s, hold 30 s.
KEEPALIVE: Final = 10
HOLD: Final = 30
#: Tunnel 2 in primary/secondary: own AS prepended twice outbound, local-pref 50 inbound.
PREPEND_COUNT: Final = 2
BACKUP_LOCAL_PREF: Final = 50
PREFIX_LIST: Final = "ONPREM"
#: Static VPN: administrative distance per tunnel; equal distances give ECMP.
STATIC_DISTANCE: Final = (10, 20)


def _route_maps(tunnel: Tunnel, facts: DeployFacts, own_asn: int) -> list[str]:
    backup = tunnel.number == 2 and facts.path_preference is PathPreference.PRIMARY_SECONDARY
    out = [
        f"route-map {tunnel.name.upper()}-OUT permit 10",
        f" match ip address prefix-list {PREFIX_LIST}",
    ]
    into = [f"route-map {tunnel.name.upper()}-IN permit 10"]
    if backup:
        out.append(" set as-path prepend " + " ".join([str(own_asn)] * PREPEND_COUNT))
        into.append(f" set local-preference {BACKUP_LOCAL_PREF}")
    return [*out, "exit", *into, "exit", "!"]


def bgp_conf(tunnels: tuple[Tunnel, Tunnel], facts: DeployFacts, own_asn: int) -> str:
    """bgpd/zebra configuration for both tunnels' BGP sessions."""
    lines = [
        "! FRR for the AWS Site-to-Site VPN tunnels (generated).",
        f"! Path preference: {facts.path_preference.value}.",
        "frr defaults traditional",
        "! Apply route-map changes at once rather than after 5 s.",
        "bgp route-map delay-timer 0",
        "!",
    ]
    lines += [
        f"ip prefix-list {PREFIX_LIST} seq {5 * (i + 1)} permit {prefix}"
        for i, prefix in enumerate(facts.onprem_prefixes)
    ]
    lines.append("!")
    for tunnel in tunnels:
        lines += _route_maps(tunnel, facts, own_asn)
    lines += [
        f"router bgp {own_asn}",
        f" bgp router-id {facts.cgw_outside_ip}",
        " no bgp ebgp-requires-policy",
    ]
    for tunnel in tunnels:
        peer = tunnel.aws_inside_ip
        lines += [
            f" neighbor {peer} remote-as {facts.amazon_side_asn}",
            f" neighbor {peer} description {tunnel.name}",
            f" neighbor {peer} update-source {tunnel.cgw_inside_ip}",
            f" neighbor {peer} timers {KEEPALIVE} {HOLD}",
            f" neighbor {peer} timers connect 5",
        ]
    lines.append(" address-family ipv4 unicast")
    lines += [f"  network {prefix}" for prefix in facts.onprem_prefixes]
    for tunnel in tunnels:
        peer = tunnel.aws_inside_ip
        lines += [
            f"  neighbor {peer} route-map {tunnel.name.upper()}-IN in",
            f"  neighbor {peer} route-map {tunnel.name.upper()}-OUT out",
        ]
    if facts.path_preference is PathPreference.ACTIVE_ACTIVE:
        lines.append("  maximum-paths 2")
    lines += [" exit-address-family", "exit", "!", ""]
    return "\n".join(lines)


def static_conf(tunnels: tuple[Tunnel, Tunnel], facts: DeployFacts) -> str:
    """staticd routes to the remote prefixes over both tunnels, tunnel 2 as backup or equal."""
    equal = facts.path_preference is PathPreference.ACTIVE_ACTIVE
    lines = [
        "! Static VPN: no BGP; routes to the VPC prefixes over the tunnel interfaces (generated).",
        "! A route is withdrawn only when its tunnel interface goes down.",
        "frr defaults traditional",
    ]
    for tunnel, distance in zip(tunnels, STATIC_DISTANCE, strict=True):
        used = STATIC_DISTANCE[0] if equal else distance
        lines += [
            f"ip route {prefix} {tunnel.aws_inside_ip} {tunnel.interface} {used}"
            for prefix in facts.remote_prefixes
        ]
    lines += ["!", ""]
    return "\n".join(lines)
