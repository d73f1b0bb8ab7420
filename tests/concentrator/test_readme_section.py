"""The "VPN Concentrator and IPv6 outside addresses" guide's code blocks synthesize clean.

They run as written inside a stack of an app with the recommended feature flags (``self`` is the
stack, the library's public names are imported as a user would), then pass cdk-nag and cfn-lint.
"""

from __future__ import annotations

import re
from typing import Any

from tests.support import REPO, new_app, new_stack, resources_of_type, synth

GUIDE = REPO / "docs" / "guides" / "vpn-concentrators.md"


def _blocks() -> list[str]:
    section = GUIDE.read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)


def test_the_section_has_its_two_examples() -> None:
    blocks = _blocks()
    assert len(blocks) == 2
    assert "VpnConcentrator(" in blocks[0]
    assert "OutsideIpAddressType.IPV6" in blocks[1]


def _synth_block(block: str) -> dict[str, Any]:
    """One block run as written inside a stack (``self``), as tests/readme runs every block."""
    stack = new_stack(new_app())
    namespace: dict[str, Any] = {"self": stack}
    exec(compile(block, str(GUIDE), "exec"), namespace)
    return synth(stack)


def test_concentrator_example_shares_one_attachment() -> None:
    template = _synth_block(_blocks()[0])
    assert len(resources_of_type(template, "AWS::EC2::VPNConcentrator")) == 1
    vpns = resources_of_type(template, "AWS::EC2::VPNConnection")
    assert len(vpns) == 20
    assert all("VpnConcentratorId" in v["Properties"] for v in vpns.values())
    assert not any("TransitGatewayId" in v["Properties"] for v in vpns.values())
    assert len(resources_of_type(template, "AWS::EC2::TransitGatewayRouteTableAssociation")) == 1


def test_ipv6_outside_example_is_a_transit_gateway_vpn() -> None:
    template = _synth_block(_blocks()[1])
    (v6,) = resources_of_type(template, "AWS::EC2::VPNConnection").values()
    assert v6["Properties"]["OutsideIpAddressType"] == "Ipv6"
    assert "TransitGatewayId" in v6["Properties"]
