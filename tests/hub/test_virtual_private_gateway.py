"""The Virtual Private Gateway path: its own ASN, the VPC attachment, route propagation into the
selected subnets' route tables, static routes, and the 10-connection quota."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import aws_cdk as cdk
import pytest
from aws_cdk import aws_ec2 as ec2

from site_to_site_vpn import (
    CustomerGatewayProps,
    Routing,
    SiteToSiteVpn,
    ValidationError,
    VirtualPrivateGateway,
)
from site_to_site_vpn.constructs.virtual_private_gateway import (
    MAX_VPN_CONNECTIONS_PER_VPN_GATEWAY,
)
from tests.support import (
    CUSTOMER_ASN,
    VGW_ASN,
    build_vpn,
    imported_vpc,
    new_app,
    new_stack,
    only_resource,
    resources_of_type,
    synth,
)
from tests.support import construct_logical_id as logical_id

PREFIXES = ("10.30.0.0/16", "10.31.0.0/16")

# One worker builds the module's shared template (`pytest -n 2 --dist loadgroup`).
pytestmark = pytest.mark.xdist_group("hub-vgw")


@dataclass
class Built:
    stack: cdk.Stack
    template: dict[str, Any]
    vgw: VirtualPrivateGateway
    bgp: SiteToSiteVpn
    static: SiteToSiteVpn


@pytest.fixture(scope="module")
def built() -> Built:
    stack = new_stack(new_app())
    vgw = VirtualPrivateGateway(
        stack, "Vgw", vpc=imported_vpc(stack), amazon_side_asn=VGW_ASN, vpn_gateway_name="dc-vgw"
    )
    bgp = build_vpn(stack, "BgpVpn", vpn_gateway=vgw)
    static = build_vpn(
        stack,
        "StaticVpn",
        vpn_gateway=vgw,
        routing=Routing.static(PREFIXES),
        customer_gateway=CustomerGatewayProps(ip_address="203.0.113.20", bgp_asn=65020),
    )
    return Built(stack=stack, template=synth(stack), vgw=vgw, bgp=bgp, static=static)


def test_gateway_has_its_own_amazon_side_asn_never_the_customers(built: Built) -> None:
    gateway = only_resource(built.template, "AWS::EC2::VPNGateway")
    assert gateway["Properties"]["AmazonSideAsn"] == VGW_ASN != CUSTOMER_ASN
    assert gateway["Properties"]["Type"] == "ipsec.1"
    assert {"Key": "Name", "Value": "dc-vgw"} in gateway["Properties"]["Tags"]
    assert built.vgw.vpn_gateway_ref.vpn_gateway_id == built.vgw.vpn_gateway_id


def test_gateway_is_attached_to_the_vpc(built: Built) -> None:
    attachment = only_resource(built.template, "AWS::EC2::VPCGatewayAttachment")
    assert attachment["Properties"] == {
        "VpcId": "vpc-0123456789abcdef0",
        "VpnGatewayId": {"Ref": logical_id(built.stack, built.vgw.vpn_gateway)},
    }


def test_routes_propagate_into_the_default_selection_after_attachment(built: Built) -> None:
    propagation = only_resource(built.template, "AWS::EC2::VPNGatewayRoutePropagation")
    assert propagation["Properties"]["RouteTableIds"] == ["rtb-private-a", "rtb-private-b"]
    assert propagation["DependsOn"] == [logical_id(built.stack, built.vgw.attachment)]


def test_vpns_terminate_on_the_gateway(built: Built) -> None:
    ref = {"Ref": logical_id(built.stack, built.vgw.vpn_gateway)}
    for vpn in (built.bgp, built.static):
        props = built.template["Resources"][logical_id(built.stack, vpn.vpn_connection)][
            "Properties"
        ]
        assert props["VpnGatewayId"] == ref
        assert "TransitGatewayId" not in props
    assert built.vgw.vpn_connections() == [built.bgp, built.static]


def test_static_vpn_gets_a_connection_route_per_prefix(built: Built) -> None:
    routes = resources_of_type(built.template, "AWS::EC2::VPNConnectionRoute").values()
    static_id = {
        "Fn::GetAtt": [logical_id(built.stack, built.static.vpn_connection), "VpnConnectionId"]
    }
    assert sorted(r["Properties"]["DestinationCidrBlock"] for r in routes) == list(PREFIXES)
    assert all(r["Properties"]["VpnConnectionId"] == static_id for r in routes)


def _template_of_gateway(**props: Any) -> dict[str, Any]:
    stack = new_stack(new_app())
    VirtualPrivateGateway(stack, "Vgw", vpc=imported_vpc(stack), **props)
    return synth(stack)


def test_selected_subnets_share_route_tables_once() -> None:
    template = _template_of_gateway(
        route_propagation=[
            ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED),
            ec2.SubnetSelection(subnet_group_name="Isolated"),
            ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS),
        ]
    )
    propagation = only_resource(template, "AWS::EC2::VPNGatewayRoutePropagation")
    assert propagation["Properties"]["RouteTableIds"] == [
        "rtb-isolated",
        "rtb-private-a",
        "rtb-private-b",
    ]


def test_empty_route_propagation_leaves_routes_to_the_user() -> None:
    template = _template_of_gateway(route_propagation=[])
    assert resources_of_type(template, "AWS::EC2::VPNGatewayRoutePropagation") == {}
    assert resources_of_type(template, "AWS::EC2::VPCGatewayAttachment")


@pytest.fixture
def stack() -> cdk.Stack:
    return new_stack()


def test_bad_gateway_props_are_reported_together(stack: cdk.Stack) -> None:
    vpc = imported_vpc(stack, vpn_gateway_id="vgw-0aaaabbbbccccdddd")
    with pytest.raises(ValidationError) as error:
        VirtualPrivateGateway(
            stack,
            "Vgw",
            vpc=vpc,
            amazon_side_asn=65535,
            route_propagation=[
                ec2.SubnetSelection(subnet_type=ec2.SubnetType.PUBLIC),
                ec2.SubnetSelection(subnet_group_name="Nope"),
            ],
        )
    message = str(error.value)
    assert message.startswith("4 invalid values in TestStack/Vgw:")
    assert "TestStack/Vgw: amazon_side_asn = 65535: must be a private ASN" in message
    assert "TestStack/Vgw: vpc = 'TestStack/Vpc': already has a Virtual Private Gateway" in message
    assert (
        "TestStack/Vgw: route_propagation[0] = 'SubnetSelection(subnet_type=PUBLIC)': There are "
        "no 'Public' subnet groups in this VPC" in message
    )
    assert (
        "TestStack/Vgw: route_propagation[1] = \"SubnetSelection(subnet_group_name='Nope')\": "
        "There are no subnet groups with name 'Nope'" in message
    )


def test_a_selection_matching_no_subnet_is_refused(stack: cdk.Stack) -> None:
    with pytest.raises(ValidationError) as error:
        VirtualPrivateGateway(
            stack,
            "Vgw",
            vpc=imported_vpc(stack),
            route_propagation=[ec2.SubnetSelection(availability_zones=["us-east-1f"])],
        )
    assert (
        "TestStack/Vgw: route_propagation[0] = \"SubnetSelection(availability_zones=['us-east-1f'])"
        '": selects no subnet of the VPC' in str(error.value)
    )


def test_customer_asn_equal_to_the_gateway_asn_is_refused(stack: cdk.Stack) -> None:
    vgw = VirtualPrivateGateway(stack, "Vgw", vpc=imported_vpc(stack), amazon_side_asn=VGW_ASN)
    with pytest.raises(ValidationError) as error:
        build_vpn(
            stack,
            vpn_gateway=vgw,
            customer_gateway=CustomerGatewayProps(ip_address="203.0.113.10", bgp_asn=VGW_ASN),
        )
    assert f"TestStack/Vpn: customer_gateway.bgp_asn = {VGW_ASN}: must differ" in str(error.value)


def test_imported_gateway_checks_its_id_and_asn(stack: cdk.Stack) -> None:
    with pytest.raises(ValidationError) as error:
        VirtualPrivateGateway.from_vpn_gateway_attributes(
            stack, "Old", vpn_gateway_id="tgw-0123456789abcdef0", amazon_side_asn=1
        )
    message = str(error.value)
    assert (
        "TestStack/Old: vpn_gateway_id = 'tgw-0123456789abcdef0': must be a vpn gateway id"
        in message
    )
    assert "TestStack/Old: amazon_side_asn = 1: must be a private ASN" in message


def _vpns(stack: cdk.Stack, count: int, gateway: Any) -> None:
    for index in range(count):
        build_vpn(
            stack,
            f"Vpn{index}",
            vpn_gateway=gateway,
            customer_gateway=CustomerGatewayProps(
                ip_address=f"203.0.113.{index + 1}", bgp_asn=65100 + index
            ),
        )


def test_ten_vpn_connections_on_one_gateway_are_allowed(stack: cdk.Stack) -> None:
    vgw = VirtualPrivateGateway(stack, "Vgw", vpc=imported_vpc(stack))
    _vpns(stack, MAX_VPN_CONNECTIONS_PER_VPN_GATEWAY, vgw)
    assert vgw.node.validate() == []


def test_an_eleventh_vpn_connection_fails_synth(stack: cdk.Stack) -> None:
    vgw = VirtualPrivateGateway(stack, "Vgw", vpc=imported_vpc(stack))
    _vpns(stack, MAX_VPN_CONNECTIONS_PER_VPN_GATEWAY + 1, vgw)
    (message,) = vgw.node.validate()
    assert message.startswith("TestStack/Vgw: vpn_connections = ['TestStack/Vpn0', ")
    assert "11 VPN connections terminate on this gateway; AWS allows at most 10" in message
    with pytest.raises(RuntimeError, match=r"11 VPN connections terminate on this gateway"):
        synth(stack)


def test_quota_counts_vpns_on_an_imported_gateway_across_stacks(stack: cdk.Stack) -> None:
    vgw = VirtualPrivateGateway.from_vpn_gateway_attributes(
        stack, "Old", vpn_gateway_id="vgw-0123456789abcdef0", amazon_side_asn=VGW_ASN
    )
    other_stack = cdk.Stack(cast(cdk.App, stack.node.root), "Other")
    _vpns(stack, 6, vgw)
    _vpns(other_stack, 5, vgw)
    (message,) = vgw.node.validate()
    assert "TestStack/Old: vpn_connections = " in message
    assert "'Other/Vpn4'" in message
    assert "11 VPN connections" in message
