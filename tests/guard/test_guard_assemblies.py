"""``s2svpn guard`` over two cdk.out assemblies of a real SiteToSiteVpn app (issue 12 "done when").

Each case changes one thing in :mod:`tests.guard.apps` and runs the command as a user would
(``main([...])``), reading the JSON report and the exit code. Create-only properties are AWS's:
the registry schemas bundled with cfn-lint (AWS::EC2::VPNConnection: StaticRoutesOnly;
AWS::EC2::CustomerGateway: IpAddress; AWS::EC2::TransitGateway: AmazonSideAsn).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from site_to_site_vpn.cli import main
from tests.guard.apps import BASELINE, VpnApp

Assembly = Callable[[VpnApp], Path]


def guard(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, dict[str, Any]]:
    code = main(["guard", *map(str, args), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert report["exitCode"] == code
    return code, report


def findings(report: dict[str, Any], type_name: str, change: str) -> list[dict[str, Any]]:
    return [f for f in report["findings"] if f["type"] == type_name and f["change"] == change]


def only(items: list[dict[str, Any]]) -> dict[str, Any]:
    assert len(items) == 1, items
    return items[0]


def test_identical_assembly_passes(assembly: Assembly, capsys: pytest.CaptureFixture[str]) -> None:
    base = assembly(BASELINE)
    code, report = guard(capsys, "--baseline", base, "--current", base)
    assert code == 0
    assert report["findings"] == []
    assert report["stacks"] == ["VpnStack"]


def test_tag_only_change_passes(assembly: Assembly, capsys: pytest.CaptureFixture[str]) -> None:
    tagged = assembly(replace(BASELINE, tags=(("CostCenter", "network-42"),)))
    template = json.loads((tagged / "VpnStack.template.json").read_text())
    vpn = next(r for r in template["Resources"].values() if r["Type"] == "AWS::EC2::VPNConnection")
    assert {"Key": "CostCenter", "Value": "network-42"} in vpn["Properties"]["Tags"]
    code, report = guard(capsys, "--baseline", assembly(BASELINE), "--current", tagged)
    assert code == 0, report
    assert report["blocked"] == []
    assert not [f for f in report["findings"] if f["change"] in ("replace", "delete")]


def test_static_routes_only_change_blocks_and_names_the_vpn(
    assembly: Assembly, capsys: pytest.CaptureFixture[str]
) -> None:
    static = assembly(replace(BASELINE, static_routes=("10.20.0.0/16",)))
    code, report = guard(capsys, "--baseline", assembly(BASELINE), "--current", static)
    assert code == 1
    vpn = only(findings(report, "AWS::EC2::VPNConnection", "replace"))
    assert vpn["properties"] == ["StaticRoutesOnly"]
    assert vpn["blocking"] is True
    assert "VpnStack/BranchVpn/Resource" in vpn["paths"]
    assert "new tunnel outside IPs" in vpn["consequence"]
    assert "delete_then_create" in vpn["consequence"]
    assert report["blocked"] == [f"VpnStack/{vpn['logicalId']}"]


def test_customer_gateway_ip_change_blocks_and_names_the_gateway(
    assembly: Assembly, capsys: pytest.CaptureFixture[str]
) -> None:
    moved_ip = assembly(replace(BASELINE, customer_gateway_ip="203.0.113.20"))
    code, report = guard(capsys, "--baseline", assembly(BASELINE), "--current", moved_ip)
    assert code == 1
    cgw = only(findings(report, "AWS::EC2::CustomerGateway", "replace"))
    assert cgw["properties"] == ["IpAddress"]
    assert "renegotiate" in cgw["consequence"]
    # The VPN is not replaced (CustomerGatewayId is not create-only) but moves to the new
    # gateway in place, both tunnels down meanwhile ("tunnel endpoint replacements" guide).
    assert not findings(report, "AWS::EC2::VPNConnection", "replace")
    vpn = only(findings(report, "AWS::EC2::VPNConnection", "update"))
    assert vpn["properties"] == ["CustomerGatewayId"]
    assert vpn["warning"] is True
    assert report["blocked"] == [f"VpnStack/{cgw['logicalId']}"]


def test_transit_gateway_asn_change_blocks_and_names_the_transit_gateway(
    assembly: Assembly, capsys: pytest.CaptureFixture[str]
) -> None:
    new_asn = assembly(replace(BASELINE, amazon_side_asn=64513))
    code, report = guard(capsys, "--baseline", assembly(BASELINE), "--current", new_asn)
    assert code == 1
    tgw = only(findings(report, "AWS::EC2::TransitGateway", "replace"))
    assert tgw["properties"] == ["AmazonSideAsn"]
    assert "every attachment" in tgw["consequence"]
    # Its route table refers to it through a create-only TransitGatewayId: replaced too.
    table = only(findings(report, "AWS::EC2::TransitGatewayRouteTable", "replace"))
    assert tgw["logicalId"] in table["reason"]
    assert report["blocked"] == [f"VpnStack/{tgw['logicalId']}"]


def test_moved_logical_id_blocks_as_a_deletion(
    assembly: Assembly, capsys: pytest.CaptureFixture[str]
) -> None:
    moved = assembly(replace(BASELINE, vpn_construct_id="OfficeVpn"))
    code, report = guard(capsys, "--baseline", assembly(BASELINE), "--current", moved)
    assert code == 1
    vpn = only(findings(report, "AWS::EC2::VPNConnection", "delete"))
    assert vpn["logicalId"].startswith("BranchVpn232A6C20")
    assert vpn["movedTo"].startswith("OfficeVpn")
    assert "VpnStack/OfficeVpn/Resource" in vpn["paths"]
    cgw = only(findings(report, "AWS::EC2::CustomerGateway", "delete"))
    assert cgw["movedTo"].startswith("OfficeVpnCustomerGateway")
    assert set(report["blocked"]) == {
        f"VpnStack/{vpn['logicalId']}",
        f"VpnStack/{cgw['logicalId']}",
    }


def test_allow_by_logical_id_lets_the_named_replacement_through(
    assembly: Assembly, capsys: pytest.CaptureFixture[str]
) -> None:
    static = assembly(replace(BASELINE, static_routes=("10.20.0.0/16",)))
    _, blocked = guard(capsys, "--baseline", assembly(BASELINE), "--current", static)
    vpn_id = blocked["blocked"][0].split("/", 1)[1]
    code, report = guard(
        capsys, "--baseline", assembly(BASELINE), "--current", static, "--allow", vpn_id
    )
    assert code == 0
    vpn = only(findings(report, "AWS::EC2::VPNConnection", "replace"))
    assert vpn["allowed"] is True
    assert vpn["blocking"] is False
    assert report["unusedAllows"] == []


def test_allow_by_construct_path_covers_the_construct_and_nothing_else(
    assembly: Assembly, capsys: pytest.CaptureFixture[str]
) -> None:
    moved = assembly(replace(BASELINE, vpn_construct_id="OfficeVpn"))
    base = assembly(BASELINE)
    code, report = guard(
        capsys, "--baseline", base, "--current", moved, "--allow", "VpnStack/BranchVpn"
    )
    assert code == 0, report["blocked"]
    # A path names that construct's own resources, not a sibling with a longer name.
    code, report = guard(capsys, "--baseline", base, "--current", moved, "--allow", "VpnStack/Bra")
    assert code == 1
    assert report["unusedAllows"] == ["VpnStack/Bra"]


def test_allow_of_another_resource_still_blocks(
    assembly: Assembly, capsys: pytest.CaptureFixture[str]
) -> None:
    static = assembly(replace(BASELINE, static_routes=("10.20.0.0/16",)))
    code, report = guard(
        capsys,
        "--baseline",
        assembly(BASELINE),
        "--current",
        static,
        "--allow",
        "HubC5CB2B3F",
    )
    assert code == 1
    assert report["unusedAllows"] == ["HubC5CB2B3F"]


def test_one_tunnel_change_restarts_that_tunnel_only(
    assembly: Assembly, capsys: pytest.CaptureFixture[str]
) -> None:
    one = assembly(replace(BASELINE, tunnel1_phase1_lifetime=14_400))
    code, report = guard(capsys, "--baseline", assembly(BASELINE), "--current", one)
    assert code == 0
    vpn = only(findings(report, "AWS::EC2::VPNConnection", "update"))
    assert vpn["tunnels"] == [1]
    assert vpn["warning"] is False
    assert "tunnel 2 carries the traffic" in vpn["consequence"]


def test_both_tunnels_changed_in_one_deployment_warns(
    assembly: Assembly, capsys: pytest.CaptureFixture[str]
) -> None:
    both = assembly(
        replace(BASELINE, tunnel1_phase1_lifetime=14_400, tunnel2_phase1_lifetime=14_400)
    )
    code, report = guard(capsys, "--baseline", assembly(BASELINE), "--current", both)
    assert code == 0
    vpn = only(findings(report, "AWS::EC2::VPNConnection", "update"))
    assert vpn["tunnels"] == [1, 2]
    assert vpn["warning"] is True
    assert "one tunnel per deployment" in vpn["consequence"]


def test_text_report_names_the_property_and_the_verdict(
    assembly: Assembly, capsys: pytest.CaptureFixture[str]
) -> None:
    static = assembly(replace(BASELINE, static_routes=("10.20.0.0/16",)))
    code = main(["guard", "--baseline", str(assembly(BASELINE)), "--current", str(static)])
    out = capsys.readouterr().out
    assert code == 1
    assert "StaticRoutesOnly" in out
    assert "BranchVpn232A6C20" in out  # whole, never cut: --allow takes it
    assert "BLOCKED" in out


def test_template_folder_works_like_an_assembly(
    assembly: Assembly, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for name, spec in (("base", BASELINE), ("asn", replace(BASELINE, amazon_side_asn=64513))):
        (tmp_path / name).mkdir()
        source = assembly(spec) / "VpnStack.template.json"
        (tmp_path / name / "VpnStack.template.json").write_text(source.read_text())
    code, report = guard(capsys, "--baseline", tmp_path / "base", "--current", tmp_path / "asn")
    assert code == 1
    assert only(findings(report, "AWS::EC2::TransitGateway", "replace"))["logicalId"]
