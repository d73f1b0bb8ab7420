"""examples/pipeline: the CDK Pipelines app synthesizes under the compliance packs and cfn-lint,
and its pre-deploy step runs ``s2svpn guard`` with arguments the real CLI accepts."""

from __future__ import annotations

import importlib.util
import json
import shlex
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import cfnlint.api
import pytest

from site_to_site_vpn.cli import build_parser, main
from site_to_site_vpn.guard import read_stacks
from tests.support import REPO, TEST_ENV, new_app

#: cfn-lint findings on what aws-cdk's CodePipeline construct writes (not ours to change), each
#: accepted by rule and location only; any other finding fails.
ACCEPTED_LINT = {
    # aws-cdk adds an explicit DependsOn on the pipeline role next to its GetAtt: redundant,
    # harmless.
    ("W3005", "Resources/Pipeline9850B417/DependsOn/1"),
    # A style preference (Fn::Sub over Fn::Join) on the deploy action's RoleArn that aws-cdk
    # builds with Fn::Join; CloudFormation resolves both the same.
    ("E3703", "Resources/Pipeline9850B417/Properties/Stages/3/Actions/1/Configuration/RoleArn"),
}

EXAMPLE = REPO / "examples" / "pipeline"


def load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("pipeline_example", EXAMPLE / "pipeline.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def synthesized() -> tuple[Any, dict[str, Any], Path]:
    example = load_example()
    app = new_app()
    stack = example.VpnPipelineStack(app, "VpnPipeline", env=TEST_ENV)
    # cdk-nag (AwsSolutions, NIST 800-53 R5) runs in app.synth(): a finding raises.
    template = app.synth().get_stack_by_name(stack.stack_name).template
    matches = cfnlint.api.lint(json.dumps(template), regions=["us-east-1"])
    problems = {(m.rule.id, m.path_string) for m in matches if m.rule.id[0] in "EW"}
    assert problems <= ACCEPTED_LINT, sorted(problems - ACCEPTED_LINT)
    assert app.outdir is not None
    return stack, template, Path(app.outdir)


def guard_projects(template: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        r
        for r in template["Resources"].values()
        if r["Type"] == "AWS::CodeBuild::Project"
        and "s2svpn guard" in json.dumps(r["Properties"]["Source"]["BuildSpec"])
    ]


def test_pipeline_runs_the_guard_before_the_vpn_stage_deploys(
    synthesized: tuple[Any, dict[str, Any], Path],
) -> None:
    _, template, _ = synthesized
    (pipeline,) = [
        r for r in template["Resources"].values() if r["Type"] == "AWS::CodePipeline::Pipeline"
    ]
    (stage,) = [s for s in pipeline["Properties"]["Stages"] if s["Name"] == "Prod"]
    orders = {a["Name"]: a["RunOrder"] for a in stage["Actions"]}
    deploys = [order for name, order in orders.items() if name != "ReplacementGuard"]
    assert deploys, orders
    assert orders["ReplacementGuard"] < min(deploys)


def test_guard_step_arguments_are_the_clis_real_arguments(
    synthesized: tuple[Any, dict[str, Any], Path],
) -> None:
    stack, template, outdir = synthesized
    (project,) = guard_projects(template)
    buildspec = json.loads(project["Properties"]["Source"]["BuildSpec"])
    (command,) = [c for c in buildspec["phases"]["build"]["commands"] if "s2svpn guard" in c]
    argv = shlex.split(command)
    assert argv[0] == "s2svpn"
    args = build_parser().parse_args(argv[1:])
    vpn_stack = stack.node.find_child("Prod").vpn_stack
    assert args.baseline_from_stacks == [vpn_stack.stack_name]
    assert args.region == TEST_ENV.region
    assert args.current == "cdk.out"
    # The synthesized cdk.out (nested stage assembly) holds the stack the guard names.
    assert vpn_stack.stack_name in read_stacks(outdir)


def test_guard_step_may_only_read_the_stage_templates(
    synthesized: tuple[Any, dict[str, Any], Path],
) -> None:
    _, template, _ = synthesized
    statements = [
        s
        for r in template["Resources"].values()
        if r["Type"] == "AWS::IAM::Policy"
        for s in r["Properties"]["PolicyDocument"]["Statement"]
        if "cloudformation:GetTemplate" in json.dumps(s["Action"])
    ]
    (statement,) = statements
    assert statement["Action"] == "cloudformation:GetTemplate"
    assert ":stack/Prod-BranchVpn/*" in json.dumps(statement["Resource"])


def test_guard_reads_the_pipeline_assembly(
    synthesized: tuple[Any, dict[str, Any], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, _, outdir = synthesized
    assert main(["guard", "--baseline", str(outdir), "--current", str(outdir), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report["stacks"]) == {"VpnPipeline", "Prod-BranchVpn"}
