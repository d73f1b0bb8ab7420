"""Every rule AWS documents for a VPN on a concentrator and for IPv6 outside addresses, refused
at synth time with the construct path, field, value and rule; and what AWS allows, accepted.

Sources: "AWS Site-to-Site VPN Concentrators" (Transit Gateway only; BGP only, static routing not
supported; at most 100 Mbps per site; private Direct Connect VPN connections not supported;
accelerated VPN and IPv6 supported), "Create an AWS Site-to-Site VPN Concentrator connection
using the CLI or API" (the concentrator instead of the Transit Gateway), "IPv4 and IPv6 traffic in
AWS Site-to-Site VPN" (IPv6 outer tunnel IPs only on a transit gateway or Cloud WAN, IPv6 on both
the AWS side and the customer gateway), "Customer gateway options for your AWS Site-to-Site VPN
connection" (an IPv6 customer gateway address is for Transit Gateway / Cloud WAN VPNs).
"""

from __future__ import annotations

import pytest

from site_to_site_vpn import (
    CustomerGateway,
    CustomerGatewayProps,
    ExistingTransitGateway,
    ExistingVpnGateway,
    OutsideIpAddressType,
    Routing,
    SiteToSiteVpn,
    TunnelBandwidth,
    ValidationError,
)
from tests.support import (
    assert_reported,
    build_concentrator,
    build_hub,
    build_site,
    new_app,
    new_stack,
    only_resource,
    site_cgw,
    synth,
)

VGW = ExistingVpnGateway("vgw-0123456789abcdef0", amazon_side_asn=64513)
TGW = ExistingTransitGateway("tgw-0123456789abcdef0", amazon_side_asn=64512)


def test_static_routing_on_a_concentrator_is_refused() -> None:
    stack = new_stack()
    concentrator = build_concentrator(stack, build_hub(stack, "onprem", "vpcs"))
    with pytest.raises(ValidationError) as caught:
        build_site(stack, 1, concentrator, routing=Routing.static(["10.1.0.0/16"]))
    assert_reported(
        caught.value,
        path="TestStack/Site1",
        field="routing",
        value="static",
        rule="static routing is not supported on a concentrator",
    )


def test_a_gateway_beside_the_concentrator_is_refused() -> None:
    stack = new_stack()
    concentrator = build_concentrator(stack, build_hub(stack, "onprem", "vpcs"))
    with pytest.raises(ValidationError) as caught:
        build_site(stack, 1, concentrator, vpn_gateway=VGW)
    assert_reported(
        caught.value,
        path="TestStack/Site1",
        field="vpn_gateway",
        value="given",
        rule="only supported with a Transit Gateway",
    )
    with pytest.raises(ValidationError) as caught:
        build_site(stack, 2, concentrator, transit_gateway=TGW)
    assert_reported(
        caught.value,
        path="TestStack/Site2",
        field="transit_gateway",
        value="given",
        rule="the concentrator names its Transit Gateway",
    )


def test_private_ipv4_and_large_tunnels_on_a_concentrator_are_refused_together() -> None:
    stack = new_stack()
    concentrator = build_concentrator(stack, build_hub(stack, "onprem", "vpcs"))
    with pytest.raises(ValidationError) as caught:
        build_site(
            stack,
            1,
            concentrator,
            outside_ip_address_type=OutsideIpAddressType.PRIVATE_IPV4,
            transport_transit_gateway_attachment_id="tgw-attach-0123456789abcdef0",
            tunnel_bandwidth=TunnelBandwidth.LARGE,
            routing=Routing.static(["10.1.0.0/16"]),
        )
    assert len(caught.value.problems) == 3
    assert_reported(
        caught.value,
        path="TestStack/Site1",
        field="outside_ip_address_type",
        value="PrivateIpv4",
        rule="Direct Connect",
    )
    assert_reported(
        caught.value,
        path="TestStack/Site1",
        field="tunnel_bandwidth",
        value="large",
        rule="at most 100 Mbps",
    )


def test_something_else_as_concentrator_is_refused() -> None:
    stack = new_stack()
    with pytest.raises(ValidationError) as caught:
        SiteToSiteVpn(
            stack,
            "Site",
            customer_gateway=site_cgw(1),
            vpn_concentrator="vcn-0123456789abcdef0",  # type: ignore[arg-type]
        )
    assert_reported(
        caught.value,
        path="TestStack/Site",
        field="vpn_concentrator",
        value="str",
        rule="VpnConcentrator",
    )


def test_customer_asn_equal_to_the_concentrators_transit_gateway_asn_is_refused() -> None:
    stack = new_stack()
    concentrator = build_concentrator(stack, build_hub(stack, "onprem", "vpcs"))
    with pytest.raises(ValidationError) as caught:
        build_site(
            stack,
            1,
            concentrator,
            customer_gateway=CustomerGatewayProps("198.51.100.1", bgp_asn=64512),
        )
    assert_reported(
        caught.value,
        path="TestStack/Site1",
        field="customer_gateway.bgp_asn",
        value="64512",
        rule="must differ from the Amazon-side ASN",
    )


@pytest.mark.parametrize("flags", [True, False], ids=["recommended-flags", "no-flags"])
def test_accelerated_ipv6_site_on_a_concentrator_is_accepted(flags: bool) -> None:
    # "AWS Site-to-Site VPN Concentrators": accelerated VPN and IPv6 are supported.
    stack = new_stack(new_app(flags=flags))
    concentrator = build_concentrator(stack, build_hub(stack, "onprem", "vpcs"))
    build_site(
        stack,
        1,
        concentrator,
        customer_gateway=site_cgw(1, ipv6=True),
        outside_ip_address_type=OutsideIpAddressType.IPV6,
        enable_acceleration=True,
    )
    template = synth(stack)
    vpn = only_resource(template, "AWS::EC2::VPNConnection")["Properties"]
    assert vpn["OutsideIpAddressType"] == "Ipv6"
    assert vpn["EnableAcceleration"] is True
    cgw = only_resource(template, "AWS::EC2::CustomerGateway")["Properties"]
    assert cgw["IpAddress"] == "2001:db8:5::1"


def test_ipv6_outside_on_a_transit_gateway_is_accepted() -> None:
    stack = new_stack()
    SiteToSiteVpn(
        stack,
        "Vpn",
        customer_gateway=site_cgw(2, ipv6=True),
        transit_gateway=TGW,
        outside_ip_address_type=OutsideIpAddressType.IPV6,
    )
    vpn = only_resource(synth(stack), "AWS::EC2::VPNConnection")["Properties"]
    assert vpn["OutsideIpAddressType"] == "Ipv6"
    assert vpn["TransitGatewayId"] == TGW.transit_gateway_id


def test_ipv6_outside_on_a_virtual_private_gateway_is_refused() -> None:
    stack = new_stack()
    with pytest.raises(ValidationError) as caught:
        SiteToSiteVpn(
            stack,
            "Vpn",
            customer_gateway=site_cgw(2, ipv6=True),
            vpn_gateway=VGW,
            outside_ip_address_type=OutsideIpAddressType.IPV6,
        )
    assert_reported(
        caught.value,
        path="TestStack/Vpn",
        field="outside_ip_address_type",
        value="Ipv6",
        rule="not on a Virtual Private Gateway",
    )


def test_ipv6_outside_with_an_ipv4_customer_gateway_is_refused() -> None:
    stack = new_stack()
    with pytest.raises(ValidationError) as caught:
        SiteToSiteVpn(
            stack,
            "Vpn",
            customer_gateway=site_cgw(2),
            transit_gateway=TGW,
            outside_ip_address_type=OutsideIpAddressType.IPV6,
        )
    assert_reported(
        caught.value,
        path="TestStack/Vpn",
        field="customer_gateway.ip_address",
        value="198.51.100.2",
        rule="must be an IPv6 address",
    )


@pytest.mark.parametrize(
    "outside", [OutsideIpAddressType.PUBLIC_IPV4, OutsideIpAddressType.PRIVATE_IPV4]
)
def test_an_ipv6_customer_gateway_with_ipv4_outside_addresses_is_refused(
    outside: OutsideIpAddressType,
) -> None:
    stack = new_stack()
    extra = (
        {"transport_transit_gateway_attachment_id": "tgw-attach-0123456789abcdef0"}
        if outside is OutsideIpAddressType.PRIVATE_IPV4
        else {}
    )
    with pytest.raises(ValidationError) as caught:
        SiteToSiteVpn(
            stack,
            "Vpn",
            customer_gateway=site_cgw(2, ipv6=True),
            transit_gateway=TGW,
            outside_ip_address_type=outside,
            **extra,  # type: ignore[arg-type]
        )
    assert len(caught.value.problems) == 1
    assert_reported(
        caught.value,
        path="TestStack/Vpn",
        field="customer_gateway.ip_address",
        value="2001:db8:5::2",
        rule="needs outside_ip_address_type IPV6",
    )


def test_an_existing_customer_gateway_construct_is_checked_too() -> None:
    stack = new_stack()
    cgw = CustomerGateway(stack, "Cgw", ip_address="198.51.100.9", bgp_asn=65009)
    with pytest.raises(ValidationError, match="must be an IPv6 address"):
        SiteToSiteVpn(
            stack,
            "Vpn",
            customer_gateway=cgw,
            transit_gateway=TGW,
            outside_ip_address_type=OutsideIpAddressType.IPV6,
        )


def test_an_imported_customer_gateway_of_unknown_address_is_not_refused() -> None:
    # No address known here: nothing to compare, so nothing is refused (no false refusal).
    stack = new_stack()
    cgw = CustomerGateway.from_customer_gateway_attributes(
        stack, "Cgw", customer_gateway_id="cgw-0123456789abcdef0", bgp_asn=65009
    )
    vpn = SiteToSiteVpn(
        stack,
        "Vpn",
        customer_gateway=cgw,
        transit_gateway=TGW,
        outside_ip_address_type=OutsideIpAddressType.IPV6,
    )
    assert vpn.outside_ip_address_type is OutsideIpAddressType.IPV6


def test_two_devices_with_one_address_on_a_concentrator_are_refused_at_synth() -> None:
    # "AWS Site-to-Site VPN Concentrators": each customer gateway device must have a unique IP.
    stack = new_stack()
    concentrator = build_concentrator(stack, build_hub(stack, "onprem", "vpcs"))
    build_site(stack, 1, concentrator, customer_gateway=site_cgw(1))
    build_site(stack, 2, concentrator, customer_gateway=CustomerGatewayProps("198.51.100.1", 65002))
    with pytest.raises(RuntimeError) as caught:
        synth(stack)
    message = str(caught.value)
    assert "TestStack/Concentrator: customer_gateway.ip_address = '198.51.100.1'" in message
    assert "TestStack/Site1, TestStack/Site2" in message
    assert "must have a unique IP address" in message


def test_one_device_with_two_vpns_on_a_concentrator_is_not_a_clash() -> None:
    stack = new_stack()
    concentrator = build_concentrator(stack, build_hub(stack, "onprem", "vpcs"))
    device = CustomerGateway(stack, "Device", ip_address="198.51.100.1", bgp_asn=65001)
    build_site(stack, 1, concentrator, customer_gateway=device)
    build_site(stack, 2, concentrator, customer_gateway=device)
    assert len(concentrator.vpn_connections()) == 2
    synth(stack)


def test_something_else_routed_as_a_concentrator_is_refused() -> None:
    stack = new_stack()
    hub = build_hub(stack, "onprem", "vpcs")
    with pytest.raises(ValidationError) as caught:
        hub.connect_vpn_concentrator(
            "vcn-0123456789abcdef0",  # type: ignore[arg-type]
            associate_with=hub.route_table("onprem"),
            propagate_to=[hub.route_table("vpcs")],
        )
    assert_reported(
        caught.value,
        path="TestStack/Hub/VpnConcentratorRouting1",
        field="concentrator",
        value="str",
        rule="must be an IVPNConcentratorRef",
    )
