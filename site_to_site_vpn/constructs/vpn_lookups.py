"""Deploy-time facts about a VPN connection that CloudFormation does not return.

``AWS::EC2::VPNConnection`` returns only its id: neither the Transit Gateway attachment id (needed
to associate and propagate routes) nor the tunnels' outside IP addresses (needed by the on-premises
device and by per-tunnel alarms). One ``Custom::SiteToSiteVpnFacts`` resource per VPN reads both
(``site_to_site_vpn/handlers/vpn_facts.py``), served by one small function per stack.

Why not aws-cdk's ``AwsCustomResource``: it makes one resource and one IAM policy per API call,
so two lookups cost four resources per VPN and about 25 jsii round trips each. One resource with
both calls costs one resource, and the provider (function, role, managed policy) is paid once per
stack.
"""

from __future__ import annotations

import weakref
from importlib.resources import files
from typing import Any, Final

from aws_cdk import CfnOutput, CfnResource, Fn, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from site_to_site_vpn.compliance import acknowledge
from site_to_site_vpn.constructs.vpn_logging import (
    LOG_GROUP_PREFIX,
    allow_logs_to_use_key,
    stack_monitoring_key,
)
from site_to_site_vpn.handlers.vpn_facts import (
    FUNCTION_TIMEOUT_SECONDS,
    PACKED,
    PACKED_FIELDS,
)

#: CloudFormation type of the per-VPN facts resource.
FACTS_RESOURCE_TYPE: Final = "Custom::SiteToSiteVpnFacts"
#: Construct id of the facts resource under its SiteToSiteVpn.
FACTS_ID: Final = "Facts"
#: Construct id (at stack level) of the provider: function, role and managed policy.
PROVIDER_ID: Final = "SiteToSiteVpnFactsProvider"
#: Construct id (at stack level) of the log group the provider function writes to.
LOOKUP_LOG_GROUP_ID: Final = "SiteToSiteVpnLookupLogs"
#: The newest Python runtime of aws-cdk-lib 2.275 (cdk-nag's AwsSolutions-L1 asks for the latest).
PROVIDER_RUNTIME: Final = "python3.14"
#: How long CloudFormation waits for the facts before failing the resource: ``ServiceTimeout``,
#: 1 to 3600 s, default 3600 ("AWS::CloudFormation::CustomResource"). The function answers
#: before its own timeout (``FUNCTION_TIMEOUT_SECONDS``).
SERVICE_TIMEOUT_SECONDS: Final = 300
#: Attribute names the handler returns (``Data``), read with ``Fn::GetAtt``.
_IP1, _CIDR1, _IP2, _CIDR2, ATTACHMENT_ID = PACKED_FIELDS
OUTSIDE_IPS: Final = (_IP1, _IP2)
INSIDE_CIDRS: Final = (_CIDR1, _CIDR2)

_EC2_ACTIONS: Final = ("ec2:DescribeVpnConnections", "ec2:DescribeTransitGatewayAttachments")
_PROVIDER_ACKNOWLEDGEMENTS: Final = (
    (
        "NIST.800.53.R5::NIST.800.53.R5-LambdaConcurrency",
        "the VPN facts provider runs only during CloudFormation deployments of this stack (one "
        "invocation per VPN create/update); a reserved concurrency would only take from the "
        "account's pool",
    ),
    (
        "NIST.800.53.R5::NIST.800.53.R5-LambdaDLQ",
        "CloudFormation invokes a custom resource's function asynchronously with an event that "
        "includes a callback URL, and then waits only for the answer PUT to that URL ('Using "
        "AWS Lambda with CloudFormation', AWS Lambda Developer Guide): the handler answers "
        "FAILED with the reason before its deadline, so CloudFormation reports every failure as "
        "a failed stack event; a dead-letter queue would hold events CloudFormation has already "
        "failed (or timed out) and nobody replays",
    ),
    (
        "NIST.800.53.R5::NIST.800.53.R5-LambdaInsideVPC",
        "the VPN facts provider only calls the EC2 API (DescribeVpnConnections, "
        "DescribeTransitGatewayAttachments) and touches no VPC resource; putting it in a VPC "
        "would need NAT or an EC2 interface endpoint for no gain",
    ),
)
_DESCRIBE_STAR_REASON: Final = (
    "EC2 Describe* actions support no resource-level permissions, so the statement needs "
    "Resource '*'; it grants only the two read-only Describe actions the VPN facts provider calls"
)


def handler_source() -> str:
    """The facts handler's source, deployed inline (``Code.ZipFile``) as ``index.py``."""
    return (files("site_to_site_vpn.handlers") / "vpn_facts.py").read_text(encoding="utf-8")


def lookup_log_group_name(stack_name: str) -> str:
    """``/aws/vendedlogs/site-to-site-vpn/<stack>-deploy-time-lookups``: under the VPN logs'
    prefix, so a key that lets CloudWatch Logs use it for that prefix (a sites file's hub key)
    covers it too; a leaf, so never the name of a VPN's own groups (``<prefix>/<vpn>/...``)."""
    return f"{LOG_GROUP_PREFIX}/{stack_name}-deploy-time-lookups"


def lookup_log_group(stack: Stack, encryption_key: kms.IKey | None = None) -> logs.ILogGroup:
    """The stack's log group for the deploy-time facts provider, created once.

    Encrypted with ``encryption_key`` (the key of the stack's VPN logs) or, by default, the
    stack's monitoring key: a stack of a sites file uses the hub's key instead of a key of its
    own. DESTROY, not RETAIN: it holds only the provider's own diagnostics (it never logs
    requests or responses), and a retained group with a fixed name would make the next
    deployment of a stack of the same name fail with "already exists".
    """
    existing = stack.node.try_find_child(LOOKUP_LOG_GROUP_ID)
    if isinstance(existing, logs.LogGroup):
        return existing
    name = lookup_log_group_name(stack.stack_name)
    key = encryption_key or stack_monitoring_key(stack)
    group = logs.LogGroup(
        stack,
        LOOKUP_LOG_GROUP_ID,
        log_group_name=name,
        retention=logs.RetentionDays.ONE_YEAR,
        removal_policy=RemovalPolicy.DESTROY,
        encryption_key=key,
    )
    allow_logs_to_use_key(key, group, [name])
    return group


class VpnFactsProvider(Construct):
    """The function behind every ``Custom::SiteToSiteVpnFacts`` of a stack (one per stack).

    Its role may only call the two read-only EC2 ``Describe*`` actions and write its own encrypted
    log group, through one customer-managed policy.
    """

    def __init__(
        self, scope: Stack, construct_id: str, *, encryption_key: kms.IKey | None = None
    ) -> None:
        """
        :param encryption_key: for the provider's log group. @default the stack's monitoring key
        """
        super().__init__(scope, construct_id)
        log_group = lookup_log_group(scope, encryption_key)
        role = iam.CfnRole(
            self,
            "Role",
            description="Lets the Site-to-Site VPN facts provider read VPN facts at deploy time",
            assume_role_policy_document={
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "lambda.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            },
        )
        policy = iam.CfnManagedPolicy(
            self,
            "Policy",
            description="Read-only EC2 Describe calls and the provider's own log group",
            roles=[role.ref],
            policy_document={
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": list(_EC2_ACTIONS), "Resource": "*"},
                    {
                        "Effect": "Allow",
                        "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                        "Resource": log_group.log_group_arn,
                    },
                ],
            },
        )
        acknowledge(policy, "AwsSolutions::AwsSolutions-IAM5[Resource::*]", _DESCRIBE_STAR_REASON)
        self.function = lambda_.CfnFunction(
            self,
            "Function",
            description="Reads what CloudFormation does not return for a Site-to-Site VPN",
            runtime=PROVIDER_RUNTIME,
            handler="index.handler",
            code=lambda_.CfnFunction.CodeProperty(zip_file=handler_source()),
            role=role.attr_arn,
            # Up to 10 DescribeTransitGatewayAttachments calls 6 s apart, plus the answer; the
            # handler bounds its work by the invocation's remaining time, so it answers in time.
            timeout=FUNCTION_TIMEOUT_SECONDS,
            memory_size=128,
            logging_config=lambda_.CfnFunction.LoggingConfigProperty(
                log_group=log_group.log_group_name
            ),
        )
        # The role must hold its policy before CloudFormation first invokes the function.
        self.function.node.add_dependency(policy)
        for rule_id, reason in _PROVIDER_ACKNOWLEDGEMENTS:
            acknowledge(self.function, rule_id, reason)
        self.service_token: str = self.function.attr_arn

    @staticmethod
    def of(stack: Stack, encryption_key: kms.IKey | None = None) -> VpnFactsProvider:
        """The stack's provider, created on first use (with the first caller's key)."""
        existing = _PROVIDERS.get(stack)
        if existing is None:
            existing = VpnFactsProvider(stack, PROVIDER_ID, encryption_key=encryption_key)
            _PROVIDERS[stack] = existing
        return existing


#: Providers by stack (a Python object jsii hands back as the same instance), so that finding the
#: provider costs no jsii round trip per VPN.
_PROVIDERS: weakref.WeakKeyDictionary[Stack, VpnFactsProvider] = weakref.WeakKeyDictionary()


class VpnConnectionFacts:
    """What CloudFormation does not return for one VPN, as deploy-time tokens.

    One ``Custom::SiteToSiteVpnFacts`` resource (construct id ``Facts`` under the VPN). The tunnels
    come in the order ``DescribeVpnConnections`` lists them (``Options.TunnelOptions``), which need
    not be the template's tunnel1/tunnel2: :attr:`listed_tunnels` pairs each outside IP with its
    inside CIDR, which does identify it.
    """

    def __init__(
        self,
        scope: Construct,
        *,
        stack: Stack,
        vpn_connection_id: str,
        transit_gateway_id: str | None,
        encryption_key: kms.IKey | None = None,
    ) -> None:
        """
        :param transit_gateway_id: given for a VPN attached to a Transit Gateway (not through a
            concentrator): the attachment id is then read too.
        :param encryption_key: for the provider's log group, when this VPN's facts create it.
            @default the stack's monitoring key
        """
        properties: dict[str, Any] = {
            "ServiceToken": VpnFactsProvider.of(stack, encryption_key).service_token,
            "ServiceTimeout": SERVICE_TIMEOUT_SECONDS,
            "VpnConnectionId": vpn_connection_id,
        }
        if transit_gateway_id is not None:
            properties["TransitGatewayId"] = transit_gateway_id
        self.resource = CfnResource(
            scope, FACTS_ID, type=FACTS_RESOURCE_TYPE, properties=properties
        )
        self._reads_attachment = transit_gateway_id is not None
        self._attributes: dict[str, str] = {}
        self._packed: dict[str, str] | None = None
        self._outputs: tuple[CfnOutput, CfnOutput] | None = None

    def attribute(self, name: str) -> str:
        """``Fn::GetAtt`` of one returned field (a token), asked of jsii once."""
        value = self._attributes.get(name)
        if value is None:
            value = self.resource.get_att(name).to_string()
            self._attributes[name] = value
        return value

    def _field(self, name: str) -> str:
        """One of the packed fields: all five come from one ``Fn::GetAtt`` of ``Packed`` split
        by ``|`` (``Fn::Select`` of ``Fn::Split``), three jsii round trips instead of ten."""
        if self._packed is None:
            tokens = Fn.split("|", self.attribute(PACKED), len(PACKED_FIELDS))
            self._packed = dict(zip(PACKED_FIELDS, tokens, strict=True))
        return self._packed[name]

    @property
    def transit_gateway_attachment_id(self) -> str:
        """The ``tgw-attach-...`` id (a deploy-time token)."""
        if not self._reads_attachment:
            raise ValueError("these facts were created without a Transit Gateway id")
        return self._field(ATTACHMENT_ID)

    @property
    def tunnel_outside_ip_addresses(self) -> tuple[str, str]:
        """The AWS-side outside addresses of the two tunnels (deploy-time tokens)."""
        first, second = (self._field(name) for name in OUTSIDE_IPS)
        return (first, second)

    @property
    def listed_tunnels(self) -> tuple[tuple[str, str], tuple[str, str]]:
        """(outside IP, inside CIDR) of each tunnel as DescribeVpnConnections lists them."""
        first, second = (
            (self._field(ip), self._field(cidr))
            for ip, cidr in zip(OUTSIDE_IPS, INSIDE_CIDRS, strict=True)
        )
        return (first, second)

    def add_outputs(self, scope: Construct) -> tuple[CfnOutput, CfnOutput]:
        """Stack outputs ``...Tunnel1OutsideIpAddress`` and ``...Tunnel2OutsideIpAddress``."""
        if self._outputs is None:
            first, second = (
                CfnOutput(
                    scope,
                    f"Tunnel{index}OutsideIpAddress",
                    value=address,
                    description=f"AWS-side outside IP address of tunnel {index}: configure it "
                    "as the IPsec peer on the customer gateway device",
                )
                for index, address in enumerate(self.tunnel_outside_ip_addresses, start=1)
            )
            self._outputs = (first, second)
        return self._outputs
