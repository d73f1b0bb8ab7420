"""Where the lab's template comes from: the project's example stack, synthesized in-process.

The stack is synthesized with ``aws_cdk.App(outdir=<tmp>)`` so nothing is written to cdk.out and
nothing needs AWS credentials. If the stack cannot be imported, the lab falls back to the
hand-written ``fixture_template.json`` next to this file and says so in its report.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FIXTURE = Path(__file__).with_name("fixture_template.json")


@dataclass(frozen=True)
class LabTemplate:
    """A synthesized template and the Amazon-side ASN its stack declares, if any."""

    template: dict[str, Any]
    source: str
    amazon_asn: int | None


def _declared_amazon_asn(stack: Any) -> int | None:
    """The ASN given to a gateway referenced by id: it is in the VPN's gateway, not the template."""
    from site_to_site_vpn import SiteToSiteVpn  # noqa: PLC0415 - loads aws_cdk; only when used

    for child in stack.node.find_all():
        if not isinstance(child, SiteToSiteVpn):
            continue
        gateway = child.transit_gateway or child.vpn_gateway
        asn = getattr(gateway, "amazon_side_asn", None)
        if isinstance(asn, int):
            return asn
    return None


def synthesize_example() -> LabTemplate:
    """Synthesize ``examples.example_stack.ExampleVpnStack`` into a template dict."""
    import aws_cdk as cdk  # noqa: PLC0415 - jsii start-up is slow; only pay it when used
    from aws_cdk.assertions import Template  # noqa: PLC0415

    from examples.example_stack import ExampleVpnStack  # noqa: PLC0415

    with tempfile.TemporaryDirectory(prefix="s2s-lab-synth-") as outdir:
        app = cdk.App(outdir=outdir)
        stack = ExampleVpnStack(app, "LabExampleSiteToSiteVpn")
        template = Template.from_stack(stack).to_json()
    return LabTemplate(
        template=dict(template),
        source="examples.example_stack.ExampleVpnStack (synthesized in-process)",
        amazon_asn=_declared_amazon_asn(stack),
    )


def synthesize_concentrator_site(*, outside_ipv6: bool = False) -> LabTemplate:
    """One site on a ``VpnConcentrator`` (BGP, as AWS requires), IPv4 or IPv6 outside addresses.

    For the customer gateway a concentrator site is an ordinary two-tunnel BGP VPN ("AWS
    Site-to-Site VPN Concentrators"); the lab checks exactly that with the rendered config.
    """
    import aws_cdk as cdk  # noqa: PLC0415 - jsii start-up is slow; only pay it when used
    from aws_cdk.assertions import Template  # noqa: PLC0415

    from site_to_site_vpn import (  # noqa: PLC0415
        CustomerGatewayProps,
        OutsideIpAddressType,
        SiteToSiteVpn,
        TransitGatewayHub,
        VpnConcentrator,
    )

    amazon_asn = 64_512
    with tempfile.TemporaryDirectory(prefix="s2s-lab-synth-") as outdir:
        app = cdk.App(outdir=outdir)
        stack = cdk.Stack(app, "LabConcentratorSite")
        hub = TransitGatewayHub(stack, "Hub", amazon_side_asn=amazon_asn)
        concentrator = VpnConcentrator(stack, "Concentrator", transit_gateway=hub)
        SiteToSiteVpn(
            stack,
            "Site",
            vpn_concentrator=concentrator,
            customer_gateway=CustomerGatewayProps(
                ip_address="2001:db8:5::10" if outside_ipv6 else "198.51.100.10", bgp_asn=65_010
            ),
            outside_ip_address_type=(
                OutsideIpAddressType.IPV6 if outside_ipv6 else OutsideIpAddressType.PUBLIC_IPV4
            ),
        )
        template = Template.from_stack(stack).to_json()
    family = "IPv6" if outside_ipv6 else "IPv4"
    return LabTemplate(
        template=dict(template),
        source=f"a VpnConcentrator site with {family} outside addresses (synthesized in-process)",
        amazon_asn=amazon_asn,
    )


def fixture() -> LabTemplate:
    """The hand-written stand-in template."""
    return LabTemplate(
        template=json.loads(FIXTURE.read_text(encoding="utf-8")),
        source=f"{FIXTURE.name} (hand-written fixture)",
        amazon_asn=None,
    )


def lab_template() -> LabTemplate:
    """The example stack if the library provides one, else the fixture."""
    try:
        return synthesize_example()
    except ImportError:
        return fixture()
