"""The example app's hub: two route tables, the VPN associated with one and propagating into the
other, the lookups' outputs, and a snapshot of the whole stack (asset hashes normalized)."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from syrupy.assertion import SnapshotAssertion

from examples.example_stack import ExampleVpnStack
from tests.support import new_app, normalized, only_resource, synth

# One worker builds the module's shared template (`pytest -n 2 --dist loadgroup`).
pytestmark = pytest.mark.xdist_group("hub-example")


@pytest.fixture(scope="module", params=[True, False], ids=["recommended-flags", "no-flags"])
def example(request: pytest.FixtureRequest) -> tuple[ExampleVpnStack, dict[str, Any]]:
    """The example stack under ``cdk init``'s recommended feature flags, and under none: each
    template passes cdk-nag and cfn-lint (``synth``) and has its own snapshot."""
    stack = ExampleVpnStack(
        new_app(flags=request.param),
        "ExampleSiteToSiteVpn",
        env=cdk.Environment(account="111111111111", region="us-east-1"),
    )
    return stack, synth(stack)


def test_example_vpn_is_associated_with_onprem_and_propagates_into_vpcs(
    example: tuple[ExampleVpnStack, dict[str, Any]],
) -> None:
    stack, template = example
    tables = {
        name: stack.resolve(table.route_table_id) for name, table in stack.hub.route_tables.items()
    }
    assert sorted(tables) == ["onprem", "vpcs"]
    attachment = stack.resolve(stack.vpn.transit_gateway_attachment_id)
    association = only_resource(template, "AWS::EC2::TransitGatewayRouteTableAssociation")
    assert association["Properties"] == {
        "TransitGatewayAttachmentId": attachment,
        "TransitGatewayRouteTableId": tables["onprem"],
    }
    propagation = only_resource(template, "AWS::EC2::TransitGatewayRouteTablePropagation")
    assert propagation["Properties"] == {
        "TransitGatewayAttachmentId": attachment,
        "TransitGatewayRouteTableId": tables["vpcs"],
    }
    gateway = only_resource(template, "AWS::EC2::TransitGateway")["Properties"]
    assert gateway["DefaultRouteTableAssociation"] == "disable"
    assert gateway["DefaultRouteTablePropagation"] == "disable"


def test_example_outputs_the_attachment_and_both_outside_ips(
    example: tuple[ExampleVpnStack, dict[str, Any]],
) -> None:
    stack, template = example
    values = [output["Value"] for output in template["Outputs"].values()]
    assert stack.resolve(stack.vpn.transit_gateway_attachment_id) in values
    for address in stack.vpn.tunnel_outside_ip_addresses:
        assert stack.resolve(address) in values


def test_example_hub_stack_snapshot(
    example: tuple[ExampleVpnStack, dict[str, Any]], snapshot: SnapshotAssertion
) -> None:
    _, template = example
    assert normalized(template) == snapshot
