"""The deploy-time lookups as synthesized: the exact SDK calls, least-privilege IAM, no data in
the provider's logs, stack outputs, and reasoned cdk-nag acknowledgements at the narrowest scope."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import custom_resources as cr

from site_to_site_vpn import (
    CustomerGatewayProps,
    SiteToSiteVpn,
    TransitGatewayAttachmentLookup,
    TransitGatewayHub,
    TunnelOutsideIpLookup,
    VirtualPrivateGatewayReference,
)
from site_to_site_vpn.constructs.vpn_lookups import AWS_CUSTOM_RESOURCE_PROVIDER_ID
from tests.support import (
    build_hub,
    build_vpn,
    new_app,
    new_stack,
    resources_of_type,
    sdk_call,
    synth,
)
from tests.support import construct_logical_id as logical_id

PROVIDER_RULES = {
    "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
    "AWSLambdaBasicExecutionRole]",
    "NIST.800.53.R5-LambdaConcurrency",
    "NIST.800.53.R5-LambdaDLQ",
    "NIST.800.53.R5-LambdaInsideVPC",
}
POLICY_RULES = {"AwsSolutions-IAM5[Resource::*]", "NIST.800.53.R5-IAMNoInlinePolicy"}

# One worker builds the module's shared template (`pytest -n 2 --dist loadgroup`).
pytestmark = pytest.mark.xdist_group("hub-lookups")


@dataclass
class Built:
    stack: cdk.Stack
    template: dict[str, Any]
    outdir: Path
    hub: TransitGatewayHub
    tgw_vpn: SiteToSiteVpn
    vgw_vpn: SiteToSiteVpn
    outputs: tuple[cdk.CfnOutput, cdk.CfnOutput]

    def lookup(self, vpn: SiteToSiteVpn, child: str) -> dict[str, Any]:
        resource: dict[str, Any] = self.template["Resources"][self.lookup_id(vpn, child)]
        return resource

    def lookup_id(self, vpn: SiteToSiteVpn, child: str) -> str:
        custom = vpn.node.find_child(child).node.find_child("Resource")
        return logical_id(self.stack, custom.node.find_child("Resource").node.default_child)

    def vpn_id(self, vpn: SiteToSiteVpn) -> str:
        return f"<GetAtt:{logical_id(self.stack, vpn.vpn_connection)}.VpnConnectionId>"


def _user_custom_resource(stack: cdk.Stack) -> None:
    """A user's own AwsCustomResource, created first: the provider predates the VPN lookups."""
    user = cr.AwsCustomResource(
        stack,
        "UserLookup",
        on_create=cr.AwsSdkCall(
            service="EC2",
            action="describeRegions",
            physical_resource_id=cr.PhysicalResourceId.of("regions"),
        ),
        policy=cr.AwsCustomResourcePolicy.from_statements(
            [iam.PolicyStatement(actions=["ec2:DescribeRegions"], resources=["*"])]
        ),
        install_latest_aws_sdk=False,
        # Under the recommended flags (@aws-cdk/aws-lambda:useCdkManagedLogGroup) the first
        # AwsCustomResource decides the shared provider's log group; a user who creates it must
        # give an encrypted one, as this library's lookups do, or NIST 800-53 R5 refuses the app.
        log_group=logs.LogGroup(
            stack,
            "UserLookupLogs",
            retention=logs.RetentionDays.ONE_MONTH,
            encryption_key=kms.Key(stack, "UserLookupKey", enable_key_rotation=True),
        ),
    )
    policy = user.node.find_child("CustomResourcePolicy")
    for rule in (
        "AwsSolutions::AwsSolutions-IAM5[Resource::*]",
        "NIST.800.53.R5::NIST.800.53.R5-IAMNoInlinePolicy",
    ):
        cdk.Validations.of(policy).acknowledge(
            cdk.Acknowledgment(id=rule, reason="test fixture: DescribeRegions has no resource ARN")
        )


@pytest.fixture(scope="module", params=[True, False], ids=["recommended-flags", "no-flags"])
def built(request: pytest.FixtureRequest) -> Built:
    app = new_app(flags=request.param)
    stack = new_stack(app)
    _user_custom_resource(stack)
    hub = build_hub(stack, "onprem", "vpcs")
    tgw_vpn = build_vpn(stack, "TgwVpn", transit_gateway=hub)
    vgw_vpn = build_vpn(
        stack,
        "VgwVpn",
        vpn_gateway=VirtualPrivateGatewayReference(vpn_gateway_id="vgw-0123456789abcdef0"),
        customer_gateway=CustomerGatewayProps(ip_address="203.0.113.20", bgp_asn=65020),
    )
    first = tgw_vpn.transit_gateway_attachment_id
    assert tgw_vpn.transit_gateway_attachment_id == first  # cached: one lookup per VPN
    outputs = vgw_vpn.add_tunnel_outside_ip_outputs()
    assert vgw_vpn.add_tunnel_outside_ip_outputs() == outputs
    return Built(
        stack=stack,
        template=synth(stack),
        outdir=Path(app.outdir),
        hub=hub,
        tgw_vpn=tgw_vpn,
        vgw_vpn=vgw_vpn,
        outputs=outputs,
    )


def test_attachment_lookup_calls_describe_transit_gateway_attachments(built: Built) -> None:
    resource = built.lookup(built.tgw_vpn, "TransitGatewayAttachmentLookup")
    hub_id = f"<Ref:{logical_id(built.stack, built.hub.transit_gateway)}>"
    expected = {
        "service": "EC2",
        "action": "describeTransitGatewayAttachments",
        "parameters": {
            "Filters": [
                {"Name": "resource-id", "Values": [built.vpn_id(built.tgw_vpn)]},
                {"Name": "transit-gateway-id", "Values": [hub_id]},
                {"Name": "resource-type", "Values": ["vpn"]},
            ]
        },
        "outputPaths": ["TransitGatewayAttachments.0.TransitGatewayAttachmentId"],
        "physicalResourceId": {
            "responsePath": "TransitGatewayAttachments.0.TransitGatewayAttachmentId"
        },
        "logApiResponseData": False,
    }
    assert sdk_call(resource, "Create") == expected
    assert sdk_call(resource, "Update") == expected
    assert "Delete" not in resource["Properties"]
    assert resource["Properties"]["InstallLatestAwsSdk"] is False


def test_outside_ip_lookup_calls_describe_vpn_connections_for_one_vpn(built: Built) -> None:
    resource = built.lookup(built.vgw_vpn, "TunnelOutsideIpLookup")
    expected = {
        "service": "EC2",
        "action": "describeVpnConnections",
        "parameters": {"VpnConnectionIds": [built.vpn_id(built.vgw_vpn)]},
        "outputPaths": [
            "VpnConnections.0.Options.TunnelOptions.0.OutsideIpAddress",
            "VpnConnections.0.Options.TunnelOptions.1.OutsideIpAddress",
            "VpnConnections.0.Options.TunnelOptions.0.TunnelInsideCidr",
            "VpnConnections.0.Options.TunnelOptions.1.TunnelInsideCidr",
        ],
        "physicalResourceId": {"id": built.vpn_id(built.vgw_vpn)},
        # The response holds the customer gateway configuration (PSKs with Standard storage):
        # it must never reach the provider's log.
        "logApiResponseData": False,
    }
    assert sdk_call(resource, "Create") == expected
    assert sdk_call(resource, "Update") == expected


def test_each_lookup_policy_grants_one_describe_action(built: Built) -> None:
    policies = resources_of_type(built.template, "AWS::IAM::Policy")
    role = {
        "Ref": logical_id(
            built.stack,
            built.stack.node.find_child(AWS_CUSTOM_RESOURCE_PROVIDER_ID)
            .node.find_child("ServiceRole")
            .node.default_child,
        )
    }
    granted = {}
    for name, policy in policies.items():
        if name.startswith("UserLookup"):
            continue
        (statement,) = policy["Properties"]["PolicyDocument"]["Statement"]
        assert statement["Effect"] == "Allow"
        assert statement["Resource"] == "*"
        assert policy["Properties"]["Roles"] == [role]
        granted[name] = statement["Action"]
    assert sorted(granted.values()) == [
        "ec2:DescribeTransitGatewayAttachments",
        "ec2:DescribeVpnConnections",
        "ec2:DescribeVpnConnections",
    ]


def test_lookup_waits_for_its_policy(built: Built) -> None:
    resource = built.lookup(built.tgw_vpn, "TransitGatewayAttachmentLookup")
    (depends_on,) = resource["DependsOn"]
    assert built.template["Resources"][depends_on]["Type"] == "AWS::IAM::Policy"


def test_lookups_are_created_once_per_vpn(built: Built) -> None:
    assert isinstance(
        built.tgw_vpn.node.find_child("TransitGatewayAttachmentLookup"),
        TransitGatewayAttachmentLookup,
    )
    assert isinstance(built.vgw_vpn.node.find_child("TunnelOutsideIpLookup"), TunnelOutsideIpLookup)
    attachment_lookups = [
        r
        for r in resources_of_type(built.template, "Custom::AWS").values()
        if "describeTransitGatewayAttachments" in json.dumps(r)
    ]
    assert len(attachment_lookups) == 1


def test_outside_ips_are_attributes_and_stack_outputs(built: Built) -> None:
    lookup_id = built.lookup_id(built.vgw_vpn, "TunnelOutsideIpLookup")
    expected = [
        {"Fn::GetAtt": [lookup_id, f"VpnConnections.0.Options.TunnelOptions.{i}.OutsideIpAddress"]}
        for i in (0, 1)
    ]
    assert [built.stack.resolve(ip) for ip in built.vgw_vpn.tunnel_outside_ip_addresses] == expected
    outputs = built.template["Outputs"]
    for index, output in enumerate(built.outputs):
        rendered = outputs[logical_id(built.stack, output)]
        assert rendered["Value"] == expected[index]
        assert f"tunnel {index + 1}" in rendered["Description"]


def test_provider_function_has_no_obsolete_depends_on(built: Built) -> None:
    functions = resources_of_type(built.template, "AWS::Lambda::Function")
    (function,) = functions.values()
    assert "DependsOn" not in function
    assert function["Properties"]["Role"]["Fn::GetAtt"][1] == "Arn"


def _suppressed(built: Built) -> list[dict[str, Any]]:
    report = json.loads((built.outdir / "validation-report.json").read_text())
    return [
        violation
        for plugin in report["pluginReports"]
        for violation in plugin.get("suppressedViolations", [])
    ]


def test_acknowledgements_sit_on_the_policy_or_the_provider_with_reasons(built: Built) -> None:
    provider_path = f"TestStack/{AWS_CUSTOM_RESOURCE_PROVIDER_ID}"
    by_scope: dict[str, set[str]] = {}
    for violation in _suppressed(built):
        scope = violation["acknowledgedAt"]
        if scope.startswith("TestStack/UserLookup"):
            continue
        assert len(violation["reason"]) > 80, violation
        by_scope.setdefault(scope, set()).add(violation["ruleName"])
    assert by_scope.pop(provider_path) == PROVIDER_RULES
    policy_scopes = {
        f"{built.tgw_vpn.node.path}/TransitGatewayAttachmentLookup/Resource/CustomResourcePolicy",
        f"{built.tgw_vpn.node.path}/TunnelOutsideIpLookup/Resource/CustomResourcePolicy",
        f"{built.vgw_vpn.node.path}/TunnelOutsideIpLookup/Resource/CustomResourcePolicy",
    }
    assert set(by_scope) == policy_scopes
    assert all(rules == POLICY_RULES for rules in by_scope.values())


def test_provider_rules_are_acknowledged_once_although_the_provider_predates_them(
    built: Built,
) -> None:
    provider = built.stack.node.find_child(AWS_CUSTOM_RESOURCE_PROVIDER_ID)
    acknowledged = [
        rule
        for entry in provider.node.metadata
        if entry.type == "aws:cdk:acknowledged-rules"
        for rule in entry.data
    ]
    assert len(acknowledged) == len(set(acknowledged)) == len(PROVIDER_RULES)


def test_lookups_without_acknowledgements_would_fail_cdk_nag() -> None:
    """The acknowledgements are load-bearing: the same call without them is a finding."""
    stack = new_stack()
    cr.AwsCustomResource(
        stack,
        "Bare",
        on_create=cr.AwsSdkCall(
            service="EC2",
            action="describeVpnConnections",
            physical_resource_id=cr.PhysicalResourceId.of("x"),
        ),
        policy=cr.AwsCustomResourcePolicy.from_statements(
            [iam.PolicyStatement(actions=["ec2:DescribeVpnConnections"], resources=["*"])]
        ),
        install_latest_aws_sdk=False,
    )
    with pytest.raises(RuntimeError, match="ValidationFailed") as error:
        synth(stack)
    for rule in PROVIDER_RULES | POLICY_RULES:
        assert rule in str(error.value)
