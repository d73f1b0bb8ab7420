"""FRR configuration: eBGP to AWS over both tunnels, or static routes for a static VPN."""

from __future__ import annotations

from typing import Final

from site_to_site_vpn.customer_side.facts import DeployFacts
from site_to_site_vpn.customer_side.preference import multipath, static_distance, tunnel_preference
from site_to_site_vpn.customer_side.tunnels import BGP_HOLD, BGP_KEEPALIVE, Tunnel, router_id

PREFIX_LIST: Final = "ONPREM"
#: Static VPN: FRR distances (primary, secondary, floating above eBGP's 20 for dx-backup).
STATIC_DISTANCES: Final = (10, 20, 250)


def _route_maps(tunnel: Tunnel, facts: DeployFacts, own_asn: int) -> list[str]:
    wanted = tunnel_preference(facts.path_preference, tunnel.number)
    out = [
        f"route-map {tunnel.name.upper()}-OUT permit 10",
        f" match ip address prefix-list {PREFIX_LIST}",
    ]
    into = [f"route-map {tunnel.name.upper()}-IN permit 10"]
    if wanted.prepend:
        out.append(" set as-path prepend " + " ".join([str(own_asn)] * wanted.prepend))
    if wanted.local_preference is not None:
        into.append(f" set local-preference {wanted.local_preference}")
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
        f" bgp router-id {router_id(tunnels, facts)}",
        " no bgp ebgp-requires-policy",
    ]
    for tunnel in tunnels:
        peer = tunnel.aws_inside_ip
        lines += [
            f" neighbor {peer} remote-as {facts.amazon_side_asn}",
            f" neighbor {peer} description {tunnel.name}",
            f" neighbor {peer} update-source {tunnel.cgw_inside_ip}",
            f" neighbor {peer} timers {BGP_KEEPALIVE} {BGP_HOLD}",
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
    if multipath(facts.path_preference):
        lines.append("  maximum-paths 2")
    lines += [" exit-address-family", "exit", "!", ""]
    return "\n".join(lines)


def static_conf(tunnels: tuple[Tunnel, Tunnel], facts: DeployFacts) -> str:
    """staticd routes to the remote prefixes over both tunnels, tunnel 2 as backup or equal."""
    lines = [
        "! Static VPN: no BGP; routes to the VPC prefixes over the tunnel interfaces (generated).",
        "! A route is withdrawn only when its tunnel interface goes down.",
        "frr defaults traditional",
    ]
    for tunnel in tunnels:
        used = static_distance(facts.path_preference, tunnel.number, STATIC_DISTANCES)
        lines += [
            f"ip route {prefix} {tunnel.aws_inside_ip} {tunnel.interface} {used}"
            for prefix in facts.remote_prefixes
        ]
    lines += ["!", ""]
    return "\n".join(lines)
