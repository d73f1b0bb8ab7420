"""A hub on an existing Transit Gateway, route table and alarm topic: ids are used as given."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from site_to_site_vpn.stacks.sites_app import build_sites_app
from tests.sites.conftest import document, site
from tests.support import new_app, resources_of_type, synth

pytestmark = pytest.mark.xdist_group("sites-existing")


def test_existing_transit_gateway_route_table_and_topic_are_used_as_given(
    tmp_path: Path,
) -> None:
    doc = document(site(1, route_table="existing", propagate_to=["new"]))
    doc["hub"]["transit_gateway"] = {"id": "tgw-0123456789abcdef0", "amazon_side_asn": 64600}
    doc["hub"]["route_tables"] = [
        {"name": "existing", "id": "tgw-rtb-0123456789abcdef0"},
        {"name": "new"},
    ]
    topic = "arn:aws:sns:us-east-1:111111111111:network-alarms"
    doc["monitoring"] = {"sns_topic_arn": topic}
    path = tmp_path / "sites.yaml"
    path.write_text(yaml.safe_dump(doc))
    built = build_sites_app(new_app(), path)
    templates = {s.stack_name: synth(s) for s in [built.hub_stack, *built.site_stacks]}
    hub = templates["Test-Hub"]
    assert resources_of_type(hub, "AWS::EC2::TransitGateway") == {}
    assert resources_of_type(hub, "AWS::SNS::Topic") == {}
    (table,) = resources_of_type(hub, "AWS::EC2::TransitGatewayRouteTable").values()
    assert table["Properties"]["TransitGatewayId"] == "tgw-0123456789abcdef0"
    names = {
        r["Properties"]["Name"] for r in resources_of_type(hub, "AWS::SSM::Parameter").values()
    }
    assert names == {
        "/site-to-site-vpn/Test/route-tables/new",
        "/site-to-site-vpn/Test/monitoring-key-arn",
    }
    sites = templates["Test-Sites-001"]
    (vpn,) = resources_of_type(sites, "AWS::EC2::VPNConnection").values()
    assert vpn["Properties"]["TransitGatewayId"] == "tgw-0123456789abcdef0"
    (association,) = resources_of_type(
        sites, "AWS::EC2::TransitGatewayRouteTableAssociation"
    ).values()
    assert association["Properties"]["TransitGatewayRouteTableId"] == "tgw-rtb-0123456789abcdef0"
    actions = {
        action
        for alarm in resources_of_type(sites, "AWS::CloudWatch::Alarm").values()
        for action in alarm["Properties"]["AlarmActions"]
    }
    assert actions == {topic}


def test_a_concentrator_on_an_existing_transit_gateway(tmp_path: Path) -> None:
    doc = document(site(1, vpn_concentrator="retail"))
    doc["hub"]["transit_gateway"] = {"id": "tgw-0123456789abcdef0", "amazon_side_asn": 64600}
    doc["hub"]["route_tables"] = [
        {"name": "existing", "id": "tgw-rtb-0123456789abcdef0"},
        {"name": "new"},
    ]
    doc["hub"]["vpn_concentrators"] = [
        {"name": "retail", "route_table": "existing", "propagate_to": ["existing", "new"]}
    ]
    path = tmp_path / "sites.yaml"
    path.write_text(yaml.safe_dump(doc))
    built = build_sites_app(new_app(), path)
    templates = {s.stack_name: synth(s) for s in [built.hub_stack, *built.site_stacks]}
    hub = templates["Test-Hub"]
    (concentrator_id, concentrator), *_ = resources_of_type(
        hub, "AWS::EC2::VPNConcentrator"
    ).items()
    assert concentrator["Properties"]["TransitGatewayId"] == "tgw-0123456789abcdef0"
    (association,) = resources_of_type(
        hub, "AWS::EC2::TransitGatewayRouteTableAssociation"
    ).values()
    assert association["Properties"] == {
        "TransitGatewayAttachmentId": {
            "Fn::GetAtt": [concentrator_id, "TransitGatewayAttachmentId"]
        },
        "TransitGatewayRouteTableId": "tgw-rtb-0123456789abcdef0",
    }
    assert len(resources_of_type(hub, "AWS::EC2::TransitGatewayRouteTablePropagation")) == 2
    sites = templates["Test-Sites-001"]
    (vpn,) = resources_of_type(sites, "AWS::EC2::VPNConnection").values()
    assert "TransitGatewayId" not in vpn["Properties"]
    assert "VpnConcentratorId" in vpn["Properties"]
    assert resources_of_type(sites, "AWS::EC2::TransitGatewayRouteTableAssociation") == {}
