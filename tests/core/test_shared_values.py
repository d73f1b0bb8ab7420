"""Constant values sent to Node once: one object per distinct value, rendered as the value."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Template

from site_to_site_vpn.constructs.shared_values import shared_constant
from tests.support import new_app

TOKEN = "arn:aws:lambda:us-east-1:111111111111:function:provider"
ALGORITHMS: list[dict[str, Any]] = [{"Value": "AES256-GCM-16"}, {"Value": "AES256"}]


def test_equal_values_share_one_object_and_others_do_not() -> None:
    first = shared_constant([dict(item) for item in ALGORITHMS])
    assert shared_constant([dict(item) for item in ALGORITHMS]) is first
    assert shared_constant(ALGORITHMS[:1]) is not first
    # Key order is part of the value: a template keeps the order it was given.
    assert shared_constant({"A": 1, "B": 2}) is not shared_constant({"B": 2, "A": 1})


def test_a_value_holding_a_token_is_refused() -> None:
    with pytest.raises(ValueError, match="literal values only"):
        shared_constant([{"Value": cdk.Aws.REGION}])


def test_a_shared_value_renders_as_the_value_in_every_app() -> None:
    for app_index in range(2):
        stack = cdk.Stack(new_app(), f"Shared{app_index}")
        for index in range(2):
            resource = cdk.CfnResource(
                stack, f"Thing{index}", type="Custom::Thing", properties={"ServiceToken": TOKEN}
            )
            resource.add_property_override("Algorithms", [shared_constant(ALGORITHMS)])
        resources = Template.from_stack(stack).find_resources("Custom::Thing")
        expected = {"ServiceToken": TOKEN, "Algorithms": [ALGORITHMS]}
        assert [r["Properties"] for r in resources.values()] == [expected] * 2
