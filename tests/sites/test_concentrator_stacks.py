"""Issue 13's "done when", sites-file version, through the public API: a sites file with a VPN
Concentrator and 30 sites on it synthesizes into one AWS::EC2::VPNConcentrator whose attachment is
associated (and propagated) once via GetAtt, 30 VPN connections carrying VpnConcentratorId, no
attachment lookups for them, cfn-lint and cdk-nag clean (``tests.support.synth``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

import site_to_site_vpn as s2s
from site_to_site_vpn.sites.lock import lock_path_for, read_lock
from site_to_site_vpn.stacks.sites_app import measure_site_cost
from tests.sites.conftest import document, site
from tests.support import construct_logical_id, new_app, resources_of_type, synth

pytestmark = pytest.mark.xdist_group("sites-concentrator")

SITES = 30
Templates = dict[str, dict[str, Any]]


def concentrator_file(directory: Path, *extra: dict[str, Any]) -> Path:
    doc = document(
        *[site(n, vpn_concentrator="retail") for n in range(1, SITES + 1)],
        *extra,
    )
    doc["hub"]["vpn_concentrators"] = [
        {"name": "retail", "route_table": "branches", "propagate_to": ["shared"]}
    ]
    path = directory / "sites.yaml"
    path.write_text(yaml.safe_dump(doc))
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[s2s.SitesApp, Templates]:
    path = concentrator_file(tmp_path_factory.mktemp("concentrator"), site(31))
    app = s2s.build_sites_app(new_app(), path)
    stacks = [app.hub_stack, *app.site_stacks]
    return app, {stack.stack_name: synth(stack) for stack in stacks}


def site_resources(templates: Templates, type_name: str) -> dict[str, dict[str, Any]]:
    return {
        logical_id: resource
        for name, template in templates.items()
        if name != "Test-Hub"
        for logical_id, resource in resources_of_type(template, type_name).items()
    }


def test_thirty_sites_on_one_concentrator(built: tuple[s2s.SitesApp, Templates]) -> None:
    _, templates = built
    hub = templates["Test-Hub"]
    concentrators = resources_of_type(hub, "AWS::EC2::VPNConcentrator")
    assert len(concentrators) == 1
    ((concentrator_id, concentrator),) = concentrators.items()
    (transit_gateway_id,) = resources_of_type(hub, "AWS::EC2::TransitGateway")
    assert concentrator["Properties"]["TransitGatewayId"] == {"Ref": transit_gateway_id}
    attachment = {"Fn::GetAtt": [concentrator_id, "TransitGatewayAttachmentId"]}
    associations = resources_of_type(hub, "AWS::EC2::TransitGatewayRouteTableAssociation")
    assert [a["Properties"]["TransitGatewayAttachmentId"] for a in associations.values()] == [
        attachment
    ]
    propagations = resources_of_type(hub, "AWS::EC2::TransitGatewayRouteTablePropagation")
    assert [p["Properties"]["TransitGatewayAttachmentId"] for p in propagations.values()] == [
        attachment
    ]
    vpns = site_resources(templates, "AWS::EC2::VPNConnection")
    on_it = {k: v for k, v in vpns.items() if "VpnConcentratorId" in v["Properties"]}
    assert len(on_it) == SITES
    for vpn in on_it.values():
        assert "TransitGatewayId" not in vpn["Properties"]
        assert vpn["Properties"]["StaticRoutesOnly"] is False


def test_concentrator_sites_have_no_attachment_lookup_association_or_propagation(
    built: tuple[s2s.SitesApp, Templates],
) -> None:
    app, templates = built
    # Only site-0031, on its own attachment, has it read (its facts name the Transit Gateway)
    # and is routed in the site stacks; the concentrator's sites share its GetAtt.
    reading = []
    for stack in app.site_stacks:
        facts = resources_of_type(templates[stack.stack_name], "Custom::SiteToSiteVpnFacts")
        for vpn in stack.node.find_all():
            child = vpn.node.try_find_child("Facts") if isinstance(vpn, s2s.SiteToSiteVpn) else None
            if child is None:
                continue
            if "TransitGatewayId" in facts[construct_logical_id(stack, child)]["Properties"]:
                reading.append(vpn.node.path.split("/")[1])
    assert reading == ["site-0031"]
    for type_name in (
        "AWS::EC2::TransitGatewayRouteTableAssociation",
        "AWS::EC2::TransitGatewayRouteTablePropagation",
    ):
        assert list(site_resources(templates, type_name)) == [
            k for k in site_resources(templates, type_name) if k.startswith("site0031")
        ]
        assert len(site_resources(templates, type_name)) == 1


def test_site_stacks_read_the_concentrator_id_from_the_hubs_ssm_parameter(
    built: tuple[s2s.SitesApp, Templates],
) -> None:
    _, templates = built
    hub = templates["Test-Hub"]
    published = {
        r["Properties"]["Name"]: r["Properties"]["Value"]
        for r in resources_of_type(hub, "AWS::SSM::Parameter").values()
    }
    (concentrator_id,) = resources_of_type(hub, "AWS::EC2::VPNConcentrator")
    name = "/site-to-site-vpn/Test/vpn-concentrators/retail/id"
    assert published[name] == {"Fn::GetAtt": [concentrator_id, "VpnConcentratorId"]}
    assert published["/site-to-site-vpn/Test/vpn-concentrators/retail/attachment-id"] == {
        "Fn::GetAtt": [concentrator_id, "TransitGatewayAttachmentId"]
    }
    for stack, template in templates.items():
        if stack == "Test-Hub":
            continue
        for vpn in resources_of_type(template, "AWS::EC2::VPNConnection").values():
            reference = vpn["Properties"].get("VpnConcentratorId")
            if reference is not None:
                assert template["Parameters"][reference["Ref"]]["Default"] == name
    assert "Fn::ImportValue" not in json.dumps(templates)


def test_the_lock_file_records_the_concentrator(built: tuple[s2s.SitesApp, Templates]) -> None:
    app, _ = built
    lock = read_lock(lock_path_for(app.sites_file.path))
    assert {entry.vpn_concentrator for entry in lock.sites.values()} == {"retail", None}
    assert lock.sites["site-0031"].vpn_concentrator is None


def test_a_concentrator_site_costs_its_attachments_resources_less(tmp_path: Path) -> None:
    loaded = s2s.load_sites_file(concentrator_file(tmp_path, site(31)))
    on_concentrator = measure_site_cost(loaded, loaded.site("site-0001"))
    own_attachment = measure_site_cost(loaded, loaded.site("site-0031"))
    # Its association and propagations stay in the hub, once. Reading the attachment id costs
    # no resource: it is one more property of the facts resource every monitored site has.
    routing = 1 + len(loaded.site("site-0031").propagate_to)
    assert own_attachment.site - on_concentrator.site == routing
