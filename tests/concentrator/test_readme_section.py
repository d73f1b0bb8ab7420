"""The README's "VPN Concentrator and IPv6 outside addresses" code blocks synthesize clean.

They run as written inside a stack of an app with the recommended feature flags (``self`` is the
stack, the library's public names are imported as a user would), then pass cdk-nag and cfn-lint.
"""

from __future__ import annotations

import re
from typing import Any

import site_to_site_vpn
from tests.support import REPO, new_app, new_stack, resources_of_type, synth

SECTION = "## VPN Concentrator and IPv6 outside addresses"


def _blocks() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)


def test_the_section_has_its_two_examples() -> None:
    blocks = _blocks()
    assert len(blocks) == 2
    assert "VpnConcentrator(" in blocks[0]
    assert "OutsideIpAddressType.IPV6" in blocks[1]


def test_readme_examples_synthesize_clean() -> None:
    stack = new_stack(new_app())
    namespace: dict[str, Any] = {
        name: getattr(site_to_site_vpn, name) for name in site_to_site_vpn.__all__
    }
    namespace["self"] = stack
    for block in _blocks():
        exec(compile(block, "README.md", "exec"), namespace)

    template = synth(stack)
    assert len(resources_of_type(template, "AWS::EC2::VPNConcentrator")) == 1
    vpns = resources_of_type(template, "AWS::EC2::VPNConnection")
    assert len(vpns) == 21
    on_concentrator = [v for v in vpns.values() if "VpnConcentratorId" in v["Properties"]]
    assert len(on_concentrator) == 20
    (v6,) = [v for v in vpns.values() if v["Properties"].get("OutsideIpAddressType") == "Ipv6"]
    assert "TransitGatewayId" in v6["Properties"]
    assert len(resources_of_type(template, "AWS::EC2::TransitGatewayRouteTableAssociation")) == 1
