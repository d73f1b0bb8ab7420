"""The guard sees what CloudFormation sees: follow-on replacement through any type, conditions,
values after intrinsic functions resolve. Each test cites its rule (URLs in tests/guard/cfn.py).
"""

from __future__ import annotations

import copy
from typing import Any

from site_to_site_vpn.guard import ChangeKind, GuardReport, StackTemplate, compare
from site_to_site_vpn.guard.report import summary
from tests.guard.cfn import CGW, VPN, vpn_template, with_props


def run(old: dict[str, Any], new: dict[str, Any], **kw: Any) -> GuardReport:
    return compare({"S": old}, {"S": new}, **kw)


def kinds(report: GuardReport) -> dict[str, tuple[str, bool]]:
    """logical id -> (change, certain)."""
    return {f.logical_id: (f.kind.value, f.certain) for f in report.findings}


# --- follow-on replacement through any registry type (UPDATE_BEHAVIORS + registry schemas) ----


def _with_vpc(cidr: str, remote: Any) -> dict[str, Any]:
    template = vpn_template()
    template["Resources"]["Vpc"] = {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": cidr}}
    return with_props(template, "Vpn", RemoteIpv4NetworkCidr=remote)


def test_replaced_vpc_feeding_remote_cidr_by_getatt_replaces_the_vpn() -> None:
    """AWS::EC2::VPC schema: CidrBlock is create-only; VPNConnection: RemoteIpv4NetworkCidr too."""
    remote = {"Fn::GetAtt": ["Vpc", "CidrBlock"]}
    report = run(_with_vpc("10.0.0.0/16", remote), _with_vpc("10.1.0.0/16", remote))
    assert kinds(report)["Vpc"] == ("replace", True)
    assert kinds(report)["Vpn"] == ("replace", True)
    assert [f.logical_id for f in report.blocked] == ["Vpn"]
    vpn = next(f for f in report.findings if f.logical_id == "Vpn")
    assert "RemoteIpv4NetworkCidr refers to Vpc" in vpn.reason


def test_follow_on_through_fn_sub_and_string_getatt() -> None:
    for remote in ({"Fn::Sub": "${Vpc.CidrBlock}"}, {"Fn::GetAtt": "Vpc.CidrBlock"}):
        report = run(_with_vpc("10.0.0.0/16", remote), _with_vpc("10.1.0.0/16", remote))
        assert kinds(report)["Vpn"] == ("replace", True), remote


def test_replaced_certificate_replaces_the_customer_gateway() -> None:
    """AWS::CertificateManager::Certificate schema: DomainName create-only; CGW CertificateArn."""

    def template(domain: str) -> dict[str, Any]:
        base = vpn_template()
        base["Resources"]["Cert"] = {
            "Type": "AWS::CertificateManager::Certificate",
            "Properties": {"DomainName": domain},
        }
        return with_props(base, "Cgw", CertificateArn={"Ref": "Cert"})

    report = run(template("vpn.example.com"), template("vpn2.example.com"))
    assert kinds(report)["Cgw"] == ("replace", True)
    assert {f.logical_id for f in report.blocked} == {"Cgw"}


def test_transitive_chain_vpc_subnet_attachment_vpn() -> None:
    """Three hops: VPC CidrBlock -> Subnet VpcId -> TGW attachment SubnetIds -> VPN's
    TransportTransitGatewayAttachmentId (each create-only in its registry schema)."""

    def template(cidr: str) -> dict[str, Any]:
        base = vpn_template()
        res = base["Resources"]
        res["Vpc"] = {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": cidr}}
        res["Subnet"] = {
            "Type": "AWS::EC2::Subnet",
            "Properties": {"VpcId": {"Ref": "Vpc"}, "CidrBlock": "10.0.0.0/24"},
        }
        res["Attach"] = {
            "Type": "AWS::EC2::TransitGatewayVpcAttachment",
            "Properties": {
                "TransitGatewayId": {"Ref": "Tgw"},
                "VpcId": "vpc-1",
                "SubnetIds": [{"Ref": "Subnet"}],
            },
        }
        return with_props(
            base, "Vpn", TransportTransitGatewayAttachmentId={"Fn::GetAtt": ["Attach", "Id"]}
        )

    report = run(template("10.0.0.0/16"), template("10.9.0.0/16"))
    found = kinds(report)
    assert found["Subnet"] == found["Attach"] == found["Vpn"] == ("replace", True)


def test_tgw_vpc_attachment_new_subnet_ids_is_a_replacement() -> None:
    def template(subnets: list[str]) -> dict[str, Any]:
        base = vpn_template()
        base["Resources"]["Attach"] = {
            "Type": "AWS::EC2::TransitGatewayVpcAttachment",
            "Properties": {
                "TransitGatewayId": {"Ref": "Tgw"},
                "VpcId": "vpc-1",
                "SubnetIds": subnets,
            },
        }
        return base

    report = run(template(["subnet-1"]), template(["subnet-1", "subnet-2"]))
    assert kinds(report)["Attach"] == ("replace", True)
    assert not report.blocked  # not a protected type: counted, not blocking


def test_secret_name_change_replaces_the_secret() -> None:
    """AWS::SecretsManager::Secret schema: Name is its only create-only property."""
    base = vpn_template()
    base["Resources"]["Psk"] = {
        "Type": "AWS::SecretsManager::Secret",
        "Properties": {"Name": "vpn/psk", "Description": "a"},
    }
    described = with_props(base, "Psk", Description="b")
    assert "Psk" not in kinds(run(base, described))
    assert kinds(run(base, with_props(base, "Psk", Name="vpn/psk2")))["Psk"] == ("replace", True)


def test_reference_to_a_moved_resource_replaces_the_referrer() -> None:
    """A moved logical id is a new physical resource: a create-only Ref to it changes."""
    old = _with_vpc("10.0.0.0/16", {"Fn::GetAtt": ["Vpc", "CidrBlock"]})
    new = copy.deepcopy(old)
    new["Resources"]["Network"] = new["Resources"].pop("Vpc")
    new["Resources"]["Vpn"]["Properties"]["RemoteIpv4NetworkCidr"] = {
        "Fn::GetAtt": ["Network", "CidrBlock"]
    }
    found = kinds(run(old, new))
    assert found["Vpn"] == ("replace", True)
    assert found["Vpc"] == ("delete", True)


# --- conditions (CONDITIONS, CONDITION_FUNCTIONS) ---------------------------------------------


def _conditional(condition: Any, *, on: str = "Vpn") -> dict[str, Any]:
    template = vpn_template(Conditions={"Enabled": condition})
    template["Resources"][on]["Condition"] = "Enabled"
    return template


def test_resource_whose_condition_turns_false_is_deleted() -> None:
    old = _conditional({"Fn::Equals": ["prod", "prod"]})
    new = _conditional({"Fn::Equals": ["prod", "test"]})
    report = run(old, new)
    assert kinds(report)["Vpn"] == ("delete", True)
    assert "Condition Enabled is false" in report.blocked[0].reason


def test_and_or_not_and_condition_references_are_evaluated() -> None:
    params = {"Parameters": {"Env": {"Type": "String", "Default": "prod"}}}

    def template(expected: str) -> dict[str, Any]:
        t = _conditional(
            {
                "Fn::And": [
                    {"Fn::Not": [{"Fn::Equals": [{"Ref": "Env"}, "dev"]}]},
                    {"Fn::Or": [{"Condition": "IsExpected"}, {"Fn::Equals": ["a", "b"]}]},
                ]
            }
        )
        t["Conditions"]["IsExpected"] = {"Fn::Equals": [{"Ref": "Env"}, expected]}
        return {**t, **params}

    assert kinds(run(template("prod"), template("prod"))) == {}
    assert kinds(run(template("prod"), template("staging")))["Vpn"] == ("delete", True)


def test_resource_off_in_the_baseline_is_not_deleted() -> None:
    off = _conditional({"Fn::Equals": ["a", "b"]})
    on = vpn_template()
    assert kinds(run(off, on)) == {}  # created, nothing replaced
    removed = copy.deepcopy(off)
    del removed["Resources"]["Vpn"]
    assert kinds(run(off, removed)) == {}


def test_fn_if_flip_in_a_create_only_property_replaces() -> None:
    def template(flag: str) -> dict[str, Any]:
        t = vpn_template(Conditions={"Static": {"Fn::Equals": [flag, "yes"]}})
        return with_props(t, "Vpn", StaticRoutesOnly={"Fn::If": ["Static", True, False]})

    assert kinds(run(template("yes"), template("yes"))) == {}
    assert kinds(run(template("no"), template("no"))) == {}
    report = run(template("no"), template("yes"))
    assert kinds(report)["Vpn"] == ("replace", True)
    assert report.exit_code == 1


def test_fn_if_with_no_value_equals_the_property_left_out() -> None:
    t = vpn_template(Conditions={"Never": {"Fn::Equals": ["a", "b"]}})
    new = with_props(
        t, "Vpn", EnableAcceleration={"Fn::If": ["Never", True, {"Ref": "AWS::NoValue"}]}
    )
    assert kinds(run(vpn_template(), new)) == {}


def test_pseudo_parameters_come_from_the_assembly_environment() -> None:
    """PSEUDO_PARAMETERS: AWS::Region is the stack's region (manifest environment)."""

    def stack(template: dict[str, Any], region: str) -> StackTemplate:
        return StackTemplate(
            name="S", template=template, source="t", account="111111111111", region=region
        )

    template = _conditional({"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]})
    same = compare({"S": stack(template, "us-east-1")}, {"S": stack(template, "us-east-1")})
    assert same.findings == ()
    unknown = compare({"S": template}, {"S": template})
    assert unknown.findings == ()  # undecidable, but the same on both sides


def test_undecidable_condition_is_may_delete_a_warning_and_strict_blocks() -> None:
    params = {"Parameters": {"Env": {"Type": "String"}}}  # no Default: the template cannot say
    old = vpn_template()
    new = {**_conditional({"Fn::Equals": [{"Ref": "Env"}, "prod"]}), **params}
    report = run(old, new)
    finding = next(f for f in report.findings if f.logical_id == "Vpn")
    assert finding.kind is ChangeKind.DELETE
    assert not finding.certain
    assert finding.unresolved
    assert "Env" in finding.unresolved
    assert report.exit_code == 0
    assert finding.warning
    assert "may be replaced or deleted" in summary(report)
    strict = run(old, new, strict=True)
    assert strict.exit_code == 1
    assert strict.blocked[0].logical_id == "Vpn"


def test_undecidable_fn_if_in_a_create_only_property_is_may_replace() -> None:
    params = {"Parameters": {"Mode": {"Type": "String"}}}
    cond = {"IsStatic": {"Fn::Equals": [{"Ref": "Mode"}, "static"]}}
    new = with_props(
        {**vpn_template(Conditions=cond), **params},
        "Vpn",
        StaticRoutesOnly={"Fn::If": ["IsStatic", True, False]},
    )
    report = run(vpn_template(), new)
    assert kinds(report)["Vpn"] == ("replace", False)
    assert report.exit_code == 0
    assert run(vpn_template(), new, strict=True).exit_code == 1


# --- values compared after intrinsic functions resolve (INTRINSICS, CDK_DEPLOY) ---------------


def test_getatt_string_and_list_forms_are_the_same_value() -> None:
    old = _with_vpc("10.0.0.0/16", {"Fn::GetAtt": ["Vpc", "CidrBlock"]})
    new = _with_vpc("10.0.0.0/16", {"Fn::GetAtt": "Vpc.CidrBlock"})
    assert kinds(run(old, new)) == {}


def test_join_and_sub_of_literals_equal_the_old_literal() -> None:
    base = vpn_template()
    joined = with_props(base, "Cgw", IpAddress={"Fn::Join": [".", ["203", "0", "113", "10"]]})
    subbed = with_props(base, "Cgw", IpAddress={"Fn::Sub": ["203.0.${X}.10", {"X": "113"}]})
    assert kinds(run(base, joined)) == {}
    assert kinds(run(base, subbed)) == {}
    changed = with_props(base, "Cgw", IpAddress={"Fn::Join": ["", ["203.0.113.", "20"]]})
    assert kinds(run(base, changed))["Cgw"] == ("replace", True)


def test_ref_to_a_parameter_whose_default_is_the_literal_is_no_change() -> None:
    params = {"Parameters": {"Ip": {"Type": "String", "Default": "203.0.113.10"}}}
    new = {**with_props(vpn_template(), "Cgw", IpAddress={"Ref": "Ip"}), **params}
    assert kinds(run(vpn_template(), new)) == {}


def test_number_and_its_string_are_the_same_value() -> None:
    new = with_props(vpn_template(), "Cgw", BgpAsn="65010")
    assert kinds(run(vpn_template(), new)) == {}


def test_changed_parameter_default_is_may_replace_cdk_deploy_keeps_the_previous_value() -> None:
    """CDK_DEPLOY: --previous-parameters (default) keeps an existing parameter's value."""

    def template(default: str) -> dict[str, Any]:
        params = {"Parameters": {"Ip": {"Type": "String", "Default": default}}}
        return {**with_props(vpn_template(), "Cgw", IpAddress={"Ref": "Ip"}), **params}

    report = run(template("203.0.113.10"), template("203.0.113.20"))
    finding = next(f for f in report.findings if f.logical_id == "Cgw")
    assert not finding.certain
    assert "cdk deploy keeps the previous value" in str(finding.unresolved)
    assert report.exit_code == 0


def test_literal_replaced_by_a_reference_may_replace() -> None:
    base = vpn_template()
    base["Resources"]["Other"] = {"Type": CGW, "Properties": {"IpAddress": "198.51.100.1"}}
    new = with_props(base, "Cgw", IpAddress={"Fn::GetAtt": ["Other", "IpAddress"]})
    assert kinds(run(base, new))["Cgw"] == ("replace", False)


# --- the summary and rename matching ----------------------------------------------------------


def test_summary_counts_allowed_replacements() -> None:
    new = with_props(vpn_template(), "Vpn", StaticRoutesOnly=True)
    report = run(vpn_template(), new, allow=["Vpn"])
    assert report.exit_code == 0
    line = summary(report)
    assert "ALLOWED: 1" in line
    assert "S/Vpn" in line
    assert not line.startswith("SAFE")
    assert report.to_json()["allowed"] == ["S/Vpn"]


def test_rename_chain_is_matched_link_by_link() -> None:
    """Each resource refers to the next; every id renamed: each is a move, in dependency order."""
    n = 60

    def chain(prefix: str) -> dict[str, Any]:
        resources: dict[str, Any] = {}
        for i in range(n):
            props: dict[str, Any] = {"IpAddress": f"198.51.100.{i}", "BgpAsn": 65000}
            if i + 1 < n:
                props["DeviceName"] = {"Ref": f"{prefix}{i + 1}"}
            resources[f"{prefix}{i}"] = {"Type": CGW, "Properties": props}
        return {"Resources": resources}

    report = run(chain("Old"), chain("New"))
    moved = {f.logical_id: f.moved_to for f in report.findings}
    assert moved == {f"Old{i}": f"New{i}" for i in range(n)}


def test_vpn_type_and_cgw_names_are_the_registry_types() -> None:
    assert VPN == "AWS::EC2::VPNConnection"
    assert CGW == "AWS::EC2::CustomerGateway"


def test_literal_vs_a_value_built_from_an_unknown_pseudo_parameter_may_replace() -> None:
    """PSEUDO_PARAMETERS: an environment-agnostic stack's AWS::Region is known at deploy time."""
    name = {"Fn::Sub": "${AWS::Region}-branch"}
    base = vpn_template()
    old = with_props(base, "Cgw", DeviceName="us-east-1-branch")
    new = with_props(base, "Cgw", DeviceName=name)
    finding = next(f for f in run(old, new).findings if f.logical_id == "Cgw")
    assert not finding.certain
    assert "AWS::Region" in str(finding.unresolved)
    east = StackTemplate(name="S", template=new, source="t", region="us-east-1")
    assert compare({"S": old}, {"S": east}).findings == ()  # resolved from the environment


def test_ssm_parameter_type_default_is_a_name_not_the_value() -> None:
    """An AWS::SSM::Parameter::Value<String> parameter's Default names the SSM parameter; the
    value is read from Systems Manager at deploy time (CloudFormation "SSM parameter types")."""
    params = {
        "Parameters": {
            "Ip": {"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/vpn/berlin/ip"}
        }
    }
    new = {**with_props(vpn_template(), "Cgw", IpAddress={"Ref": "Ip"}), **params}
    finding = next(f for f in run(vpn_template(), new).findings if f.logical_id == "Cgw")
    assert not finding.certain  # not "replaced by the string /vpn/berlin/ip"
    assert run(new, new).findings == ()


def test_a_side_without_environment_takes_the_paired_stacks() -> None:
    """A deployed template (GetTemplate) has no manifest: it is the stack the assembly names."""
    template = with_props(vpn_template(), "Cgw", DeviceName={"Fn::Sub": "${AWS::Region}-branch"})
    east = StackTemplate(name="S", template=template, source="t", region="us-east-1")
    assert compare({"S": template}, {"S": east}).findings == ()
