"""``site_to_site_vpn.testing`` on real synthesized stacks: snapshots and assert_no_replacements."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_s3_assets as s3_assets
from syrupy.assertion import SnapshotAssertion

from site_to_site_vpn.testing import (
    UPDATE_ENV,
    assert_matches_snapshot_file,
    assert_no_replacements,
    normalized_snapshot,
    normalized_template,
)
from tests.guard.apps import BASELINE, VpnApp, build

Assembly = Callable[[VpnApp], Path]


def template(assembly: Assembly, spec: VpnApp) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((assembly(spec) / "VpnStack.template.json").read_text())
    return loaded


def with_cdk_churn(source: dict[str, Any]) -> dict[str, Any]:
    """What a CDK upgrade changes without any change of yours: hashes, metadata, bootstrap."""
    text = json.dumps(source).replace("/cdk-bootstrap/hnb659fds/version", "/cdk-bootstrap/x/v")
    churned: dict[str, Any] = json.loads(text)
    for resource in churned["Resources"].values():
        resource.setdefault("Metadata", {})["aws:cdk:path"] = "Moved/By/Upgrade"
    churned["Resources"]["CDKMetadata"] = {
        "Type": "AWS::CDK::Metadata",
        "Properties": {"Analytics": "v2:deflate64:abc"},
        "Condition": "CDKMetadataAvailable",
    }
    churned.setdefault("Conditions", {})["CDKMetadataAvailable"] = {"Fn::Equals": ["a", "a"]}
    churned["Rules"] = {"CheckBootstrapVersion": {"Assertions": [{"Assert": "changed"}]}}
    churned["Parameters"]["BootstrapVersion"]["Default"] = "/cdk-bootstrap/other/version"
    for resource in churned["Resources"].values():
        code = resource.get("Properties", {}).get("Code", {})
        if "S3Key" in code:
            code["S3Key"] = "f" * 64 + ".zip"
    return churned


def test_normalized_template_ignores_cdk_churn(assembly: Assembly) -> None:
    real = template(assembly, BASELINE)
    assert "BootstrapVersion" in real["Parameters"]
    assert normalized_template(with_cdk_churn(real)) == normalized_template(real)
    normalized = normalized_template(real)
    assert "Parameters" not in normalized
    assert "Rules" not in normalized


def test_asset_hashes_are_normalized(tmp_path: Path) -> None:
    """A user's stack with a file asset (the VPN stacks themselves have none: the facts
    provider's source is inline): a rebuilt asset changes only its hash."""
    source = tmp_path / "source"
    source.mkdir()
    (source / "handler.py").write_text("def handler(event, context):\n    return None\n")
    templates: list[dict[str, Any]] = []
    for content in ("# first build\n", "# second build\n"):
        (source / "build.txt").write_text(content)
        app = cdk.App(outdir=str(tmp_path / f"out-{len(templates)}"))
        stack = cdk.Stack(app, "UserStack")
        asset = s3_assets.Asset(stack, "Code", path=str(source))
        cdk.CfnOutput(stack, "Key", value=asset.s3_object_key)
        templates.append(app.synth().get_stack_by_name("UserStack").template)
    first, second = templates
    assert json.dumps(first) != json.dumps(second)
    assert "<asset-hash>" in json.dumps(normalized_template(first))
    assert normalized_template(first) == normalized_template(second)


def test_normalized_template_keeps_real_changes(assembly: Assembly) -> None:
    static = template(assembly, replace(BASELINE, static_routes=("10.20.0.0/16",)))
    assert normalized_template(static) != normalized_template(template(assembly, BASELINE))


def test_syrupy_snapshot_of_a_normalized_template(
    assembly: Assembly, snapshot: SnapshotAssertion
) -> None:
    assert normalized_snapshot(snapshot) == template(assembly, BASELINE)
    # The stored snapshot is the normalized form: CDK churn alone still matches it.
    assert normalized_snapshot(snapshot) == with_cdk_churn(template(assembly, BASELINE))


def test_plain_json_snapshot_file(
    assembly: Assembly, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "VpnStack.json"
    with pytest.raises(AssertionError, match="no snapshot"):
        assert_matches_snapshot_file(template(assembly, BASELINE), path)
    monkeypatch.setenv(UPDATE_ENV, "1")
    assert_matches_snapshot_file(template(assembly, BASELINE), path)
    monkeypatch.delenv(UPDATE_ENV)
    assert_matches_snapshot_file(with_cdk_churn(template(assembly, BASELINE)), path)
    asn = template(assembly, replace(BASELINE, amazon_side_asn=64513))
    with pytest.raises(AssertionError, match='AmazonSideAsn": 6451'):
        assert_matches_snapshot_file(asn, path)


@pytest.mark.parametrize(
    ("change", "type_name", "reason"),
    [
        (
            {"static_routes": ("10.20.0.0/16",)},
            "AWS::EC2::VPNConnection",
            "create-only StaticRoutesOnly",
        ),
        (
            {"customer_gateway_ip": "203.0.113.20"},
            "AWS::EC2::CustomerGateway",
            "create-only IpAddress",
        ),
        ({"amazon_side_asn": 64513}, "AWS::EC2::TransitGateway", "create-only AmazonSideAsn"),
        ({"vpn_construct_id": "OfficeVpn"}, "AWS::EC2::VPNConnection", "logical id moved"),
    ],
    ids=["static-routes-only", "customer-gateway-ip", "transit-gateway-asn", "moved-logical-id"],
)
def test_assert_no_replacements_names_each_offending_resource(
    assembly: Assembly, change: dict[str, Any], type_name: str, reason: str
) -> None:
    baseline = template(assembly, BASELINE)
    current = template(assembly, replace(BASELINE, **change))
    with pytest.raises(AssertionError) as raised:
        assert_no_replacements(baseline, current)
    line = next(x for x in str(raised.value).splitlines() if type_name in x)
    assert reason in line
    assert line.startswith("- stack/")


def test_assert_no_replacements_passes_tags_and_allowed(assembly: Assembly) -> None:
    baseline = template(assembly, BASELINE)
    assert_no_replacements(baseline, baseline)
    assert_no_replacements(baseline, template(assembly, replace(BASELINE, tags=(("a", "b"),))))
    static = template(assembly, replace(BASELINE, static_routes=("10.20.0.0/16",)))
    assert_no_replacements(baseline, static, allow=["BranchVpn232A6C20"])


def test_assert_no_replacements_takes_stacks_and_assemblies(assembly: Assembly) -> None:
    stack = build(replace(BASELINE, customer_gateway_ip="203.0.113.20"))
    with pytest.raises(AssertionError, match="IpAddress"):
        assert_no_replacements({"VpnStack": template(assembly, BASELINE)}, {"VpnStack": stack})
    with pytest.raises(AssertionError, match="AmazonSideAsn"):
        assert_no_replacements(
            assembly(BASELINE), assembly(replace(BASELINE, amazon_side_asn=64513))
        )
