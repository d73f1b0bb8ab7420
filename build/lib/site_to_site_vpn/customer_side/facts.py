"""Facts only known after ``cdk deploy`` (or chosen by the operator), passed to the renderer."""

from __future__ import annotations

import enum
import ipaddress
from dataclasses import dataclass, field


class PathPreference(enum.Enum):
    """How the two tunnels share traffic."""

    #: Tunnel 1 carries traffic; tunnel 2 is made less attractive both ways (prepend, local-pref).
    PRIMARY_SECONDARY = "primary-secondary"
    #: Both tunnels equal; needs ECMP on the AWS side (Transit Gateway VPN ECMP support).
    ACTIVE_ACTIVE = "active-active"


class Dataplane(enum.Enum):
    """Which Linux ESP data plane the customer gateway uses."""

    #: Kernel ESP with route-based XFRM interfaces ``xfrm1``/``xfrm2``; one charon for both tunnels.
    XFRM = "xfrm"
    #: strongSwan's userspace ESP (kernel-libipsec, a TUN per charon): one charon per tunnel,
    #: for hosts without kernel ESP. Interfaces ``tun1``/``tun2``.
    LIBIPSEC = "libipsec"


@dataclass(frozen=True)
class TunnelFacts:
    """One tunnel's deploy-time facts.

    ``inside_cidr`` is needed only when the template leaves the inside /30 to AWS.
    ``psk`` is secret: it is written into the swanctl secrets section and nowhere else.
    """

    outside_ip: ipaddress.IPv4Address
    psk: str = field(repr=False)
    inside_cidr: ipaddress.IPv4Network | None = None


@dataclass(frozen=True)
class DeployFacts:
    """Everything the template cannot know about the customer side of one VPN connection."""

    tunnels: tuple[TunnelFacts, TunnelFacts]
    cgw_outside_ip: ipaddress.IPv4Address
    amazon_side_asn: int
    onprem_prefixes: tuple[ipaddress.IPv4Network, ...]
    #: VPC/TGW prefixes; only static VPNs need them (BGP learns them).
    remote_prefixes: tuple[ipaddress.IPv4Network, ...] = ()
    path_preference: PathPreference = PathPreference.PRIMARY_SECONDARY
    dataplane: Dataplane = Dataplane.XFRM
    #: Optional hook run by strongSwan on CHILD_SA up/down with the tunnel interface as argument,
    #: so the interface follows the SA the way a router's tunnel interface does.
    updown: str | None = None
