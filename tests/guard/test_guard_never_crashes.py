"""Any JSON a template can hold gives a report, never an exception (the CLI would print a
traceback that reads as "blocked"): property values built from intrinsic-function-shaped noise."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_to_site_vpn.guard import compare
from tests.guard.cfn import vpn_template, with_props

KEYS = st.sampled_from(
    [
        "Ref", "Fn::If", "Fn::Join", "Fn::Sub", "Fn::GetAtt", "Fn::Select", "Fn::Split",
        "Fn::FindInMap", "Fn::Base64", "Fn::ImportValue", "Fn::Equals", "Condition", "X",
    ]
)  # fmt: skip
LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from(["", "Vpc", "C", "AWS::Region", "AWS::NoValue", "${Vpc.CidrBlock}", "1"]),
)
VALUES = st.recursive(
    LEAVES,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(KEYS, inner, max_size=2)),
    max_leaves=12,
)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(value=VALUES, condition=VALUES)
def test_any_value_gives_a_report(value: Any, condition: Any) -> None:
    old = vpn_template(Conditions={"C": condition})
    new = with_props(old, "Vpn", StaticRoutesOnly=value, RemoteIpv4NetworkCidr=value)
    new["Resources"]["Cgw"]["Condition"] = "C"
    report = compare({"S": old}, {"S": new})
    assert report.exit_code in (0, 1)


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(default=VALUES, mapping=VALUES, value=VALUES, outputs=VALUES)
def test_any_parameter_mapping_or_output_gives_a_report(
    default: Any, mapping: Any, value: Any, outputs: Any
) -> None:
    old = vpn_template(
        Parameters={"P": {"Type": "String", "Default": default}},
        Mappings={"M": {"a": mapping}},
        Outputs={"O": {"Value": outputs}},
    )
    new = with_props(
        old, "Cgw", IpAddress={"Fn::FindInMap": ["M", "a", value]}, BgpAsn={"Ref": "P"}
    )
    report = compare({"S": old}, {"S": new}, strict=True)
    assert report.exit_code in (0, 1)
