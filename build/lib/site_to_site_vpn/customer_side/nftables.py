"""nftables TCP MSS clamp for traffic through the AWS tunnels, and the MTU it follows from."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from site_to_site_vpn.customer_side.facts import Dataplane

#: AWS's tunnel MTU and the MSS AWS recommends for it.
AWS_TUNNEL_MTU: Final = 1446
AWS_RECOMMENDED_MSS: Final = 1379
#: strongSwan 5.9's kernel-libipsec reads its TUN with a fixed 1400-byte buffer (TUN_DEFAULT_MTU)
#: and silently truncates anything larger, so that data plane needs the smaller MTU.
LIBIPSEC_TUN_MTU: Final = 1400
IPV4_TCP_HEADERS: Final = 40
TABLE: Final = "aws_vpn_mss"


def tunnel_mtu(dataplane: Dataplane) -> int:
    """The MTU to give the tunnel interfaces."""
    return LIBIPSEC_TUN_MTU if dataplane is Dataplane.LIBIPSEC else AWS_TUNNEL_MTU


def clamp_mss(dataplane: Dataplane) -> int:
    """AWS's 1379, or less when the tunnel interface's MTU cannot carry it."""
    return min(AWS_RECOMMENDED_MSS, tunnel_mtu(dataplane) - IPV4_TCP_HEADERS)


def mss_clamp_conf(interfaces: Iterable[str], dataplane: Dataplane) -> str:
    """A table clamping the MSS of SYNs entering or leaving the tunnels."""
    mss = clamp_mss(dataplane)
    names = ", ".join(f'"{name}"' for name in interfaces)
    rule = f"tcp flags syn tcp option maxseg size > {mss} tcp option maxseg size set {mss}"
    lines = [
        "#!/usr/sbin/nft -f",
        "# TCP MSS clamp for the AWS Site-to-Site VPN tunnels (generated).",
        f"# Why {AWS_RECOMMENDED_MSS}: the AWS tunnel MTU is {AWS_TUNNEL_MTU} bytes, 1500 minus",
        "# the worst-case IPsec overhead AWS budgets for (outer IP, NAT-T UDP, ESP header, IV,",
        "# padding, ICV). 1446 - 20 (IPv4) - 20 (TCP) = 1406 is the arithmetic maximum; AWS",
        "# recommends 1379, which leaves room for TCP options such as timestamps, so segments",
        "# never need fragmenting in the tunnel. Clamped both ways: SYN and SYN-ACK carry an MSS.",
    ]
    if dataplane is Dataplane.LIBIPSEC:
        lines += [
            f"# This gateway uses strongSwan's userspace ESP, whose TUN carries at most "
            f"{LIBIPSEC_TUN_MTU} bytes:",
            f"# {LIBIPSEC_TUN_MTU} - 40 = {mss}, below AWS's {AWS_RECOMMENDED_MSS}.",
        ]
    lines += [
        f"table inet {TABLE}",
        f"delete table inet {TABLE}",
        f"table inet {TABLE} {{",
        "  chain forward {",
        "    type filter hook forward priority mangle; policy accept;",
        f"    oifname {{ {names} }} {rule}",
        f"    iifname {{ {names} }} {rule}",
        "  }",
        "}",
        "",
    ]
    return "\n".join(lines)
