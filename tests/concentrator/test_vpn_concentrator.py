"""The concentrator as synthesized: its resource, a site's VPN on it, and its hub routing.

AWS's rules come from the Site-to-Site VPN User Guide pages "AWS Site-to-Site VPN Concentrators"
and "Create an AWS Site-to-Site VPN Concentrator connection using the CLI or API" (the VPN names
the concentrator instead of the Transit Gateway), and the AWS::EC2::VPNConcentrator registry
schema cfn-lint bundles (Type, TransitGatewayId; GetAtt VpnConcentratorId and
TransitGatewayAttachmentId).
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest

from site_to_site_vpn import (
    ExistingTransitGateway,
    SiteToSiteVpn,
    ValidationError,
    VpnConcentrator,
)
from site_to_site_vpn.constructs.transit_gateway_routing import TransitGatewayConcentratorRouting
from tests.support import (
    assert_reported,
    build_concentrator,
    build_hub,
    build_site,
    new_app,
    new_stack,
    only_resource,
    resources_of_type,
    site_cgw,
    synth,
)


def _logical_id(stack: cdk.Stack, construct: Any) -> str:
    return str(stack.resolve(construct.logical_id))


@pytest.mark.parametrize("flags", [True, False], ids=["recommended-flags", "no-flags"])
def test_concentrator_site_and_routing_synthesize_clean(flags: bool) -> None:
    stack = new_stack(new_app(flags=flags))
    hub = build_hub(stack, "onprem", "vpcs")
    concentrator = build_concentrator(stack, hub)
    build_site(stack, 1, concentrator)
    hub.connect_vpn_concentrator(
        concentrator,
        associate_with=hub.route_table("onprem"),
        propagate_to=[hub.route_table("vpcs")],
    )

    template = synth(stack)  # cdk-nag (AwsSolutions, NIST 800-53 R5) and cfn-lint

    hub_id = _logical_id(stack, hub.transit_gateway)
    concentrator_id = _logical_id(stack, concentrator.resource)
    assert only_resource(template, "AWS::EC2::VPNConcentrator")["Properties"] == {
        "Type": "ipsec.1",
        "TransitGatewayId": {"Ref": hub_id},
        "Tags": [{"Key": "Name", "Value": "branches"}],
    }
    vpn = only_resource(template, "AWS::EC2::VPNConnection")["Properties"]
    assert vpn["VpnConcentratorId"] == {"Fn::GetAtt": [concentrator_id, "VpnConcentratorId"]}
    # The concentrator, not the Transit Gateway, is the VPN's AWS side.
    assert "TransitGatewayId" not in vpn
    assert "VpnGatewayId" not in vpn
    assert vpn["StaticRoutesOnly"] is False


def test_concentrator_attributes_are_its_getatts() -> None:
    stack = new_stack()
    hub = build_hub(stack, "onprem", "vpcs")
    concentrator = build_concentrator(stack, hub)
    site = build_site(stack, 1, concentrator)
    resource_id = _logical_id(stack, concentrator.resource)

    assert concentrator.vpn_concentrator_ref.vpn_concentrator_id == concentrator.vpn_concentrator_id
    assert stack.resolve(concentrator.vpn_concentrator_id) == {
        "Fn::GetAtt": [resource_id, "VpnConcentratorId"]
    }
    attachment = {"Fn::GetAtt": [resource_id, "TransitGatewayAttachmentId"]}
    assert stack.resolve(concentrator.transit_gateway_attachment_id) == attachment
    assert stack.resolve(concentrator.transit_gateway_id) == stack.resolve(hub.transit_gateway_id)
    # A site shares the concentrator's attachment: its facts read no attachment of their own.
    assert stack.resolve(site.transit_gateway_attachment_id) == attachment
    with pytest.raises(ValueError, match="without a Transit Gateway id"):
        _ = site.facts.transit_gateway_attachment_id


def test_name_defaults_to_construct_id() -> None:
    stack = new_stack()
    VpnConcentrator(stack, "Shops", transit_gateway=ExistingTransitGateway("tgw-0123abcd"))
    tags = only_resource(synth(stack), "AWS::EC2::VPNConcentrator")["Properties"]["Tags"]
    assert tags == [{"Key": "Name", "Value": "Shops"}]


def test_routing_associates_and_propagates_the_getatt_once() -> None:
    stack = new_stack()
    hub = build_hub(stack, "onprem", "vpcs")
    concentrator = build_concentrator(stack, hub)
    for number in (1, 2, 3):
        build_site(stack, number, concentrator)
    routing = hub.connect_vpn_concentrator(
        concentrator,
        associate_with=hub.route_table("onprem"),
        propagate_to=[hub.route_table("vpcs"), hub.route_table("onprem")],
    )
    template = synth(stack)

    assert isinstance(routing, TransitGatewayConcentratorRouting)
    attachment = {
        "Fn::GetAtt": [_logical_id(stack, concentrator.resource), "TransitGatewayAttachmentId"]
    }
    association = only_resource(template, "AWS::EC2::TransitGatewayRouteTableAssociation")
    assert association["Properties"] == {
        "TransitGatewayAttachmentId": attachment,
        "TransitGatewayRouteTableId": {
            "Ref": _logical_id(stack, hub.route_table("onprem").resource)  # type: ignore[attr-defined]
        },
    }
    propagations = resources_of_type(template, "AWS::EC2::TransitGatewayRouteTablePropagation")
    assert len(propagations) == 2
    assert all(
        p["Properties"]["TransitGatewayAttachmentId"] == attachment for p in propagations.values()
    )
    assert not resources_of_type(template, "AWS::EC2::TransitGatewayRoute")


def test_imported_concentrator_joins_and_routes_by_its_ids() -> None:
    stack = new_stack()
    hub = build_hub(stack, "onprem", "vpcs")
    imported = VpnConcentrator.from_vpn_concentrator_attributes(
        stack,
        "Existing",
        vpn_concentrator_id="vcn-0123456789abcdef0",
        transit_gateway_id=hub.transit_gateway_id,
        transit_gateway_attachment_id="tgw-attach-0123456789abcdef0",
    )
    site = SiteToSiteVpn(stack, "Site", customer_gateway=site_cgw(7), vpn_concentrator=imported)
    hub.connect_vpn_concentrator(
        imported, associate_with=hub.route_table("onprem"), propagate_to=[hub.route_table("vpcs")]
    )
    template = synth(stack)

    assert not resources_of_type(template, "AWS::EC2::VPNConcentrator")
    vpn = only_resource(template, "AWS::EC2::VPNConnection")["Properties"]
    assert vpn["VpnConcentratorId"] == "vcn-0123456789abcdef0"
    assert site.transit_gateway_attachment_id == "tgw-attach-0123456789abcdef0"
    association = only_resource(template, "AWS::EC2::TransitGatewayRouteTableAssociation")
    assert association["Properties"]["TransitGatewayAttachmentId"] == "tgw-attach-0123456789abcdef0"


def test_imported_concentrator_ids_are_checked_together() -> None:
    stack = new_stack()
    with pytest.raises(ValidationError) as caught:
        VpnConcentrator.from_vpn_concentrator_attributes(
            stack,
            "Existing",
            vpn_concentrator_id="concentrator-1",
            transit_gateway_id="tgw-0123456789abcdef0",
            transit_gateway_attachment_id="attach-1",
        )
    assert_reported(
        caught.value,
        path="TestStack/Existing",
        field="vpn_concentrator_id",
        value="concentrator-1",
        rule="vcn-",
    )
    assert_reported(
        caught.value,
        path="TestStack/Existing",
        field="transit_gateway_attachment_id",
        value="attach-1",
        rule="tgw-attach-",
    )


def test_connect_vpn_refuses_a_concentrator_site() -> None:
    stack = new_stack()
    hub = build_hub(stack, "onprem", "vpcs")
    site = build_site(stack, 1, build_concentrator(stack, hub))
    with pytest.raises(ValidationError) as caught:
        hub.connect_vpn(
            site, associate_with=hub.route_table("onprem"), propagate_to=[hub.route_table("vpcs")]
        )
    assert_reported(
        caught.value,
        path="TestStack/Site1/TransitGatewayRouting",
        field="vpn",
        value="TestStack/Site1",
        rule="hub.connect_vpn_concentrator",
    )
    assert site.node.try_find_child("TransitGatewayRouting") is None


def test_concentrator_is_routed_once() -> None:
    stack = new_stack()
    hub = build_hub(stack, "onprem", "vpcs")
    concentrator = build_concentrator(stack, hub)
    tables: dict[str, Any] = {
        "associate_with": hub.route_table("onprem"),
        "propagate_to": [hub.route_table("vpcs")],
    }
    hub.connect_vpn_concentrator(concentrator, **tables)
    imported_twin = VpnConcentrator.from_vpn_concentrator_attributes(
        stack,
        "Twin",
        vpn_concentrator_id=concentrator.vpn_concentrator_id,
        transit_gateway_id=hub.transit_gateway_id,
        transit_gateway_attachment_id=concentrator.transit_gateway_attachment_id,
    )
    with pytest.raises(ValidationError, match="already routed through this hub"):
        hub.connect_vpn_concentrator(imported_twin, **tables)
    with pytest.raises(ValidationError, match="already routed through this hub"):
        hub.connect_vpn_concentrator(concentrator, **tables)


def test_concentrator_of_another_hub_and_foreign_tables_are_refused_together() -> None:
    stack = new_stack()
    hub = build_hub(stack, "onprem", "vpcs")
    other = build_hub(stack, "onprem", "vpcs", construct_id="Other")
    concentrator = build_concentrator(stack, other)
    with pytest.raises(ValidationError) as caught:
        hub.connect_vpn_concentrator(
            concentrator,
            associate_with=other.route_table("onprem"),
            propagate_to=[],
        )
    path = "TestStack/Concentrator/TransitGatewayRouting"
    message = str(caught.value)
    assert "3 invalid values" in message
    assert_reported(
        caught.value,
        path=path,
        field="concentrator",
        value="Token",
        rule="VpnConcentrator(transit_gateway=hub)",
    )
    assert_reported(
        caught.value,
        path=path,
        field="associate_with",
        value="onprem",
        rule="is not a route table of TestStack/Hub",
    )
    assert_reported(caught.value, path=path, field="propagate_to", value="[]", rule="at least one")


def test_concentrator_needs_a_transit_gateway() -> None:
    stack = new_stack()
    with pytest.raises(ValidationError) as caught:
        VpnConcentrator(stack, "C", transit_gateway="tgw-0123abcd")  # type: ignore[arg-type]
    assert_reported(
        caught.value,
        path="TestStack/C",
        field="transit_gateway",
        value="str",
        rule="must be an ITransitGatewayRef",
    )
