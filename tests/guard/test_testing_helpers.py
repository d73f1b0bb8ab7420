"""``site_to_site_vpn.testing``: a stack missing from the baseline fails (opt-in for new ones),
and ``project_app`` gives a test the context ``cdk synth`` gives the app (cdk.json)."""

from __future__ import annotations

import json
from pathlib import Path

import aws_cdk as cdk
import pytest

from site_to_site_vpn.testing import (
    assert_no_replacements,
    find_app_dir,
    project_app,
    project_context,
)
from tests.guard.cfn import vpn_template, with_props, write_assembly

EAST = "aws://111111111111/us-east-1"


def test_stack_not_in_the_baseline_fails_naming_the_baselines_stacks(tmp_path: Path) -> None:
    baseline = write_assembly(tmp_path / "a", {"BranchVpn": (EAST, vpn_template())})
    with pytest.raises(
        AssertionError, match=r"stack stack is not in the baseline \(it has: BranchVpn\)"
    ):
        assert_no_replacements(baseline, {"stack": vpn_template()})


def test_new_stacks_is_the_explicit_opt_in(tmp_path: Path) -> None:
    baseline = write_assembly(tmp_path / "a", {"BranchVpn": (EAST, vpn_template())})
    current = {"BranchVpn": vpn_template(), "NewSite": vpn_template()}
    assert_no_replacements(baseline, current, new_stacks=["NewSite"])
    with pytest.raises(AssertionError, match="NewSite"):
        assert_no_replacements(baseline, current)


@pytest.mark.slow
def test_a_stack_is_matched_by_its_stack_name(tmp_path: Path) -> None:
    baseline = write_assembly(tmp_path / "a", {"VpnStack": (EAST, vpn_template())})
    app = cdk.App()
    stack = cdk.Stack(app, "VpnStack")
    cgw = vpn_template()["Resources"]["Cgw"]["Properties"]
    cdk.CfnResource(stack, "Cgw", type="AWS::EC2::CustomerGateway", properties=cgw)
    with pytest.raises(AssertionError, match="VpnStack/Tgw"):  # Tgw and Vpn are gone
        assert_no_replacements(baseline, stack)
    renamed = cdk.Stack(cdk.App(), "Renamed")
    with pytest.raises(AssertionError, match="stack Renamed is not in the baseline"):
        assert_no_replacements(baseline, renamed)


def test_one_template_against_one_stack_pairs_whatever_the_names(tmp_path: Path) -> None:
    path = tmp_path / "VpnStack.deployed.template.json"
    path.write_text(json.dumps(vpn_template()))
    assert_no_replacements(path, {"VpnStack": vpn_template()})
    with pytest.raises(AssertionError, match="StaticRoutesOnly"):
        assert_no_replacements(path, with_props(vpn_template(), "Vpn", StaticRoutesOnly=True))


def test_project_context_reads_cdk_json_like_the_cli(tmp_path: Path) -> None:
    (tmp_path / "cdk.json").write_text(
        json.dumps(
            {"app": "python app.py", "versionReporting": False, "context": {"@aws-cdk/x:y": True}}
        )
    )
    (tmp_path / "cdk.context.json").write_text(json.dumps({"lookup": 1, "@aws-cdk/x:y": False}))
    nested = tmp_path / "tests"
    nested.mkdir()
    assert find_app_dir(nested) == tmp_path
    context = project_context(nested)
    assert context["@aws-cdk/x:y"] is True  # cdk.json wins
    assert context["lookup"] == 1
    assert context["aws:cdk:enable-path-metadata"] is True
    assert context["aws:cdk:version-reporting"] is False


@pytest.mark.slow
def test_project_app_has_the_feature_flags(tmp_path: Path) -> None:
    flag = "@aws-cdk/aws-ec2:restrictDefaultSecurityGroup"
    (tmp_path / "cdk.json").write_text(json.dumps({"app": "x", "context": {flag: True}}))
    app = project_app(tmp_path)
    assert app.node.try_get_context(flag) is True
    stack = cdk.Stack(app, "S")
    cdk.CfnResource(stack, "Topic", type="AWS::SNS::Topic")
    template = app.synth().get_stack_by_name("S").template
    assert template["Resources"]["Topic"]["Metadata"]["aws:cdk:path"] == "S/Topic"


def test_no_cdk_json_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"no cdk\.json"):
        find_app_dir(tmp_path)
