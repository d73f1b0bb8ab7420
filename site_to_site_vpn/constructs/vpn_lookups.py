"""Deploy-time lookups of what CloudFormation does not return for a VPN connection.

``AWS::EC2::VPNConnection`` returns only its id: neither the Transit Gateway attachment id (needed
to associate and propagate routes) nor the tunnels' outside IP addresses (needed by the on-premises
device and by per-tunnel metrics). Both are read with an EC2 ``Describe*`` call from an
``AwsCustomResource``, built by :func:`ec2_describe_lookup` so that the IAM policy, the logging and
the cdk-nag acknowledgements are the same for every lookup.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, cast

from aws_cdk import CfnOutput, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import custom_resources as cr
from constructs import Construct

from site_to_site_vpn.compliance import acknowledge
from site_to_site_vpn.constructs.vpn_logging import allow_logs_to_use_key, stack_monitoring_key
from site_to_site_vpn.core.errors import Problem, ValidationError

if TYPE_CHECKING:
    from site_to_site_vpn.constructs.site_to_site_vpn import SiteToSiteVpn

#: Construct id of the Lambda function every ``AwsCustomResource`` of a stack shares (a singleton
#: at stack level, named after the uuid aws-cdk gives it).
AWS_CUSTOM_RESOURCE_PROVIDER_ID: Final = "AWS679f53fac002430cb0da5b7982bd2287"
ATTACHMENT_ID_PATH: Final = "TransitGatewayAttachments.0.TransitGatewayAttachmentId"
OUTSIDE_IP_PATHS: Final = tuple(
    f"VpnConnections.0.Options.TunnelOptions.{index}.OutsideIpAddress" for index in (0, 1)
)
#: The inside CIDR of the same listed tunnel: what pairs an outside IP with tunnel1/tunnel2 of the
#: template (DescribeVpnConnections' ``Options.TunnelOptions[].TunnelInsideCidr``); the list order
#: itself is not the template's order.
INSIDE_CIDR_PATHS: Final = tuple(
    f"VpnConnections.0.Options.TunnelOptions.{index}.TunnelInsideCidr" for index in (0, 1)
)
#: Construct ids of the lookups under their SiteToSiteVpn (one of each per VPN).
ATTACHMENT_LOOKUP_ID: Final = "TransitGatewayAttachmentLookup"
OUTSIDE_IP_LOOKUP_ID: Final = "TunnelOutsideIpLookup"
#: Construct id (at stack level) of the log group the shared provider function writes to.
LOOKUP_LOG_GROUP_ID: Final = "SiteToSiteVpnLookupLogs"

#: Where ``cdk.Validations.acknowledge`` records an acknowledgement on a construct.
_ACKNOWLEDGED_RULES_METADATA: Final = "aws:cdk:acknowledged-rules"
_DESCRIBE_STAR_REASON: Final = (
    "EC2 Describe* actions support no resource-level permissions, so the statement needs "
    "Resource '*'; it grants only the one read-only Describe action this lookup calls"
)
_INLINE_POLICY_REASON: Final = (
    "aws-cdk's AwsCustomResource writes its per-lookup policy inline (AWS::IAM::Policy) on the "
    "shared provider role; it holds only one read-only EC2 Describe action"
)
_PROVIDER_ACKNOWLEDGEMENTS: Final = (
    (
        "AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/"
        "service-role/AWSLambdaBasicExecutionRole]",
        "aws-cdk's AwsCustomResource provider role carries AWSLambdaBasicExecutionRole, which "
        "only lets the function write its own CloudWatch Logs; the EC2 reads are granted per "
        "lookup",
    ),
    (
        "NIST.800.53.R5::NIST.800.53.R5-LambdaConcurrency",
        "the AwsCustomResource provider runs only during CloudFormation deployments of this "
        "stack (one invocation per lookup create/update); a reserved concurrency would only "
        "take from the account's pool",
    ),
    (
        "NIST.800.53.R5::NIST.800.53.R5-LambdaDLQ",
        "the AwsCustomResource provider is invoked synchronously by CloudFormation, which "
        "reports every failure as a failed stack event; there is no asynchronous event to "
        "dead-letter",
    ),
    (
        "NIST.800.53.R5::NIST.800.53.R5-LambdaInsideVPC",
        "the AwsCustomResource provider only calls the EC2 API (DescribeTransitGatewayAttachments,"
        " DescribeVpnConnections) and touches no VPC resource; putting it in a VPC would need NAT "
        "or an EC2 interface endpoint for no gain",
    ),
)


def ec2_describe_lookup(
    scope: Construct,
    construct_id: str,
    *,
    action: str,
    parameters: Mapping[str, Any],
    output_paths: Sequence[str],
    physical_resource_id: cr.PhysicalResourceId,
) -> cr.AwsCustomResource:
    """An ``AwsCustomResource`` calling one read-only EC2 ``Describe*`` action at deploy time.

    ``action`` is the SDK's lower-camel name (``describeVpnConnections``); the IAM policy grants
    exactly ``ec2:<Action>``. Request and response data are kept out of the function's logs:
    ``DescribeVpnConnections`` returns the customer gateway configuration, which holds the
    pre-shared keys when they are not stored in Secrets Manager. Only ``output_paths`` reach
    CloudFormation.
    """
    stack = Stack.of(scope)
    call = cr.AwsSdkCall(
        service="EC2",
        action=action,
        parameters=dict(parameters),
        physical_resource_id=physical_resource_id,
        output_paths=list(output_paths),
        logging=cr.Logging.with_data_hidden(),
    )
    iam_action = f"ec2:{action[0].upper()}{action[1:]}"
    lookup = cr.AwsCustomResource(
        scope,
        construct_id,
        on_create=call,
        on_update=call,
        # The bundled SDK has these calls; installing the latest one would reach npm at deploy.
        install_latest_aws_sdk=False,
        # Our own encrypted group: without it the provider logs to a group that is not
        # KMS-encrypted (default) or a CDK-managed unencrypted one (the recommended flag
        # @aws-cdk/aws-lambda:useCdkManagedLogGroup); NIST 800-53 R5 refuses both.
        log_group=lookup_log_group(stack),
        policy=cr.AwsCustomResourcePolicy.from_statements(
            [iam.PolicyStatement(actions=[iam_action], resources=["*"])]
        ),
    )
    policy = cast(Construct, lookup.node.find_child("CustomResourcePolicy"))
    acknowledge(policy, "AwsSolutions::AwsSolutions-IAM5[Resource::*]", _DESCRIBE_STAR_REASON)
    acknowledge(policy, "NIST.800.53.R5::NIST.800.53.R5-IAMNoInlinePolicy", _INLINE_POLICY_REASON)
    if stack not in _STACKS_WITH_ACKNOWLEDGED_PROVIDER:
        _STACKS_WITH_ACKNOWLEDGED_PROVIDER.add(stack)
        _acknowledge_provider(
            cast(Construct, stack.node.find_child(AWS_CUSTOM_RESOURCE_PROVIDER_ID))
        )
    return lookup


def lookup_log_group(stack: Stack) -> logs.ILogGroup:
    """The stack's log group for the deploy-time lookups' provider function, created once.

    Encrypted with the stack's monitoring key. DESTROY, not RETAIN: it holds only the provider's
    own diagnostics (request and response data are hidden), and a retained group with a fixed
    name would make the next deployment of a stack of the same name fail with "already exists".
    """
    existing = stack.node.try_find_child(LOOKUP_LOG_GROUP_ID)
    if isinstance(existing, logs.LogGroup):
        return existing
    name = f"/site-to-site-vpn/{stack.stack_name}/deploy-time-lookups"
    key = stack_monitoring_key(stack)
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


#: Stacks whose provider is already handled. Keyed by the stack (a Python object jsii hands back
#: as the same instance), because the provider comes back as a new proxy each time; reading its
#: metadata through jsii on every lookup cost about 200 round trips per site at 1,000 sites.
_STACKS_WITH_ACKNOWLEDGED_PROVIDER: weakref.WeakSet[Stack] = weakref.WeakSet()


def _acknowledge_provider(provider: Construct) -> None:
    """Reasoned acknowledgements on the stack's shared provider function, each rule once.

    The provider may predate the first lookup (another ``AwsCustomResource`` in the stack), so
    what is already acknowledged is read from the node's metadata rather than assumed.
    """
    done = {
        rule_id
        for entry in provider.node.metadata
        if entry.type == _ACKNOWLEDGED_RULES_METADATA and isinstance(entry.data, dict)
        for rule_id in entry.data
    }
    for rule_id, reason in _PROVIDER_ACKNOWLEDGEMENTS:
        if rule_id not in done:
            acknowledge(provider, rule_id, reason)
    function = provider.node.default_child
    role = provider.node.try_find_child("ServiceRole")
    if not isinstance(function, lambda_.CfnFunction) or role is None:
        return
    # aws-cdk makes the function depend on its service role, which the function's
    # `Role: Fn::GetAtt` already enforces; cfn-lint reports it as obsolete (W3005). Drop it only
    # when it is the sole dependency, so no other ordering is lost.
    if [d.node.path for d in function.node.dependencies] == [role.node.path]:
        function.add_deletion_override("DependsOn")


class TransitGatewayAttachmentLookup(Construct):
    """The Transit Gateway attachment id of one VPN connection, read at deploy time.

    Calls ``DescribeTransitGatewayAttachments`` filtered by ``resource-id`` (the VPN),
    ``transit-gateway-id`` and ``resource-type`` ``vpn``, so it can only ever return this VPN's
    attachment to this Transit Gateway.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        vpn_connection_id: str,
        transit_gateway_id: str,
    ) -> None:
        super().__init__(scope, construct_id)
        self.resource = ec2_describe_lookup(
            self,
            "Resource",
            action="describeTransitGatewayAttachments",
            parameters={
                "Filters": [
                    {"Name": "resource-id", "Values": [vpn_connection_id]},
                    {"Name": "transit-gateway-id", "Values": [transit_gateway_id]},
                    {"Name": "resource-type", "Values": ["vpn"]},
                ]
            },
            output_paths=[ATTACHMENT_ID_PATH],
            # The attachment id itself: a VPN replaced by CloudFormation gets a new attachment,
            # and the lookup then reports a new physical id instead of silently keeping the old.
            physical_resource_id=cr.PhysicalResourceId.from_response(ATTACHMENT_ID_PATH),
        )

    @property
    def transit_gateway_attachment_id(self) -> str:
        """The ``tgw-attach-...`` id (a deploy-time token)."""
        return self.resource.get_response_field(ATTACHMENT_ID_PATH)


class TunnelOutsideIpLookup(Construct):
    """The outside IP addresses of a VPN's two tunnels, read at deploy time.

    Calls ``DescribeVpnConnections`` for the one VPN id. The addresses come in the order
    ``DescribeVpnConnections`` lists the tunnels (``Options.TunnelOptions``), which need not be the
    template's tunnel1/tunnel2: :attr:`listed_tunnels` pairs each with its inside CIDR, which does
    identify it. (An ``AwsCustomResource`` can only pick fixed paths, not reorder a list.)
    """

    def __init__(self, scope: Construct, construct_id: str, *, vpn_connection_id: str) -> None:
        super().__init__(scope, construct_id)
        self.resource = ec2_describe_lookup(
            self,
            "Resource",
            action="describeVpnConnections",
            parameters={"VpnConnectionIds": [vpn_connection_id]},
            output_paths=[*OUTSIDE_IP_PATHS, *INSIDE_CIDR_PATHS],
            physical_resource_id=cr.PhysicalResourceId.of(vpn_connection_id),
        )
        self._outputs: tuple[CfnOutput, CfnOutput] | None = None

    @property
    def tunnel_outside_ip_addresses(self) -> tuple[str, str]:
        """The AWS-side outside addresses of the two tunnels (deploy-time tokens)."""
        first, second = (self.resource.get_response_field(path) for path in OUTSIDE_IP_PATHS)
        return (first, second)

    @property
    def listed_tunnels(self) -> tuple[tuple[str, str], tuple[str, str]]:
        """(outside IP, inside CIDR) of each tunnel as DescribeVpnConnections lists them
        (deploy-time tokens); match the inside CIDR to tell tunnel1 from tunnel2."""
        first, second = (
            (self.resource.get_response_field(ip), self.resource.get_response_field(cidr))
            for ip, cidr in zip(OUTSIDE_IP_PATHS, INSIDE_CIDR_PATHS, strict=True)
        )
        return (first, second)

    def add_outputs(self) -> tuple[CfnOutput, CfnOutput]:
        """Stack outputs ``...Tunnel1OutsideIpAddress`` and ``...Tunnel2OutsideIpAddress``."""
        if self._outputs is None:
            first, second = (
                CfnOutput(
                    self,
                    f"Tunnel{index}OutsideIpAddress",
                    value=address,
                    description=f"AWS-side outside IP address of tunnel {index}: configure it "
                    "as the IPsec peer on the customer gateway device",
                )
                for index, address in enumerate(self.tunnel_outside_ip_addresses, start=1)
            )
            self._outputs = (first, second)
        return self._outputs


def transit_gateway_attachment_of(vpn: SiteToSiteVpn) -> TransitGatewayAttachmentLookup:
    """The VPN's attachment lookup, created on first use as a child of the VPN."""
    existing = vpn.node.try_find_child(ATTACHMENT_LOOKUP_ID)
    if isinstance(existing, TransitGatewayAttachmentLookup):
        return existing
    transit_gateway = vpn.transit_gateway
    if transit_gateway is None:
        raise ValidationError(
            vpn.node.path,
            [
                Problem(
                    "transit_gateway",
                    None,
                    "transit_gateway_attachment_id exists only for a VPN on a Transit Gateway; "
                    "this VPN terminates on a Virtual Private Gateway",
                )
            ],
        )
    return TransitGatewayAttachmentLookup(
        vpn,
        ATTACHMENT_LOOKUP_ID,
        vpn_connection_id=vpn.vpn_connection_id,
        transit_gateway_id=transit_gateway.transit_gateway_id,
    )


def tunnel_outside_ips_of(vpn: SiteToSiteVpn) -> TunnelOutsideIpLookup:
    """The VPN's outside-IP lookup, created on first use as a child of the VPN."""
    existing = vpn.node.try_find_child(OUTSIDE_IP_LOOKUP_ID)
    if isinstance(existing, TunnelOutsideIpLookup):
        return existing
    return TunnelOutsideIpLookup(vpn, OUTSIDE_IP_LOOKUP_ID, vpn_connection_id=vpn.vpn_connection_id)
