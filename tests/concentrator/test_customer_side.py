"""The customer-gateway renderer for sites on a concentrator, from a synthesized template.

For the device a concentrator site is an ordinary two-tunnel BGP VPN ("AWS Site-to-Site VPN
Concentrators": each VPN keeps its own AWS IP per tunnel; BGP only). An IPv6-outside site needs
IPv6 outside addresses on both ends ("IPv4 and IPv6 traffic in AWS Site-to-Site VPN").
"""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest

from site_to_site_vpn.customer_side import DeployFacts, TunnelFacts, render
from site_to_site_vpn.customer_side import template as tpl
from site_to_site_vpn.customer_side.tunnels import MissingFactError
from tests.support import concentrator_sites_template, site_properties

PSKS = ("Psk.one_abcdefgh1234", "Psk.two_zyxwvuts9876")
INSIDE = ("169.254.10.0/30", "169.254.10.4/30")
HUB_ASN = 64600


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return concentrator_sites_template()


def _facts(
    template: dict[str, Any], properties: dict[str, Any], *, outside: tuple[str, str, str]
) -> DeployFacts:
    cgw, first, second = (ipaddress.ip_address(a) for a in outside)
    return DeployFacts(
        tunnels=tuple(  # type: ignore[arg-type]
            TunnelFacts(outside_ip=ip, psk=psk, inside_cidr=ipaddress.IPv4Network(cidr))
            for ip, psk, cidr in zip((first, second), PSKS, INSIDE, strict=True)
        ),
        cgw_outside_ip=cgw,
        amazon_side_asn=tpl.amazon_side_asn(template, properties) or 0,
        onprem_prefixes=(ipaddress.IPv4Network("10.1.0.0/24"),),
    )


def test_concentrator_site_renders_as_a_two_tunnel_bgp_vpn(template: dict[str, Any]) -> None:
    properties = site_properties(template, 1)
    # The hub's ASN is found through the concentrator's TransitGatewayId.
    assert tpl.amazon_side_asn(template, properties) == HUB_ASN
    facts = _facts(template, properties, outside=("198.51.100.1", "192.0.2.10", "192.0.2.20"))
    files = render(
        vpn_properties=properties,
        customer_asn=tpl.customer_gateway_asn(template, properties),
        facts=facts,
    ).files
    frr = files["frr.conf"]
    assert "router bgp 65001" in frr
    assert " bgp router-id 198.51.100.1" in frr
    assert " neighbor 169.254.10.1 remote-as 64600" in frr
    assert " neighbor 169.254.10.5 remote-as 64600" in frr
    swanctl = files["swanctl.conf"]
    assert "remote_addrs = 192.0.2.10" in swanctl
    assert "remote_addrs = 192.0.2.20" in swanctl
    assert "mtu 1446" in files["interfaces.sh"]


def test_ipv6_outside_site_renders_ipv6_endpoints(template: dict[str, Any]) -> None:
    properties = site_properties(template, 2)
    assert properties["OutsideIpAddressType"] == "Ipv6"
    facts = _facts(
        template, properties, outside=("2001:db8:5::2", "2001:db8:a::10", "2001:db8:a::20")
    )
    files = render(
        vpn_properties=properties,
        customer_asn=tpl.customer_gateway_asn(template, properties),
        facts=facts,
    ).files
    swanctl = files["swanctl.conf"]
    assert "local_addrs = 2001:db8:5::2" in swanctl
    assert "remote_addrs = 2001:db8:a::10" in swanctl
    assert "remote_addrs = 2001:db8:a::20" in swanctl
    assert "id = 2001:db8:a::20" in swanctl
    # A BGP identifier is IPv4-shaped: the inside address of tunnel 1 stands in.
    assert " bgp router-id 169.254.10.2" in files["frr.conf"]
    assert "mtu 1426" in files["interfaces.sh"]
    assert "mtu 1446" not in files["interfaces.sh"]


def test_ipv4_facts_for_an_ipv6_outside_template_are_refused(template: dict[str, Any]) -> None:
    properties = site_properties(template, 2)
    facts = _facts(template, properties, outside=("198.51.100.2", "192.0.2.10", "192.0.2.20"))
    with pytest.raises(MissingFactError, match="OutsideIpAddressType is Ipv6"):
        render(vpn_properties=properties, customer_asn=65002, facts=facts)


def test_mixed_outside_address_families_are_refused() -> None:
    with pytest.raises(ValueError, match="must all be IPv4 or all IPv6"):
        DeployFacts(
            tunnels=(
                TunnelFacts(outside_ip=ipaddress.ip_address("2001:db8:a::10"), psk=PSKS[0]),
                TunnelFacts(outside_ip=ipaddress.ip_address("192.0.2.20"), psk=PSKS[1]),
            ),
            cgw_outside_ip=ipaddress.ip_address("2001:db8:5::2"),
            amazon_side_asn=HUB_ASN,
            onprem_prefixes=(),
        )
