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
    """The ASN given to a gateway referenced by id: it is in the stack's props, not the template."""
    for child in stack.node.find_all():
        props = getattr(child, "props", None)
        gateway = getattr(props, "transit_gateway", None) or getattr(props, "vpn_gateway", None)
        asn = getattr(gateway, "amazon_side_asn", None)
        if isinstance(asn, int):
            return asn
    return None


def synthesize_example() -> LabTemplate:
    """Synthesize ``lab.example_stack.ExampleVpnStack`` into a template dict."""
    import aws_cdk as cdk  # noqa: PLC0415 - jsii start-up is slow; only pay it when used
    from aws_cdk.assertions import Template  # noqa: PLC0415

    from lab.example_stack import ExampleVpnStack  # noqa: PLC0415

    with tempfile.TemporaryDirectory(prefix="s2s-lab-synth-") as outdir:
        app = cdk.App(outdir=outdir)
        stack = ExampleVpnStack(app, "LabExampleSiteToSiteVpn")
        template = Template.from_stack(stack).to_json()
    return LabTemplate(
        template=dict(template),
        source="lab.example_stack.ExampleVpnStack (synthesized in-process)",
        amazon_asn=_declared_amazon_asn(stack),
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
