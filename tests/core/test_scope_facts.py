"""The jsii-free construct paths and stacks match what the constructs library and CDK say."""

from __future__ import annotations

import aws_cdk as cdk
from constructs import Construct

from site_to_site_vpn.constructs.scope_facts import path_of, stack_facts, stack_of
from tests.support import build_hub, build_vpn, new_app, new_stack


def test_paths_built_from_the_scope_equal_node_path_even_with_slashes_in_ids() -> None:
    stack = new_stack(new_app())
    hub = build_hub(stack, "onprem", "vpcs")
    outer = Construct(stack, "Outer/With/Slash")
    vpn = build_vpn(outer, "Vpn/A", transit_gateway=hub)
    customer_gateway = vpn.customer_gateway
    assert isinstance(customer_gateway, Construct)
    for construct in (vpn, customer_gateway, outer, stack):
        assert path_of(construct) == construct.node.path
    assert path_of(vpn) == "TestStack/Outer--With--Slash/Vpn--A"


def test_stack_of_a_construct_in_a_stage_and_in_a_nested_stack() -> None:
    app = new_app()
    stage = cdk.Stage(app, "Prod")
    stack = cdk.Stack(
        stage, "Network", env=cdk.Environment(account="111111111111", region="eu-west-1")
    )
    nested = cdk.NestedStack(stack, "Nested")
    for scope in (stack, nested):
        child = Construct(scope, "Child")
        assert stack_of(child, scope=scope) is scope
        grandchild = Construct(child, "Grandchild2")
        assert stack_of(grandchild, scope=child) is scope
    facts = stack_facts(stack)
    assert (facts.path, facts.account, facts.region, facts.literal_region) == (
        "Prod/Network",
        "111111111111",
        "eu-west-1",
        "eu-west-1",
    )
    assert facts.arn("logs", "log-group", "/a/b") == (
        f"arn:{stack.partition}:logs:eu-west-1:111111111111:log-group:/a/b"
    )


def test_environment_agnostic_stack_has_no_literal_region() -> None:
    stack = cdk.Stack(new_app(), "Agnostic")
    assert stack_facts(stack).literal_region is None
