"""Inputs that synthesized silently although AWS refuses them at deploy time or they carry no
traffic (issue 9), and valid inputs that were refused. Each bad one is refused at synth with the
construct path, the field, the value and the rule; each valid one synthesizes.

Sources (cited next to the rules in the library): AWS Site-to-Site VPN User Guide, "Customer
gateway options for your AWS Site-to-Site VPN connection" (reserved ASNs, outside address), "How
AWS Site-to-Site VPN works" (VGWs carry no IPv6), "Tunnel options for your Site-to-Site VPN
connection" (inside CIDR unique per gateway); EC2 API Reference "CreateCustomerGateway" (same
type, IP and ASN is one gateway); EC2 API Reference "Tag" (values of at most 256 characters).
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest

from site_to_site_vpn import (
    CustomerGateway,
    CustomerGatewayProps,
    ExistingTransitGateway,
    ExistingVpnGateway,
    LogOutputFormat,
    OutsideIpAddressType,
    Routing,
    SiteToSiteVpn,
    TransitGatewayHub,
    TunnelInsideIpVersion,
    TunnelOptions,
    ValidationError,
    VirtualPrivateGateway,
    VpnLoggingOptions,
    VpnMonitoringOptions,
)
from tests.support import (
    TGW,
    VGW,
    assert_reported,
    build_vpn,
    new_app,
    new_stack,
    only_resource,
    synth,
)

OFF: dict[str, Any] = {
    "logging": VpnLoggingOptions.disabled(),
    "monitoring": VpnMonitoringOptions.disabled(),
}


def _cgw(ip: str = "203.0.113.10", asn: int = 65010) -> CustomerGatewayProps:
    return CustomerGatewayProps(ip_address=ip, bgp_asn=asn)


# (id, SiteToSiteVpn overrides, field, value shown, words of the rule)
BAD: list[tuple[str, dict[str, Any], str, str, str]] = [
    (
        "static routing on a transit gateway known by id",
        {"routing": Routing.static(["10.20.0.0/16"])},
        "routing",
        "10.20.0.0/16",
        "hub.connect_vpn",
    ),
    *[
        (
            f"customer gateway address {ip} ({why})",
            {"customer_gateway": _cgw(ip)},
            "customer_gateway.ip_address",
            ip,
            why,
        )
        for ip, why in [
            ("0.0.0.0", "unspecified"),
            ("0.1.2.3", "'this network'"),
            ("127.0.0.1", "loopback"),
            ("169.254.1.1", "link-local"),
            ("224.0.0.5", "multicast"),
            ("239.255.255.250", "multicast"),
            ("255.255.255.255", "broadcast"),
            ("240.0.0.1", "reserved"),
        ]
    ],
    *[
        (
            f"ipv6 customer gateway address {ip} ({why})",
            {
                "customer_gateway": _cgw(ip),
                "outside_ip_address_type": OutsideIpAddressType.IPV6,
            },
            "customer_gateway.ip_address",
            ip,
            why,
        )
        for ip, why in [
            ("::", "unspecified"),
            ("::1", "loopback"),
            ("fe80::1", "link-local"),
            ("ff02::1", "multicast"),
            ("::ffff:203.0.113.10", "reserved"),
        ]
    ],
    (
        "ipv6 customer gateway with ipv4 outside addresses",
        {"customer_gateway": _cgw("2001:db8::10")},
        "customer_gateway.ip_address",
        "2001:db8::10",
        "is IPv6, which needs outside_ip_address_type IPV6",
    ),
    (
        "ipv4 customer gateway with ipv6 outside addresses",
        {"outside_ip_address_type": OutsideIpAddressType.IPV6},
        "customer_gateway.ip_address",
        "203.0.113.10",
        "must be an IPv6 address with outside_ip_address_type IPV6",
    ),
    (
        "ipv6 static prefix with ipv4 tunnels",
        {"vpn_gateway": VGW, "routing": Routing.static(["10.20.0.0/16", "2001:db8:1::/48"])},
        "routing.static_route_prefixes",
        "2001:db8:1::/48",
        "Virtual Private Gateway VPN carries IPv4 only",
    ),
    (
        "ipv4 static prefix with ipv6 tunnels",
        {
            "transit_gateway": TransitGatewayHub(new_stack(), "Hub", route_table_names=["t"]),
            "routing": Routing.static(["10.20.0.0/16"]),
            "tunnel_inside_ip_version": TunnelInsideIpVersion.IPV6,
        },
        "routing.static_route_prefixes",
        "10.20.0.0/16",
        "is IPv4 but the tunnels carry IPv6",
    ),
    (
        "reserved customer asn 7224 (all Regions)",
        {"customer_gateway": _cgw(asn=7224)},
        "customer_gateway.bgp_asn",
        "7224",
        "reserved by AWS for customer gateways in all Regions",
    ),
    (
        "vgw id as transit_gateway_id",
        {"transit_gateway": ExistingTransitGateway(transit_gateway_id="vgw-0123456789abcdef0")},
        "transit_gateway.transit_gateway_id",
        "vgw-0123456789abcdef0",
        "tgw-0123456789abcdef0",
    ),
    (
        "tgw id as vpn_gateway_id",
        {"vpn_gateway": ExistingVpnGateway(vpn_gateway_id="tgw-0123456789abcdef0")},
        "vpn_gateway.vpn_gateway_id",
        "tgw-0123456789abcdef0",
        "vgw-0123456789abcdef0",
    ),
    (
        "transport attachment that is a transit gateway id",
        {
            "outside_ip_address_type": OutsideIpAddressType.PRIVATE_IPV4,
            "customer_gateway": _cgw("10.1.2.3"),
            "transport_transit_gateway_attachment_id": "tgw-0123456789abcdef0",
        },
        "transport_transit_gateway_attachment_id",
        "tgw-0123456789abcdef0",
        "tgw-attach-",
    ),
    (
        "vpn name longer than a tag value, logs and monitoring off",
        {"vpn_name": "n" * 257, **OFF},
        "vpn_name",
        "nnnn",
        "EC2 tag values hold at most 256",
    ),
    (
        "vpn name whose -cgw tag is too long",
        {"vpn_name": "n" * 253, **OFF},
        "vpn_name",
        "nnnn",
        "must be 1-252 characters",
    ),
    (
        "vpn name with a newline, logs and monitoring off",
        {"vpn_name": "branch\n7", **OFF},
        "vpn_name",
        "'branch\\n7'",
        "control characters",
    ),
    ("empty vpn name", {"vpn_name": "", **OFF}, "vpn_name", "''", "must be 1-252"),
]


@pytest.mark.parametrize(
    ("overrides", "field", "value", "rule"),
    [pytest.param(*case[1:], id=case[0]) for case in BAD],
)
def test_bad_input_is_refused(overrides: dict[str, Any], field: str, value: str, rule: str) -> None:
    stack = new_stack()
    if isinstance(overrides.get("transit_gateway"), TransitGatewayHub):
        stack = cdk.Stack.of(overrides["transit_gateway"])
    if "vpn_gateway" in overrides:
        overrides = {"transit_gateway": None, **overrides}
    with pytest.raises(ValidationError) as caught:
        build_vpn(stack, **overrides)
    assert_reported(caught.value, path="TestStack/Vpn", field=field, value=value, rule=rule)


@pytest.mark.parametrize(
    ("region", "asn"),
    [("eu-west-1", 9059), ("ap-northeast-1", 10124), ("ap-southeast-1", 17943)],
)
def test_regional_reserved_asns_are_refused_in_their_region_only(region: str, asn: int) -> None:
    app = new_app()
    env = cdk.Environment(account="111111111111", region=region)
    with pytest.raises(ValidationError) as caught:
        build_vpn(cdk.Stack(app, "TestStack", env=env), customer_gateway=_cgw(asn=asn))
    assert_reported(
        caught.value,
        path="TestStack/Vpn",
        field="customer_gateway.bgp_asn",
        value=str(asn),
        rule=f"reserved by AWS for customer gateways in {region}",
    )
    with pytest.raises(ValidationError, match=f"bgp_asn = {asn}: is reserved"):
        CustomerGateway(cdk.Stack(app, "Other", env=env), "Cgw", ip_address="1.2.3.4", bgp_asn=asn)
    # Elsewhere (us-east-1), and in an environment-agnostic stack, AWS accepts it.
    build_vpn(new_stack(), customer_gateway=_cgw(asn=asn))
    build_vpn(cdk.Stack(new_app(), "Agnostic"), customer_gateway=_cgw(asn=asn))


# AWS reserves only 7224 in every Region ("Customer gateway options" page); 9059 is eu-west-1.
@pytest.mark.parametrize("asn", [7224])
def test_asns_refused_everywhere_also_in_an_env_agnostic_stack(asn: int) -> None:
    with pytest.raises(ValidationError, match=f"bgp_asn = {asn}: is reserved"):
        build_vpn(cdk.Stack(new_app(), "Agnostic"), customer_gateway=_cgw(asn=asn))
    with pytest.raises(ValidationError, match=f"bgp_asn = {asn}: is reserved"):
        build_vpn(new_stack(), customer_gateway=_cgw(asn=asn))


def test_static_vpn_on_a_hub_that_is_never_connected_fails_synth() -> None:
    stack = new_stack()
    hub = TransitGatewayHub(stack, "Hub", route_table_names=["onprem"])
    build_vpn(stack, transit_gateway=hub, routing=Routing.static(["10.20.0.0/16"]))
    with pytest.raises(RuntimeError) as caught:
        synth(stack)
    message = str(caught.value)
    assert "TestStack/Vpn: routing = " in message
    assert "10.20.0.0/16" in message
    assert "is never routed: call hub.connect_vpn" in message


def test_static_vpn_on_a_connected_hub_routes_every_prefix() -> None:
    stack = new_stack()
    hub = TransitGatewayHub(stack, "Hub", route_table_names=["onprem", "vpcs"])
    vpn = build_vpn(stack, transit_gateway=hub, routing=Routing.static(["10.20.0.0/16"]))
    hub.connect_vpn(
        vpn, associate_with=hub.route_table("onprem"), propagate_to=[hub.route_table("vpcs")]
    )
    route = only_resource(synth(stack), "AWS::EC2::TransitGatewayRoute")
    assert route["Properties"]["DestinationCidrBlock"] == "10.20.0.0/16"


# Cross-VPN rules: the second construct is refused, naming the first.


def test_same_tunnel_inside_cidr_twice_on_one_gateway() -> None:
    stack = new_stack()
    tunnel = TunnelOptions(tunnel_inside_cidr="169.254.10.0/30")
    build_vpn(stack, tunnel1=tunnel)
    with pytest.raises(ValidationError) as caught:
        SiteToSiteVpn(
            stack,
            "Other",
            customer_gateway=_cgw("203.0.113.20"),
            transit_gateway=TGW,
            tunnel2=tunnel,
        )
    assert_reported(
        caught.value,
        path="TestStack/Other",
        field="tunnel2.tunnel_inside_cidr",
        value="169.254.10.0/30",
        rule="already used by a tunnel of TestStack/Vpn on the same gateway",
    )


def test_same_inside_cidr_on_different_gateways_is_fine() -> None:
    stack = new_stack()
    tunnel = TunnelOptions(tunnel_inside_cidr="169.254.10.0/30")
    build_vpn(stack, tunnel1=tunnel)
    other = ExistingTransitGateway(
        transit_gateway_id="tgw-0fedcba9876543210", amazon_side_asn=64512
    )
    SiteToSiteVpn(
        stack, "Other", customer_gateway=_cgw("203.0.113.20"), transit_gateway=other, tunnel1=tunnel
    )
    synth(stack)


def test_two_created_customer_gateways_with_the_same_ip_and_asn() -> None:
    stack = new_stack()
    build_vpn(stack)
    with pytest.raises(ValidationError) as caught:
        build_vpn_named(stack, "Second")
    assert_reported(
        caught.value,
        path="TestStack/Second",
        field="customer_gateway.ip_address",
        value="203.0.113.10",
        rule="TestStack/Vpn/CustomerGateway already creates a customer gateway",
    )
    with pytest.raises(ValidationError, match="already creates a customer gateway"):
        CustomerGateway(stack, "Cgw", ip_address="203.0.113.10", bgp_asn=65010)


def test_same_ip_and_asn_with_different_device_names_are_two_gateways() -> None:
    # CreateCustomerGateway: "To create more than one customer gateway with the same VPN type,
    # IP address, and BGP ASN, specify a unique device name for each customer gateway."
    stack = new_stack()
    CustomerGateway(stack, "A", ip_address="203.0.113.10", bgp_asn=65010, device_name="edge-1")
    CustomerGateway(stack, "B", ip_address="203.0.113.10", bgp_asn=65010, device_name="edge-2")
    synth(stack)


def build_vpn_named(stack: cdk.Stack, construct_id: str, **overrides: Any) -> SiteToSiteVpn:
    props: dict[str, Any] = {"customer_gateway": _cgw(), "transit_gateway": TGW, **overrides}
    return SiteToSiteVpn(stack, construct_id, **props)


def test_two_vpns_with_the_same_vpn_name_in_one_stack() -> None:
    stack = new_stack()
    build_vpn(stack, vpn_name="branch")
    with pytest.raises(ValidationError) as caught:
        build_vpn_named(stack, "Second", customer_gateway=_cgw("203.0.113.20"), vpn_name="branch")
    assert_reported(
        caught.value,
        path="TestStack/Second",
        field="vpn_name",
        value="'branch'",
        rule="is also the name of TestStack/Vpn",
    )


def test_default_vpn_name_is_the_construct_id_and_checked_too() -> None:
    app = new_app()
    stack = new_stack(app)
    scope = cdk.Stack(app, "Other")  # another stack may reuse the name
    build_vpn(stack, vpn_name="Branch")
    build_vpn_named(scope, "Branch", **OFF)
    with pytest.raises(ValidationError, match="vpn_name = 'Branch': is also the name of"):
        build_vpn_named(stack, "Branch", customer_gateway=_cgw("203.0.113.20"))


def test_all_cross_vpn_problems_come_together() -> None:
    stack = new_stack()
    tunnel = TunnelOptions(tunnel_inside_cidr="169.254.10.0/30")
    build_vpn(stack, tunnel1=tunnel, vpn_name="x")
    with pytest.raises(ValidationError) as caught:
        build_vpn_named(stack, "Second", tunnel1=tunnel, vpn_name="x")
    assert len(caught.value.problems) == 3


# Valid input that was refused (issue 9 item 6), and boundaries AWS accepts.


@pytest.mark.parametrize("asn", [7224, 9059, 10124, 17493])
def test_imported_vgw_with_a_legacy_amazon_asn_is_accepted(asn: int) -> None:
    stack = new_stack()
    vgw = VirtualPrivateGateway.from_vpn_gateway_attributes(
        stack, "Vgw", vpn_gateway_id="vgw-0123456789abcdef0", amazon_side_asn=asn
    )
    build_vpn(stack, transit_gateway=None, vpn_gateway=vgw)
    synth(stack)


def test_a_new_gateway_cannot_take_a_legacy_asn() -> None:
    with pytest.raises(ValidationError, match="amazon_side_asn = 7224"):
        TransitGatewayHub(new_stack(), "Hub", amazon_side_asn=7224)


def test_text_logs_are_accepted_with_monitoring_off() -> None:
    stack = new_stack()
    build_vpn(
        stack,
        logging=VpnLoggingOptions(output_format=LogOutputFormat.TEXT),
        monitoring=VpnMonitoringOptions.disabled(),
    )
    specs = only_resource(synth(stack), "AWS::EC2::VPNConnection")["Properties"][
        "VpnTunnelOptionsSpecifications"
    ]
    for spec in specs:
        assert spec["LogOptions"]["CloudwatchLogOptions"]["LogOutputFormat"] == "text"
        assert spec["LogOptions"]["CloudwatchLogOptions"]["BgpLogOutputFormat"] == "text"


def test_text_logs_with_monitoring_on_are_still_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        build_vpn(new_stack(), logging=VpnLoggingOptions(output_format=LogOutputFormat.TEXT))
    assert_reported(
        caught.value,
        path="TestStack/Vpn",
        field="logging.output_format",
        value="'text'",
        rule="must be json while monitoring is on",
    )


@pytest.mark.parametrize(
    "overrides",
    [
        pytest.param({"customer_gateway": _cgw("10.1.2.3")}, id="private ipv4 (NAT, DX)"),
        pytest.param({"customer_gateway": _cgw("100.64.0.1")}, id="shared address space"),
        pytest.param({"customer_gateway": _cgw("1.0.0.1")}, id="public ipv4"),
        pytest.param({"customer_gateway": _cgw("223.255.255.254")}, id="last unicast ipv4"),
        pytest.param(
            {
                "customer_gateway": _cgw("2600:1f18::10"),
                "outside_ip_address_type": OutsideIpAddressType.IPV6,
            },
            id="public ipv6",
        ),
        pytest.param({"customer_gateway": _cgw(asn=1)}, id="asn 1"),
        pytest.param({"customer_gateway": _cgw(asn=4_294_967_294)}, id="asn max"),
        pytest.param({"customer_gateway": _cgw(asn=17493)}, id="17493 is not the reserved one"),
        pytest.param({"vpn_name": "n" * 252, **OFF}, id="vpn name 252 with a created cgw"),
        pytest.param({"vpn_name": "n" * 200}, id="vpn name 200 with logs and monitoring on"),
        pytest.param(
            {
                "vpn_name": "Zweigstelle Köln #7 (ÖPNV)",
                "logging": VpnLoggingOptions.disabled(),
                "monitoring": VpnMonitoringOptions.disabled(),
            },
            id="any tag characters with logs off",
        ),
        pytest.param(
            {"vpn_gateway": VGW, "routing": Routing.static(["10.20.0.0/16", "0.0.0.0/0"])},
            id="static ipv4 prefixes on a vgw",
        ),
    ],
)
def test_valid_boundaries_synthesize(overrides: dict[str, Any]) -> None:
    stack = new_stack()
    if "vpn_gateway" in overrides:
        overrides = {"transit_gateway": None, **overrides}
    build_vpn(stack, **overrides)
    synth(stack)


def test_vpn_name_of_256_with_an_existing_customer_gateway() -> None:
    stack = new_stack()
    cgw = CustomerGateway.from_customer_gateway_attributes(
        stack, "Cgw", customer_gateway_id="cgw-0123456789abcdef0", bgp_asn=65010
    )
    build_vpn(stack, customer_gateway=cgw, vpn_name="n" * 256, **OFF)
    synth(stack)
