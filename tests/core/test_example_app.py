"""The example app as users run it: compliance packs and cfn-lint on every template.

The example stack's snapshot lives in tests/hub/test_example_hub_stack.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest

from examples.example_stack import ExampleVpnStack
from tests.support import lint_problems, new_app, recommended_flags, synth

REPO = Path(__file__).resolve().parents[2]
# Both flag settings run app.py in this checkout (it may update the lock file): one worker.
pytestmark = pytest.mark.xdist_group("example-app")


@pytest.fixture(scope="module", params=[True, False], ids=["recommended-flags", "no-flags"])
def app_out(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """``python app.py`` as ``cdk synth`` runs it: the CLI hands the app cdk.json's context
    (the recommended feature flags) in ``CDK_CONTEXT_JSON``; without flags, an empty context. A
    cdk-nag finding would make it exit non-zero."""
    out = tmp_path_factory.mktemp("cdk.out")
    context = recommended_flags() if request.param else {}
    env = {
        **os.environ,
        "CDK_OUTDIR": str(out),
        "CDK_CONTEXT_JSON": json.dumps(context),
        "CDK_DISABLE_CLI_TELEMETRY": "true",
    }
    result = subprocess.run(
        [sys.executable, "app.py"], cwd=REPO, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return out


def test_example_app_has_no_unacknowledged_compliance_finding(app_out: Path) -> None:
    report = json.loads((app_out / "validation-report.json").read_text())
    failures = [
        violation
        for plugin in report["pluginReports"]
        for violation in plugin.get("violations", [])
    ]
    assert failures == []
    assert list(app_out.glob("*.template.json")), "the app synthesized no stack"


def test_every_example_template_passes_cfn_lint(app_out: Path) -> None:
    for path in sorted(app_out.glob("*.template.json")):
        template: dict[str, Any] = json.loads(path.read_text())
        assert not lint_problems(template), path.name


def test_example_vpn_has_two_fully_specified_tunnels() -> None:
    app = new_app()
    stack = ExampleVpnStack(
        app, "Example", env=cdk.Environment(account="111111111111", region="us-east-1")
    )
    template = synth(stack)
    vpns = [r for r in template["Resources"].values() if r["Type"] == "AWS::EC2::VPNConnection"]
    cgws = [r for r in template["Resources"].values() if r["Type"] == "AWS::EC2::CustomerGateway"]
    assert len(vpns) == 1
    assert len(cgws) == 1
    assert cgws[0]["Properties"]["IpAddress"] == "203.0.113.10"
    specs = vpns[0]["Properties"]["VpnTunnelOptionsSpecifications"]
    assert len(specs) == 2
    for spec in specs:
        for key in (
            "Phase1EncryptionAlgorithms",
            "Phase1DHGroupNumbers",
            "IKEVersions",
            "Phase2IntegrityAlgorithms",
            "Phase1LifetimeSeconds",
            "DPDTimeoutAction",
        ):
            assert key in spec


def test_readme_alarm_topic_arn_claims_hold(app_out: Path) -> None:
    """The monitoring guide: the sites app publishes the topic ARN as an SSM parameter (it has no
    ``AlarmTopicArn`` output); ``ExampleVpnStack`` outputs ``AlarmTopicArn``."""
    hub: dict[str, Any] = json.loads((app_out / "ExampleNetwork-Hub.template.json").read_text())
    names = {
        r["Properties"].get("Name")
        for r in hub["Resources"].values()
        if r["Type"] == "AWS::SSM::Parameter"
    }
    assert "/site-to-site-vpn/ExampleNetwork/alarm-topic-arn" in names
    assert "AlarmTopicArn" not in hub.get("Outputs", {})
    stack = ExampleVpnStack(
        new_app(), "Example", env=cdk.Environment(account="111111111111", region="us-east-1")
    )
    assert "AlarmTopicArn" in synth(stack)["Outputs"]
