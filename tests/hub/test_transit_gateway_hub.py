"""The hub as synthesized: Transit Gateway settings, route tables, association, propagation and
static routes, for a created and an imported hub (one shared template)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import aws_cdk as cdk
import pytest

from site_to_site_vpn import (
    CustomerGatewayProps,
    ITransitGatewayHub,
    Routing,
    SiteToSiteVpn,
    TransitGatewayHub,
)
from site_to_site_vpn.constructs.transit_gateway_routing import TransitGatewayVpnRouting
from tests.support import (
    HUB_ASN,
    build_hub,
    build_vpn,
    facts_field,
    new_app,
    new_stack,
    resources_of_type,
    synth,
)
from tests.support import construct_logical_id as logical_id

STATIC_PREFIXES = ("10.20.0.0/16", "10.21.0.0/16")
LEGACY_TGW = "tgw-0aaaabbbbccccdddd"
LEGACY_TABLES = {"onprem": "tgw-rtb-0aaaabbbbccccdddd", "vpcs": "tgw-rtb-0eeeeffff00001111"}

# One worker builds the module's shared template (`pytest -n 2 --dist loadgroup`).
pytestmark = pytest.mark.xdist_group("hub-template")


@dataclass
class Built:
    stack: cdk.Stack
    template: dict[str, Any]
    hub: TransitGatewayHub
    edge_hub: TransitGatewayHub
    legacy_hub: ITransitGatewayHub
    bgp: SiteToSiteVpn
    static: SiteToSiteVpn
    legacy_vpn: SiteToSiteVpn
    bgp_routing: TransitGatewayVpnRouting
    static_routing: TransitGatewayVpnRouting
    legacy_routing: TransitGatewayVpnRouting

    def ref(self, construct: Any) -> dict[str, str]:
        return {"Ref": logical_id(self.stack, construct)}

    def resolve(self, token: str) -> Any:
        return self.stack.resolve(token)

    def attachment_of(self, vpn: SiteToSiteVpn) -> dict[str, list[str]]:
        """The attachment id the VPN's facts resource returns (its handler's Data field)."""
        facts = vpn.node.find_child("Facts")
        return facts_field(logical_id(self.stack, facts), "TransitGatewayAttachmentId")


@pytest.fixture(scope="module")
def built() -> Built:
    stack = new_stack(new_app())
    hub = build_hub(stack, "onprem", "vpcs", "shared", transit_gateway_name="core")
    edge_hub = build_hub(
        stack,
        construct_id="EdgeHub",
        amazon_side_asn=4_200_000_000,
        vpn_ecmp_support=False,
        description="edge hub",
    )
    legacy_hub = TransitGatewayHub.from_transit_gateway_attributes(
        stack,
        "LegacyHub",
        transit_gateway_id=LEGACY_TGW,
        amazon_side_asn=64600,
        route_table_ids=LEGACY_TABLES,
    )
    bgp = build_vpn(stack, "BgpVpn", transit_gateway=hub)
    static = build_vpn(
        stack,
        "StaticVpn",
        transit_gateway=hub,
        routing=Routing.static(STATIC_PREFIXES),
        customer_gateway=CustomerGatewayProps(ip_address="203.0.113.20", bgp_asn=65020),
    )
    legacy_vpn = build_vpn(
        stack,
        "LegacyVpn",
        transit_gateway=legacy_hub,
        customer_gateway=CustomerGatewayProps(ip_address="203.0.113.30", bgp_asn=65030),
    )
    bgp_routing = hub.connect_vpn(
        bgp,
        associate_with=hub.route_table("onprem"),
        propagate_to=[hub.route_table("vpcs"), hub.route_table("shared")],
    )
    static_routing = hub.connect_vpn(
        static, associate_with=hub.route_table("onprem"), propagate_to=[hub.route_table("vpcs")]
    )
    legacy_routing = legacy_hub.connect_vpn(
        legacy_vpn,
        associate_with=legacy_hub.route_table("onprem"),
        propagate_to=[legacy_hub.route_table("vpcs")],
    )
    return Built(
        stack=stack,
        template=synth(stack),
        hub=hub,
        edge_hub=edge_hub,
        legacy_hub=legacy_hub,
        bgp=bgp,
        static=static,
        legacy_vpn=legacy_vpn,
        bgp_routing=bgp_routing,
        static_routing=static_routing,
        legacy_routing=legacy_routing,
    )


def test_hub_creates_transit_gateway_with_explicit_routing_settings(built: Built) -> None:
    props = built.template["Resources"][logical_id(built.stack, built.hub.transit_gateway)][
        "Properties"
    ]
    assert props["AmazonSideAsn"] == HUB_ASN
    assert props["DefaultRouteTableAssociation"] == "disable"
    assert props["DefaultRouteTablePropagation"] == "disable"
    assert props["AutoAcceptSharedAttachments"] == "disable"
    assert props["VpnEcmpSupport"] == "enable"
    assert {"Key": "Name", "Value": "core"} in props["Tags"]


def test_hub_options_reach_the_template(built: Built) -> None:
    props = built.template["Resources"][logical_id(built.stack, built.edge_hub.transit_gateway)][
        "Properties"
    ]
    assert props["AmazonSideAsn"] == 4_200_000_000
    assert props["VpnEcmpSupport"] == "disable"
    assert props["Description"] == "edge hub"
    assert {"Key": "Name", "Value": "EdgeHub"} in props["Tags"]


def test_hub_is_a_transit_gateway_for_site_to_site_vpn(built: Built) -> None:
    assert built.hub.transit_gateway_ref.transit_gateway_id == built.hub.transit_gateway_id
    vpn = built.template["Resources"][logical_id(built.stack, built.bgp.vpn_connection)]
    assert vpn["Properties"]["TransitGatewayId"] == built.ref(built.hub.transit_gateway)


def test_one_route_table_per_name_on_the_hub(built: Built) -> None:
    tables = resources_of_type(built.template, "AWS::EC2::TransitGatewayRouteTable")
    hub_ref = built.ref(built.hub.transit_gateway)
    names = sorted(
        tag["Value"]
        for table in tables.values()
        if table["Properties"]["TransitGatewayId"] == hub_ref
        for tag in table["Properties"]["Tags"]
        if tag["Key"] == "Name"
    )
    assert names == ["core-onprem", "core-shared", "core-vpcs"]
    assert len(tables) == 3  # the imported hub creates none


def test_route_tables_are_typed_objects(built: Built) -> None:
    onprem = built.hub.route_table("onprem")
    assert onprem.transit_gateway_route_table_ref.transit_gateway_route_table_id == (
        onprem.route_table_id
    )
    assert onprem.route_table_name == "onprem"
    assert onprem.transit_gateway_id == built.hub.transit_gateway_id
    assert sorted(built.hub.route_tables) == ["onprem", "shared", "vpcs"]
    legacy = built.legacy_hub.route_table("vpcs")
    assert (legacy.route_table_name, legacy.route_table_id, legacy.transit_gateway_id) == (
        "vpcs",
        LEGACY_TABLES["vpcs"],
        LEGACY_TGW,
    )
    assert (
        legacy.transit_gateway_route_table_ref.transit_gateway_route_table_id
        == (LEGACY_TABLES["vpcs"])
    )


def _resource(built: Built, construct: Any) -> dict[str, Any]:
    resource: dict[str, Any] = built.template["Resources"][logical_id(built.stack, construct)]
    return resource


def test_bgp_vpn_attachment_is_associated_with_one_table(built: Built) -> None:
    association = _resource(built, built.bgp_routing.association)
    assert association["Type"] == "AWS::EC2::TransitGatewayRouteTableAssociation"
    assert association["Properties"] == {
        "TransitGatewayAttachmentId": built.attachment_of(built.bgp),
        "TransitGatewayRouteTableId": built.resolve(built.hub.route_table("onprem").route_table_id),
    }


def test_bgp_vpn_propagates_into_each_chosen_table(built: Built) -> None:
    propagations = resources_of_type(
        built.template, "AWS::EC2::TransitGatewayRouteTablePropagation"
    )
    from_bgp = [
        p["Properties"]["TransitGatewayRouteTableId"]
        for p in propagations.values()
        if p["Properties"]["TransitGatewayAttachmentId"] == built.attachment_of(built.bgp)
    ]
    expected = [
        built.resolve(built.hub.route_table(name).route_table_id) for name in ("vpcs", "shared")
    ]
    assert sorted(map(str, from_bgp)) == sorted(map(str, expected))
    assert sorted(built.bgp_routing.propagations) == ["shared", "vpcs"]


def test_static_vpn_gets_a_route_per_prefix_and_no_propagation(built: Built) -> None:
    routes = resources_of_type(built.template, "AWS::EC2::TransitGatewayRoute")
    vpcs = built.resolve(built.hub.route_table("vpcs").route_table_id)
    assert sorted(r["Properties"]["DestinationCidrBlock"] for r in routes.values()) == list(
        STATIC_PREFIXES
    )
    for route in routes.values():
        assert route["Properties"]["TransitGatewayRouteTableId"] == vpcs
        assert route["Properties"]["TransitGatewayAttachmentId"] == built.attachment_of(
            built.static
        )
        assert "Blackhole" not in route["Properties"]
    assert built.static_routing.propagations == {}
    association = _resource(built, built.static_routing.association)
    assert association["Properties"]["TransitGatewayAttachmentId"] == built.attachment_of(
        built.static
    )


def test_each_vpn_has_its_own_facts_on_its_own_transit_gateway(built: Built) -> None:
    """Each VPN's attachment is read by its own facts resource, filtered by its own Transit
    Gateway: the created hub's Ref, or the imported hub's literal id."""
    facts = resources_of_type(built.template, "Custom::SiteToSiteVpnFacts").values()
    read = sorted(
        (
            json.dumps(f["Properties"]["VpnConnectionId"]),
            json.dumps(f["Properties"]["TransitGatewayId"]),
        )
        for f in facts
    )
    hub = built.ref(built.hub.transit_gateway)
    expected = sorted(
        (
            json.dumps(
                {"Fn::GetAtt": [logical_id(built.stack, vpn.vpn_connection), "VpnConnectionId"]}
            ),
            json.dumps(tgw),
        )
        for vpn, tgw in ((built.bgp, hub), (built.static, hub), (built.legacy_vpn, LEGACY_TGW))
    )
    assert read == expected


def test_imported_hub_routes_with_literal_ids(built: Built) -> None:
    association = _resource(built, built.legacy_routing.association)
    assert association["Properties"]["TransitGatewayRouteTableId"] == LEGACY_TABLES["onprem"]
    (propagation,) = built.legacy_routing.propagations.values()
    assert (
        _resource(built, propagation)["Properties"]["TransitGatewayRouteTableId"]
        == (LEGACY_TABLES["vpcs"])
    )
    vpn = _resource(built, built.legacy_vpn.vpn_connection)
    assert vpn["Properties"]["TransitGatewayId"] == LEGACY_TGW
    assert built.legacy_hub.amazon_side_asn == 64600


def test_routing_exposes_the_attachment_id(built: Built) -> None:
    resolved = built.stack.resolve(built.bgp_routing.transit_gateway_attachment_id)
    assert resolved == built.attachment_of(built.bgp)
    assert built.stack.resolve(built.bgp.transit_gateway_attachment_id) == resolved
