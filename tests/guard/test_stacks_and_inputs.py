"""Nested stacks, stacks as (account, region, name), pipeline stages, and malformed input.

Rules: NESTED_STACKS (updating the parent updates each nested stack; a nested stack resource
deleted deletes its stack), CLOUD_ASSEMBLY (a stack artifact's environment), and the project's
"a CLI error is one line and an exit code" (URLs in tests/guard/cfn.py).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from site_to_site_vpn.cli import main
from site_to_site_vpn.guard import compare, read_stacks
from tests.guard.cfn import nested_stack, vpn_template, with_props, write_assembly

EAST = "aws://111111111111/us-east-1"
WEST = "aws://111111111111/eu-west-1"


def guard(
    capsys: pytest.CaptureFixture[str], base: Path, current: Path, *extra: str
) -> tuple[int, dict[str, Any]]:
    code = main(["guard", "--baseline", str(base), "--current", str(current), "--json", *extra])
    out = capsys.readouterr().out
    return code, json.loads(out)


def _parent(nested_id: str = "NetworkNested", **params: Any) -> dict[str, Any]:
    return {"Resources": {nested_id: nested_stack("Network.nested.template.json", **params)}}


def _nested_vpn_replaced(tmp_path: Path) -> tuple[Path, Path]:
    """A parent with one nested stack whose VPN becomes static (replaced), before and after."""
    nested = "Network.nested.template.json"
    changed = with_props(vpn_template(), "Vpn", StaticRoutesOnly=True)
    return (
        write_assembly(
            tmp_path / "a", {"Parent": (EAST, _parent())}, nested={nested: vpn_template()}
        ),
        write_assembly(tmp_path / "b", {"Parent": (EAST, _parent())}, nested={nested: changed}),
    )


def test_vpn_replaced_inside_a_nested_stack_blocks_under_the_parents_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base, current = _nested_vpn_replaced(tmp_path)
    code, report = guard(capsys, base, current)
    assert code == 1
    assert report["blocked"] == ["Parent/NetworkNested/Vpn"]


def test_nested_stack_whose_logical_id_moves_deletes_what_it_holds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nested = {"Network.nested.template.json": vpn_template()}
    base = write_assembly(tmp_path / "a", {"Parent": (EAST, _parent())}, nested=nested)
    current = write_assembly(
        tmp_path / "b", {"Parent": (EAST, _parent("NetworkNestedV2"))}, nested=nested
    )
    code, report = guard(capsys, base, current)
    assert code == 1
    assert sorted(report["blocked"]) == [
        "Parent/NetworkNested/Cgw",
        "Parent/NetworkNested/Tgw",
        "Parent/NetworkNested/Vpn",
    ]


def test_parent_resource_replaced_feeds_a_nested_create_only_property(tmp_path: Path) -> None:
    def parent(cidr: str) -> dict[str, Any]:
        template = _parent(VpcCidr={"Fn::GetAtt": ["Vpc", "CidrBlock"]})
        template["Resources"]["Vpc"] = {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": cidr}}
        return template

    inner = with_props(vpn_template(), "Vpn", RemoteIpv4NetworkCidr={"Ref": "VpcCidr"})
    inner["Parameters"] = {"VpcCidr": {"Type": "String"}}
    nested = {"Network.nested.template.json": inner}
    base = read_stacks(
        write_assembly(tmp_path / "a", {"P": (EAST, parent("10.0.0.0/16"))}, nested=nested)
    )
    same = read_stacks(
        write_assembly(tmp_path / "c", {"P": (EAST, parent("10.0.0.0/16"))}, nested=nested)
    )
    moved = read_stacks(
        write_assembly(tmp_path / "b", {"P": (EAST, parent("10.1.0.0/16"))}, nested=nested)
    )
    assert compare(base, same).findings == ()
    report = compare(base, moved)
    assert [f"{f.stack}/{f.logical_id}" for f in report.blocked] == ["P/NetworkNested/Vpn"]


def test_same_stack_name_in_two_regions_is_two_stacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """CLOUD_ASSEMBLY: a stack is (account, region, name); a multi-region app is normal."""
    changed = with_props(vpn_template(), "Vpn", StaticRoutesOnly=True)
    base = write_assembly(
        tmp_path / "a", {"Vpn.east": (EAST, vpn_template()), "Vpn.west": (WEST, vpn_template())}
    )
    current = write_assembly(
        tmp_path / "b", {"Vpn.east": (EAST, vpn_template()), "Vpn.west": (WEST, changed)}
    )
    code, report = guard(capsys, base, current)
    assert code == 1
    assert report["stacks"] == ["111111111111/eu-west-1/Vpn", "111111111111/us-east-1/Vpn"]
    assert report["blocked"] == ["111111111111/eu-west-1/Vpn/Vpn"]


def test_stack_moved_to_another_region_is_not_compared_with_the_old_one(tmp_path: Path) -> None:
    base = read_stacks(write_assembly(tmp_path / "a", {"Vpn": (EAST, vpn_template())}))
    changed = with_props(vpn_template(), "Vpn", StaticRoutesOnly=True)
    current = read_stacks(write_assembly(tmp_path / "b", {"Vpn": (WEST, changed)}))
    report = compare(base, current)
    assert report.stacks == ()
    assert any("new stack" in note for note in report.notes)
    assert any("only in the baseline" in note for note in report.notes)


def test_pipeline_stages_are_compared_pairwise(tmp_path: Path) -> None:
    """Two stages (nested assemblies), each a stack; only Prod's VPN changes."""

    def pipeline(root: Path, prod: dict[str, Any]) -> Path:
        write_assembly(root / "assembly-Beta", {"Beta-Vpn": (EAST, vpn_template())})
        write_assembly(root / "assembly-Prod", {"Prod-Vpn": (WEST, prod)})
        manifest = {
            "version": "48.0.0",
            "artifacts": {
                stage: {"type": "cdk:cloud-assembly", "properties": {"directoryName": stage}}
                for stage in ("assembly-Beta", "assembly-Prod")
            },
        }
        (root / "manifest.json").write_text(json.dumps(manifest))
        return root

    base = read_stacks(pipeline(tmp_path / "a", vpn_template()))
    current = read_stacks(
        pipeline(tmp_path / "b", with_props(vpn_template(), "Vpn", StaticRoutesOnly=True))
    )
    report = compare(base, current)
    assert report.stacks == ("Beta-Vpn", "Prod-Vpn")
    assert [f"{f.stack}/{f.logical_id}" for f in report.blocked] == ["Prod-Vpn/Vpn"]


MALFORMED_TEMPLATES = {
    "resource-not-object": {"Resources": {"Vpn": "AWS::EC2::VPNConnection"}},
    "resources-list": {"Resources": []},
    "template-list": [],
    "properties-list": {
        "Resources": {"Vpn": {"Type": "AWS::EC2::VPNConnection", "Properties": []}}
    },
    "no-type": {"Resources": {"Vpn": {"Properties": {}}}},
    "conditions-list": {"Resources": {}, "Conditions": []},
    "condition-not-name": {"Resources": {"Vpn": {"Type": "AWS::SNS::Topic", "Condition": 1}}},
}


@pytest.mark.parametrize("case", sorted(MALFORMED_TEMPLATES))
def test_malformed_template_is_one_line_exit_2(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write_assembly(tmp_path / "a", {"Vpn": (EAST, vpn_template())})
    bad = write_assembly(tmp_path / "b", {"Vpn": (EAST, vpn_template())})
    (bad / "Vpn.template.json").write_text(json.dumps(MALFORMED_TEMPLATES[case]))
    code = main(["guard", "--baseline", str(good), "--current", str(bad)])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert "Vpn.template.json" in err


MALFORMED_MANIFESTS = {
    "artifact-not-object": {"artifacts": {"Vpn": "aws:cloudformation:stack"}},
    "artifacts-list": {"artifacts": []},
    "properties-list": {
        "artifacts": {"Vpn": {"type": "aws:cloudformation:stack", "properties": []}}
    },
    "template-file-number": {
        "artifacts": {
            "Vpn": {"type": "aws:cloudformation:stack", "properties": {"templateFile": 3}}
        }
    },
    "manifest-list": [],
}


@pytest.mark.parametrize("case", sorted(MALFORMED_MANIFESTS))
def test_malformed_manifest_is_one_line_exit_2(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write_assembly(tmp_path / "a", {"Vpn": (EAST, vpn_template())})
    bad = write_assembly(tmp_path / "b", {"Vpn": (EAST, vpn_template())})
    (bad / "manifest.json").write_text(json.dumps(MALFORMED_MANIFESTS[case]))
    code = main(["guard", "--baseline", str(good), "--current", str(bad)])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert "manifest.json" in err


def test_malformed_intrinsic_functions_do_not_crash(tmp_path: Path) -> None:
    weird = copy.deepcopy(vpn_template())
    props = weird["Resources"]["Vpn"]["Properties"]
    props["StaticRoutesOnly"] = {"Fn::If": ["OnlyTwo", True]}
    props["RemoteIpv4NetworkCidr"] = {"Fn::Join": "not-a-list"}
    props["LocalIpv4NetworkCidr"] = {"Fn::Sub": 42}
    props["Type"] = {"Fn::Select": ["9", ["ipsec.1"]]}
    props["EnableAcceleration"] = {"Fn::FindInMap": ["Nope", "a", "b"]}
    report = compare({"S": vpn_template()}, {"S": weird})
    vpn = next(f for f in report.findings if f.logical_id == "Vpn")
    assert not vpn.certain  # the template cannot say: a warning, not a crash


def test_missing_nested_template_is_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write_assembly(
        tmp_path / "a",
        {"Parent": (EAST, _parent())},
        nested={"Network.nested.template.json": vpn_template()},
    )
    bad = write_assembly(tmp_path / "b", {"Parent": (EAST, _parent())})
    code = main(["guard", "--baseline", str(good), "--current", str(bad)])
    err = capsys.readouterr().err
    assert code == 2
    assert "Network.nested.template.json: no such file" in err


def test_nested_output_of_a_replaced_resource_replaces_what_the_parent_feeds(
    tmp_path: Path,
) -> None:
    """NESTED_STACKS + UPDATE_BEHAVIORS: Fn::GetAtt Nested.Outputs.X changes when the resource
    behind the output is replaced inside the nested stack."""

    def inner(cidr: str) -> dict[str, Any]:
        return {
            "Resources": {"Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": cidr}}},
            "Outputs": {"Cidr": {"Value": {"Fn::GetAtt": ["Vpc", "CidrBlock"]}}},
        }

    parent = with_props(
        {"Resources": {**vpn_template()["Resources"], **_parent()["Resources"]}},
        "Vpn",
        RemoteIpv4NetworkCidr={"Fn::GetAtt": ["NetworkNested", "Outputs.Cidr"]},
    )
    nested_file = "Network.nested.template.json"
    base = read_stacks(
        write_assembly(
            tmp_path / "a", {"P": (EAST, parent)}, nested={nested_file: inner("10.0.0.0/16")}
        )
    )
    current = read_stacks(
        write_assembly(
            tmp_path / "b", {"P": (EAST, parent)}, nested={nested_file: inner("10.1.0.0/16")}
        )
    )
    report = compare(base, current)
    assert [f"{f.stack}/{f.logical_id}" for f in report.blocked] == ["P/Vpn"]
    assert "NetworkNested.Outputs.Cidr" in report.blocked[0].reason


def test_text_report_shows_nested_stack_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base, current = _nested_vpn_replaced(tmp_path)
    assert main(["guard", "--baseline", str(base), "--current", str(current)]) == 1
    out = capsys.readouterr().out
    assert "Parent/NetworkNested" in out
    assert "StaticRoutesOnly" in out
