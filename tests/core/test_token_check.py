"""``is_token`` recognises CDK's token encoding in Python: the oracle is ``Token.is_unresolved``."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import jsii
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_to_site_vpn.constructs.rules import is_token


@jsii.implements(cdk.IStringProducer)
class _Producer:
    def __init__(self, value: str) -> None:
        self.value = value

    def produce(self, context: cdk.IResolveContext) -> str:
        return self.value


def _real_tokens() -> list[Any]:
    stack = cdk.Stack(cdk.App(), "Tokens")
    parameter = cdk.CfnParameter(stack, "Asn", type="Number")
    bucket = cdk.CfnResource(stack, "Thing", type="AWS::SNS::Topic")
    return [
        cdk.Aws.REGION,
        cdk.Aws.ACCOUNT_ID,
        bucket.ref,
        bucket.get_att("TopicName").to_string(),
        cdk.Fn.join("-", ["a", cdk.Aws.REGION]),
        f"prefix/{cdk.Aws.STACK_NAME}/suffix",
        cdk.Lazy.uncached_string(_Producer("late")),
        cdk.Fn.split("|", bucket.ref, 3)[1],
        parameter.value_as_number,
        cdk.Token.as_number(parameter.value_as_string),
        cdk.Token.as_string(parameter.value_as_number),
    ]


LITERALS: list[Any] = [
    "",
    "Token[",
    "${Token[",
    "${Token[]}",
    "${Token[has space]}",
    "${Token[TOKEN.1]",
    "Token[TOKEN.1]}",
    "#{Token[TOKEN.1]}",
    "{{resolve:secretsmanager:psk}}",
    "169.254.10.0/30",
    "-1.88e+289",
    # A number token formatted by Python: CDK looks for "Token[" first, so not a token to it.
    "-1.8881545897087834e+289 Mbps",
    "${Token[X.1]} and -1.8881545897087834e+289",
    -1.8e289,
    1.8e289,
    0.0,
    65000,
    4_200_000_000,
    10**300,
    -(10**300),
    True,
    False,
    None,
]


@pytest.mark.parametrize("index", range(11))
def test_every_kind_of_cdk_token_is_recognised(index: int) -> None:
    value = _real_tokens()[index]
    assert cdk.Token.is_unresolved(value), value
    assert is_token(value), value


@pytest.mark.parametrize("value", LITERALS, ids=repr)
def test_literals_agree_with_cdk(value: Any) -> None:
    assert is_token(value) is cdk.Token.is_unresolved(value)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), 10**400, ["${Token[TOKEN.1]}"]])
def test_values_jsii_cannot_send_are_not_tokens(value: Any) -> None:
    assert is_token(value) is False


@settings(max_examples=300, deadline=None)
@given(
    prefix=st.text(max_size=8),
    key=st.text(alphabet=st.sampled_from("aZ09:._- #{}[]$"), min_size=0, max_size=12),
    suffix=st.text(max_size=8),
    opener=st.sampled_from(["${Token[", "#{Token[", "{Token[", "Token["]),
    closer=st.sampled_from(["]}", "]", "}", ""]),
)
def test_strings_shaped_like_tokens_agree_with_cdk(
    prefix: str, key: str, suffix: str, opener: str, closer: str
) -> None:
    value = f"{prefix}{opener}{key}{closer}{suffix}"
    assert is_token(value) is cdk.Token.is_unresolved(value)
