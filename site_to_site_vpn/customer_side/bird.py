"""BIRD 2 configuration: eBGP to AWS over both tunnels, or static routes for a static VPN.

BIRD accepts and announces nothing without a filter, so every BGP session gets an import filter
(only the AWS-side prefixes) and an export filter (only the on-premises prefixes), each ending in
an explicit ``reject``. Path preference uses the same figures as the FRR renderer.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from site_to_site_vpn.customer_side.facts import DeployFacts, PathPreference
from site_to_site_vpn.customer_side.frr import (
    BACKUP_LOCAL_PREF,
    HOLD,
    KEEPALIVE,
    PREPEND_COUNT,
)
from site_to_site_vpn.customer_side.frr import _router_id as router_id
from site_to_site_vpn.customer_side.tunnels import Tunnel

#: BIRD's default BGP local preference, which a Direct Connect session keeps.
DEFAULT_LOCAL_PREF: Final = 100
#: dx-backup: both tunnels below a Direct Connect path (local preference 100, no prepend), and
#: tunnel 2 below tunnel 1 as in primary/secondary.
DX_BACKUP: Final = {
    1: (BACKUP_LOCAL_PREF, PREPEND_COUNT),
    2: (BACKUP_LOCAL_PREF - 10, PREPEND_COUNT + 1),
}
#: Static VPN: BIRD route preference per tunnel (higher wins); equal preferences give ECMP.
STATIC_PREFERENCE: Final = (200, 190)
ONPREM_PROTOCOL: Final = "onprem_prefixes"


def protocol_name(tunnel: Tunnel) -> str:
    """``aws_tunnel_1``: BIRD symbols take no hyphens."""
    return tunnel.name.replace("-", "_")


def _prefix_set(prefixes: Iterable[object]) -> str:
    return "[ " + ", ".join(str(p) for p in prefixes) + " ]"


def _preference(tunnel: Tunnel, facts: DeployFacts) -> tuple[int | None, int]:
    """(local preference in, own-AS prepends out) for this tunnel's session."""
    if facts.path_preference is PathPreference.DX_BACKUP:
        return DX_BACKUP[tunnel.number]
    if facts.path_preference is PathPreference.PRIMARY_SECONDARY and tunnel.number == 2:
        return BACKUP_LOCAL_PREF, PREPEND_COUNT
    return None, 0


def _filters(tunnel: Tunnel, facts: DeployFacts, own_asn: int) -> list[str]:
    name = protocol_name(tunnel)
    local_pref, prepends = _preference(tunnel, facts)
    if facts.remote_prefixes:
        accept_in = "net ~ AWS_PREFIXES"
    else:  # no --remote-prefix: anything AWS announces except our own prefixes and a default
        accept_in = "!(net ~ ONPREM_PREFIXES) && net.len > 0"
    into = [f"filter {name}_in {{", f"  if {accept_in} then {{"]
    if local_pref is not None:
        into.append(f"    bgp_local_pref = {local_pref};")
    into += ["    accept;", "  }", "  reject;", "}"]
    out = [
        f"filter {name}_out {{",
        f'  if net ~ ONPREM_PREFIXES && proto = "{ONPREM_PROTOCOL}" then {{',
    ]
    out += [f"    bgp_path.prepend({own_asn});"] * prepends
    out += ["    accept;", "  }", "  reject;", "}"]
    return [*into, *out]


def _kernel(facts: DeployFacts) -> list[str]:
    ecmp = facts.path_preference is PathPreference.ACTIVE_ACTIVE
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
            f"  hold time {HOLD};",
            f"  keepalive time {KEEPALIVE};",
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
    if facts.path_preference is PathPreference.ACTIVE_ACTIVE:
        hops = " ".join(f'via "{t.interface}"' for t in tunnels)
        lines += ["protocol static aws_tunnels {", "  ipv4;", "  check link on;"]
        lines += [f"  route {prefix} {hops};" for prefix in facts.remote_prefixes]
        return "\n".join([*lines, "}", ""])
    for tunnel, preference in zip(tunnels, STATIC_PREFERENCE, strict=True):
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
