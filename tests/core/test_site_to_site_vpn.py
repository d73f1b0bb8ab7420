"""The effect of each SiteToSiteVpn prop on the synthesized template."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import CfnParameter, assertions
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_secretsmanager as secretsmanager

from site_to_site_vpn import (
    CustomerGateway,
    CustomerGatewayProps,
    OutsideIpAddressType,
    PreSharedKey,
    PreSharedKeyStorage,
    Routing,
    SiteToSiteVpn,
    SiteToSiteVpnProps,
    TransitGatewayHub,
    TunnelBandwidth,
    TunnelInsideIpVersion,
    TunnelOptions,
    ValidationError,
    VpnConcentrator,
)
from site_to_site_vpn.constructs.site_to_site_vpn_props import validate_site_to_site_vpn_props
from tests.support import TGW, VGW, build_vpn, new_stack, only_resource, resources_of_type, synth


def vpn_properties(**overrides: Any) -> dict[str, Any]:
    stack = new_stack()
    build_vpn(stack, **overrides)
    props: dict[str, Any] = only_resource(synth(stack), "AWS::EC2::VPNConnection")["Properties"]
    return props


def test_default_vpn_is_bgp_on_transit_gateway_with_aws_managed_keys() -> None:
    props = vpn_properties()
    assert props["Type"] == "ipsec.1"
    assert props["TransitGatewayId"] == "tgw-0123456789abcdef0"
    assert "VpnGatewayId" not in props
    assert props["StaticRoutesOnly"] is False
    assert props["PreSharedKeyStorage"] == "SecretsManager"
    assert props["OutsideIpAddressType"] == "PublicIpv4"
    assert props["TunnelBandwidth"] == "standard"
    assert props["TunnelInsideIpVersion"] == "ipv4"
    assert props["EnableAcceleration"] is False
    assert len(props["VpnTunnelOptionsSpecifications"]) == 2
    for spec in props["VpnTunnelOptionsSpecifications"]:
        assert "PreSharedKey" not in spec


def test_creates_exactly_one_customer_gateway_with_name_tag() -> None:
    stack = new_stack()
    build_vpn(stack, vpn_name="branch-7")
    template = assertions.Template.from_json(synth(stack))
    template.resource_count_is("AWS::EC2::CustomerGateway", 1)
    template.has_resource_properties(
        "AWS::EC2::CustomerGateway",
        {
            "IpAddress": "203.0.113.10",
            "BgpAsn": 65010,
            "Type": "ipsec.1",
            "Tags": [{"Key": "Name", "Value": "branch-7-cgw"}],
        },
    )
    template.has_resource_properties(
        "AWS::EC2::VPNConnection",
        {
            "CustomerGatewayId": {
                "Fn::GetAtt": [assertions.Match.any_value(), "CustomerGatewayId"]
            },
            "Tags": [{"Key": "Name", "Value": "branch-7"}],
        },
    )


def test_name_tag_defaults_to_construct_id() -> None:
    assert vpn_properties()["Tags"] == [{"Key": "Name", "Value": "Vpn"}]


def test_takes_an_existing_customer_gateway() -> None:
    stack = new_stack()
    cgw = CustomerGateway.from_customer_gateway_attributes(
        stack, "Existing", customer_gateway_id="cgw-0abc1234def567890", bgp_asn=65020
    )
    build_vpn(stack, customer_gateway=cgw)
    template = synth(stack)
    assert not resources_of_type(template, "AWS::EC2::CustomerGateway")
    vpn = only_resource(template, "AWS::EC2::VPNConnection")
    assert vpn["Properties"]["CustomerGatewayId"] == "cgw-0abc1234def567890"


def test_shared_customer_gateway_construct_serves_two_vpns() -> None:
    stack = new_stack()
    cgw = CustomerGateway(stack, "Cgw", ip_address="198.51.100.7", bgp_asn=65030)
    build_vpn(stack, customer_gateway=cgw)
    SiteToSiteVpn(stack, "Second", customer_gateway=cgw, transit_gateway=TGW)
    template = synth(stack)
    assert len(resources_of_type(template, "AWS::EC2::CustomerGateway")) == 1
    assert len(resources_of_type(template, "AWS::EC2::VPNConnection")) == 2


def test_extended_asn_goes_to_bgp_asn_extended() -> None:
    stack = new_stack()
    CustomerGateway(stack, "Cgw", ip_address="203.0.113.20", bgp_asn=4_200_000_001)
    props = only_resource(synth(stack), "AWS::EC2::CustomerGateway")["Properties"]
    assert props["BgpAsnExtended"] == 4_200_000_001
    assert "BgpAsn" not in props


def test_largest_two_byte_half_asn_stays_in_bgp_asn() -> None:
    stack = new_stack()
    CustomerGateway(stack, "Cgw", ip_address="203.0.113.20", bgp_asn=2_147_483_647)
    props = only_resource(synth(stack), "AWS::EC2::CustomerGateway")["Properties"]
    assert props["BgpAsn"] == 2_147_483_647
    assert "BgpAsnExtended" not in props


def test_customer_gateway_device_name_and_token_ip() -> None:
    stack = new_stack()
    ip = CfnParameter(stack, "CgwIp", type="String").value_as_string
    CustomerGateway(stack, "Cgw", ip_address=ip, device_name="edge-router-1")
    props = only_resource(synth(stack), "AWS::EC2::CustomerGateway")["Properties"]
    assert props["IpAddress"] == {"Ref": "CgwIp"}
    assert props["DeviceName"] == "edge-router-1"
    assert props["BgpAsn"] == 65000


def test_certificate_based_customer_gateway() -> None:
    stack = new_stack()
    cert = acm.Certificate.from_certificate_arn(
        stack,
        "Cert",
        "arn:aws:acm:us-east-1:111111111111:certificate/12345678-1234-1234-1234-123456789012",
    )
    CustomerGateway(stack, "Cgw", ip_address="203.0.113.30", certificate=cert)
    props = only_resource(synth(stack), "AWS::EC2::CustomerGateway")["Properties"]
    assert props["CertificateArn"].endswith("certificate/12345678-1234-1234-1234-123456789012")


def test_virtual_private_gateway_target() -> None:
    props = vpn_properties(vpn_gateway=VGW)
    assert props["VpnGatewayId"] == "vgw-0123456789abcdef0"
    assert "TransitGatewayId" not in props
    assert "EnableAcceleration" not in props


def test_static_routing_on_vgw_creates_one_route_per_prefix() -> None:
    stack = new_stack()
    build_vpn(stack, vpn_gateway=VGW, routing=Routing.static(["10.20.0.0/16", "10.30.0.0/16"]))
    template = synth(stack)
    assert only_resource(template, "AWS::EC2::VPNConnection")["Properties"]["StaticRoutesOnly"]
    routes = resources_of_type(template, "AWS::EC2::VPNConnectionRoute").values()
    assert sorted(r["Properties"]["DestinationCidrBlock"] for r in routes) == [
        "10.20.0.0/16",
        "10.30.0.0/16",
    ]


def test_static_routing_on_a_tgw_known_only_by_id_is_refused() -> None:
    """It used to synthesize with its prefixes nowhere in the template (issue 9)."""
    with pytest.raises(
        ValidationError, match=r"use TransitGatewayHub\.from_transit_gateway_attributes"
    ):
        build_vpn(new_stack(), routing=Routing.static(["10.20.0.0/16"]))


def test_acceleration_large_bandwidth_and_standard_psk_storage() -> None:
    props = vpn_properties(
        enable_acceleration=True,
        tunnel_bandwidth=TunnelBandwidth.LARGE,
        pre_shared_key_storage=PreSharedKeyStorage.STANDARD,
    )
    assert props["EnableAcceleration"] is True
    assert props["TunnelBandwidth"] == "large"
    assert props["PreSharedKeyStorage"] == "Standard"


def test_private_ipv4_over_direct_connect_transport_attachment() -> None:
    props = vpn_properties(
        outside_ip_address_type=OutsideIpAddressType.PRIVATE_IPV4,
        transport_transit_gateway_attachment_id="tgw-attach-0123456789abcdef0",
    )
    assert props["OutsideIpAddressType"] == "PrivateIpv4"
    assert props["TransportTransitGatewayAttachmentId"] == "tgw-attach-0123456789abcdef0"


def test_ipv6_inside_addresses_and_traffic_selectors() -> None:
    props = vpn_properties(
        tunnel_inside_ip_version=TunnelInsideIpVersion.IPV6,
        tunnel1=TunnelOptions(tunnel_inside_ipv6_cidr="fd00:0:0:10::/126"),
        tunnel2=TunnelOptions(tunnel_inside_ipv6_cidr="fd00:0:0:10::4/126"),
        local_network_cidr="2001:db8:1::/48",
        remote_network_cidr="2001:db8:2::/48",
    )
    assert props["TunnelInsideIpVersion"] == "ipv6"
    specs = props["VpnTunnelOptionsSpecifications"]
    assert [s["TunnelInsideIpv6Cidr"] for s in specs] == ["fd00:0:0:10::/126", "fd00:0:0:10::4/126"]
    assert props["LocalIpv6NetworkCidr"] == "2001:db8:1::/48"
    assert props["RemoteIpv6NetworkCidr"] == "2001:db8:2::/48"
    assert "LocalIpv4NetworkCidr" not in props


def test_ipv4_traffic_selectors() -> None:
    props = vpn_properties(local_network_cidr="10.20.0.0/16", remote_network_cidr="10.0.0.0/8")
    assert props["LocalIpv4NetworkCidr"] == "10.20.0.0/16"
    assert props["RemoteIpv4NetworkCidr"] == "10.0.0.0/8"


def test_per_tunnel_inside_cidrs() -> None:
    specs = vpn_properties(
        tunnel1=TunnelOptions(tunnel_inside_cidr="169.254.10.0/30"),
        tunnel2=TunnelOptions(tunnel_inside_cidr="169.254.10.4/30"),
    )["VpnTunnelOptionsSpecifications"]
    assert [s["TunnelInsideCidr"] for s in specs] == ["169.254.10.0/30", "169.254.10.4/30"]


def test_own_secret_is_a_dynamic_reference_never_the_value() -> None:
    stack = new_stack()
    secret = secretsmanager.Secret.from_secret_name_v2(stack, "Psk", "branch/psk")
    build_vpn(
        stack,
        tunnel1=TunnelOptions(pre_shared_key=PreSharedKey.from_secret(secret, json_field="t1")),
        tunnel2=TunnelOptions(pre_shared_key=PreSharedKey.from_secret(secret)),
    )
    specs = only_resource(synth(stack), "AWS::EC2::VPNConnection")["Properties"][
        "VpnTunnelOptionsSpecifications"
    ]
    first, second = (str(s["PreSharedKey"]) for s in specs)
    assert "{{resolve:secretsmanager:" in first
    assert ":SecretString:t1::" in first
    assert "{{resolve:secretsmanager:" in second


def test_literal_psk_with_opt_in_is_written_and_warned() -> None:
    stack = new_stack()
    build_vpn(
        stack,
        allow_plaintext_pre_shared_keys=True,
        tunnel1=TunnelOptions(pre_shared_key=PreSharedKey.unsafe_plain_text("Lit3ral.psk_one")),
    )
    props = only_resource(synth(stack), "AWS::EC2::VPNConnection")["Properties"]
    assert props["VpnTunnelOptionsSpecifications"][0]["PreSharedKey"] == "Lit3ral.psk_one"
    assert "PreSharedKey" not in props["VpnTunnelOptionsSpecifications"][1]
    assertions.Annotations.from_stack(stack).has_warning(
        "/TestStack/Vpn",
        assertions.Match.string_like_regexp("tunnel1 has a literal pre-shared key"),
    )


@pytest.mark.parametrize("attr", ["vpn_connection_id", "customer_gateway_id"])
def test_ids_are_exposed_as_attributes(attr: str) -> None:
    stack = new_stack()
    vpn = build_vpn(stack)
    resolved = stack.resolve(getattr(vpn, attr))
    assert "Fn::GetAtt" in resolved


def test_constructs_keep_their_props_private_and_expose_typed_attributes() -> None:
    stack = new_stack()
    hub = TransitGatewayHub(stack, "Hub", route_table_names=["onprem", "vpcs"])
    concentrator = VpnConcentrator(stack, "Concentrator", transit_gateway=hub)
    cgw = CustomerGateway(stack, "Cgw", ip_address="203.0.113.20", bgp_asn=65020)
    on_hub = build_vpn(stack, "OnHub", transit_gateway=hub, customer_gateway=cgw)
    routing = hub.connect_vpn(
        on_hub, associate_with=hub.route_table("onprem"), propagate_to=[hub.route_table("vpcs")]
    )
    site = build_vpn(stack, "Site", vpn_concentrator=concentrator)
    on_vgw = build_vpn(
        stack,
        "OnVgw",
        vpn_gateway=VGW,
        customer_gateway=cgw,
        routing=Routing.static(["10.9.0.0/16"]),
    )
    for construct in (hub, concentrator, cgw, on_hub, routing, site, on_vgw):
        assert not hasattr(construct, "props"), type(construct).__name__
    assert on_hub.transit_gateway is hub
    assert (on_hub.vpn_gateway, on_hub.vpn_concentrator) == (None, None)
    assert (site.transit_gateway, site.vpn_concentrator) == (None, concentrator)
    assert on_vgw.vpn_gateway is VGW
    assert on_vgw.routing.static_route_prefixes == ("10.9.0.0/16",)
    assert routing.vpn is on_hub
    assert routing.associate_with is hub.route_table("onprem")
    assert concentrator.vpn_connections() == [site]


def test_one_validation_function_gathers_every_problem_of_the_props() -> None:
    props = SiteToSiteVpnProps(
        customer_gateway=CustomerGatewayProps(ip_address="127.0.0.1"),
        transit_gateway=TGW,
        routing=Routing.static(["10.1.0.0/16"]),
    )
    fields = [p.field for p in validate_site_to_site_vpn_props(props)]
    # The created customer gateway's problem, and the static VPN routed nowhere (a TGW by id).
    assert fields == ["customer_gateway.ip_address", "routing"]
    # The sites file's stacks write the static routes themselves (hub.connect_vpn).
    fields = [
        p.field
        for p in validate_site_to_site_vpn_props(props, static_routes_written_by_caller=True)
    ]
    assert fields == ["customer_gateway.ip_address"]
