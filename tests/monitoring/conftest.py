"""Synthesized templates shared by the monitoring tests (one synth per module, not per test)."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk

from site_to_site_vpn import Routing
from tests.core.conftest import VGW, build_vpn
from tests.support import new_stack, synth


def canonical(value: Any) -> Any:
    """``value`` with ``{"Ref": "AWS::Partition"}`` in an ``Fn::Join`` written as ``aws``.

    Under the recommended feature flags aws-cdk-lib writes the partition of a stack with a known
    Region as the literal ``aws``; without them as a reference. Comparing canonical forms lets one
    expected ARN hold under both.
    """
    if isinstance(value, list):
        return [canonical(v) for v in value]
    if not isinstance(value, dict):
        return value
    if set(value) == {"Fn::Join"} and value["Fn::Join"][0] == "":
        parts: list[Any] = []
        for raw in value["Fn::Join"][1]:
            part = "aws" if raw == {"Ref": "AWS::Partition"} else canonical(raw)
            if isinstance(part, str) and parts and isinstance(parts[-1], str):
                parts[-1] += part
            else:
                parts.append(part)
        return (
            parts[0] if len(parts) == 1 and isinstance(parts[0], str) else {"Fn::Join": ["", parts]}
        )
    return {k: canonical(v) for k, v in value.items()}


def bgp_vpn_template(**overrides: Any) -> tuple[cdk.Stack, dict[str, Any]]:
    """A default (BGP, Transit Gateway) VPN named ``branch`` with ``overrides``, synthesized."""
    stack = new_stack()
    build_vpn(stack, vpn_name="branch", **overrides)
    return stack, canonical(synth(stack))


def static_vpn_template(**overrides: Any) -> tuple[cdk.Stack, dict[str, Any]]:
    """A static VPN on a Virtual Private Gateway named ``store``, synthesized."""
    stack = new_stack()
    build_vpn(
        stack,
        vpn_name="store",
        vpn_gateway=VGW,
        routing=Routing.static(["10.20.0.0/16"]),
        **overrides,
    )
    return stack, canonical(synth(stack))


def logical_id(template: dict[str, Any], type_name: str, contains: str) -> str:
    """The one logical id of ``type_name`` whose id contains ``contains``."""
    found = [
        k for k, v in template["Resources"].items() if v["Type"] == type_name and contains in k
    ]
    assert len(found) == 1, f"{type_name} ~ {contains}: {found}"
    return str(found[0])
