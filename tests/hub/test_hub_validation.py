"""Bad input to the hub, its route tables and VPN routing: one clear error naming the construct
path, the field and the value, raised before anything is synthesized."""

from __future__ import annotations

from typing import cast

import aws_cdk as cdk
import pytest

from site_to_site_vpn import (
    CustomerGatewayProps,
    ExistingTransitGateway,
    ExistingVpnGateway,
    SiteToSiteVpn,
    TransitGatewayHub,
    ValidationError,
)
from site_to_site_vpn.constructs.transit_gateway_routing import TransitGatewayVpnRouting
from tests.support import HUB_ASN, build_hub, build_vpn, new_stack


@pytest.fixture
def stack() -> cdk.Stack:
    return new_stack()


def _fields(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, object]:
    return {problem.field: problem.value for problem in error.value.problems}


def test_hub_reports_every_bad_prop_at_once(stack: cdk.Stack) -> None:
    with pytest.raises(ValidationError) as error:
        build_hub(
            stack,
            "on prem",
            "vpcs",
            "vpcs",
            amazon_side_asn=65535,
            description="x" * 256,
        )
    message = str(error.value)
    assert message.startswith("4 invalid values in TestStack/Hub:")
    assert "TestStack/Hub: amazon_side_asn = 65535: must be a private ASN" in message
    assert "TestStack/Hub: route_table_names = 'on prem': must be 1-64 characters" in message
    assert "TestStack/Hub: route_table_names = ['vpcs']: route table names must be unique" in (
        message
    )
    assert "TestStack/Hub: description = 'xxxx" in message
    assert set(_fields(error)) == {"amazon_side_asn", "route_table_names", "description"}


@pytest.mark.parametrize("asn", [64511, 65535, 4_199_999_999, 4_294_967_295, 7224])
def test_hub_refuses_asns_outside_the_amazon_side_ranges(stack: cdk.Stack, asn: int) -> None:
    with pytest.raises(ValidationError, match=rf"TestStack/Hub: amazon_side_asn = {asn}: "):
        build_hub(stack, amazon_side_asn=asn)


@pytest.mark.parametrize("asn", [64512, 65534, 4_200_000_000, 4_294_967_294])
def test_hub_accepts_the_range_ends(stack: cdk.Stack, asn: int) -> None:
    assert build_hub(stack, amazon_side_asn=asn).amazon_side_asn == asn


def test_unknown_route_table_name_lists_the_known_ones(stack: cdk.Stack) -> None:
    hub = build_hub(stack, "onprem", "vpcs")
    with pytest.raises(ValidationError) as error:
        hub.route_table("vpc")
    assert (
        "TestStack/Hub: route_table = 'vpc': is not a route table of this hub; it has "
        "['onprem', 'vpcs']" in str(error.value)
    )


def test_adding_a_route_table_twice_is_refused(stack: cdk.Stack) -> None:
    hub = build_hub(stack, "onprem")
    with pytest.raises(
        ValidationError,
        match=r"TestStack/Hub: route_table_name = 'onprem': this hub already has that table",
    ):
        hub.add_route_table("onprem")


def test_imported_hub_checks_ids_and_asn(stack: cdk.Stack) -> None:
    with pytest.raises(ValidationError) as error:
        TransitGatewayHub.from_transit_gateway_attributes(
            stack,
            "Legacy",
            transit_gateway_id="igw-0123456789abcdef0",
            amazon_side_asn=100,
            route_table_ids={"onprem": "rtb-0123456789abcdef0", "bad name": "tgw-rtb-01234567"},
        )
    message = str(error.value)
    assert (
        "TestStack/Legacy: transit_gateway_id = 'igw-0123456789abcdef0': "
        "must be a transit gateway id" in message
    )
    assert "TestStack/Legacy: amazon_side_asn = 100: must be a private ASN" in message
    assert "TestStack/Legacy: route_table_ids['onprem'] = 'rtb-0123456789abcdef0'" in message
    assert "TestStack/Legacy: route_table_ids = 'bad name'" in message


def test_imported_hub_takes_tokens_unchecked(stack: cdk.Stack) -> None:
    token = cdk.Fn.import_value("HubId")
    hub = TransitGatewayHub.from_transit_gateway_attributes(
        stack, "Legacy", transit_gateway_id=token, route_table_ids={"onprem": token}
    )
    assert hub.route_table("onprem").route_table_id == token


def test_connect_refuses_a_vpn_on_another_transit_gateway(stack: cdk.Stack) -> None:
    hub = build_hub(stack, "onprem", "vpcs")
    vpn = build_vpn(
        stack,
        transit_gateway=ExistingTransitGateway(transit_gateway_id="tgw-0123456789abcdef0"),
    )
    with pytest.raises(ValidationError) as error:
        hub.connect_vpn(
            vpn, associate_with=hub.route_table("onprem"), propagate_to=[hub.route_table("vpcs")]
        )
    assert (
        "TestStack/Vpn/TransitGatewayRouting: vpn = 'TestStack/Vpn': must terminate on this hub "
        "(TestStack/Hub)" in str(error.value)
    )


def test_connect_refuses_a_vpn_on_a_virtual_private_gateway(stack: cdk.Stack) -> None:
    hub = build_hub(stack, "onprem", "vpcs")
    vpn = build_vpn(stack, vpn_gateway=ExistingVpnGateway(vpn_gateway_id="vgw-0123456789abcdef0"))
    with pytest.raises(ValidationError, match=r"vpn = 'TestStack/Vpn': must terminate on this"):
        hub.connect_vpn(
            vpn, associate_with=hub.route_table("onprem"), propagate_to=[hub.route_table("vpcs")]
        )


def test_connect_refuses_tables_of_another_hub_empty_and_repeated_propagation(
    stack: cdk.Stack,
) -> None:
    hub = build_hub(stack, "onprem", "vpcs")
    other = build_hub(stack, "onprem", construct_id="Other", amazon_side_asn=64600)
    vpn = build_vpn(stack, transit_gateway=hub)
    with pytest.raises(ValidationError) as error:
        hub.connect_vpn(
            vpn,
            associate_with=other.route_table("onprem"),
            propagate_to=[
                hub.route_table("vpcs"),
                hub.route_table("vpcs"),
                other.route_table("onprem"),
            ],
        )
    message = str(error.value)
    assert "propagate_to[2] = 'onprem': is not a route table of TestStack/Hub" in message
    assert (
        "TestStack/Vpn/TransitGatewayRouting: associate_with = 'onprem': is not a route table of "
        "TestStack/Hub" in message
    )
    assert "propagate_to = ['vpcs', 'vpcs', 'onprem']: lists ['vpcs'] more than once" in message
    with pytest.raises(ValidationError, match=r"propagate_to = \[\]: name at least one"):
        hub.connect_vpn(vpn, associate_with=hub.route_table("onprem"), propagate_to=[])


def test_connecting_a_vpn_twice_is_refused(stack: cdk.Stack) -> None:
    hub = build_hub(stack, "onprem", "vpcs")
    vpn = build_vpn(stack, transit_gateway=hub)
    hub.connect_vpn(
        vpn, associate_with=hub.route_table("onprem"), propagate_to=[hub.route_table("vpcs")]
    )
    with pytest.raises(ValidationError, match=r"vpn = 'TestStack/Vpn': is already routed"):
        hub.connect_vpn(
            vpn, associate_with=hub.route_table("vpcs"), propagate_to=[hub.route_table("onprem")]
        )
    scope = cdk.Stack(cast(cdk.App, stack.node.root), "Elsewhere")
    with pytest.raises(ValidationError, match=r"vpn = 'TestStack/Vpn': is already routed"):
        TransitGatewayVpnRouting(
            scope,
            "Again",
            hub=hub,
            vpn=vpn,
            associate_with=hub.route_table("vpcs"),
            propagate_to=[hub.route_table("onprem")],
        )


def test_customer_asn_equal_to_the_hub_asn_is_refused_by_the_vpn(stack: cdk.Stack) -> None:
    hub = build_hub(stack, "onprem")
    with pytest.raises(ValidationError) as error:
        build_vpn(
            stack,
            transit_gateway=hub,
            customer_gateway=CustomerGatewayProps(ip_address="203.0.113.10", bgp_asn=HUB_ASN),
        )
    assert f"TestStack/Vpn: customer_gateway.bgp_asn = {HUB_ASN}: must differ" in str(error.value)


def test_customer_asn_clash_is_caught_when_the_vpn_only_had_the_hub_id(stack: cdk.Stack) -> None:
    hub = build_hub(stack, "onprem", "vpcs")
    vpn = build_vpn(
        stack,
        transit_gateway=ExistingTransitGateway(transit_gateway_id=hub.transit_gateway_id),
        customer_gateway=CustomerGatewayProps(ip_address="203.0.113.10", bgp_asn=HUB_ASN),
    )
    with pytest.raises(ValidationError) as error:
        hub.connect_vpn(
            vpn, associate_with=hub.route_table("onprem"), propagate_to=[hub.route_table("vpcs")]
        )
    assert (
        f"TestStack/Vpn/TransitGatewayRouting: vpn.customer_gateway.bgp_asn = {HUB_ASN}: must "
        f"differ from the hub's Amazon-side ASN ({HUB_ASN})" in str(error.value)
    )


@pytest.mark.parametrize("asn", [7224])
def test_aws_reserved_customer_asns_are_refused_on_a_hub(stack: cdk.Stack, asn: int) -> None:
    hub = build_hub(stack, "onprem")
    with pytest.raises(ValidationError, match=rf"bgp_asn = {asn}: is reserved by AWS"):
        build_vpn(
            stack,
            transit_gateway=hub,
            customer_gateway=CustomerGatewayProps(ip_address="203.0.113.10", bgp_asn=asn),
        )


def test_attachment_id_of_a_vpn_on_a_virtual_private_gateway_is_an_error(
    stack: cdk.Stack,
) -> None:
    vpn: SiteToSiteVpn = build_vpn(
        stack, vpn_gateway=ExistingVpnGateway(vpn_gateway_id="vgw-0123456789abcdef0")
    )
    with pytest.raises(ValidationError) as error:
        _ = vpn.transit_gateway_attachment_id
    assert (
        "TestStack/Vpn: transit_gateway = None: transit_gateway_attachment_id exists only for a "
        "VPN on a Transit Gateway" in str(error.value)
    )


def test_routing_a_valid_vpn_reads_no_construct_path(
    stack: cdk.Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A path is a jsii round trip paid per site: read only to report a problem.
    from constructs import Node  # noqa: PLC0415

    hub = build_hub(stack, "onprem", "vpcs")
    vpn = build_vpn(stack, transit_gateway=hub)
    assert vpn.transit_gateway_attachment_id  # the lookup exists before counting
    reads: list[str] = []
    real = Node.path

    def counted(node: Node) -> str:
        path = cast(str, real.__get__(node))
        reads.append(path)
        return path

    monkeypatch.setattr(Node, "path", property(counted))
    routing = hub.connect_vpn(
        vpn, associate_with=hub.route_table("onprem"), propagate_to=[hub.route_table("vpcs")]
    )
    assert reads == []
    assert sorted(routing.propagations) == ["vpcs"]
    with pytest.raises(ValidationError, match=r"vpn = 'TestStack/Vpn': is already routed"):
        hub.connect_vpn(
            vpn, associate_with=hub.route_table("vpcs"), propagate_to=[hub.route_table("onprem")]
        )
    assert reads  # the refusal names the VPN and the routing construct


def test_route_table_props_are_validated_by_one_function() -> None:
    from site_to_site_vpn.constructs.transit_gateway_hub import (  # noqa: PLC0415
        TransitGatewayRouteTableProps,
        validate_transit_gateway_route_table_props,
    )

    props = TransitGatewayRouteTableProps(route_table_name="on prem")
    assert [p.field for p in validate_transit_gateway_route_table_props(props)] == [
        "route_table_name"
    ]
    taken = TransitGatewayRouteTableProps(route_table_name="onprem")
    assert validate_transit_gateway_route_table_props(taken) == []
    problems = validate_transit_gateway_route_table_props(taken, existing_names={"onprem"})
    assert [p.allowed for p in problems] == ["this hub already has that table"]
