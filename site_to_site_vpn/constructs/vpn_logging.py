"""Log groups for a VPN's tunnel activity and BGP logs, and the KMS key that encrypts them.

Logs are the operator's first stop when a tunnel fails, and evidence afterwards, so they are on by
default, kept (RETAIN) when the stack goes, and encrypted with a customer-managed key whose policy
lets CloudWatch Logs use it for exactly these log groups.

A retained group outlives its stack. With a fixed name, re-creating the VPN (a site removed and
added back, a stack deleted and deployed again) would fail with "already exists". So each creation
of a VPN's groups gets its own name: ``/aws/vendedlogs/site-to-site-vpn/<vpn_name>/<creation>/
tunnel``, where ``<creation>`` is the name CloudFormation generates for a small SSM parameter
created with the groups (``CreationId``; a new one, with a new name, each time the groups are
created). The older groups stay, with their records, next to the new ones under the same prefix.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Final

import jsii
from aws_cdk import IListProducer, IResolveContext, Lazy, RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from site_to_site_vpn.constructs.scope_facts import stack_facts, stack_of
from site_to_site_vpn.constructs.tunnel_options import (
    LogOutputFormat,
    TunnelLogOptions,
    remember_log_group,
)
from site_to_site_vpn.core.errors import Problem

#: AWS's recommended prefix for vended logs: CloudWatch Logs then needs no per-group entry in its
#: 5,120-character resource policy.
LOG_GROUP_PREFIX: Final = "/aws/vendedlogs/site-to-site-vpn"
#: Construct id of the stack-wide key, so every VPN in a stack finds the same one.
STACK_KEY_ID: Final = "SiteToSiteVpnMonitoringKey"
#: A year covers an annual audit and year-over-year comparisons of flapping; longer is a choice.
DEFAULT_RETENTION: Final = logs.RetentionDays.ONE_YEAR


@dataclass(frozen=True)
class VpnLoggingOptions:
    """Tunnel activity and BGP logs of one VPN. Use :meth:`disabled` to turn logging off."""

    #: Write tunnel (and, for BGP routing, BGP) logs to CloudWatch Logs. @default True
    enabled: bool = True
    #: How long log records are kept. @default one year (``DEFAULT_RETENTION``).
    retention: logs.RetentionDays = DEFAULT_RETENTION
    #: What happens to created log groups when they leave the stack. @default RETAIN: logs are
    #: evidence of what the tunnels did.
    removal_policy: RemovalPolicy = RemovalPolicy.RETAIN
    #: Key for created log groups. Its policy must let ``logs.<region>.amazonaws.com`` use it.
    #: @default one customer-managed key per stack (rotation on), shared by its VPNs.
    encryption_key: kms.IKey | None = None
    #: An existing group for tunnel activity logs. @default a new group
    #: ``/aws/vendedlogs/site-to-site-vpn/<vpn_name>/<creation>/tunnel`` (see the module doc)
    tunnel_log_group: logs.ILogGroup | None = None
    #: An existing group for BGP logs (BGP routing only). @default a new group
    #: ``/aws/vendedlogs/site-to-site-vpn/<vpn_name>/<creation>/bgp`` for a BGP VPN, none for a
    #: static one.
    bgp_log_group: logs.ILogGroup | None = None
    #: @default JSON, which the metric filters and Logs Insights queries read.
    output_format: LogOutputFormat = LogOutputFormat.JSON

    @staticmethod
    def disabled() -> VpnLoggingOptions:
        """No tunnel or BGP logs (and so no log-based metrics or alarms)."""
        return VpnLoggingOptions(enabled=False)


def validate_logging_options(
    options: VpnLoggingOptions, *, bgp: bool, metric_filters: bool = True, prefix: str = "logging."
) -> list[Problem]:
    """Rules of :class:`VpnLoggingOptions`, given whether the VPN routes with BGP and whether
    metric filters (monitoring) read the logs: only they need JSON; AWS writes either format."""
    problems = []
    if not isinstance(options.enabled, bool):
        problems.append(Problem(f"{prefix}enabled", options.enabled, "must be True or False"))
    if not isinstance(options.retention, logs.RetentionDays):
        problems.append(
            Problem(f"{prefix}retention", options.retention, "must be a logs.RetentionDays")
        )
    if not isinstance(options.output_format, LogOutputFormat):
        problems.append(
            Problem(f"{prefix}output_format", options.output_format, "must be a LogOutputFormat")
        )
    elif options.output_format is not LogOutputFormat.JSON and metric_filters:
        problems.append(
            Problem(
                f"{prefix}output_format",
                options.output_format.value,
                "must be json while monitoring is on: its metric filters read JSON records "
                "(text is fine with monitoring=VpnMonitoringOptions.disabled())",
            )
        )
    if not bgp and options.bgp_log_group is not None:
        problems.append(
            Problem(
                f"{prefix}bgp_log_group",
                options.bgp_log_group.node.path,
                "is only used with BGP routing; a static VPN writes no BGP logs",
            )
        )
    if options.enabled is False:
        for name in ("encryption_key", "tunnel_log_group", "bgp_log_group"):
            if getattr(options, name) is not None:
                problems.append(
                    Problem(f"{prefix}{name}", "given", "has no effect with logging disabled")
                )
    return problems


def log_group_prefix(vpn_name: str) -> str:
    """``/aws/vendedlogs/site-to-site-vpn/<vpn_name>/``: every group ever created for the VPN."""
    return f"{LOG_GROUP_PREFIX}/{vpn_name}/"


def log_group_name(vpn_name: str, kind: str, creation: str) -> str:
    """``/aws/vendedlogs/site-to-site-vpn/<vpn_name>/<creation>/<kind>``."""
    return f"{log_group_prefix(vpn_name)}{creation}/{kind}"


def stack_monitoring_key(scope: Construct) -> kms.Key:
    """The stack's shared key for VPN logs and the alarm topic, created on first use."""
    stack = stack_of(scope)
    existing = stack.node.try_find_child(STACK_KEY_ID)
    if isinstance(existing, kms.Key):
        return existing
    return kms.Key(
        stack,
        STACK_KEY_ID,
        description="Encrypts Site-to-Site VPN tunnel/BGP logs and VPN alarm notifications",
        enable_key_rotation=True,
        # Retained log groups stay readable only while their key exists.
        removal_policy=RemovalPolicy.RETAIN,
    )


@jsii.implements(IListProducer)
class _LogGroupArns:
    """The log group ARNs one key's CloudWatch Logs statement names, filled in as groups are
    created and read at synth time (after the last site)."""

    def __init__(self) -> None:
        self.arns: list[str] = []

    def produce(self, context: IResolveContext) -> list[str] | None:
        return list(self.arns)


#: One statement per key, whatever the number of VPNs: a statement per VPN cost about ten jsii
#: round trips each, and made the key policy grow by a statement per site.
_KEY_GRANTS: weakref.WeakKeyDictionary[kms.IKey, _LogGroupArns] = weakref.WeakKeyDictionary()


def allow_logs_to_use_key(key: kms.IKey, scope: Construct, log_group_names: list[str]) -> None:
    """Let CloudWatch Logs use ``key`` for exactly ``log_group_names`` (and no other group).

    The ARNs are built from the names, not taken from the log groups, so the key policy does not
    depend on the log groups that depend on the key. All groups of one key share one statement
    (Sid ``CloudWatchLogsUseKey``), its ``ArnEquals`` list completed at synth time.
    """
    facts = stack_facts(scope)
    arns = [facts.arn("logs", "log-group", name) for name in log_group_names]
    grant = _KEY_GRANTS.get(key)
    if grant is None:
        grant = _KEY_GRANTS[key] = _LogGroupArns()
        key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="CloudWatchLogsUseKey",
                principals=[iam.ServicePrincipal(f"logs.{facts.region}.amazonaws.com")],
                actions=[
                    "kms:Encrypt",
                    "kms:Decrypt",
                    "kms:ReEncrypt*",
                    "kms:GenerateDataKey*",
                    "kms:Describe*",
                ],
                resources=["*"],
                conditions={
                    "ArnEquals": {"kms:EncryptionContext:aws:logs:arn": Lazy.uncached_list(grant)}
                },
            )
        )
    grant.arns.extend(arns)


class VpnLogging(Construct):
    """The log groups of one VPN (created here or passed in) as the tunnels' ``LogOptions``."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        vpn_name: str,
        bgp: bool,
        options: VpnLoggingOptions,
    ) -> None:
        super().__init__(scope, construct_id)
        stack_of(self, scope=scope)
        self.options = options
        self.vpn_name = vpn_name
        self.encryption_key: kms.IKey | None = None
        self.creation_id: ssm.CfnParameter | None = None
        self._creation_ref: str | None = None
        created: list[str] = []
        self.tunnel_log_group = options.tunnel_log_group or self._log_group(
            "TunnelLogGroup", "tunnel", created
        )
        self.bgp_log_group: logs.ILogGroup | None = None
        if bgp:
            self.bgp_log_group = options.bgp_log_group or self._log_group(
                "BgpLogGroup", "bgp", created
            )
        if created and self.encryption_key is not None:
            allow_logs_to_use_key(self.encryption_key, self, created)

    def _creation(self) -> str:
        """The name CloudFormation gives this creation's ``CreationId`` parameter (a token)."""
        if self._creation_ref is None:
            self.creation_id = ssm.CfnParameter(
                self,
                "CreationId",
                type="String",
                value=self.vpn_name,
                description=(
                    "Its generated name makes the names of this VPN's retained log groups unique "
                    "to one creation, so re-creating the VPN never collides with old groups"
                ),
            )
            self._creation_ref = self.creation_id.ref
        return self._creation_ref

    def _log_group(self, construct_id: str, kind: str, created: list[str]) -> logs.LogGroup:
        if self.encryption_key is None:
            self.encryption_key = self.options.encryption_key or stack_monitoring_key(self)
        name = log_group_name(self.vpn_name, kind, self._creation())
        group = logs.LogGroup(
            self,
            construct_id,
            log_group_name=name,
            retention=self.options.retention,
            removal_policy=self.options.removal_policy,
            encryption_key=self.encryption_key,
        )
        # The Ref, not the plain name: what reads it (the tunnels' LogOptions, metric filters,
        # queries) must wait for the group, and a Ref is what makes CloudFormation wait.
        ref = group.log_group_name
        remember_log_group(group, name=ref, arn=stack_facts(self).arn("logs", "log-group", ref))
        created.append(name)
        return group

    @property
    def tunnel_log_options(self) -> TunnelLogOptions:
        """The hook the tunnels render into ``LogOptions.CloudwatchLogOptions``."""
        return TunnelLogOptions(
            tunnel_log_group=self.tunnel_log_group,
            bgp_log_group=self.bgp_log_group,
            output_format=self.options.output_format,
        )
