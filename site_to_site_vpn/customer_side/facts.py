"""Facts only known after ``cdk deploy`` (or chosen by the operator), passed to the renderer."""

from __future__ import annotations

import enum
import ipaddress
from dataclasses import dataclass, field
from typing import TypeAlias

#: A tunnel's outside address: IPv4, or IPv6 for a VPN with IPv6 outside addresses
#: (OutsideIpAddressType Ipv6, Transit Gateway or VPN Concentrator only).
OutsideAddress: TypeAlias = ipaddress.IPv4Address | ipaddress.IPv6Address


class PathPreference(enum.Enum):
    """How the two tunnels share traffic."""

    #: Tunnel 1 carries traffic; tunnel 2 is made less attractive both ways (prepend, local-pref).
    PRIMARY_SECONDARY = "primary-secondary"
    #: Both tunnels equal; needs ECMP on the AWS side (Transit Gateway VPN ECMP support).
    ACTIVE_ACTIVE = "active-active"
    #: Both tunnels less preferred than a Direct Connect path to the same prefixes: lower
    #: local preference in, AS-path prepend out (VPN as backup to Direct Connect).
    DX_BACKUP = "dx-backup"


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

    outside_ip: OutsideAddress
    psk: str = field(repr=False)
    inside_cidr: ipaddress.IPv4Network | None = None


@dataclass(frozen=True)
class DeployFacts:
    """Everything the template cannot know about the customer side of one VPN connection."""

    tunnels: tuple[TunnelFacts, TunnelFacts]
    cgw_outside_ip: OutsideAddress
    amazon_side_asn: int
    onprem_prefixes: tuple[ipaddress.IPv4Network, ...]
    #: VPC/TGW prefixes; only static VPNs need them (BGP learns them).
    remote_prefixes: tuple[ipaddress.IPv4Network, ...] = ()
    path_preference: PathPreference = PathPreference.PRIMARY_SECONDARY
    dataplane: Dataplane = Dataplane.XFRM
    #: Optional hook run by strongSwan on CHILD_SA up/down with the tunnel interface as argument,
    #: so the interface follows the SA the way a router's tunnel interface does.
    updown: str | None = None
    #: The device's own address when it sits behind NAT (a private address): IKE and ESP leave
    #: from it, while ``cgw_outside_ip`` (the public address AWS knows) stays the IKE identity.
    #: @default ``cgw_outside_ip``
    local_address: OutsideAddress | None = None
    #: The device's interface toward the internet, for devices whose configuration names it
    #: (Junos ``external-interface``). @default the device's first port, said in the file
    outside_interface: str | None = None

    def __post_init__(self) -> None:
        # "IPv4 and IPv6 traffic in AWS Site-to-Site VPN": with IPv6 outer tunnel IPs both the
        # AWS side and the customer gateway use IPv6 for both tunnels; never a mix.
        versions = {self.cgw_outside_ip.version} | {t.outside_ip.version for t in self.tunnels}
        if len(versions) != 1:
            raise ValueError(
                "the customer gateway's and both tunnels' outside IPs must all be IPv4 or all "
                f"IPv6; got {self.cgw_outside_ip}, "
                f"{', '.join(str(t.outside_ip) for t in self.tunnels)}"
            )

        if self.local_address is not None and self.local_address.version != versions.pop():
            raise ValueError(
                f"the local address {self.local_address} must be of the outside IPs' version "
                f"(IPv{self.cgw_outside_ip.version})"
            )

    @property
    def ike_local_address(self) -> OutsideAddress:
        """Where IKE and ESP leave from: the NAT-inside address, else the customer gateway IP."""
        return self.local_address if self.local_address is not None else self.cgw_outside_ip

    @property
    def outside_ipv6(self) -> bool:
        """True for IPv6 outside addresses (ESP/IKE over IPv6)."""
        return self.cgw_outside_ip.version == 6
