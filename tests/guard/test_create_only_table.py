"""The shipped create-only table is exactly what the pinned cfn-lint's registry schemas say.

Regenerate with ``python -m tools.create_only_table`` when cfn-lint is upgraded or the library
emits a new resource type.
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
    emitted_types,
    render,
    schemas_dir,
    source_types,
    table_for,
)


def shipped() -> dict[str, object]:
    loaded: dict[str, object] = json.loads(TABLE_PATH.read_text())
    return loaded


def test_shipped_table_matches_the_pinned_cfn_lint_schemas() -> None:
    types = json.loads(TABLE_PATH.read_text())["resourceTypes"]
    assert TABLE_PATH.read_text() == render(table_for(types))


def test_table_covers_every_type_the_library_emits() -> None:
    shipped_types = set(json.loads(TABLE_PATH.read_text())["resourceTypes"])
    missing = emitted_types() - shipped_types
    assert not missing, f"regenerate with python -m tools.create_only_table: {sorted(missing)}"


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
    vpn_hash = provider["AWS::EC2::VPNConnection"]
    for type_name, digest in provider.items():
        schema = json.loads((source / "resources" / f"{digest}.json").read_text())
        if type_name == "AWS::EC2::VPNConnection":
            schema["createOnlyProperties"].remove("/properties/StaticRoutesOnly")
        if digest == vpn_hash or type_name in json.loads(TABLE_PATH.read_text())["resourceTypes"]:
            (tmp_path / "resources" / f"{digest}.json").write_text(json.dumps(schema))
    types = json.loads(TABLE_PATH.read_text())["resourceTypes"]
    assert render(table_for(types, tmp_path)) != TABLE_PATH.read_text()


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
