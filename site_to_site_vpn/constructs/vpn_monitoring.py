"""Metric filters on a VPN's logs, its alarms, saved Logs Insights queries, the encrypted topic
the alarms notify, and the dashboard widgets of all of it.

The many small per-VPN resources (metric filters, alarms, query definitions) are L1 constructs
built from prebuilt properties, one jsii call each: a sites file of 1,000 VPNs creates thousands.
Each alarm's name says what fires it; its description adds what to check first, in the order that
finds most VPN faults fastest: both tunnels configured, PSK and IKE parameters, DPD, routing and
propagation, MTU/MSS.
"""

from __future__ import annotations

import sys
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

import jsii
from aws_cdk import Duration, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from constructs import Construct

from site_to_site_vpn.constructs import metrics
from site_to_site_vpn.constructs.alarms import (
    AlarmRequest,
    AlarmSpec,
    MetricRef,
    VpnAlarmSpecs,
    create_alarm,
    validate_alarm_specs,
)
from site_to_site_vpn.constructs.health_events import vpn_health_event_rule
from site_to_site_vpn.constructs.rules import is_token
from site_to_site_vpn.constructs.scope_facts import stack_facts, stack_of
from site_to_site_vpn.constructs.tunnel_options import log_group_name_of
from site_to_site_vpn.constructs.vpn_logging import stack_monitoring_key
from site_to_site_vpn.core.errors import Problem
from site_to_site_vpn.logs import queries
from site_to_site_vpn.logs.catalog import (
    BGP_DOWN,
    DPD_TIMEOUT,
    IKE_FAILURE,
    PREFIX_LIMIT_WARNING,
    ROUTE_DENIED,
    LogKind,
    classes_for,
)

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
    #: Further actions on ALARM and on OK besides the topic: any ``cloudwatch.IAlarmAction``
    #: (``cloudwatch_actions.SnsAction``, ``LambdaAction``, ...), each bound to every alarm.
    #: @default none
    alarm_actions: tuple[cloudwatch.IAlarmAction, ...] = ()
    #: Statistic, threshold, periods and missing data of every alarm. @default ``VpnAlarmSpecs()``
    alarms: VpnAlarmSpecs = field(default_factory=VpnAlarmSpecs)
    #: Saved Logs Insights queries "why is this tunnel down", "BGP flaps" and "BGP routes
    #: denied" on the VPN's log groups. @default True
    saved_queries: bool = True
    #: Outside IPs of the two tunnels, for the per-tunnel alarms. @default the VPN's own lookup
    #: (``SiteToSiteVpn.tunnel_outside_ip_addresses``) where the library provides it, else none:
    #: then only the per-VPN TunnelState alarms exist.
    tunnel_outside_ip_addresses: tuple[str, ...] | None = None
    #: Also create ``RedundancyLost`` when both tunnels have their own ``TunnelADown`` /
    #: ``TunnelBDown`` alarm. @default False: those two fire for the same outage at the same
    #: minute (both are 3 of 3 five-minute periods of a tunnel down) and name the tunnel, so
    #: ``RedundancyLost`` would only page a second time; it is created when a tunnel has no
    #: alarm of its own (outside IPs unknown, or ``tunnel_down`` disabled).
    redundancy_lost_with_tunnel_alarms: bool = False
    #: Send AWS Health events of the VPN service (tunnel endpoint replacements, single-tunnel and
    #: redundancy-loss notifications...) to ``topic``: one EventBridge rule per stack, whatever
    #: the number of VPNs (a rule sees every VPN event of its account and Region). @default True
    health_events: bool = True

    @property
    def specs(self) -> VpnAlarmSpecs:
        """The alarm specs in force."""
        return self.alarms

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
    for index, action in enumerate(options.alarm_actions):
        if not callable(getattr(action, "bind", None)):
            problems.append(
                Problem(
                    f"{prefix}alarm_actions[{index}]",
                    type(action).__name__,
                    "must be a cloudwatch.IAlarmAction",
                )
            )
    name = "alarms"
    if not isinstance(options.specs, VpnAlarmSpecs):
        problems.append(Problem(f"{prefix}{name}", options.specs, "must be a VpnAlarmSpecs"))
    else:
        problems += validate_alarm_specs(options.specs, f"{prefix}{name}.")
    if not isinstance(options.redundancy_lost_with_tunnel_alarms, bool):
        problems.append(
            Problem(
                f"{prefix}redundancy_lost_with_tunnel_alarms",
                options.redundancy_lost_with_tunnel_alarms,
                "must be True or False",
            )
        )
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
    if not isinstance(options.health_events, bool):
        problems.append(
            Problem(f"{prefix}health_events", options.health_events, "must be True or False")
        )
    if options.enabled is False and options.topic is not None:
        problems.append(
            Problem(f"{prefix}topic", options.topic.node.path, "has no effect when disabled")
        )
    return problems


#: Per stack: its alarm topic; per topic (the stack's or one passed in, such as the imported
#: topic every VPN of a sites stack shares): its ARN token. Later VPNs ask jsii for neither.
_STACK_TOPICS: weakref.WeakKeyDictionary[Stack, sns.Topic] = weakref.WeakKeyDictionary()
_TOPIC_ARNS: weakref.WeakKeyDictionary[sns.ITopic, str] = weakref.WeakKeyDictionary()


def stack_alarm_topic(scope: Construct) -> sns.Topic:
    """The stack's shared alarm topic: KMS-encrypted, TLS-only, CloudWatch alarms may publish."""
    stack = stack_of(scope)
    cached = _STACK_TOPICS.get(stack)
    if cached is not None:
        return cached
    existing = stack.node.try_find_child(STACK_TOPIC_ID)
    if isinstance(existing, sns.Topic):
        _STACK_TOPICS[stack] = existing
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
    _STACK_TOPICS[stack] = topic
    return topic


def _topic_arn(topic: sns.ITopic) -> str:
    arn = _TOPIC_ARNS.get(topic)
    if arn is None:
        arn = _TOPIC_ARNS[topic] = topic.topic_arn
    return arn


#: "What to check first" (docs/guides/monitoring.md) in short: every alarm carries it.
_CHECKLIST: Final = (
    "Check in order: 1) both tunnels on the device; 2) PSK and IKE/IPsec proposals match; "
    "3) DPD answered; 4) BGP or static routes, and route propagation; "
    "5) MTU 1446 / TCP MSS 1379."
)


@dataclass(frozen=True)
class _AlarmText:
    """What an alarm is about: its short title, what it means, and what to look at first."""

    key: str
    title: str
    meaning: str
    first: str


_VPN_DOWN: Final = _AlarmText(
    "VpnDown",
    "both tunnels down",
    "No tunnel was up for a whole period: on-premises is unreachable.",
    "is the customer gateway up and reaching both AWS outside IPs on UDP 500/4500?",
)
_REDUNDANCY_LOST: Final = _AlarmText(
    "RedundancyLost",
    "a tunnel down for 15 minutes",
    "The two tunnels were never both up, period after period: traffic still flows over one "
    "tunnel, with no failover. AWS's maintenance takes one tunnel down for minutes, not this long.",
    "is the second tunnel configured on the device at all?",
)
_LOG_TEXTS: Final = {
    IKE_FAILURE.name: _AlarmText(
        "NegotiationFailures",
        "IKE negotiation failed",
        "A tunnel log record reports an IKE failure (pre-shared key mismatch, no proposal match, "
        "traffic selector unacceptable, phase 2 failure, AUTHENTICATION_FAILED, or an "
        "abandoned phase 1).",
        "the matching tunnel log record names which; compare PSK and proposals with the tunnel "
        "options",
    ),
    DPD_TIMEOUT.name: _AlarmText(
        "DpdTimeouts",
        "dead peer detection timed out",
        "Dead peer detection timed out: the customer gateway stopped answering.",
        "device reboot, ISP path or a firewall dropping UDP 4500; DPD enabled on the device with "
        "an interval below the AWS timeout",
    ),
    BGP_DOWN.name: _AlarmText(
        "BgpSessionDown",
        "a BGP session went down",
        "A BGP session left Established (not the DOWN-status records of a session coming up).",
        "the BGP log record: hold timer expired (tunnel or device), or prefix limit exceeded; "
        "then route propagation",
    ),
    PREFIX_LIMIT_WARNING.name: _AlarmText(
        "PrefixLimitWarning",
        "approaching the route quota",
        "AWS logged a maximum prefix limit warning: the customer gateway advertises nearly as "
        "many prefixes as AWS accepts. The session is still up; the next record, 'maximum "
        "prefix limit was exceeded', tears it down.",
        "the prefixes in the record against the quota (100 routes from a customer gateway); "
        "summarise routes on the device",
    ),
    ROUTE_DENIED.name: _AlarmText(
        "RoutesDenied",
        "AWS denied an advertised route",
        "A RouteStatus record says AWS denied a route the customer gateway advertised "
        "('DENIED due to: ...').",
        "the record's reason (own AS in the AS path, non-connected next hop) and prefix",
    ),
}


def _description(vpn_name: str, text: _AlarmText, condition: str, logs_hint: str | None) -> str:
    stop = "" if text.first.endswith(("?", ".")) else "."
    hint = f" Logs: {logs_hint}." if logs_hint else ""
    return (
        f"[{vpn_name}] {text.meaning} Fires when {condition}. First: {text.first}{stop}{hint} "
        f"{_CHECKLIST}"
    )


@dataclass(frozen=True)
class _LogGroups:
    tunnel: logs.ILogGroup | None
    bgp: logs.ILogGroup | None


def state_and_traffic_widgets(
    *, vpn_name: str, vpn_id: str, period: Duration
) -> list[cloudwatch.IWidget]:
    """A VPN's heading, TunnelState and TunnelDataIn/Out graphs (with or without monitoring)."""
    dims = metrics.aws_vpn_dimensions(vpn_id=vpn_id)
    return [
        cloudwatch.TextWidget(markdown=f"## VPN {vpn_name}", width=24, height=1),
        cloudwatch.GraphWidget(
            title=f"{vpn_name}: tunnel state (fraction of tunnels up)",
            left=[
                metrics.aws_vpn_metric("TunnelState", dims, period=period, label="any up"),
                metrics.aws_vpn_metric(
                    "TunnelState", dims, statistic="Minimum", period=period, label="all up"
                ),
            ],
            left_y_axis=cloudwatch.YAxisProps(min=0, max=1),
            width=8,
        ),
        cloudwatch.GraphWidget(
            title=f"{vpn_name}: tunnel data (bytes)",
            left=[
                metrics.aws_vpn_metric("TunnelDataIn", dims, period=period, label="in"),
                metrics.aws_vpn_metric("TunnelDataOut", dims, period=period, label="out"),
            ],
            width=8,
        ),
    ]


#: The saved Logs Insights queries: (log kind, construct id, title, query).
_SAVED_QUERIES: Final = (
    (LogKind.TUNNEL, "WhyTunnelDownQuery", queries.WHY_TUNNEL_DOWN, queries.why_tunnel_down_query),
    (LogKind.BGP, "BgpFlapsQuery", queries.BGP_FLAPS, queries.bgp_flaps_query),
    (LogKind.BGP, "RoutesDeniedQuery", queries.ROUTES_DENIED, queries.routes_denied_query),
)


def add_saved_queries(
    scope: Construct,
    *,
    folder: str,
    log_group_names: Mapping[LogKind, str | None] | None,
) -> list[logs.CfnQueryDefinition]:
    """The saved queries, in the console folder ``site-to-site-vpn/<folder>``.

    With ``log_group_names`` each query is scoped to its kind's group (none without one); with
    None the queries name no group and the console asks for them when one is run (one pair of
    queries for many VPNs).
    """
    created = []
    for kind, construct_id, title, query in _SAVED_QUERIES:
        group_name = None if log_group_names is None else log_group_names.get(kind)
        if log_group_names is not None and group_name is None:
            continue
        created.append(
            logs.CfnQueryDefinition(
                scope,
                construct_id,
                name=queries.query_name(folder, title),
                query_string=query(),
                log_group_names=None if group_name is None else [group_name],
            )
        )
    return created


def _as_dashboard_segment(cls: type[Construct]) -> None:
    """Declare ``cls`` a cdk-monitoring-constructs ``IDashboardSegment`` when the app uses that
    library (already imported), so ``MonitoringFacade.add_segment(vpn.monitoring)`` works; the
    library stays optional (never imported here). Declared before the first instance exists:
    jsii sends an object's interfaces when it creates it."""
    segment = getattr(sys.modules.get("cdk_monitoring_constructs"), "IDashboardSegment", None)
    if segment is not None and segment not in getattr(cls, "__jsii_ifaces__", ()):
        jsii.implements(segment)(cls)


class VpnMonitoring(Construct):
    """One VPN's metric filters, alarms and saved queries, notifying an SNS topic."""

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
        tunnel_inside_cidrs: Sequence[str] | None = None,
    ) -> None:
        """
        :param tunnel_outside_ip_addresses: the tunnels' outside IPs when known (per-tunnel
            alarms). ``options.tunnel_outside_ip_addresses`` wins when both are given.
        :param tunnel_inside_cidrs: the inside CIDR of each of those tunnels, same order, when
            known: the alarm then names the tunnel by both.
        """
        _as_dashboard_segment(type(self))
        super().__init__(scope, construct_id)
        self.vpn_name = vpn_name
        self.vpn_id = vpn_id
        self.options = options
        stack = stack_of(self, scope=scope)
        self.topic: sns.ITopic = options.topic or stack_alarm_topic(stack)
        self._topic_arn = _topic_arn(self.topic)
        self._name_prefix = f"{stack_facts(stack).name}/{vpn_name}"
        self.log_groups = _LogGroups(tunnel_log_group, bgp_log_group)
        self._group_names = {
            LogKind.TUNNEL: log_group_name_of(tunnel_log_group) if tunnel_log_group else None,
            LogKind.BGP: log_group_name_of(bgp_log_group) if bgp_log_group else None,
        }
        self.metric_filters: list[logs.CfnMetricFilter] = []
        self.alarms: dict[str, cloudwatch.CfnAlarm] = {}
        self._alarm_views: dict[str, cloudwatch.IAlarm] = {}
        self.query_definitions: list[logs.CfnQueryDefinition] = []
        self._metric_filters()
        if options.tunnel_outside_ip_addresses is not None:
            tunnel_outside_ip_addresses = options.tunnel_outside_ip_addresses
            tunnel_inside_cidrs = None
        self._state_alarms(tunnel_outside_ip_addresses, tunnel_inside_cidrs)
        self._log_alarms()
        if options.saved_queries:
            self._saved_queries()
        #: The stack's AWS Health rule (shared by every VPN of the stack), or None.
        self.health_event_rule: events.CfnRule | None = (
            vpn_health_event_rule(stack, self.topic) if options.health_events else None
        )

    def _metric_filters(self) -> None:
        namespace = metrics.vpn_namespace(self.vpn_name)
        for kind, group_name in self._group_names.items():
            if group_name is None:
                continue
            for failure in classes_for(kind):
                self.metric_filters.append(
                    logs.CfnMetricFilter(
                        self,
                        f"{failure.metric.value}Filter",
                        log_group_name=group_name,
                        filter_pattern=failure.json_pattern,
                        metric_transformations=[
                            logs.CfnMetricFilter.MetricTransformationProperty(
                                metric_name=failure.metric.value,
                                metric_namespace=namespace,
                                metric_value="1",
                                unit="Count",
                            )
                        ],
                    )
                )

    def _add(
        self, text: _AlarmText, spec: AlarmSpec, metric: MetricRef, what: str, logs_hint: str | None
    ) -> None:
        if not spec.enabled:
            return
        condition = spec.condition(what)
        alarm = self.alarms[text.key] = create_alarm(
            self,
            f"{text.key}Alarm",
            spec=spec,
            request=AlarmRequest(
                metric=metric,
                name=f"{self._name_prefix} {text.key}: {text.title} ({condition})",
                description=_description(self.vpn_name, text, condition, logs_hint),
                action_arns=(self._topic_arn,),
            ),
        )
        if self.options.alarm_actions:
            view = self.cloudwatch_alarms[text.key]
            arns = [self._topic_arn]
            arns += [a.bind(self, view).alarm_action_arn for a in self.options.alarm_actions]
            alarm.alarm_actions = arns
            alarm.ok_actions = arns

    def _state_alarms(
        self, outside_ips: Sequence[str] | None, inside_cidrs: Sequence[str] | None
    ) -> None:
        specs = self.options.specs
        tunnel_logs = self._group_names[LogKind.TUNNEL]
        per_vpn = metrics.tunnel_state_ref(vpn_id=self.vpn_id)
        self._add(_VPN_DOWN, specs.vpn_down, per_vpn, "TunnelState (VpnId)", tunnel_logs)
        each_tunnel_alarmed = specs.tunnel_down.enabled and len(outside_ips or ()) == 2
        if not each_tunnel_alarmed or self.options.redundancy_lost_with_tunnel_alarms:
            self._add(
                _REDUNDANCY_LOST,
                specs.redundancy_lost,
                per_vpn,
                "TunnelState (VpnId)",
                tunnel_logs,
            )
        # Per tunnel, named by outside IP, not by tunnel number: DescribeVpnConnections lists
        # the tunnels in an order that need not be tunnel1/tunnel2 of the template (AWS gives no
        # tunnel number in the TunnelIpAddress dimension either), so the alarm names the IP the
        # operator finds as the IPsec peer on the device, and claims nothing else.
        cidrs: Sequence[str | None] = inside_cidrs or (None, None)
        for letter, ip, cidr in zip("AB", outside_ips or (), cidrs, strict=False):
            inside = f" and inside CIDR {cidr}" if cidr is not None else ""
            text = _AlarmText(
                f"Tunnel{letter}Down",
                f"the tunnel to AWS outside IP {ip} down",
                f"The tunnel whose AWS-side outside IP is {ip}{inside} (TunnelState by "
                "TunnelIpAddress) is down; find it on the device by that peer IP.",
                "the tunnel log stream of this outside IP: IKE phase 1/2 state and details",
            )
            self._add(
                text,
                specs.tunnel_down,
                metrics.tunnel_state_ref(vpn_id=self.vpn_id, tunnel_outside_ip=ip),
                "TunnelState (TunnelIpAddress)",
                tunnel_logs,
            )

    def _log_alarms(self) -> None:
        specs = self.options.specs
        spec_of: dict[str, AlarmSpec] = {
            IKE_FAILURE.name: specs.negotiation_failures,
            DPD_TIMEOUT.name: specs.dpd_timeouts,
            BGP_DOWN.name: specs.bgp_session_down,
            PREFIX_LIMIT_WARNING.name: specs.prefix_limit_warning,
            ROUTE_DENIED.name: specs.routes_denied,
        }
        for kind, group_name in self._group_names.items():
            if group_name is None:
                continue
            for failure in classes_for(kind):
                self._add(
                    _LOG_TEXTS[failure.name],
                    spec_of[failure.name],
                    metrics.log_failures_ref(failure.metric, vpn_name=self.vpn_name),
                    f"{failure.metric.value} (log records)",
                    group_name,
                )

    def _saved_queries(self) -> None:
        self.query_definitions = add_saved_queries(
            self, folder=self.vpn_name, log_group_names=self._group_names
        )

    @property
    def cloudwatch_alarms(self) -> dict[str, cloudwatch.IAlarm]:
        """The alarms as ``cloudwatch.IAlarm`` (for composite alarms, widgets, other libraries),
        by key (``VpnDown``, ``TunnelADown``, ...); each view is created once."""
        for key, alarm in self.alarms.items():
            if key not in self._alarm_views:
                self._alarm_views[key] = cloudwatch.Alarm.from_alarm_arn(
                    self, f"{key}View", alarm.attr_arn
                )
        return dict(self._alarm_views)

    def alarm_widgets(self) -> list[cloudwatch.IWidget]:
        """The alarm status of this VPN (cdk-monitoring-constructs' ``IDashboardSegment``)."""
        if not self.alarms:
            return []
        return [
            cloudwatch.AlarmStatusWidget(
                title=f"{self.vpn_name}: alarms",
                alarms=list(self.cloudwatch_alarms.values()),
                width=8,
            )
        ]

    def summary_widgets(self) -> list[cloudwatch.IWidget]:
        """State and traffic only (``IDashboardSegment``'s summary dashboard)."""
        return state_and_traffic_widgets(
            vpn_name=self.vpn_name, vpn_id=self.vpn_id, period=metrics.DEFAULT_PERIOD
        )

    def widgets(self, period: Duration = metrics.DEFAULT_PERIOD) -> list[cloudwatch.IWidget]:
        """This VPN's dashboard row(s): state, traffic, alarm status and the last failures."""
        result = state_and_traffic_widgets(
            vpn_name=self.vpn_name, vpn_id=self.vpn_id, period=period
        )
        result += self.alarm_widgets()
        tunnel, bgp = self._group_names[LogKind.TUNNEL], self._group_names[LogKind.BGP]
        for group_name, title, query in (
            (tunnel, "last tunnel failures", queries.tunnel_failures_query()),
            (bgp, "last BGP session failures", queries.bgp_failures_query()),
        ):
            if group_name is None:
                continue
            result.append(
                cloudwatch.LogQueryWidget(
                    title=f"{self.vpn_name}: {title}",
                    log_group_names=[group_name],
                    query_string=query,
                    view=cloudwatch.LogQueryVisualizationType.TABLE,
                    width=24 if tunnel is None or bgp is None else 12,
                )
            )
        return result
