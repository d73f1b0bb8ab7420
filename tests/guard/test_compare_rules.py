"""The guard's rules on small hand-written templates: each rule alone, each able to fail.

Create-only properties come from the shipped table (registry schemas); the templates here only
pick which property changes.
"""

from __future__ import annotations

from typing import Any

from site_to_site_vpn.guard import ChangeKind, compare, load_table
from site_to_site_vpn.guard.deployed import parse_template_body
from site_to_site_vpn.guard.table import parse_table

VPN = "AWS::EC2::VPNConnection"


def stack(**resources: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {"S": {"Resources": resources}}


def vpn(**props: Any) -> dict[str, Any]:
    base = {"Type": "ipsec.1", "CustomerGatewayId": {"Ref": "Cgw"}, "TransitGatewayId": "tgw-1"}
    return {"Type": VPN, "Properties": {**base, **props}}


def cgw(ip: str = "203.0.113.10", **extra: Any) -> dict[str, Any]:
    return {
        "Type": "AWS::EC2::CustomerGateway",
        "Properties": {"IpAddress": ip, "BgpAsn": 65010, "Type": "ipsec.1"},
        **extra,
    }


def test_adding_a_create_only_property_replaces_even_at_its_default() -> None:
    # "Understand update behaviors of stack resources": adding or removing a property that
    # requires replacement triggers it, even if the value is the same.
    report = compare(stack(Cgw=cgw(), Vpn=vpn()), stack(Cgw=cgw(), Vpn=vpn(StaticRoutesOnly=False)))
    assert [(f.logical_id, f.properties) for f in report.blocked] == [
        ("Vpn", ("StaticRoutesOnly",))
    ]


def test_in_place_property_change_is_not_a_replacement() -> None:
    tagged = vpn(Tags=[{"Key": "a", "Value": "b"}])
    report = compare(stack(Cgw=cgw(), Vpn=vpn()), stack(Cgw=cgw(), Vpn=tagged))
    assert report.exit_code == 0
    assert report.findings == ()


def test_type_change_is_a_replacement() -> None:
    report = compare(stack(X={"Type": "AWS::SNS::Topic"}), stack(X={"Type": "AWS::SQS::Queue"}))
    assert [f.kind for f in report.findings] == [ChangeKind.REPLACE]
    assert report.exit_code == 0  # not a VPN resource


def test_replacement_cascades_through_create_only_references() -> None:
    attachment = {"Type": "AWS::EC2::TransitGatewayRouteTable", "Properties": {}}
    old = stack(
        Tgw={"Type": "AWS::EC2::TransitGateway", "Properties": {"AmazonSideAsn": 64512}},
        Rt={**attachment, "Properties": {"TransitGatewayId": {"Ref": "Tgw"}}},
        Sub={**attachment, "Properties": {"TransitGatewayId": {"Fn::Sub": "${Tgw}"}}},
    )
    new = {"S": {"Resources": {**old["S"]["Resources"]}}}
    new["S"]["Resources"]["Tgw"] = {
        "Type": "AWS::EC2::TransitGateway",
        "Properties": {"AmazonSideAsn": 64513},
    }
    report = compare(old, new)
    assert {f.logical_id for f in report.findings if f.kind is ChangeKind.REPLACE} == {
        "Tgw",
        "Rt",
        "Sub",
    }
    assert [f.logical_id for f in report.blocked] == ["Tgw"]


def test_deletion_with_retain_is_a_warning_not_a_block() -> None:
    report = compare(stack(Cgw=cgw(DeletionPolicy="Retain")), stack())
    (finding,) = report.findings
    assert finding.kind is ChangeKind.RETAIN
    assert finding.warning
    assert report.exit_code == 0


def test_plain_deletion_blocks() -> None:
    report = compare(stack(Cgw=cgw()), stack())
    assert [f.kind for f in report.blocked] == [ChangeKind.DELETE]


def test_allow_matches_template_path_metadata() -> None:
    old = cgw(Metadata={"aws:cdk:path": "S/Site/CustomerGateway/Resource"})
    new = cgw("203.0.113.99", Metadata={"aws:cdk:path": "S/Site/CustomerGateway/Resource"})
    assert compare(stack(Cgw=old), stack(Cgw=new)).exit_code == 1
    assert compare(stack(Cgw=old), stack(Cgw=new), allow=["S/Site"]).exit_code == 0
    assert compare(stack(Cgw=old), stack(Cgw=new), allow=["S/Sit"]).exit_code == 1


def test_unknown_type_changes_are_not_guessed() -> None:
    old = stack(X={"Type": "Custom::Thing", "Properties": {"A": 1}})
    new = stack(X={"Type": "Custom::Thing", "Properties": {"A": 2}})
    assert compare(old, new).findings == ()


def test_wildcard_pointer_compares_every_list_item() -> None:
    table = parse_table(
        {"resourceTypes": {"T::T::T": {"createOnlyProperties": ["/properties/L/*/Id"]}}}
    )
    old = stack(X={"Type": "T::T::T", "Properties": {"L": [{"Id": 1, "N": 1}]}})
    same_ids = stack(X={"Type": "T::T::T", "Properties": {"L": [{"Id": 1, "N": 2}]}})
    new_ids = stack(X={"Type": "T::T::T", "Properties": {"L": [{"Id": 2, "N": 1}]}})
    assert compare(old, same_ids, table=table).findings == ()
    (finding,) = compare(old, new_ids, table=table).findings
    assert finding.properties == ("L/*/Id",)


def test_stacks_only_on_one_side_are_notes() -> None:
    report = compare({"Old": {"Resources": {}}}, {"New": {"Resources": {}}})
    assert report.stacks == ()
    assert any("Old: only in the baseline" in n for n in report.notes)
    assert any("New: new stack" in n for n in report.notes)


def test_yaml_template_bodies_with_short_forms() -> None:
    body = "Resources:\n  Vpn:\n    Type: AWS::EC2::VPNConnection\n    Properties:\n" + (
        "      CustomerGatewayId: !Ref Cgw\n      TransitGatewayId: !GetAtt Tgw.Id\n"
    )
    parsed = parse_template_body(body, "S")
    props = parsed["Resources"]["Vpn"]["Properties"]
    assert props == {
        "CustomerGatewayId": {"Ref": "Cgw"},
        "TransitGatewayId": {"Fn::GetAtt": ["Tgw", "Id"]},
    }


def test_shipped_table_has_the_vpn_rules_the_issue_names() -> None:
    # The values themselves are checked against cfn-lint's schemas in test_create_only_table.
    rule = load_table().rule(VPN)
    assert rule is not None
    assert rule.deletes_first
    assert "/properties/StaticRoutesOnly" in rule.create_only
    assert "/properties/VpnTunnelOptionsSpecifications" not in rule.create_only
