"""The cost's monitoring table matches what a synthesized site stack really creates."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from site_to_site_vpn.cost.monitoring import FOOTPRINT, MonitoringFootprint
from site_to_site_vpn.stacks.sites_app import build_sites_app
from tests.support import new_app, synth

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sites.yaml"


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    built = build_sites_app(new_app(), EXAMPLE, locked=True)
    [stack] = built.site_stacks
    return synth(stack)


def measured(template: dict[str, Any], site: str) -> MonitoringFootprint:
    """Count one site's resources (its logical ids start with its name, its construct id)."""
    mine = {lid: r for lid, r in template["Resources"].items() if lid.startswith(site)}
    alarm_metrics = 0
    for resource in mine.values():
        if resource["Type"] == "AWS::CloudWatch::Alarm":
            queries = resource["Properties"].get("Metrics")
            alarm_metrics += sum(1 for q in queries if "MetricStat" in q) if queries else 1
    metrics = {
        (m["MetricNamespace"], m["MetricName"], json.dumps(m.get("Dimensions"), sort_keys=True))
        for r in mine.values()
        if r["Type"] == "AWS::Logs::MetricFilter"
        for m in r["Properties"]["MetricTransformations"]
    }
    log_groups = sum(1 for r in mine.values() if r["Type"] == "AWS::Logs::LogGroup")
    return MonitoringFootprint(alarm_metrics, len(metrics), log_groups)


@pytest.mark.parametrize(("site", "routing"), [("paris", "bgp"), ("berlin", "static")])
def test_footprint_table_matches_the_synthesized_site(
    template: dict[str, Any], site: str, routing: str
) -> None:
    assert measured(template, site) == FOOTPRINT[routing]
