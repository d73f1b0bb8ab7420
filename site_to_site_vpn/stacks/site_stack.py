"""A site stack: the VPNs of the sites the lock file placed in one shard.

Each site is a :class:`SiteToSiteVpn` whose construct id is the site's name, so its logical ids
depend on its name and its stack only, never on the other sites or their order. The hub's ids come
from SSM parameters (see :mod:`site_to_site_vpn.stacks.hub_stack`), resolved by CloudFormation at
deploy time.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace
from typing import Any, Final

import aws_cdk as cdk
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from site_to_site_vpn.constructs.alarms import TUNNEL_DOWN, VpnAlarmSpecs
from site_to_site_vpn.constructs.customer_gateway import CustomerGatewayProps
from site_to_site_vpn.constructs.reachability import VpnReachabilityPaths
from site_to_site_vpn.constructs.site_to_site_vpn import SiteToSiteVpn
from site_to_site_vpn.constructs.transit_gateway_hub import (
    ITransitGatewayHub,
    TransitGatewayHub,
)
from site_to_site_vpn.constructs.vpn_concentrator import IVpnConcentrator, VpnConcentrator
from site_to_site_vpn.constructs.vpn_logging import VpnLoggingOptions
from site_to_site_vpn.constructs.vpn_monitoring import VpnMonitoringOptions
from site_to_site_vpn.sites.lock import SitePlacement
from site_to_site_vpn.sites.model import MonitoringSpec, SitesFile, SiteSpec
from site_to_site_vpn.stacks.hub_stack import HubParameters, is_parameter

#: CloudWatch Logs retention values in days, as aws-cdk names them.
RETENTION_BY_DAYS: Final = {
    1: logs.RetentionDays.ONE_DAY,
    3: logs.RetentionDays.THREE_DAYS,
    5: logs.RetentionDays.FIVE_DAYS,
    7: logs.RetentionDays.ONE_WEEK,
    14: logs.RetentionDays.TWO_WEEKS,
    30: logs.RetentionDays.ONE_MONTH,
    60: logs.RetentionDays.TWO_MONTHS,
    90: logs.RetentionDays.THREE_MONTHS,
    120: logs.RetentionDays.FOUR_MONTHS,
    150: logs.RetentionDays.FIVE_MONTHS,
    180: logs.RetentionDays.SIX_MONTHS,
    365: logs.RetentionDays.ONE_YEAR,
    400: logs.RetentionDays.THIRTEEN_MONTHS,
    545: logs.RetentionDays.EIGHTEEN_MONTHS,
    731: logs.RetentionDays.TWO_YEARS,
    1096: logs.RetentionDays.THREE_YEARS,
    1827: logs.RetentionDays.FIVE_YEARS,
    2192: logs.RetentionDays.SIX_YEARS,
    2557: logs.RetentionDays.SEVEN_YEARS,
    2922: logs.RetentionDays.EIGHT_YEARS,
    3288: logs.RetentionDays.NINE_YEARS,
    3653: logs.RetentionDays.TEN_YEARS,
}


class HubReferences(Construct):
    """The hub as seen from a site stack: ids resolved from SSM (or literal), key and topic.

    The Transit Gateway and each VPN Concentrator are imported on first use, so a stack reads
    only the parameters its sites use (an unused template parameter is a cfn-lint warning).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        sites_file: SitesFile,
        parameters: HubParameters,
        route_tables: Collection[str],
    ) -> None:
        """
        :param route_tables: names of the route tables this stack's sites use; only those are
            read.
        """
        super().__init__(scope, construct_id)
        self._sites_file = sites_file
        self._parameters = parameters
        self._route_tables = route_tables
        self._transit_gateway: ITransitGatewayHub | None = None
        self._vpn_concentrators: dict[str, IVpnConcentrator] = {}
        self.monitoring_key: kms.IKey = kms.Key.from_key_arn(
            self, "MonitoringKey", self._value(parameters.monitoring_key_arn)
        )
        self.alarm_topic: sns.ITopic = sns.Topic.from_topic_arn(
            self, "AlarmTopic", self._value(parameters.alarm_topic_arn)
        )

    @property
    def transit_gateway(self) -> ITransitGatewayHub:
        """The hub's Transit Gateway with the route tables this stack's sites use (imported)."""
        if self._transit_gateway is None:
            self._transit_gateway = TransitGatewayHub.from_transit_gateway_attributes(
                self,
                "TransitGateway",
                transit_gateway_id=self._value(self._parameters.transit_gateway_id),
                amazon_side_asn=self._sites_file.hub.amazon_side_asn,
                route_table_ids={
                    name: self._value(where)
                    for name, where in self._parameters.route_table_ids
                    if name in self._route_tables
                },
            )
        return self._transit_gateway

    def vpn_concentrator(self, name: str) -> IVpnConcentrator:
        """The hub's VPN Concentrator ``name``, imported once per stack."""
        if name not in self._vpn_concentrators:
            ids = {
                n: (cid, attachment) for n, cid, attachment in self._parameters.vpn_concentrators
            }
            concentrator_id, attachment_id = ids[name]
            self._vpn_concentrators[name] = VpnConcentrator.from_vpn_concentrator_attributes(
                self,
                f"VpnConcentrator-{name}",
                vpn_concentrator_id=self._value(concentrator_id),
                # Only read where a construct uses them: a site's VPN names the concentrator,
                # not the Transit Gateway, and routing belongs to the hub stack.
                transit_gateway_id=self._value_if_used(self._parameters.transit_gateway_id),
                transit_gateway_attachment_id=self._value_if_used(attachment_id),
            )
        return self._vpn_concentrators[name]

    def _value(self, where: str) -> str:
        if not is_parameter(where):
            return where
        return ssm.StringParameter.value_for_string_parameter(self, where)

    @staticmethod
    def _value_if_used(where: str) -> str:
        """An SSM dynamic reference: resolved at deploy time, and no template parameter."""
        if not is_parameter(where):
            return where
        return cdk.CfnDynamicReference(cdk.CfnDynamicReferenceService.SSM, where).to_string()


def add_site(
    scope: Construct,
    *,
    site: SiteSpec,
    placement: SitePlacement,
    hub: HubReferences,
    monitoring: MonitoringSpec,
) -> SiteToSiteVpn:
    """One site's VPN, routed through the hub; construct id = the site's name."""
    first, second = placement.inside_cidrs
    # A concentrator site shares the concentrator's attachment, routed once by the hub stack.
    on_concentrator = site.vpn_concentrator is not None
    vpn = SiteToSiteVpn(
        scope,
        site.name,
        customer_gateway=CustomerGatewayProps(
            ip_address=site.ip_address, bgp_asn=site.bgp_asn, device_name=site.device_name
        ),
        transit_gateway=None if on_concentrator else hub.transit_gateway,
        vpn_concentrator=hub.vpn_concentrator(site.vpn_concentrator)
        if site.vpn_concentrator is not None
        else None,
        routing=site.routing,
        tunnel1=site.tunnel1.with_(tunnel_inside_cidr=first),
        tunnel2=site.tunnel2.with_(tunnel_inside_cidr=second),
        vpn_name=site.name,
        logging=VpnLoggingOptions(
            retention=RETENTION_BY_DAYS[monitoring.log_retention_days],
            encryption_key=hub.monitoring_key,
        ),
        monitoring=VpnMonitoringOptions(
            topic=hub.alarm_topic,
            alarms=VpnAlarmSpecs(
                tunnel_down=replace(TUNNEL_DOWN, enabled=monitoring.per_tunnel_alarms)
            ),
            # Saved once for all sites, in the hub stack (HubStack): three per site would be
            # 3,000 resources for 1,000 sites.
            saved_queries=False,
            # One rule sees every VPN Health event of the account: the hub stack has it.
            health_events=False,
        ),
    )
    if site.reachability_targets:
        VpnReachabilityPaths.for_vpn(
            vpn, "Reachability", vpn=vpn, reachability_targets=site.reachability_targets
        )
    if not on_concentrator:
        transit_gateway = hub.transit_gateway
        transit_gateway.connect_vpn(
            vpn,
            associate_with=transit_gateway.route_table(site.route_table),
            propagate_to=[transit_gateway.route_table(name) for name in site.propagate_to],
        )
    for key, value in site.tags:
        cdk.Tags.of(vpn).add(key, value)
    return vpn


class SiteStack(cdk.Stack):
    """The VPNs of one shard of a sites file."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        sites_file: SitesFile,
        sites: Sequence[tuple[SiteSpec, SitePlacement]],
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.hub = HubReferences(
            self,
            "Hub",
            sites_file=sites_file,
            parameters=HubParameters.for_sites_file(sites_file),
            route_tables={
                name
                for site, _ in sites
                if site.vpn_concentrator is None
                for name in (site.route_table, *site.propagate_to)
            },
        )
        self.vpns = {
            site.name: add_site(
                self,
                site=site,
                placement=placement,
                hub=self.hub,
                monitoring=sites_file.monitoring,
            )
            for site, placement in sites
        }
        for key, value in sites_file.hub.tags:
            cdk.Tags.of(self).add(key, value)
