"""Opt-in reachability targets: one ``AWS::EC2::NetworkInsightsPath`` per site and target.

Oracle for the allowed values: the CloudFormation registry schema of
``AWS::EC2::NetworkInsightsPath`` that cfn-lint ships (read here from ``cfnlint/data/schemas``,
not copied): ``Protocol`` enum, ``DestinationPort`` bounds, the IPv4-only address pattern, the
required properties. Every template is synthesized with cdk-nag's two packs and cfn-lint
(``tests.support.synth``), which also checks each path against that schema.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import cfnlint
import pytest

from site_to_site_vpn.constructs.reachability import VPN_NAME_TAG, VpnReachabilityPaths
from site_to_site_vpn.core.errors import ValidationError
from site_to_site_vpn.core.reachability import (
    DEFAULT_PORT,
    DEFAULT_PROTOCOL,
    MAX_PORT,
    MIN_PORT,
    PROTOCOLS,
    ReachabilityTarget,
    reachability_target_problems,
)
from site_to_site_vpn.stacks.sites_app import build_stacks, resolve_lock
from tests.sites.conftest import document, parse, problems_of, site
from tests.support import (
    VGW,
    build_vpn,
    canonical,
    logical_id_containing,
    new_app,
    new_stack,
    resources_of_type,
    synth,
)

SCHEMAS = Path(cfnlint.__file__).parent / "data" / "schemas"


def _registry_schema() -> dict[str, Any]:
    providers = json.loads((SCHEMAS / "providers" / "us-east-1.json").read_text())
    schema: dict[str, Any] = json.loads(
        (SCHEMAS / "resources" / f"{providers['AWS::EC2::NetworkInsightsPath']}.json").read_text()
    )
    return schema


def test_allowed_values_are_the_registry_schemas() -> None:
    schema = _registry_schema()
    definitions = schema["definitions"]
    assert tuple(definitions["Protocol"]["enum"]) == PROTOCOLS
    assert (definitions["Port"]["minimum"], definitions["Port"]["maximum"]) == (MIN_PORT, MAX_PORT)
    assert set(schema["required"]) == {"Protocol", "Source"}
    assert DEFAULT_PROTOCOL in PROTOCOLS
    assert MIN_PORT <= DEFAULT_PORT <= MAX_PORT
    # The address pattern takes IPv4 only: an IPv6 target is refused up front.
    pattern = re.compile(definitions["IpAddress"]["pattern"])
    assert pattern.match("10.0.1.25")
    assert not pattern.match("2001:db8::1")
    problems = reachability_target_problems([ReachabilityTarget("2001:db8::1")])
    assert [p.field for p in problems] == ["reachability_targets[0].destination"]


@pytest.mark.parametrize(
    ("target", "field", "value", "allowed"),
    [
        (ReachabilityTarget("10.0.1.256"), "destination", "10.0.1.256", "IPv4 address"),
        (ReachabilityTarget("eni-123"), "destination", "eni-123", "network interface id"),
        (ReachabilityTarget("sg-0123456789abcdef0"), "destination", "sg-0123", "instance id"),
        (ReachabilityTarget("10.0.1.25", protocol="icmp"), "protocol", "icmp", "tcp or udp"),
        (ReachabilityTarget("10.0.1.25", port=65536), "port", 65536, "from 0 to 65535"),
        (ReachabilityTarget("10.0.1.25", port=-1), "port", -1, "from 0 to 65535"),
    ],
)
def test_a_bad_target_names_field_value_and_what_is_allowed(
    target: ReachabilityTarget, field: str, value: Any, allowed: str
) -> None:
    (problem,) = reachability_target_problems([target])
    assert problem.field == f"reachability_targets[0].{field}"
    assert str(value) in str(problem.value)
    assert allowed in problem.allowed


def test_the_same_target_twice_is_refused() -> None:
    same = ReachabilityTarget("10.0.1.25")
    (problem,) = reachability_target_problems(
        [same, ReachabilityTarget("10.0.1.25", port=22), same]
    )
    assert problem.field == "reachability_targets[2]"
    assert "same target as reachability_targets[0]" in problem.allowed


# --- The construct -------------------------------------------------------------------------


@pytest.fixture(scope="module", params=[True, False], ids=["recommended-flags", "no-flags"])
def tgw_paths(request: pytest.FixtureRequest) -> tuple[dict[str, Any], VpnReachabilityPaths]:
    stack = new_stack(new_app(flags=request.param))
    vpn = build_vpn(stack, "Vpn", vpn_name="branch")
    paths = VpnReachabilityPaths.for_vpn(
        stack,
        "Reachability",
        vpn=vpn,
        reachability_targets=[
            ReachabilityTarget("10.0.1.25"),
            ReachabilityTarget("eni-0123456789abcdef0", protocol="udp", port=53),
            ReachabilityTarget("i-0123456789abcdef0", port=22),
        ],
    )
    return canonical(synth(stack)), paths


def _paths(template: dict[str, Any]) -> list[dict[str, Any]]:
    found = resources_of_type(template, "AWS::EC2::NetworkInsightsPath")
    return [found[key]["Properties"] for key in sorted(found)]


def test_one_path_per_target_from_the_vpns_attachment(
    tgw_paths: tuple[dict[str, Any], VpnReachabilityPaths],
) -> None:
    template, _ = tgw_paths
    facts = logical_id_containing(template, "Custom::SiteToSiteVpnFacts", "Facts")
    address, eni, instance = _paths(template)
    # The attachment id: the last packed field of the VPN's own facts resource.
    for path in (address, eni, instance):
        assert json.dumps(path["Source"]).count(facts) == 1
        assert "Fn::Select" in path["Source"]
    assert address["Protocol"] == "tcp"
    assert address["FilterAtSource"] == {
        "DestinationAddress": "10.0.1.25",
        "DestinationPortRange": {"FromPort": 443, "ToPort": 443},
    }
    assert "Destination" not in address
    assert (eni["Destination"], eni["Protocol"], eni["DestinationPort"]) == (
        "eni-0123456789abcdef0",
        "udp",
        53,
    )
    assert (instance["Destination"], instance["DestinationPort"]) == ("i-0123456789abcdef0", 22)
    assert {"Key": VPN_NAME_TAG, "Value": "branch"} in instance["Tags"]


def test_path_ids_are_outputs_and_attributes(
    tgw_paths: tuple[dict[str, Any], VpnReachabilityPaths],
) -> None:
    template, paths = tgw_paths
    path_ids = sorted(resources_of_type(template, "AWS::EC2::NetworkInsightsPath"))
    outputs = [
        o
        for o in template["Outputs"].values()
        if "Network Insights path" in o.get("Description", "")
    ]
    assert sorted(o["Value"]["Fn::GetAtt"][0] for o in outputs) == path_ids
    assert {o["Value"]["Fn::GetAtt"][1] for o in outputs} == {"NetworkInsightsPathId"}
    assert len(paths.path_ids) == 3


def test_a_vgw_vpns_paths_start_at_the_gateway() -> None:
    stack = new_stack()
    vpn = build_vpn(stack, "Vpn", vpn_gateway=VGW)
    VpnReachabilityPaths.for_vpn(
        stack, "Reachability", vpn=vpn, reachability_targets=[ReachabilityTarget("10.0.1.25")]
    )
    (path,) = _paths(synth(stack))
    assert path["Source"] == VGW.vpn_gateway_id


def test_bad_targets_fail_at_synth_with_the_construct_path_all_together() -> None:
    stack = new_stack()
    with pytest.raises(ValidationError) as caught:
        VpnReachabilityPaths(
            stack,
            "Reachability",
            source="tgw-attach-0123456789abcdef0",
            vpn_name="branch",
            reachability_targets=[ReachabilityTarget("::1"), ReachabilityTarget("10.0.0.1", "x")],
        )
    message = str(caught.value)
    assert "TestStack/Reachability" in message
    assert "reachability_targets[0].destination = '::1'" in message
    assert "reachability_targets[1].protocol = 'x': must be tcp or udp" in message


def test_no_target_is_a_problem_not_an_empty_construct() -> None:
    with pytest.raises(ValidationError, match="at least one ReachabilityTarget"):
        VpnReachabilityPaths(
            new_stack(), "R", source="vgw-0123456789abcdef0", vpn_name="b", reachability_targets=[]
        )


# --- The sites file ------------------------------------------------------------------------


def test_sites_file_targets_load_with_their_defaults() -> None:
    doc = document(
        site(1, reachability_targets=[{"destination": "10.0.1.25"}]),
        site(2, reachability_targets=[{"destination": "i-0123456789abcdef0", "port": 22}]),
        site(3),
    )
    loaded = parse(doc)
    assert loaded.sites[0].reachability_targets == (ReachabilityTarget("10.0.1.25", "tcp", 443),)
    assert loaded.sites[1].reachability_targets == (
        ReachabilityTarget("i-0123456789abcdef0", "tcp", 22),
    )
    assert loaded.sites[2].reachability_targets == ()


def test_sites_file_bad_targets_are_named_by_site_and_field() -> None:
    doc = document(
        site(1, reachability_targets=[{"destination": "web-server"}]),
        site(2, reachability_targets=[{"destination": "10.0.1.25", "protocol": "icmp"}]),
        site(3, reachability_targets=[{"destination": "10.0.1.25", "port": 70000}]),
    )
    messages = problems_of(doc)
    assert any(
        "sites[0].reachability_targets[0].destination = 'web-server': must be an IPv4 address" in m
        for m in messages
    ), messages
    assert any("sites[1].reachability_targets[0].protocol" in m for m in messages), messages
    assert any("sites[2].reachability_targets[0].port" in m for m in messages), messages


@pytest.mark.slow
def test_a_site_stack_gets_its_sites_paths_only(tmp_path: Path) -> None:
    doc = document(site(1, reachability_targets=[{"destination": "10.0.1.25"}]), site(2))
    loaded = parse(doc, str(tmp_path / "sites.yaml"))
    app = new_app()
    built = build_stacks(app, loaded, resolve_lock(loaded, locked=False))
    templates = [synth(s) for s in built.site_stacks]
    paths = {
        k: v
        for t in templates
        for k, v in resources_of_type(t, "AWS::EC2::NetworkInsightsPath").items()
    }
    (key,) = paths
    assert key.startswith("site0001")
