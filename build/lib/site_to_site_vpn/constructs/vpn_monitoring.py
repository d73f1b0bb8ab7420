"""Metric filters on a VPN's logs, its alarms, and the encrypted topic they notify.

Each alarm description says what to check first, in the order that finds most VPN faults fastest:
both tunnels configured, PSK and IKE parameters, DPD, routing and propagation, MTU/MSS.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from aws_cdk import Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from constructs import Construct

from site_to_site_vpn.constructs import metrics
from site_to_site_vpn.constructs.alarms import (
    AlarmRequest,
    AlarmSpec,
    VpnAlarmThresholds,
    create_alarm,
    validate_alarm_thresholds,
)
from site_to_site_vpn.constructs.log_patterns import FailureMetric, LogKind, patterns_for
from site_to_site_vpn.constructs.vpn_logging import stack_monitoring_key
from site_to_site_vpn.errors import Problem, is_token

#: Construct id of the stack-wide alarm topic, so every VPN in a stack finds the same one.
STACK_TOPIC_ID: Final = "SiteToSiteVpnAlarmTopic"


@dataclass(frozen=True)
class VpnMonitoringOptions:
    """Metric filters and alarms of one VPN. Use :meth:`disabled` to create neither."""

    #: Create the metric filters and alarms. @default True
    enabled: bool = True
    #: Where alarms notify (when they fire and when they clear). @default one topic per stack,
    #: encrypted with the stack's monitoring key and accepting TLS publishing only.
    topic: sns.ITopic | None = None
    #: Threshold, periods and missing data of every alarm. @default ``VpnAlarmThresholds()``
    thresholds: VpnAlarmThresholds = field(default_factory=VpnAlarmThresholds)
    #: Outside IPs of the two tunnels, for the per-tunnel alarms. @default the VPN's own lookup
    #: (``SiteToSiteVpn.tunnel_outside_ip_addresses``) where the library provides it, else none:
    #: then only the per-VPN TunnelState alarms exist.
    tunnel_outside_ip_addresses: tuple[str, ...] | None = None

    @staticmethod
    def disabled() -> VpnMonitoringOptions:
        """No metric filters and no alarms; ``SiteToSiteVpn.metric_*`` still work."""
        return VpnMonitoringOptions(enabled=False)


def validate_monitoring_options(
    options: VpnMonitoringOptions, prefix: str = "monitoring."
) -> list[Problem]:
    """Rules of :class:`VpnMonitoringOptions`."""
    problems = []
    if not isinstance(options.enabled, bool):
        problems.append(Problem(f"{prefix}enabled", options.enabled, "must be True or False"))
    if not isinstance(options.thresholds, VpnAlarmThresholds):
        problems.append(
            Problem(f"{prefix}thresholds", options.thresholds, "must be a VpnAlarmThresholds")
        )
    else:
        problems += validate_alarm_thresholds(options.thresholds, f"{prefix}thresholds.")
    ips = options.tunnel_outside_ip_addresses
    if ips is not None:
        literal = [ip for ip in ips if not is_token(ip)]
        if len(ips) not in (1, 2) or len(set(literal)) != len(literal):
            problems.append(
                Problem(
                    f"{prefix}tunnel_outside_ip_addresses",
                    list(ips),
                    "must be one or two distinct outside IPs (a VPN has two tunnels)",
                )
            )
    if options.enabled is False and options.topic is not None:
        problems.append(
            Problem(f"{prefix}topic", options.topic.node.path, "has no effect when disabled")
        )
    return problems


def stack_alarm_topic(scope: Construct) -> sns.Topic:
    """The stack's shared alarm topic: KMS-encrypted, TLS-only, CloudWatch alarms may publish."""
    stack = Stack.of(scope)
    existing = stack.node.try_find_child(STACK_TOPIC_ID)
    if isinstance(existing, sns.Topic):
        return existing
    key = stack_monitoring_key(stack)
    topic = sns.Topic(
        stack,
        STACK_TOPIC_ID,
        display_name="Site-to-Site VPN alarms",
        master_key=key,
        enforce_ssl=True,
    )
    alarm_arns = stack.format_arn(service="cloudwatch", resource="alarm", resource_name="*")
    same_account = {"StringEquals": {"aws:SourceAccount": stack.account}}
    from_alarms = {"ArnLike": {"aws:SourceArn": alarm_arns}}
    cloudwatch_service = iam.ServicePrincipal("cloudwatch.amazonaws.com")
    # The topic policy replaces SNS's default one, so CloudWatch's right to publish is explicit.
    topic.add_to_resource_policy(
        iam.PolicyStatement(
            sid="CloudWatchAlarmsPublish",
            principals=[cloudwatch_service],
            actions=["sns:Publish"],
            resources=[topic.topic_arn],
            conditions={**same_account, **from_alarms},
        )
    )
    # Publishing to an encrypted topic needs the key: CloudWatch encrypts the message through SNS.
    key.add_to_resource_policy(
        iam.PolicyStatement(
            sid="CloudWatchAlarmsEncrypt",
            principals=[cloudwatch_service],
            actions=["kms:Decrypt", "kms:GenerateDataKey*"],
            resources=["*"],
            conditions=same_account,
        )
    )
    return topic


_CHECKLIST: Final = (
    "Check in order: 1) both tunnels are configured on the customer gateway; "
    "2) PSK and IKE/IPsec proposals (version, cipher, integrity, DH group, lifetimes) match; "
    "3) DPD: the device answers DPD and does not time out first; "
    "4) routing: BGP sessions and advertised prefixes, or static routes, and route propagation to "
    "the VPC/TGW route tables; 5) MTU 1446 / TCP MSS 1379 on the device."
)


def _description(vpn_name: str, what: str, first: str, logs_hint: str | None) -> str:
    stop = "" if first.endswith(("?", ".")) else "."
    hint = f" Logs: {logs_hint}." if logs_hint else ""
    return f"[{vpn_name}] {what} First: {first}{stop}{hint} {_CHECKLIST}"


@dataclass(frozen=True)
class _LogGroups:
    tunnel: logs.ILogGroup | None
    bgp: logs.ILogGroup | None


class VpnMonitoring(Construct):
    """One VPN's metric filters and alarms, notifying an SNS topic."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        vpn_name: str,
        vpn_id: str,
        tunnel_log_group: logs.ILogGroup | None,
        bgp_log_group: logs.ILogGroup | None,
        options: VpnMonitoringOptions,
        tunnel_outside_ip_addresses: Sequence[str] | None = None,
    ) -> None:
        """
        :param tunnel_outside_ip_addresses: the tunnels' outside IPs when known (per-tunnel
            alarms). ``options.tunnel_outside_ip_addresses`` wins when both are given.
        """
        super().__init__(scope, construct_id)
        self.vpn_name = vpn_name
        self.vpn_id = vpn_id
        self.options = options
        self.topic: sns.ITopic = options.topic or stack_alarm_topic(self)
        self.log_groups = _LogGroups(tunnel_log_group, bgp_log_group)
        self.metric_filters: list[logs.MetricFilter] = []
        self.alarms: dict[str, cloudwatch.Alarm] = {}
        self._metric_filters()
        self._state_alarms(options.tunnel_outside_ip_addresses or tunnel_outside_ip_addresses)
        self._log_alarms()

    def _metric_filters(self) -> None:
        groups = ((LogKind.TUNNEL, self.log_groups.tunnel), (LogKind.BGP, self.log_groups.bgp))
        for kind, group in groups:
            if group is None:
                continue
            for pattern in patterns_for(kind):
                self.metric_filters.append(
                    logs.MetricFilter(
                        self,
                        f"{pattern.name}Filter",
                        log_group=group,
                        filter_pattern=logs.FilterPattern.literal(pattern.pattern),
                        metric_namespace=metrics.vpn_namespace(self.vpn_name),
                        metric_name=pattern.metric.value,
                        metric_value="1",
                        unit=cloudwatch.Unit.COUNT,
                    )
                )

    def _add(self, name: str, spec: AlarmSpec, metric: cloudwatch.Metric, description: str) -> None:
        if not spec.enabled:
            return
        self.alarms[name] = create_alarm(
            self,
            f"{name}Alarm",
            spec=spec,
            request=AlarmRequest(metric=metric, description=description, topic=self.topic),
        )

    def _state_alarms(self, outside_ips: Sequence[str] | None) -> None:
        t = self.options.thresholds
        tunnel = self.log_groups.tunnel
        tunnel_logs = tunnel.log_group_name if tunnel is not None else None
        self._add(
            "VpnDown",
            t.vpn_down,
            metrics.tunnel_state(vpn_id=self.vpn_id),
            _description(
                self.vpn_name,
                "Both tunnels are down (AWS/VPN TunnelState = 0): on-premises is unreachable.",
                "is the customer gateway up and reaching both AWS outside IPs on UDP 500/4500?",
                tunnel_logs,
            ),
        )
        self._add(
            "RedundancyLost",
            t.redundancy_lost,
            metrics.tunnel_state(vpn_id=self.vpn_id),
            _description(
                self.vpn_name,
                "At least one tunnel has been down for the whole window (TunnelState < 1): "
                "traffic still flows, but over one tunnel with no failover.",
                "is the second tunnel configured on the device at all?",
                tunnel_logs,
            ),
        )
        for index, ip in enumerate(outside_ips or (), start=1):
            self._add(
                f"Tunnel{index}Down",
                t.tunnel_down,
                metrics.tunnel_state(vpn_id=self.vpn_id, tunnel_outside_ip=ip),
                _description(
                    self.vpn_name,
                    f"Tunnel {index} is down (TunnelState by TunnelIpAddress).",
                    "the tunnel log stream of this outside IP: IKE phase 1/2 state and details",
                    tunnel_logs,
                ),
            )

    def _log_alarms(self) -> None:
        t = self.options.thresholds
        if self.log_groups.tunnel is not None:
            self._add(
                "NegotiationFailures",
                t.negotiation_failures,
                metrics.log_failures(
                    FailureMetric.IKE_NEGOTIATION_FAILURES, vpn_name=self.vpn_name
                ),
                _description(
                    self.vpn_name,
                    "IKE negotiation failed (PSK mismatch, no proposal match, traffic selector "
                    "unacceptable or phase 2 failure).",
                    "the matching tunnel log record names which; compare PSK and proposals "
                    "with the tunnel options",
                    self.log_groups.tunnel.log_group_name,
                ),
            )
            self._add(
                "DpdTimeouts",
                t.dpd_timeouts,
                metrics.log_failures(FailureMetric.DPD_TIMEOUTS, vpn_name=self.vpn_name),
                _description(
                    self.vpn_name,
                    "Dead peer detection timed out: the customer gateway stopped answering.",
                    "device reboot, ISP path or a firewall dropping UDP 4500; DPD enabled on the "
                    "device with an interval below the AWS timeout",
                    self.log_groups.tunnel.log_group_name,
                ),
            )
        if self.log_groups.bgp is not None:
            self._add(
                "BgpSessionDown",
                t.bgp_session_down,
                metrics.log_failures(FailureMetric.BGP_SESSION_DOWN, vpn_name=self.vpn_name),
                _description(
                    self.vpn_name,
                    "A BGP session left Established (BGPStatus DOWN).",
                    "the BGP log record: hold timer expired (tunnel or device), ASN mismatch, "
                    "or prefix limit exceeded; then route propagation",
                    self.log_groups.bgp.log_group_name,
                ),
            )
