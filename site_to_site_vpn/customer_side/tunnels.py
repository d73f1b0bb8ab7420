"""Join each tunnel's template policy with its deploy-time facts into one resolved tunnel."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Final

from site_to_site_vpn.customer_side.facts import Dataplane, DeployFacts, TunnelFacts
from site_to_site_vpn.customer_side.template import TunnelPolicy, VpnPolicy

#: AWS's BGP timers: keepalive 10 s, hold 30 s (every device's BGP sessions use them).
BGP_KEEPALIVE: Final = 10
BGP_HOLD: Final = 30


class MissingFactError(ValueError):
    """A value neither the template nor the deploy-time facts provide."""


@dataclass(frozen=True)
class Tunnel:
    """Everything needed to configure one tunnel end on the customer gateway."""

    number: int
    policy: TunnelPolicy
    facts: TunnelFacts
    inside_cidr: ipaddress.IPv4Network
    interface: str

    @property
    def name(self) -> str:
        return f"aws-tunnel-{self.number}"

    @property
    def aws_inside_ip(self) -> ipaddress.IPv4Address:
        """AWS takes the first host of the /30."""
        return self.inside_cidr.network_address + 1

    @property
    def cgw_inside_ip(self) -> ipaddress.IPv4Address:
        """The customer gateway takes the second host of the /30."""
        return self.inside_cidr.network_address + 2


def _inside_cidr(number: int, policy: TunnelPolicy, facts: TunnelFacts) -> ipaddress.IPv4Network:
    if policy.inside_cidr is not None and facts.inside_cidr not in (None, policy.inside_cidr):
        raise MissingFactError(
            f"tunnel {number}: facts say inside CIDR {facts.inside_cidr}, "
            f"the template says {policy.inside_cidr}"
        )
    cidr = policy.inside_cidr or facts.inside_cidr
    if cidr is None:
        raise MissingFactError(
            f"tunnel {number}: the template leaves the inside CIDR to AWS; "
            f"pass it (TunnelFacts.inside_cidr, s2svpn render --tunnel{number}-inside-cidr) or use "
            "s2svpn fetch"
        )
    return cidr


def resolve(policy: VpnPolicy, facts: DeployFacts) -> tuple[Tunnel, Tunnel]:
    """Both tunnels, numbered 1 and 2 in template order."""
    template_ipv6 = policy.outside_ip_address_type == "Ipv6"
    if template_ipv6 != facts.outside_ipv6:
        raise MissingFactError(
            f"the template's OutsideIpAddressType is {policy.outside_ip_address_type}, but the "
            f"outside IPs given are IPv{6 if facts.outside_ipv6 else 4} "
            f"(customer gateway {facts.cgw_outside_ip})"
        )
    prefix = "xfrm" if facts.dataplane is Dataplane.XFRM else "tun"
    first, second = (
        Tunnel(
            number=number,
            policy=tunnel_policy,
            facts=tunnel_facts,
            inside_cidr=_inside_cidr(number, tunnel_policy, tunnel_facts),
            interface=f"{prefix}{number}",
        )
        for number, tunnel_policy, tunnel_facts in zip(
            (1, 2), policy.tunnels, facts.tunnels, strict=True
        )
    )
    return first, second


def router_id(tunnels: tuple[Tunnel, Tunnel], facts: DeployFacts) -> ipaddress.IPv4Address:
    """The outside IPv4 address; with IPv6 outside addresses, tunnel 1's inside address.

    A BGP identifier is a 32-bit IPv4-shaped number (RFC 6286), so an IPv6 outside address
    cannot serve; the customer side of tunnel 1's inside /30 is this device's and unique.
    """
    address = facts.cgw_outside_ip
    return address if isinstance(address, ipaddress.IPv4Address) else tunnels[0].cgw_inside_ip
