"""``--baseline-from-stacks``: the baseline is what CloudFormation has deployed (GetTemplate).

Moto stands in for CloudFormation: it stores a stack's template and answers GetTemplate. Its
CloudFormation ignores VPN resources and cannot create a Transit Gateway without a Description, so
the "deployed" template is the customer gateway and VPN of the real synthesized app (moto is a
tool here, not an oracle: the replacement rules come from the registry schemas).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.server import ThreadedMotoServer

from site_to_site_vpn.cli import main
from tests.guard.apps import BASELINE, STACK_NAME, VpnApp
from tests.wheel import NODE_DIRS, REPO

Assembly = Callable[[VpnApp], Path]
REGION = "us-east-1"
DEPLOYED_TYPES = ("AWS::EC2::CustomerGateway", "AWS::EC2::VPNConnection")
FAKE_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


def deployable(cdk_out: Path) -> str:
    """The app's customer gateway and VPN, as the template body of a stack moto can create."""
    template = json.loads((cdk_out / f"{STACK_NAME}.template.json").read_text())
    resources = {k: v for k, v in template["Resources"].items() if v["Type"] in DEPLOYED_TYPES}
    assert len(resources) == 2
    return json.dumps({"Resources": resources})


def current_of(cdk_out: Path, tmp_path: Path, name: str) -> Path:
    """A template folder with the same two resources, so nothing else differs."""
    folder = tmp_path / name
    folder.mkdir()
    (folder / f"{STACK_NAME}.template.json").write_text(deployable(cdk_out))
    return folder


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for key, value in FAKE_CREDENTIALS.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    with mock_aws():
        yield boto3.client("cloudformation", region_name=REGION)


def guard(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, dict[str, Any]]:
    code = main(["guard", *map(str, args), "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_deployed_template_is_the_baseline(
    aws: Any, assembly: Assembly, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    aws.create_stack(StackName=STACK_NAME, TemplateBody=deployable(assembly(BASELINE)))
    read_back = aws.get_template(StackName=STACK_NAME)["TemplateBody"]
    assert set(read_back["Resources"]) == set(
        json.loads(deployable(assembly(BASELINE)))["Resources"]
    )

    same = current_of(assembly(BASELINE), tmp_path, "same")
    code, report = guard(
        capsys, "--baseline-from-stacks", STACK_NAME, "--region", REGION, "--current", same
    )
    assert (code, report["findings"]) == (0, [])

    static = current_of(assembly(replace(BASELINE, static_routes=("10.20.0.0/16",))), tmp_path, "s")
    code, report = guard(
        capsys, "--baseline-from-stacks", STACK_NAME, "--region", REGION, "--current", static
    )
    assert code == 1
    (finding,) = [f for f in report["findings"] if f["blocking"]]
    assert (finding["type"], finding["properties"]) == (
        "AWS::EC2::VPNConnection",
        ["StaticRoutesOnly"],
    )


def test_yaml_deployed_template(
    aws: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    body = (
        "Resources:\n  Cgw:\n    Type: AWS::EC2::CustomerGateway\n    Properties:\n"
        "      IpAddress: 203.0.113.10\n      BgpAsn: 65010\n      Type: ipsec.1\n"
        "  Vpn:\n    Type: AWS::EC2::VPNConnection\n    Properties:\n"
        "      Type: ipsec.1\n      CustomerGatewayId: !Ref Cgw\n      VpnGatewayId: vgw-1\n"
    )
    aws.create_stack(StackName="Yaml", TemplateBody=body)
    current = tmp_path / "current"
    current.mkdir()
    template = {
        "Resources": {
            "Cgw": {
                "Type": "AWS::EC2::CustomerGateway",
                "Properties": {"IpAddress": "203.0.113.10", "BgpAsn": 65010, "Type": "ipsec.1"},
            },
            "Vpn": {
                "Type": "AWS::EC2::VPNConnection",
                "Properties": {
                    "Type": "ipsec.1",
                    "CustomerGatewayId": {"Ref": "Cgw"},
                    "VpnGatewayId": "vgw-1",
                },
            },
        }
    }
    (current / "Yaml.template.json").write_text(json.dumps(template))
    code, report = guard(
        capsys, "--baseline-from-stacks", "Yaml", "--region", REGION, "--current", current
    )
    assert (code, report["findings"]) == (0, [])


def test_stack_not_deployed_yet_passes_with_a_note(
    aws: Any, assembly: Assembly, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report = guard(
        capsys,
        "--baseline-from-stacks",
        STACK_NAME,
        "--region",
        REGION,
        "--current",
        assembly(BASELINE),
    )
    assert code == 0
    assert f"{STACK_NAME}: not deployed yet, so nothing to replace" in report["notes"]


def test_named_stack_missing_from_current_is_a_usage_error(
    aws: Any, assembly: Assembly, capsys: pytest.CaptureFixture[str]
) -> None:
    current = str(assembly(BASELINE))
    code = main(
        ["guard", "--baseline-from-stacks", "Other", "--region", REGION, "--current", current]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip() == (
        f"s2svpn guard: stack Other not in {assembly(BASELINE)} (it has: {STACK_NAME})"
    )


def no_aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for key in list(os.environ):
        if key.startswith("AWS_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)


def test_no_region_is_one_line_exit_2(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    assembly: Assembly,
    capsys: pytest.CaptureFixture[str],
) -> None:
    no_aws_env(monkeypatch, tmp_path)
    code = main(
        ["guard", "--baseline-from-stacks", STACK_NAME, "--current", str(assembly(BASELINE))]
    )
    assert code == 2
    assert capsys.readouterr().err.strip() == (
        "s2svpn guard: no AWS region: pass --region or set AWS_REGION"
    )


def test_no_credentials_is_one_line_exit_2(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    assembly: Assembly,
    capsys: pytest.CaptureFixture[str],
) -> None:
    no_aws_env(monkeypatch, tmp_path)
    args = ["--baseline-from-stacks", STACK_NAME, "--region", REGION]
    code = main(["guard", *args, "--current", str(assembly(BASELINE))])
    assert code == 2
    assert capsys.readouterr().err.strip() == (
        "s2svpn guard: no AWS credentials found (environment, profile or instance role)"
    )


@pytest.fixture
def moto_server() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def test_cli_subprocess_against_moto_server(
    moto_server: str, assembly: Assembly, tmp_path: Path
) -> None:
    """The console script as a pipeline runs it, CloudFormation at AWS_ENDPOINT_URL (loopback)."""
    client = boto3.client(
        "cloudformation",
        region_name=REGION,
        endpoint_url=moto_server,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_stack(StackName=STACK_NAME, TemplateBody=deployable(assembly(BASELINE)))
    moved_ip = replace(BASELINE, customer_gateway_ip="203.0.113.20")
    current = current_of(assembly(moved_ip), tmp_path, "current")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
        **FAKE_CREDENTIALS,
        "AWS_ENDPOINT_URL": moto_server,
        "AWS_CONFIG_FILE": str(tmp_path / "no-config"),
        "PATH": os.pathsep.join([*map(str, NODE_DIRS), os.environ["PATH"]]),
    }
    done = subprocess.run(
        [
            *(sys.executable, "-m", "site_to_site_vpn.cli", "guard"),
            *("--baseline-from-stacks", STACK_NAME, "--region", REGION),
            *("--current", str(current), "--json"),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    (blocked,) = report["blocked"]
    assert blocked.startswith(f"{STACK_NAME}/BranchVpnCustomerGateway")
