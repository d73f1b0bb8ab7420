"""The stacks built from a sites file: the example app, sharding, and stability under edits.

Every template goes through ``tests.support.synth`` (cdk-nag packs and cfn-lint).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from syrupy.assertion import SnapshotAssertion

from site_to_site_vpn.sites import schema
from site_to_site_vpn.stacks.site_stack import RETENTION_BY_DAYS
from site_to_site_vpn.stacks.sites_app import SitesApp, build_sites_app
from tests.support import new_app, normalized, only_resource, resources_of_type, synth

EXAMPLE = Path(__file__).parents[2] / "examples" / "sites.yaml"
#: CloudFormation's limit for a template uploaded through S3 (CDK always uploads via S3).
CFN_MAX_TEMPLATE_BYTES = 1_000_000

Templates = dict[str, dict[str, Any]]


def synth_all(built: SitesApp) -> Templates:
    stacks = [built.hub_stack, *built.site_stacks]
    return {stack.stack_name: synth(stack) for stack in stacks}


def resources_of_site(template: dict[str, Any], name: str) -> dict[str, Any]:
    """A site's resources: their logical ids start with its construct id (= its name)."""
    prefix = name.replace("-", "")
    return {k: v for k, v in template["Resources"].items() if k.startswith(prefix)}


def where_is(templates: Templates, name: str) -> tuple[str, dict[str, Any]]:
    (found,) = [
        (stack, resources_of_site(t, name))
        for stack, t in templates.items()
        if resources_of_site(t, name)
    ]
    return found


# ---------------------------------------------------------------- the example app


@pytest.fixture(scope="module")
def example() -> tuple[SitesApp, Templates]:
    # locked: the committed lock file must already hold every example site.
    built = build_sites_app(new_app(), EXAMPLE, locked=True)
    return built, synth_all(built)


pytestmark = pytest.mark.xdist_group("sites-example")


def test_example_app_is_a_hub_and_one_site_stack(example: tuple[SitesApp, Templates]) -> None:
    _, templates = example
    assert sorted(templates) == ["ExampleNetwork-Hub", "ExampleNetwork-Sites-001"]
    hub = templates["ExampleNetwork-Hub"]
    assert len(resources_of_type(hub, "AWS::EC2::TransitGateway")) == 1
    assert len(resources_of_type(hub, "AWS::EC2::TransitGatewayRouteTable")) == 2
    assert len(resources_of_type(hub, "AWS::KMS::Key")) == 1
    assert len(resources_of_type(hub, "AWS::SNS::Topic")) == 1
    sites = templates["ExampleNetwork-Sites-001"]
    assert len(resources_of_type(sites, "AWS::EC2::VPNConnection")) == 5


def test_saved_queries_are_in_the_hub_once_for_all_sites(
    example: tuple[SitesApp, Templates],
) -> None:
    """Three saved queries for the whole network, naming no log group (the console asks for the
    site's groups when one runs), instead of three per site in the site stacks."""
    _, templates = example
    hub_queries = resources_of_type(templates["ExampleNetwork-Hub"], "AWS::Logs::QueryDefinition")
    names = sorted(q["Properties"]["Name"] for q in hub_queries.values())
    assert names == [
        "site-to-site-vpn/ExampleNetwork/BGP flaps",
        "site-to-site-vpn/ExampleNetwork/BGP routes denied",
        "site-to-site-vpn/ExampleNetwork/why is this tunnel down",
    ]
    assert all("LogGroupNames" not in q["Properties"] for q in hub_queries.values())
    assert not resources_of_type(
        templates["ExampleNetwork-Sites-001"], "AWS::Logs::QueryDefinition"
    )


def test_site_stacks_have_no_key_of_their_own(example: tuple[SitesApp, Templates]) -> None:
    """The facts provider's log group uses the hub's key, as the sites' log groups do: a key per
    site stack would be one more KMS key (1 USD a month) per stack of about 20 sites. The hub's
    key policy lets CloudWatch Logs use it for every group under the VPN logs' prefix."""
    _, templates = example
    sites = templates["ExampleNetwork-Sites-001"]
    assert not resources_of_type(sites, "AWS::KMS::Key")
    groups = resources_of_type(sites, "AWS::Logs::LogGroup")
    provider_group = next(
        g for g in groups.values() if "deploy-time-lookups" in json.dumps(g["Properties"])
    )
    name = provider_group["Properties"]["LogGroupName"]
    assert name == "/aws/vendedlogs/site-to-site-vpn/ExampleNetwork-Sites-001-deploy-time-lookups"
    vpn_group_keys = {
        json.dumps(g["Properties"]["KmsKeyId"]) for g in groups.values() if g is not provider_group
    }
    assert vpn_group_keys == {json.dumps(provider_group["Properties"]["KmsKeyId"])}
    hub_key = only_resource(templates["ExampleNetwork-Hub"], "AWS::KMS::Key")
    grants = json.dumps(hub_key["Properties"]["KeyPolicy"])
    assert "log-group:/aws/vendedlogs/site-to-site-vpn/*" in grants


def test_example_snapshot(example: tuple[SitesApp, Templates], snapshot: SnapshotAssertion) -> None:
    _, templates = example
    assert {name: normalized(t) for name, t in templates.items()} == snapshot


def test_site_stacks_read_the_hub_from_ssm_not_exports(
    example: tuple[SitesApp, Templates],
) -> None:
    _, templates = example
    hub, sites = templates["ExampleNetwork-Hub"], templates["ExampleNetwork-Sites-001"]
    published = {
        r["Properties"]["Name"] for r in resources_of_type(hub, "AWS::SSM::Parameter").values()
    }
    read = {
        p["Default"]
        for p in sites["Parameters"].values()
        if p["Type"] == "AWS::SSM::Parameter::Value<String>"
        and not p["Default"].startswith("/cdk-bootstrap/")
    }
    assert (
        read
        == published
        == {
            "/site-to-site-vpn/ExampleNetwork/transit-gateway-id",
            "/site-to-site-vpn/ExampleNetwork/route-tables/branches",
            "/site-to-site-vpn/ExampleNetwork/route-tables/shared-services",
            "/site-to-site-vpn/ExampleNetwork/monitoring-key-arn",
            "/site-to-site-vpn/ExampleNetwork/alarm-topic-arn",
        }
    )
    assert "Fn::ImportValue" not in json.dumps(templates)
    assert "Outputs" not in hub


def test_tunnel_inside_cidrs_are_the_lock_files(example: tuple[SitesApp, Templates]) -> None:
    built, templates = example
    sites = templates["ExampleNetwork-Sites-001"]
    for name, entry in built.lock.sites.items():
        (vpn,) = [
            r
            for r in resources_of_site(sites, name).values()
            if r["Type"] == "AWS::EC2::VPNConnection"
        ]
        specs = vpn["Properties"]["VpnTunnelOptionsSpecifications"]
        assert tuple(s["TunnelInsideCidr"] for s in specs) == entry.inside_cidrs


def test_static_site_gets_routes_and_bgp_sites_propagate(
    example: tuple[SitesApp, Templates],
) -> None:
    _, templates = example
    sites = templates["ExampleNetwork-Sites-001"]
    berlin = resources_of_site(sites, "berlin")
    routes = [r for r in berlin.values() if r["Type"] == "AWS::EC2::TransitGatewayRoute"]
    assert sorted(r["Properties"]["DestinationCidrBlock"] for r in routes) == [
        "10.30.0.0/16",
        "10.31.0.0/16",
    ]
    paris = resources_of_site(sites, "paris")
    types = sorted(r["Type"] for r in paris.values() if r["Type"].startswith("AWS::EC2::Transit"))
    assert types == [
        "AWS::EC2::TransitGatewayRouteTableAssociation",
        "AWS::EC2::TransitGatewayRouteTablePropagation",
    ]


def test_log_retention_days_map_to_cloudwatch(example: tuple[SitesApp, Templates]) -> None:
    _, templates = example
    groups = resources_of_type(templates["ExampleNetwork-Sites-001"], "AWS::Logs::LogGroup")
    assert {g["Properties"]["RetentionInDays"] for g in groups.values()} == {365}
    allowed = schema()["$defs"]["MonitoringDocument"]["properties"]["log_retention_days"]["enum"]
    assert sorted(RETENTION_BY_DAYS) == allowed


def test_site_tags_reach_the_sites_resources(example: tuple[SitesApp, Templates]) -> None:
    _, templates = example
    paris = resources_of_site(templates["ExampleNetwork-Sites-001"], "paris")
    (vpn,) = [r for r in paris.values() if r["Type"] == "AWS::EC2::VPNConnection"]
    assert {"Key": "city", "Value": "paris"} in vpn["Properties"]["Tags"]
    assert {"Key": "project", "Value": "example-network"} in vpn["Properties"]["Tags"]
