"""Render the whole customer-gateway configuration for one VPN connection."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from site_to_site_vpn.customer_side import frr, nftables, strongswan
from site_to_site_vpn.customer_side.devices import DeviceCannotError
from site_to_site_vpn.customer_side.facts import Dataplane, DeployFacts
from site_to_site_vpn.customer_side.template import vpn_policy
from site_to_site_vpn.customer_side.tunnels import Tunnel, resolve


@dataclass(frozen=True)
class RenderedConfig:
    """File name to content. ``repr`` hides contents because swanctl files hold PSKs."""

    files: Mapping[str, str]

    def __repr__(self) -> str:
        return f"RenderedConfig(files={sorted(self.files)})"

    def write(self, directory: Path) -> list[Path]:
        """Write every file with mode 0600 (created that way, never world-readable)."""
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        written = []
        for name, content in sorted(self.files.items()):
            path = directory / name
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(content)
            path.chmod(0o600)
            written.append(path)
        return written


#: Routing table and rule priorities of the fast-reroute backstop.
BACKSTOP_TABLE = 100
BACKSTOP_RULE_PRIORITY = 1000


def _backstop(tunnels: tuple[Tunnel, Tunnel], facts: DeployFacts) -> list[str]:
    """Keep the remote prefixes reachable while routing reconverges after a tunnel goes down.

    Linux flushes a tunnel's routes the instant its interface goes down, and BGP (or staticd)
    needs tens of milliseconds to install the other tunnel's route. A multipath route per remote
    prefix in a table consulted after main's specific routes (but before main's default route)
    bridges that gap: the kernel skips the dead tunnel's nexthop at once.
    """
    if not facts.remote_prefixes:
        return []
    nexthops = " ".join(f"nexthop dev {t.interface}" for t in tunnels)
    first, second = BACKSTOP_RULE_PRIORITY, BACKSTOP_RULE_PRIORITY + 1
    lines = [
        "# Fast-reroute backstop for the remote prefixes while routing reconverges.",
        f"ip rule del priority {first} 2>/dev/null || true",
        f"ip rule del priority {second} 2>/dev/null || true",
        f"ip rule add priority {first} lookup main suppress_prefixlength 0",
        f"ip rule add priority {second} lookup {BACKSTOP_TABLE}",
    ]
    lines += [
        f"ip route replace {prefix} table {BACKSTOP_TABLE} {nexthops}"
        for prefix in facts.remote_prefixes
    ]
    return lines


def interfaces_sh(tunnels: tuple[Tunnel, Tunnel], facts: DeployFacts) -> str:
    """Shell commands giving each tunnel interface its inside address and the AWS tunnel MTU."""
    lines = [
        "#!/bin/sh",
        "# Tunnel interfaces for the AWS Site-to-Site VPN (generated).",
        "# Idempotent: every command creates or replaces, so running it again is harmless.",
        "set -e",
    ]
    for tunnel in tunnels:
        if facts.dataplane is Dataplane.XFRM:
            lines.append(
                f"ip link show {tunnel.interface} >/dev/null 2>&1 || "
                f"ip link add {tunnel.interface} type xfrm if_id {tunnel.number}"
            )
        lines += [
            f"ip addr replace {tunnel.cgw_inside_ip}/{tunnel.inside_cidr.prefixlen} "
            f"dev {tunnel.interface}",
            f"ip link set {tunnel.interface} mtu "
            f"{nftables.tunnel_mtu(facts.dataplane, outside_ipv6=facts.outside_ipv6)} up",
        ]
    return "\n".join([*lines, *_backstop(tunnels, facts), ""])


def render(
    *, vpn_properties: Mapping[str, Any], customer_asn: int, facts: DeployFacts
) -> RenderedConfig:
    """Customer-gateway files for the VPN connection whose template ``Properties`` are given."""
    if facts.outside_interface is not None:
        raise DeviceCannotError(
            "strongswan",
            "use --outside-interface (charon binds to --local-address or the customer gateway IP)",
        )
    policy = vpn_policy(vpn_properties)
    tunnels = resolve(policy, facts)
    files: dict[str, str] = {
        "strongswan.conf": strongswan.strongswan_conf(tunnels, facts),
        "nftables.conf": nftables.mss_clamp_conf((t.interface for t in tunnels), facts.dataplane),
        "interfaces.sh": interfaces_sh(tunnels, facts),
        "frr.conf": (
            frr.static_conf(tunnels, facts)
            if policy.static_routes_only
            else frr.bgp_conf(tunnels, facts, customer_asn)
        ),
    }
    if facts.dataplane is Dataplane.XFRM:
        files["swanctl.conf"] = strongswan.swanctl_conf(tunnels, facts)
    else:
        for tunnel in tunnels:
            files[f"swanctl-tunnel{tunnel.number}.conf"] = strongswan.swanctl_conf([tunnel], facts)
    return RenderedConfig(files=files)
