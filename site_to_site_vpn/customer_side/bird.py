"""BIRD 2 configuration: eBGP to AWS over both tunnels, or static routes for a static VPN.

BIRD accepts and announces nothing without a filter, so every BGP session gets an import filter
(only the AWS-side prefixes) and an export filter (only the on-premises prefixes), each ending in
an explicit ``reject``. Path preference is :mod:`preference`'s, as for every device.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from site_to_site_vpn.customer_side.facts import DeployFacts
from site_to_site_vpn.customer_side.preference import multipath, static_distance, tunnel_preference
from site_to_site_vpn.customer_side.tunnels import BGP_HOLD, BGP_KEEPALIVE, Tunnel, router_id

#: Static VPN: BIRD route preferences (higher wins) for (primary, secondary, floating): BIRD's
#: static default is 200 and BGP's 100, so dx-backup's floating routes sit below BGP's.
STATIC_PREFERENCES: Final = (200, 190, 90)
ONPREM_PROTOCOL: Final = "onprem_prefixes"


def protocol_name(tunnel: Tunnel) -> str:
    """``aws_tunnel_1``: BIRD symbols take no hyphens."""
    return tunnel.name.replace("-", "_")


def _prefix_set(prefixes: Iterable[object]) -> str:
    return "[ " + ", ".join(str(p) for p in prefixes) + " ]"


def _filters(tunnel: Tunnel, facts: DeployFacts, own_asn: int) -> list[str]:
    name = protocol_name(tunnel)
    wanted = tunnel_preference(facts.path_preference, tunnel.number)
    if facts.remote_prefixes:
        accept_in = "net ~ AWS_PREFIXES"
    else:  # no --remote-prefix: anything AWS announces except our own prefixes and a default
        accept_in = "!(net ~ ONPREM_PREFIXES) && net.len > 0"
    into = [f"filter {name}_in {{", f"  if {accept_in} then {{"]
    if wanted.local_preference is not None:
        into.append(f"    bgp_local_pref = {wanted.local_preference};")
    into += ["    accept;", "  }", "  reject;", "}"]
    out = [
        f"filter {name}_out {{",
        f'  if net ~ ONPREM_PREFIXES && proto = "{ONPREM_PROTOCOL}" then {{',
    ]
    out += [f"    bgp_path.prepend({own_asn});"] * wanted.prepend
    out += ["    accept;", "  }", "  reject;", "}"]
    return [*into, *out]


def _kernel(facts: DeployFacts) -> list[str]:
    ecmp = multipath(facts.path_preference)
    return [
        "# Routes BIRD learns go to the kernel; the on-premises originations stay inside BIRD.",
        "protocol kernel {",
        "  ipv4 {",
        "    import none;",
        f'    export filter {{ if proto = "{ONPREM_PROTOCOL}" then reject; accept; }};',
        "  };",
        *(["  merge paths on;  # ECMP over both tunnels"] if ecmp else []),
        "}",
    ]


def _header(tunnels: tuple[Tunnel, Tunnel], facts: DeployFacts, title: str) -> list[str]:
    return [
        f"# BIRD 2 for the AWS Site-to-Site VPN tunnels: {title} (generated).",
        "# Proven live (python -m lab --stack libreswan-bird): eBGP primary/secondary, filters,",
        "# graceful and silent failover. Checked by bird -p only: active-active, dx-backup and",
        "# the static variant.",
        f"# Path preference: {facts.path_preference.value}.",
        f"router id {router_id(tunnels, facts)};",
        "",
        "protocol device {",
        "  scan time 10;",
        "}",
        "",
    ]


def bgp_conf(tunnels: tuple[Tunnel, Tunnel], facts: DeployFacts, own_asn: int) -> str:
    """bird.conf holding both tunnels' BGP sessions and their filters."""
    lines = _header(tunnels, facts, "eBGP on both tunnels")
    lines += [f"define ONPREM_PREFIXES = {_prefix_set(facts.onprem_prefixes)};"]
    if facts.remote_prefixes:
        lines.append(f"define AWS_PREFIXES = {_prefix_set(facts.remote_prefixes)};")
    lines += ["", *_kernel(facts), ""]
    lines += [
        "# The on-premises prefixes BGP announces (as FRR's `network`); never installed locally.",
        f"protocol static {ONPREM_PROTOCOL} {{",
        "  ipv4;",
        *(f"  route {prefix} blackhole;" for prefix in facts.onprem_prefixes),
        "}",
        "",
    ]
    for tunnel in tunnels:
        name = protocol_name(tunnel)
        lines += _filters(tunnel, facts, own_asn)
        lines += [
            "",
            f"protocol bgp {name} {{",
            f'  description "AWS tunnel {tunnel.number} ({tunnel.inside_cidr}, '
            f'{tunnel.interface})";',
            f"  local {tunnel.cgw_inside_ip} as {own_asn};",
            f"  neighbor {tunnel.aws_inside_ip} as {facts.amazon_side_asn};",
            f"  hold time {BGP_HOLD};",
            f"  keepalive time {BGP_KEEPALIVE};",
            "  connect retry time 5;",
            "  # No graceful-restart capability: a peer would keep a dead tunnel's routes as",
            "  # stale (BIRD's default 120 s) instead of dropping them at hold-timer expiry.",
            "  graceful restart off;",
            "  # Reconnect 5 s after a failure (hold timer expired), not BIRD's default 60 s.",
            "  error wait time 5, 60;",
            "  ipv4 {",
            f"    import filter {name}_in;",
            f"    export filter {name}_out;",
            "  };",
            "}",
            "",
        ]
    return "\n".join(lines)


def static_conf(tunnels: tuple[Tunnel, Tunnel], facts: DeployFacts) -> str:
    """Static routes to the VPC prefixes over both tunnel interfaces, tunnel 2 as backup or equal.

    ``check link`` withdraws a tunnel's routes while its interface is down.
    """
    lines = _header(tunnels, facts, "static routes")
    lines += [*_kernel(facts), ""]
    if multipath(facts.path_preference):
        hops = " ".join(f'via "{t.interface}"' for t in tunnels)
        lines += ["protocol static aws_tunnels {", "  ipv4;", "  check link on;"]
        lines += [f"  route {prefix} {hops};" for prefix in facts.remote_prefixes]
        return "\n".join([*lines, "}", ""])
    for tunnel in tunnels:
        preference = static_distance(
            facts.path_preference, tunnel.number, STATIC_PREFERENCES, higher_wins=True
        )
        lines += [
            f"protocol static {protocol_name(tunnel)} {{",
            f"  ipv4 {{ preference {preference}; }};",
            "  check link on;",
            *(f'  route {prefix} via "{tunnel.interface}";' for prefix in facts.remote_prefixes),
            "}",
            "",
        ]
    return "\n".join(lines)


def bird_conf(
    tunnels: tuple[Tunnel, Tunnel], facts: DeployFacts, own_asn: int, *, static_routes_only: bool
) -> str:
    """bird.conf for a BGP VPN or, with ``StaticRoutesOnly``, a static one."""
    if static_routes_only:
        return static_conf(tunnels, facts)
    return bgp_conf(tunnels, facts, own_asn)
