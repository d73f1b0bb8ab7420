"""The deploy-time VPN facts as synthesized: one ``Custom::SiteToSiteVpnFacts`` per VPN with
exactly the properties its handler reads, one provider per stack with least-privilege IAM and an
encrypted log group, GetAtt names the handler really returns, stack outputs, and reasoned cdk-nag
acknowledgements at the narrowest scope (load-bearing: without them cdk-nag refuses the app).

Built with and without the recommended feature flags, as a ``cdk init`` app and an older app."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest

from site_to_site_vpn import (
    CustomerGatewayProps,
    SiteToSiteVpn,
    TransitGatewayHub,
    ValidationError,
    VpnConcentrator,
    VpnMonitoringOptions,
)
from site_to_site_vpn.constructs import vpn_lookups
from site_to_site_vpn.constructs.vpn_lookups import (
    ATTACHMENT_ID,
    FACTS_ID,
    FACTS_RESOURCE_TYPE,
    INSIDE_CIDRS,
    LOOKUP_LOG_GROUP_ID,
    OUTSIDE_IPS,
    PROVIDER_ID,
    SERVICE_TIMEOUT_SECONDS,
    VpnConnectionFacts,
    VpnFactsProvider,
    handler_source,
)
from site_to_site_vpn.handlers import vpn_facts
from site_to_site_vpn.handlers.vpn_facts import PACKED, PACKED_FIELDS
from tests.support import (
    VGW,
    build_concentrator,
    build_hub,
    build_site,
    build_vpn,
    canonical,
    facts_field,
    new_app,
    new_stack,
    only_resource,
    resources_of_type,
    synth,
)
from tests.support import construct_logical_id as logical_id

FUNCTION_RULES = {
    "NIST.800.53.R5-LambdaConcurrency",
    "NIST.800.53.R5-LambdaDLQ",
    "NIST.800.53.R5-LambdaInsideVPC",
}
POLICY_RULES = {"AwsSolutions-IAM5[Resource::*]"}
PROVIDER_PATH = f"TestStack/{PROVIDER_ID}"

# One worker builds the module's shared app (`pytest -n 2 --dist loadgroup`).
pytestmark = pytest.mark.xdist_group("hub-lookups")


@dataclass
class Built:
    stack: cdk.Stack
    other_stack: cdk.Stack
    template: dict[str, Any]
    other_template: dict[str, Any]
    quiet_template: dict[str, Any]
    outdir: Path
    hub: TransitGatewayHub
    tgw_vpns: tuple[SiteToSiteVpn, SiteToSiteVpn]
    vgw_vpn: SiteToSiteVpn
    concentrator: VpnConcentrator
    site: SiteToSiteVpn
    other_vpn: SiteToSiteVpn
    outputs: tuple[cdk.CfnOutput, cdk.CfnOutput]

    @property
    def vpns(self) -> tuple[SiteToSiteVpn, ...]:
        return (*self.tgw_vpns, self.vgw_vpn, self.site)

    def id_of(self, construct: Any, stack: cdk.Stack | None = None) -> str:
        return logical_id(stack or self.stack, construct)

    def facts_id(self, vpn: SiteToSiteVpn) -> str:
        return self.id_of(vpn.facts.resource, vpn.stack)

    def resource(self, logical: str) -> dict[str, Any]:
        found: dict[str, Any] = self.template["Resources"][logical]
        return found

    def provider_part(self, child: str) -> str:
        """Logical id of the provider's Role, Policy or Function in TestStack."""
        provider = self.stack.node.find_child(PROVIDER_ID)
        return self.id_of(provider.node.find_child(child))

    def service_token(self, stack: cdk.Stack | None = None) -> dict[str, Any]:
        stack = stack or self.stack
        function = stack.node.find_child(PROVIDER_ID).node.find_child("Function")
        return {"Fn::GetAtt": [logical_id(stack, function), "Arn"]}

    def vpn_id(self, vpn: SiteToSiteVpn) -> dict[str, Any]:
        return {"Fn::GetAtt": [self.id_of(vpn.vpn_connection, vpn.stack), "VpnConnectionId"]}


@pytest.fixture(scope="module", params=[True, False], ids=["recommended-flags", "no-flags"])
def built(request: pytest.FixtureRequest) -> Built:
    app = new_app(flags=request.param)
    stack = new_stack(app)
    hub = build_hub(stack, "onprem", "vpcs")
    tgw_a = build_vpn(stack, "TgwVpnA", transit_gateway=hub)
    tgw_b = build_vpn(
        stack,
        "TgwVpnB",
        transit_gateway=hub,
        customer_gateway=CustomerGatewayProps(ip_address="203.0.113.30", bgp_asn=65030),
    )
    vgw_vpn = build_vpn(
        stack,
        "VgwVpn",
        vpn_gateway=VGW,
        customer_gateway=CustomerGatewayProps(ip_address="203.0.113.20", bgp_asn=65020),
    )
    concentrator = build_concentrator(stack, hub)
    site = build_site(stack, 1, concentrator)
    for vpn in (tgw_a, tgw_b):
        hub.connect_vpn(
            vpn, associate_with=hub.route_table("onprem"), propagate_to=[hub.route_table("vpcs")]
        )
    outputs = vgw_vpn.add_tunnel_outside_ip_outputs()
    # A second stack of the same app gets its own provider; a third whose VPN reads no facts
    # (monitoring off, no routing) gets neither facts nor a provider.
    other_stack = new_stack(app, "OtherStack")
    other_vpn = build_vpn(
        other_stack,
        "Vpn",
        customer_gateway=CustomerGatewayProps(ip_address="203.0.113.40", bgp_asn=65040),
    )
    quiet_stack = new_stack(app, "QuietStack")
    build_vpn(
        quiet_stack,
        "Vpn",
        customer_gateway=CustomerGatewayProps(ip_address="203.0.113.50", bgp_asn=65050),
        monitoring=VpnMonitoringOptions.disabled(),
    )
    return Built(
        stack=stack,
        other_stack=other_stack,
        template=synth(stack),
        other_template=synth(other_stack),
        quiet_template=synth(quiet_stack),
        outdir=Path(app.outdir),
        hub=hub,
        tgw_vpns=(tgw_a, tgw_b),
        vgw_vpn=vgw_vpn,
        concentrator=concentrator,
        site=site,
        other_vpn=other_vpn,
        outputs=outputs,
    )


# --- The facts resource ---------------------------------------------------------------------


def test_transit_gateway_vpn_facts_name_the_vpn_and_its_hub(built: Built) -> None:
    hub = {"Ref": built.id_of(built.hub.transit_gateway)}
    for vpn in built.tgw_vpns:
        resource = built.resource(built.facts_id(vpn))
        assert resource["Type"] == FACTS_RESOURCE_TYPE
        assert resource["Properties"] == {
            "ServiceToken": built.service_token(),
            "ServiceTimeout": SERVICE_TIMEOUT_SECONDS,
            "VpnConnectionId": built.vpn_id(vpn),
            "TransitGatewayId": hub,
        }


@pytest.mark.parametrize("which", ["vgw", "concentrator"])
def test_vgw_and_concentrator_vpn_facts_have_no_transit_gateway(built: Built, which: str) -> None:
    """No attachment of their own to look up: a VGW VPN has none, a concentrator site shares the
    concentrator's (which CloudFormation returns)."""
    vpn = built.vgw_vpn if which == "vgw" else built.site
    resource = built.resource(built.facts_id(vpn))
    assert resource["Properties"] == {
        "ServiceToken": built.service_token(),
        "ServiceTimeout": SERVICE_TIMEOUT_SECONDS,
        "VpnConnectionId": built.vpn_id(vpn),
    }
    with pytest.raises(ValueError, match="without a Transit Gateway id"):
        _ = vpn.facts.transit_gateway_attachment_id


def test_concentrator_site_uses_the_concentrators_attachment_getatt(built: Built) -> None:
    attachment = {
        "Fn::GetAtt": [built.id_of(built.concentrator.resource), "TransitGatewayAttachmentId"]
    }
    assert built.stack.resolve(built.site.transit_gateway_attachment_id) == attachment


def test_vgw_vpn_has_no_attachment_id(built: Built) -> None:
    with pytest.raises(ValidationError) as caught:
        _ = built.vgw_vpn.transit_gateway_attachment_id
    (problem,) = caught.value.problems
    assert caught.value.construct_path == built.vgw_vpn.node.path
    assert problem.field == "transit_gateway"
    assert "Virtual Private Gateway" in problem.allowed


def test_facts_are_created_once_per_vpn(built: Built) -> None:
    for vpn in built.vpns:
        assert isinstance(vpn.facts, VpnConnectionFacts)
        assert vpn.facts is vpn.facts
        children = [c for c in vpn.node.children if c.node.id == FACTS_ID]
        assert children == [vpn.facts.resource]
    first = built.tgw_vpns[0].transit_gateway_attachment_id
    assert built.tgw_vpns[0].transit_gateway_attachment_id == first
    assert built.vgw_vpn.add_tunnel_outside_ip_outputs() == built.outputs
    found = resources_of_type(built.template, FACTS_RESOURCE_TYPE)
    assert sorted(found) == sorted(built.facts_id(vpn) for vpn in built.vpns)


# --- One provider per stack -----------------------------------------------------------------


def test_one_provider_per_stack_whatever_the_number_of_vpns(built: Built) -> None:
    for stack, template, vpns in (
        (built.stack, built.template, built.vpns),
        (built.other_stack, built.other_template, (built.other_vpn,)),
    ):
        assert isinstance(stack.node.find_child(PROVIDER_ID), VpnFactsProvider)
        for type_name in ("AWS::Lambda::Function", "AWS::IAM::Role", "AWS::IAM::ManagedPolicy"):
            assert len(resources_of_type(template, type_name)) == 1, type_name
        facts = resources_of_type(template, FACTS_RESOURCE_TYPE)
        assert len(facts) == len(vpns)
        # Every VPN's facts are served by its own stack's function.
        tokens = [r["Properties"]["ServiceToken"] for r in facts.values()]
        assert tokens == [built.service_token(stack)] * len(vpns)
        # Nothing of aws-cdk's AwsCustomResource is left: no Custom::AWS, no inline policy.
        assert resources_of_type(template, "Custom::AWS") == {}
        assert resources_of_type(template, "AWS::IAM::Policy") == {}


def test_no_facts_and_no_provider_when_nothing_reads_them(built: Built) -> None:
    template = built.quiet_template
    assert resources_of_type(template, FACTS_RESOURCE_TYPE) == {}
    assert resources_of_type(template, "AWS::Lambda::Function") == {}
    assert resources_of_type(template, "AWS::IAM::Role") == {}
    assert "deploy-time-lookups" not in json.dumps(template)


# --- Least privilege ------------------------------------------------------------------------


def test_policy_grants_two_describes_and_its_own_log_group_only(built: Built) -> None:
    policy = only_resource(built.template, "AWS::IAM::ManagedPolicy")
    log_group = built.id_of(built.stack.node.find_child(LOOKUP_LOG_GROUP_ID).node.default_child)
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    assert sorted(statements, key=json.dumps) == sorted(
        [
            {
                "Effect": "Allow",
                "Action": ["ec2:DescribeVpnConnections", "ec2:DescribeTransitGatewayAttachments"],
                "Resource": "*",
            },
            {
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": {"Fn::GetAtt": [log_group, "Arn"]},
            },
        ],
        key=json.dumps,
    )
    assert policy["Properties"]["Roles"] == [{"Ref": built.provider_part("Role")}]
    # ...and the log group it may write is the one the function logs to.
    function = built.resource(built.provider_part("Function"))
    assert function["Properties"]["LoggingConfig"] == {"LogGroup": {"Ref": log_group}}


def test_role_is_for_lambda_and_holds_nothing_else(built: Built) -> None:
    role = built.resource(built.provider_part("Role"))["Properties"]
    assert role["AssumeRolePolicyDocument"]["Statement"] == [
        {
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ]
    assert "ManagedPolicyArns" not in role  # no AWSLambdaBasicExecutionRole (logs:* on *)
    assert "Policies" not in role


def test_provider_log_group_is_kms_encrypted_for_this_group(built: Built) -> None:
    group_construct = built.stack.node.find_child(LOOKUP_LOG_GROUP_ID)
    group_id = built.id_of(group_construct.node.default_child)
    group = built.resource(group_id)["Properties"]
    name = "/aws/vendedlogs/site-to-site-vpn/TestStack-deploy-time-lookups"
    assert group["LogGroupName"] == name
    key_id = group["KmsKeyId"]["Fn::GetAtt"][0]
    assert group["KmsKeyId"] == {"Fn::GetAtt": [key_id, "Arn"]}
    key = built.resource(key_id)
    assert key["Type"] == "AWS::KMS::Key"
    assert key["Properties"]["EnableKeyRotation"] is True
    (logs_use,) = (
        s
        for s in key["Properties"]["KeyPolicy"]["Statement"]
        if s.get("Sid") == "CloudWatchLogsUseKey"
    )
    arns = canonical(logs_use["Condition"]["ArnEquals"]["kms:EncryptionContext:aws:logs:arn"])
    assert f"arn:aws:logs:us-east-1:111111111111:log-group:{name}" in arns


# --- The function ---------------------------------------------------------------------------


def test_function_waits_for_its_policy_and_runs_the_handler_source(built: Built) -> None:
    function = built.resource(built.provider_part("Function"))
    assert function["DependsOn"] == [built.provider_part("Policy")]
    properties = function["Properties"]
    assert properties["Role"] == {"Fn::GetAtt": [built.provider_part("Role"), "Arn"]}
    assert properties["Code"] == {"ZipFile": handler_source()}
    assert properties["Handler"] == "index.handler"
    assert properties["Runtime"].startswith("python3.")
    # The handler may wait between attachment look-ups; the function must outlive that wait, or
    # CloudFormation hears nothing and waits an hour.
    waited = (vpn_facts.ATTACHMENT_ATTEMPTS - 1) * vpn_facts.ATTACHMENT_DELAY_SECONDS
    assert properties["Timeout"] >= waited + 30


def test_handler_source_is_the_handler_module() -> None:
    assert handler_source() == Path(vpn_facts.__file__).read_text(encoding="utf-8")


def _imported_modules(source: str) -> set[str]:
    """Top-level names of every module ``source`` imports (anywhere in it)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def test_inline_source_needs_only_what_the_lambda_runtime_has(built: Built) -> None:
    """The Python runtime has the standard library and boto3 (with botocore); nothing of ours is
    deployed."""
    function = built.resource(built.provider_part("Function"))
    imported = _imported_modules(function["Properties"]["Code"]["ZipFile"])
    assert imported - set(sys.stdlib_module_names) == {"boto3", "botocore"}


def test_inline_source_runs_as_index_py(built: Built, tmp_path: Path) -> None:
    """CloudFormation names the inline source ``index.py`` and Lambda calls ``index.handler``
    with (event, context): run exactly that, in a fresh interpreter that cannot import this
    library, and answer a Delete."""
    function = built.resource(built.provider_part("Function"))
    (tmp_path / "index.py").write_text(function["Properties"]["Code"]["ZipFile"])
    script = (
        "import json, sys\n"
        f"sys.path.insert(0, {str(tmp_path)!r})\n"
        "sys.modules['site_to_site_vpn'] = None  # importing it would fail\n"
        "import index\n"
        "event = {'RequestType': 'Delete', 'PhysicalResourceId': 'vpn-0old', "
        "'ResourceProperties': {'VpnConnectionId': 'vpn-0new'}, 'StackId': 's', "
        "'RequestId': 'r', 'LogicalResourceId': 'Facts', 'ResponseURL': 'https://x.invalid/'}\n"
        "sent = []\n"
        "index.handler(event, None, send=lambda e, body: sent.append(body))\n"
        "print(json.dumps(sent))\n"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", script],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    (body,) = json.loads(result.stdout)
    assert (body["Status"], body["PhysicalResourceId"]) == ("SUCCESS", "vpn-0old")


# --- Attributes and outputs -----------------------------------------------------------------


def _handler_data_keys() -> set[str]:
    """The ``Data`` keys the real handler returns for a Transit Gateway VPN."""

    class Ec2:
        def describe_vpn_connections(self, **_: Any) -> dict[str, Any]:
            tunnels = [
                {"OutsideIpAddress": "192.0.2.1", "TunnelInsideCidr": "169.254.10.0/30"},
                {"OutsideIpAddress": "192.0.2.2", "TunnelInsideCidr": "169.254.10.4/30"},
            ]
            return {"VpnConnections": [{"Options": {"TunnelOptions": tunnels}}]}

        def describe_transit_gateway_attachments(self, **_: Any) -> dict[str, Any]:
            return {"TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-1"}]}

    bodies: list[dict[str, Any]] = []
    vpn_facts.handler(
        {
            "RequestType": "Create",
            "ResourceProperties": {"VpnConnectionId": "vpn-1", "TransitGatewayId": "tgw-1"},
        },
        None,
        ec2=Ec2(),
        send=lambda _event, body: bodies.append(body),
    )
    (body,) = bodies
    assert body["Status"] == "SUCCESS", body
    return set(body["Data"])


def _getatts_of(template: dict[str, Any], logical_ids: set[str]) -> set[str]:
    """Attribute names every ``Fn::GetAtt`` of the template reads from ``logical_ids``."""
    names: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            att = value.get("Fn::GetAtt")
            if isinstance(att, list) and att[0] in logical_ids:
                names.add(att[1])
            for child in value.values():
                walk(child)
        elif isinstance(value, list):
            for child in value:
                walk(child)

    walk(template)
    return names


def test_every_getatt_of_the_facts_is_a_field_the_handler_returns(built: Built) -> None:
    """A GetAtt of a name the handler does not return fails the deployment."""
    facts = set(resources_of_type(built.template, FACTS_RESOURCE_TYPE))
    read = _getatts_of(built.template, facts)
    assert read == {PACKED}
    assert read <= _handler_data_keys()
    assert set(PACKED_FIELDS) == {ATTACHMENT_ID, *OUTSIDE_IPS, *INSIDE_CIDRS}
    assert set(PACKED_FIELDS) <= _handler_data_keys()


def test_attachment_id_and_tunnels_are_getatts_of_the_vpns_own_facts(built: Built) -> None:
    for vpn in built.tgw_vpns:
        facts = built.facts_id(vpn)
        assert built.stack.resolve(vpn.transit_gateway_attachment_id) == facts_field(
            facts, ATTACHMENT_ID
        )
        assert [built.stack.resolve(ip) for ip in vpn.tunnel_outside_ip_addresses] == [
            facts_field(facts, name) for name in OUTSIDE_IPS
        ]
        listed = [tuple(built.stack.resolve(t) for t in pair) for pair in vpn.facts.listed_tunnels]
        assert listed == [
            (facts_field(facts, ip), facts_field(facts, cidr))
            for ip, cidr in zip(OUTSIDE_IPS, INSIDE_CIDRS, strict=True)
        ]


def test_outside_ips_are_stack_outputs(built: Built) -> None:
    facts = built.facts_id(built.vgw_vpn)
    outputs = built.template["Outputs"]
    for index, output in enumerate(built.outputs, start=1):
        rendered = outputs[built.id_of(output)]
        assert rendered["Value"] == facts_field(facts, f"Tunnel{index}OutsideIpAddress")
        assert f"tunnel {index}" in rendered["Description"]


# --- cdk-nag acknowledgements ---------------------------------------------------------------


def _suppressed(built: Built) -> list[dict[str, Any]]:
    report = json.loads((built.outdir / "validation-report.json").read_text())
    return [
        violation
        for plugin in report["pluginReports"]
        for violation in plugin.get("suppressedViolations", [])
    ]


def test_acknowledgements_sit_on_the_providers_function_and_policy_with_reasons(
    built: Built,
) -> None:
    by_scope: dict[str, set[str]] = {}
    for violation in _suppressed(built):
        paths = [c["constructPath"] for c in violation["violatingConstructs"]]
        if not any(p.startswith(f"{PROVIDER_PATH}/") for p in paths):
            continue
        # Acknowledged on the violating resource itself, never on a parent or the stack.
        assert paths == [violation["acknowledgedAt"]], violation
        assert len(violation["reason"]) > 80, violation
        by_scope.setdefault(violation["acknowledgedAt"], set()).add(violation["ruleName"])
    assert by_scope == {
        f"{PROVIDER_PATH}/Function": FUNCTION_RULES,
        f"{PROVIDER_PATH}/Policy": POLICY_RULES,
    }


@pytest.mark.parametrize("flags", [True, False], ids=["recommended-flags", "no-flags"])
def test_without_the_acknowledgements_cdk_nag_fails(
    flags: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The acknowledgements are load-bearing: the same provider without them is refused."""
    monkeypatch.setattr(vpn_lookups, "acknowledge", lambda *_args: None)
    stack = new_stack(new_app(flags=flags))
    build_vpn(stack, "Vpn").add_tunnel_outside_ip_outputs()
    with pytest.raises(RuntimeError, match="ValidationFailed") as error:
        synth(stack)
    for rule in FUNCTION_RULES | POLICY_RULES:
        assert rule in str(error.value)
