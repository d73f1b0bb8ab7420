"""A CDK Pipelines app whose deploy stage runs ``s2svpn guard`` against the deployed stacks first.

The pipeline synthesizes the app, then, before CloudFormation touches the VPN stage, a CodeBuild
step compares the synthesized stacks with the templates CloudFormation has deployed
(``--baseline-from-stacks``, i.e. GetTemplate). A change that would replace or delete a VPN,
customer gateway or Transit Gateway fails the step, and the stage never deploys. An intended
replacement goes through with ``--allow`` (see docs/guides/changing-safely.md).

Deploy once by hand (``cdk deploy VpnPipeline``); afterwards every push to ``main`` runs it.
Context: ``repository`` (owner/name), ``connection_arn`` (a CodeConnections connection).
"""

from __future__ import annotations

import shlex
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import pipelines
from constructs import Construct

from site_to_site_vpn import CustomerGatewayProps, SiteToSiteVpn, TransitGatewayHub, TunnelOptions
from site_to_site_vpn.compliance import acknowledge

#: Placeholders a user replaces (cdk.json context); documentation values, nothing real.
DEFAULT_REPOSITORY = "example-org/network"
DEFAULT_CONNECTION_ARN = (
    "arn:aws:codeconnections:us-east-1:111111111111:connection/00000000-0000-0000-0000-000000000000"
)


class BranchVpnStack(cdk.Stack):
    """What the pipeline deploys: a Transit Gateway hub and one BGP VPN to a branch."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        hub = TransitGatewayHub(self, "Hub", amazon_side_asn=64512, route_table_names=["onprem"])
        SiteToSiteVpn(
            self,
            "BranchVpn",
            customer_gateway=CustomerGatewayProps(ip_address="203.0.113.10", bgp_asn=65010),
            transit_gateway=hub,
            tunnel1=TunnelOptions(tunnel_inside_cidr="169.254.10.0/30"),
            tunnel2=TunnelOptions(tunnel_inside_cidr="169.254.10.4/30"),
            vpn_name="branch",
        )


class VpnStage(cdk.Stage):
    def __init__(self, scope: Construct, construct_id: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.vpn_stack = BranchVpnStack(self, "BranchVpn")


def guard_command(stack_names: list[str], region: str, allow: list[str] | None = None) -> str:
    """The guard invocation of the pre-deploy step (tests parse it with the real CLI)."""
    args = ["s2svpn", "guard", "--baseline-from-stacks", *stack_names, "--region", region]
    args += ["--current", "cdk.out"]
    for entry in allow or []:
        args += ["--allow", entry]
    return shlex.join(args)


class VpnPipelineStack(cdk.Stack):
    """The pipeline: source, synth, then [guard -> deploy] for the VPN stage."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        repository: str = DEFAULT_REPOSITORY,
        connection_arn: str = DEFAULT_CONNECTION_ARN,
        allow: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        source = pipelines.CodePipelineSource.connection(
            repository, "main", connection_arn=connection_arn
        )
        synth = pipelines.ShellStep(
            "Synth",
            input=source,
            install_commands=["pip install -r requirements.txt"],
            commands=["npx cdk synth"],
        )
        key = kms.Key(self, "ArtifactKey", enable_key_rotation=True)
        access_logs = s3.Bucket(
            self,
            "ArtifactAccessLogs",
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            versioned=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
        )
        artifacts = s3.Bucket(
            self,
            "Artifacts",
            encryption=s3.BucketEncryption.KMS,
            encryption_key=key,
            enforce_ssl=True,
            versioned=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            server_access_logs_bucket=access_logs,
        )
        self.pipeline = pipelines.CodePipeline(
            self, "Pipeline", synth=synth, artifact_bucket=artifacts
        )
        stage = VpnStage(self, "Prod", env=kwargs.get("env"))
        vpn_stack = stage.vpn_stack
        self.guard_step = pipelines.CodeBuildStep(
            "ReplacementGuard",
            input=source,
            additional_inputs={"cdk.out": synth},
            install_commands=["pip install -r requirements.txt"],
            commands=[guard_command([vpn_stack.stack_name], vpn_stack.region, allow)],
            role_policy_statements=[
                # GetTemplate of the stage's stacks only: the guard reads, never writes.
                iam.PolicyStatement(
                    actions=["cloudformation:GetTemplate"],
                    resources=[
                        f"arn:{cdk.Aws.PARTITION}:cloudformation:{vpn_stack.region}:"
                        f"{vpn_stack.account}:stack/{vpn_stack.stack_name}/*"
                    ],
                )
            ],
        )
        self.pipeline.add_stage(stage, pre=[self.guard_step])
        self.pipeline.build_pipeline()
        acknowledge_pipeline_findings(self)


#: Why each cdk-nag finding on aws-cdk's CodePipeline construct is accepted, by construct path
#: under the pipeline stack. aws-cdk generates these roles and policies (one inline default policy
#: per role, grants scoped to the pipeline's own artifact bucket, key, log groups and report
#: groups); narrowing them further would mean re-implementing CDK Pipelines.
_INLINE = (
    "NIST.800.53.R5::NIST.800.53.R5-IAMNoInlinePolicy",
    "aws-cdk's CDK Pipelines writes each role's grants as that role's own inline default "
    "policy; it is not shared with any other principal",
)
_WILDCARDS = (
    "AwsSolutions::AwsSolutions-IAM5",
    "aws-cdk's grants to the pipeline's own artifact bucket and KMS key use action groups "
    "(s3:GetObject*, kms:GenerateDataKey*) and object paths (<bucket>/*), and CodeBuild needs "
    "its project's log-group and report-group name patterns",
)
PIPELINE_ACKNOWLEDGEMENTS: dict[str, list[tuple[str, str]]] = {
    "Pipeline/Pipeline/Role": [_INLINE, _WILDCARDS],
    "Pipeline/Pipeline/Source": [_INLINE, _WILDCARDS],
    "Pipeline/Pipeline/Build/Synth/CdkBuildProject/Role": [_INLINE, _WILDCARDS],
    "Pipeline/CodeBuildActionRole": [_INLINE],
    "Pipeline/Pipeline/Prod/ReplacementGuard/ReplacementGuard/Role": [
        _INLINE,
        (
            _WILDCARDS[0],
            _WILDCARDS[1] + "; cloudformation:GetTemplate is limited to the stage's stacks, "
            "whose ARN ends in a stack id unknown before deployment (stack/<name>/*)",
        ),
    ],
    "Pipeline/UpdatePipeline/SelfMutation/Role": [
        _INLINE,
        (
            _WILDCARDS[0],
            _WILDCARDS[1] + "; self-mutation assumes the CDK bootstrap roles "
            "(arn:*:iam::<account>:role/*, conditioned on the bootstrap role tag) and reads "
            "CloudFormation stacks, whose Describe calls take no resource",
        ),
    ],
    "Artifacts": [
        (
            "NIST.800.53.R5::NIST.800.53.R5-S3BucketReplicationEnabled",
            "pipeline artifacts are rebuilt from the source repository on every run; a replica "
            "in another Region would hold nothing that cannot be regenerated",
        )
    ],
    "ArtifactAccessLogs": [
        (
            "NIST.800.53.R5::NIST.800.53.R5-S3BucketReplicationEnabled",
            "server access logs of the artifact bucket only; they are not the system of record "
            "for the network and need no cross-Region copy",
        ),
        (
            "NIST.800.53.R5::NIST.800.53.R5-S3DefaultEncryptionKMS",
            "S3 server access logging delivers only to buckets encrypted with SSE-S3, not "
            "SSE-KMS (Amazon S3 user guide, enabling server access logging)",
        ),
    ],
}


def _as_nag_text(value: Any) -> str:
    """A resolved IAM value as cdk-nag 3 writes it in an IAM5 finding id (``<Id.Arn>``)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "Ref" in value:
        return f"<{value['Ref']}>"
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        return "<" + ".".join(value["Fn::GetAtt"]) + ">"
    if isinstance(value, dict) and "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        return str(separator).join(_as_nag_text(part) for part in parts)
    return str(value)


def _wildcard_finding_ids(stack: cdk.Stack, policy: iam.CfnPolicy) -> list[str]:
    """The AwsSolutions-IAM5 finding ids of one generated policy: each wildcard it holds."""
    document = stack.resolve(policy.policy_document)
    found: list[str] = []
    for statement in document.get("Statement", []):
        for key, kind in (("Action", "Action"), ("Resource", "Resource")):
            values = statement.get(key, [])
            for value in values if isinstance(values, list) else [values]:
                text = _as_nag_text(value)
                if "*" in text and f"{kind}::{text}" not in found:
                    found.append(f"{kind}::{text}")
    return [f"{_WILDCARDS[0]}[{finding}]" for finding in found]


def acknowledge_pipeline_findings(stack: VpnPipelineStack) -> None:
    """cdk-nag findings on what aws-cdk's CodePipeline builds, each with its reason, on the
    construct that has it. IAM5 findings are per wildcard: each wildcard of the role's generated
    policy is acknowledged by its own id with that role's reason."""
    for path, entries in PIPELINE_ACKNOWLEDGEMENTS.items():
        scope: Construct = stack
        for part in path.split("/"):
            child = scope.node.find_child(part)
            assert isinstance(child, Construct)
            scope = child
        for rule_id, reason in entries:
            if rule_id != _WILDCARDS[0]:
                acknowledge(scope, rule_id, reason)
                continue
            for policy in scope.node.find_all():
                if isinstance(policy, iam.CfnPolicy):
                    for finding_id in _wildcard_finding_ids(stack, policy):
                        acknowledge(policy, finding_id, reason)
