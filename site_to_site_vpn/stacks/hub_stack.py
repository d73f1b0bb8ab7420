"""The hub stack of a sites file: Transit Gateway, route tables, VPN Concentrators, KMS key and
alarm topic.

Site stacks find these through SSM parameters this stack writes (see :class:`HubParameters`), not
through CloudFormation exports: an export cannot change while another stack imports it, so with
exports a hub change (a replaced topic, a new key) would be blocked by every site stack at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import aws_cdk as cdk
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from site_to_site_vpn.constructs.health_events import vpn_health_event_rule
from site_to_site_vpn.constructs.transit_gateway_hub import (
    ITransitGatewayHub,
    TransitGatewayHub,
    TransitGatewayRouteTable,
)
from site_to_site_vpn.constructs.vpn_concentrator import VpnConcentrator
from site_to_site_vpn.constructs.vpn_logging import (
    LOG_GROUP_PREFIX,
    allow_logs_to_use_key,
    stack_monitoring_key,
)
from site_to_site_vpn.constructs.vpn_monitoring import add_saved_queries, stack_alarm_topic
from site_to_site_vpn.sites.model import SitesFile

PARAMETER_ROOT: Final = "/site-to-site-vpn"


@dataclass(frozen=True)
class HubParameters:
    """Where the hub publishes each id, or the id itself when it is known at synth time.

    A value starting with ``/`` is an SSM parameter name; anything else is a literal id/ARN
    (an existing Transit Gateway, route table or topic named in the sites file).
    """

    transit_gateway_id: str
    route_table_ids: tuple[tuple[str, str], ...]
    alarm_topic_arn: str
    monitoring_key_arn: str
    #: (name, concentrator id, its attachment id) per VPN Concentrator of the hub.
    vpn_concentrators: tuple[tuple[str, str, str], ...] = ()

    @staticmethod
    def for_sites_file(sites_file: SitesFile) -> HubParameters:
        hub = sites_file.hub
        root = f"{PARAMETER_ROOT}/{hub.name}"
        return HubParameters(
            transit_gateway_id=hub.transit_gateway_id or f"{root}/transit-gateway-id",
            route_table_ids=tuple(
                (table.name, table.id or f"{root}/route-tables/{table.name}")
                for table in hub.route_tables
            ),
            alarm_topic_arn=sites_file.monitoring.sns_topic_arn or f"{root}/alarm-topic-arn",
            monitoring_key_arn=f"{root}/monitoring-key-arn",
            vpn_concentrators=tuple(
                (
                    c.name,
                    f"{root}/vpn-concentrators/{c.name}/id",
                    f"{root}/vpn-concentrators/{c.name}/attachment-id",
                )
                for c in hub.vpn_concentrators
            ),
        )


def is_parameter(value: str) -> bool:
    return value.startswith("/")


class HubStack(cdk.Stack):
    """The Transit Gateway (new or existing) and what every site shares."""

    def __init__(
        self, scope: Construct, construct_id: str, *, sites_file: SitesFile, **kwargs: Any
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        spec = sites_file.hub
        self.parameters = HubParameters.for_sites_file(sites_file)
        values: dict[str, str] = {}
        hub: ITransitGatewayHub
        if spec.transit_gateway_id is None:
            hub = TransitGatewayHub(
                self,
                "TransitGateway",
                amazon_side_asn=spec.amazon_side_asn,
                route_table_names=[t.name for t in spec.route_tables],
                transit_gateway_name=spec.name,
            )
            values[self.parameters.transit_gateway_id] = hub.transit_gateway_id
            self.transit_gateway_id = hub.transit_gateway_id
            tables = {name: table.route_table_id for name, table in hub.route_tables.items()}
        else:
            self.transit_gateway_id = spec.transit_gateway_id
            tables = {
                t.name: t.id
                or TransitGatewayRouteTable(
                    self,
                    f"RouteTable-{t.name}",
                    route_table_name=t.name,
                    transit_gateway_id=spec.transit_gateway_id,
                    name_tag=f"{spec.name}-{t.name}",
                ).route_table_id
                for t in spec.route_tables
            }
            hub = TransitGatewayHub.from_transit_gateway_attributes(
                self,
                "TransitGateway",
                transit_gateway_id=spec.transit_gateway_id,
                amazon_side_asn=spec.amazon_side_asn,
                route_table_ids=tables,
            )
        for name, where in self.parameters.route_table_ids:
            values[where] = tables[name]
        self.route_table_ids = tables
        self.vpn_concentrators = self._vpn_concentrators(hub, sites_file, values)
        self.monitoring_key: kms.IKey = self._monitoring_key()
        values[self.parameters.monitoring_key_arn] = self.monitoring_key.key_arn
        self.alarm_topic = self._alarm_topic(sites_file)
        values[self.parameters.alarm_topic_arn] = self.alarm_topic.topic_arn
        #: AWS Health events of the VPN service to the alarm topic, once for all sites.
        self.health_event_rule = (
            vpn_health_event_rule(self, self.alarm_topic)
            if sites_file.monitoring.health_events
            else None
        )
        # Once for every site: they name no log group, the console asks for the site's groups
        # (prefix /aws/vendedlogs/site-to-site-vpn/<site>/) when one is run.
        self.query_definitions = add_saved_queries(self, folder=spec.name, log_group_names=None)
        for name, value in values.items():
            if is_parameter(name):
                ssm.StringParameter(
                    self,
                    f"Parameter-{name.rpartition(spec.name + '/')[2].replace('/', '-')}",
                    parameter_name=name,
                    string_value=value,
                    description=f"Site-to-Site VPN hub {spec.name}: read by its site stacks",
                )
        for key, value in spec.tags:
            cdk.Tags.of(self).add(key, value)

    def _vpn_concentrators(
        self, hub: ITransitGatewayHub, sites_file: SitesFile, values: dict[str, str]
    ) -> dict[str, VpnConcentrator]:
        """Each concentrator, its one attachment routed here once (GetAtt, no lookup)."""
        created = {}
        ids = {
            name: (cid, attachment) for name, cid, attachment in self.parameters.vpn_concentrators
        }
        for spec in sites_file.hub.vpn_concentrators:
            concentrator = VpnConcentrator(
                self,
                f"VpnConcentrator-{spec.name}",
                transit_gateway=hub,
                name=f"{sites_file.hub.name}-{spec.name}",
            )
            hub.connect_vpn_concentrator(
                concentrator,
                associate_with=hub.route_table(spec.route_table),
                propagate_to=[hub.route_table(name) for name in spec.propagate_to],
            )
            concentrator_id, attachment_id = ids[spec.name]
            values[concentrator_id] = concentrator.vpn_concentrator_id
            values[attachment_id] = concentrator.transit_gateway_attachment_id
            created[spec.name] = concentrator
        return created

    def _monitoring_key(self) -> kms.IKey:
        key = stack_monitoring_key(self)
        # One statement for every site's log groups, however many site stacks there are.
        allow_logs_to_use_key(key, self, [f"{LOG_GROUP_PREFIX}/*"])
        return key

    def _alarm_topic(self, sites_file: SitesFile) -> sns.ITopic:
        arn = sites_file.monitoring.sns_topic_arn
        if arn is not None:
            return sns.Topic.from_topic_arn(self, "AlarmTopic", arn)
        topic = stack_alarm_topic(self)
        for address in sites_file.monitoring.email_subscriptions:
            topic.add_subscription(subscriptions.EmailSubscription(address))
        return topic
