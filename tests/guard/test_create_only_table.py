"""The shipped create-only table is exactly what the installed cfn-lint's registry schemas say,
for every resource type they hold.

Rule: each type's registry schema ``createOnlyProperties`` ("Resource type schema", CloudFormation
CLI user guide: "properties that can only be specified on create; updating them replaces the
resource"), plus its ``replacementStrategy``. Regenerate with ``python -m tools.create_only_table``
when cfn-lint is upgraded.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

from tools.create_only_table import (
    REPO,
    TABLE_PATH,
    provider_types,
    render,
    schemas_dir,
    source_types,
    table_for,
)


def shipped() -> dict[str, object]:
    loaded: dict[str, object] = json.loads(TABLE_PATH.read_text())
    return loaded


def test_shipped_table_is_current_with_the_installed_cfn_lint_schemas() -> None:
    assert TABLE_PATH.read_text() == render(table_for()), "run python -m tools.create_only_table"


def test_table_holds_every_registry_type_not_only_ours() -> None:
    shipped_types = json.loads(TABLE_PATH.read_text())["resourceTypes"]
    assert set(shipped_types) == set(provider_types())
    assert len(shipped_types) >= 1800  # cfn-lint 1.58: 1,854 types
    assert source_types() <= set(shipped_types)
    # The issue's follow-on cases come from these types' schemas.
    assert "/properties/CidrBlock" in shipped_types["AWS::EC2::VPC"]["createOnlyProperties"]
    secret = shipped_types["AWS::SecretsManager::Secret"]["createOnlyProperties"]
    assert secret == ["/properties/Name"]
    attachment = shipped_types["AWS::EC2::TransitGatewayVpcAttachment"]["createOnlyProperties"]
    assert "/properties/SubnetIds" in attachment
    assert shipped_types["AWS::EC2::VPNConnection"]["replacementStrategy"] == "delete_then_create"


def test_source_scan_finds_the_l1_resources() -> None:
    found = source_types()
    assert {"AWS::EC2::VPNConnection", "AWS::EC2::CustomerGateway"} <= found
    assert "AWS::EC2::TransitGateway" in found


def test_a_disagreeing_schema_is_caught(tmp_path: Path) -> None:
    """Point the generator at a copy of the schemas with one property dropped: it must differ."""
    source = schemas_dir()
    provider = json.loads((source / "providers" / "us-east-1.json").read_text())
    (tmp_path / "providers").mkdir()
    (tmp_path / "resources").mkdir()
    (tmp_path / "providers" / "us-east-1.json").write_text(json.dumps(provider))
    for type_name, digest in provider.items():
        schema = json.loads((source / "resources" / f"{digest}.json").read_text())
        if type_name == "AWS::EC2::VPNConnection":
            schema["createOnlyProperties"].remove("/properties/StaticRoutesOnly")
        (tmp_path / "resources" / f"{digest}.json").write_text(json.dumps(schema))
    assert render(table_for(schemas=tmp_path)) != TABLE_PATH.read_text()


def test_guard_does_not_import_cfn_lint_or_cdk() -> None:
    """The guard runs from the table alone: no cfn-lint at run time, no aws_cdk in its modules."""
    guard_dir = REPO / "site_to_site_vpn" / "guard"
    for path in [*guard_dir.glob("*.py"), REPO / "site_to_site_vpn" / "cli" / "guard.py"]:
        text = path.read_text()
        assert "cfnlint" not in text, path
        assert "aws_cdk" not in text, path
    code = (
        "import sys; from site_to_site_vpn.guard import compare, load_table; load_table(); "
        "print('cfnlint' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    ).stdout
    assert out.strip() == "False"


def test_table_is_in_the_wheel(built_wheel: Path) -> None:
    with zipfile.ZipFile(built_wheel) as wheel:
        names = wheel.namelist()
        assert "site_to_site_vpn/guard/create_only.json" in names
        assert json.loads(wheel.read("site_to_site_vpn/guard/create_only.json")) == shipped()
