"""The routing of a Transit Gateway attachment through a hub's route tables.

A tunnel that is up moves no traffic until the attachment is associated with a route table
(which table its incoming traffic is looked up in) and its routes reach the tables other
attachments use (propagation for BGP, static routes for a static VPN). A VPN on the Transit
Gateway has its own attachment (:class:`TransitGatewayVpnRouting`); the sites of a VPN Concentrator
share the concentrator's one attachment (:class:`TransitGatewayConcentratorRouting`).

Both are built per site, so they are written for speed: the L1 resources only, each jsii value
(route table id, attachment id, construct path) read at most once, and construct paths only when
a problem is reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

from aws_cdk import aws_ec2 as ec2
from aws_cdk.interfaces import aws_ec2 as ec2_refs
from constructs import Construct

from site_to_site_vpn.constructs.gateways import ROUTE_TABLE, TRANSIT_GATEWAY, amazon_side_asn_of
from site_to_site_vpn.constructs.rules import asn_clash_problems
from site_to_site_vpn.constructs.vpn_concentrator import concentrator_facts
from site_to_site_vpn.core.errors import Problem, ValidationError

if TYPE_CHECKING:
    from site_to_site_vpn.constructs.site_to_site_vpn import SiteToSiteVpn
    from site_to_site_vpn.constructs.transit_gateway_hub import _TransitGatewayHubBase

RouteTableRef: TypeAlias = ec2_refs.ITransitGatewayRouteTableRef


def route_table_name(table: RouteTableRef) -> str:
    """A hub's table by the name the hub gave it; any other by its construct id."""
    name = getattr(table, "route_table_name", None)
    return name if isinstance(name, str) else table.node.id


def _route_table_problems(
    field: str, table: object, hub: _TransitGatewayHubBase, hub_id: str
) -> list[Problem]:
    """The table must be an ``RouteTableRefRef`` of the hub's Transit Gateway (when
    the table tells its Transit Gateway, as the hub's tables and ``CfnTransitGatewayRouteTable``
    do)."""
    if not ROUTE_TABLE.fits(table):
        return [ROUTE_TABLE.problem(field, table)]
    transit_gateway_id = getattr(table, "transit_gateway_id", None)
    if transit_gateway_id is None or transit_gateway_id == hub_id:
        return []
    return [
        Problem(
            field,
            route_table_name(table),  # type: ignore[arg-type]
            f"is not a route table of {hub.node.path}; use hub.route_table(name) or a table on its "
            "Transit Gateway",
        )
    ]


@dataclass(frozen=True, kw_only=True)
class TransitGatewayAttachmentRoutingProps:
    """Where an attachment's traffic is looked up and where its routes go."""

    #: The hub the attachment is on.
    hub: _TransitGatewayHubBase
    #: The table the attachment's incoming traffic is routed by (one per attachment).
    associate_with: RouteTableRef
    #: The tables that learn the attachment's prefixes. At least one.
    propagate_to: tuple[RouteTableRef, ...]


@dataclass(frozen=True, kw_only=True)
class TransitGatewayVpnRoutingProps(TransitGatewayAttachmentRoutingProps):
    """The routing of one VPN's own attachment."""

    #: A ``SiteToSiteVpn`` created with ``transit_gateway=hub``.
    vpn: SiteToSiteVpn


@dataclass(frozen=True, kw_only=True)
class TransitGatewayConcentratorRoutingProps(TransitGatewayAttachmentRoutingProps):
    """The routing of a concentrator's attachment, shared by all of its sites."""

    #: A ``VpnConcentrator`` created with ``transit_gateway=hub``.
    concentrator: ec2_refs.IVPNConcentratorRef


def route_table_problems(props: TransitGatewayAttachmentRoutingProps) -> list[Problem]:
    """Every table must be one of the hub's, and at least one distinct table gets the routes."""
    hub, propagate_to = props.hub, props.propagate_to
    hub_id = hub.transit_gateway_id
    problems = [
        problem
        for field, table in (
            ("associate_with", props.associate_with),
            *((f"propagate_to[{index}]", table) for index, table in enumerate(propagate_to)),
        )
        for problem in _route_table_problems(field, table, hub, hub_id)
    ]
    if not propagate_to:
        problems.append(
            Problem(
                "propagate_to",
                [],
                "name at least one route table, or the on-premises prefixes reach no other "
                "attachment",
            )
        )
    names = [route_table_name(table) for table in propagate_to if ROUTE_TABLE.fits(table)]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        problems.append(Problem("propagate_to", names, f"lists {duplicates} more than once"))
    return problems


def validate_transit_gateway_vpn_routing_props(
    props: TransitGatewayVpnRoutingProps,
) -> list[Problem]:
    """The VPN must terminate on the hub, and every table must be one of the hub's."""
    hub, vpn = props.hub, props.vpn
    problems = []
    gateway = vpn.transit_gateway
    if vpn.vpn_concentrator is not None:
        problems.append(
            Problem(
                "vpn",
                vpn.node.path,
                "is on a VPN Concentrator and shares its attachment: route the concentrator "
                "once with hub.connect_vpn_concentrator(concentrator, ...) instead",
            )
        )
    elif gateway is None or (
        gateway is not hub and TRANSIT_GATEWAY.id_of(gateway) != hub.transit_gateway_id
    ):
        problems.append(
            Problem(
                "vpn",
                vpn.node.path,
                f"must terminate on this hub ({hub.node.path}): create it with "
                "SiteToSiteVpn(transit_gateway=hub)",
            )
        )
    problems += asn_clash_problems(
        "vpn.customer_gateway.bgp_asn",
        getattr(vpn.customer_gateway, "bgp_asn", None),
        amazon_side_asn_of(hub),
        "the hub's",
    )
    if not problems and hub.is_routed(vpn):
        problems.append(
            Problem(
                "vpn",
                vpn.node.path,
                "is already routed through this hub; an attachment is associated with "
                "exactly one route table",
            )
        )
    return problems + route_table_problems(props)


def validate_transit_gateway_concentrator_routing_props(
    props: TransitGatewayConcentratorRoutingProps,
) -> list[Problem]:
    """The concentrator must be on the hub, and every table must be one of the hub's."""
    hub, concentrator = props.hub, props.concentrator
    facts = concentrator_facts("concentrator", concentrator)
    if isinstance(facts, Problem):
        return [facts]
    problems = []
    if facts.transit_gateway_id != hub.transit_gateway_id:
        problems.append(
            Problem(
                "concentrator",
                facts.vpn_concentrator_id,
                f"must be attached to this hub ({hub.node.path}): create it with "
                "VpnConcentrator(transit_gateway=hub)",
            )
        )
    elif hub.is_routed(concentrator):
        problems.append(
            Problem(
                "concentrator",
                facts.vpn_concentrator_id,
                "is already routed through this hub; its attachment is associated with "
                "exactly one route table",
            )
        )
    return problems + route_table_problems(props)


class TransitGatewayAttachmentRouting(Construct):
    """What both routings share: one association, and propagations by table name.

    Validated before the construct joins the tree, so a refused call leaves nothing behind; the
    construct path is read only to report a problem.
    """

    transit_gateway_attachment_id: str
    association: ec2.CfnTransitGatewayRouteTableAssociation

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        props: TransitGatewayAttachmentRoutingProps,
        problems: Sequence[Problem],
    ) -> None:
        if problems:
            raise ValidationError(f"{scope.node.path}/{construct_id}", problems)
        super().__init__(scope, construct_id)
        self._props = props
        self.propagations: dict[str, ec2.CfnTransitGatewayRouteTablePropagation] = {}

    @property
    def associate_with(self) -> RouteTableRef:
        """The route table the attachment is associated with."""
        return self._props.associate_with

    @property
    def propagate_to(self) -> tuple[RouteTableRef, ...]:
        """The route tables that learn the attachment's prefixes."""
        return self._props.propagate_to

    def _associate(self, transit_gateway_attachment_id: str) -> None:
        self.transit_gateway_attachment_id = transit_gateway_attachment_id
        self.association = ec2.CfnTransitGatewayRouteTableAssociation(
            self,
            "Association",
            transit_gateway_attachment_id=transit_gateway_attachment_id,
            transit_gateway_route_table_id=ROUTE_TABLE.id_of(self._props.associate_with),
        )

    def _propagate(self, table: RouteTableRef, route_table_id: str) -> None:
        name = route_table_name(table)
        self.propagations[name] = ec2.CfnTransitGatewayRouteTablePropagation(
            self,
            f"Propagation-{name}",
            transit_gateway_attachment_id=self.transit_gateway_attachment_id,
            transit_gateway_route_table_id=route_table_id,
        )


class TransitGatewayVpnRouting(TransitGatewayAttachmentRouting):
    """A VPN attachment associated with one route table, its routes reaching others.

    For a BGP VPN, ``AWS::EC2::TransitGatewayRouteTablePropagation`` puts the prefixes the
    customer gateway announces into each ``propagate_to`` table. A static VPN announces nothing,
    so each of its on-premises prefixes becomes an ``AWS::EC2::TransitGatewayRoute`` to the
    attachment in each ``propagate_to`` table instead.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        hub: _TransitGatewayHubBase,
        vpn: SiteToSiteVpn,
        associate_with: RouteTableRef,
        propagate_to: Sequence[RouteTableRef],
    ) -> None:
        """
        :param hub: the hub the VPN terminates on.
        :param vpn: a ``SiteToSiteVpn`` created with ``transit_gateway=hub``.
        :param associate_with: the table traffic arriving from on-premises is routed by
            (e.g. ``hub.route_table("onprem")``). An attachment has exactly one.
        :param propagate_to: the tables that learn the on-premises prefixes (e.g. the table
            the VPC attachments are associated with). At least one.
        """
        props = TransitGatewayVpnRoutingProps(
            hub=hub, vpn=vpn, associate_with=associate_with, propagate_to=tuple(propagate_to)
        )
        problems = validate_transit_gateway_vpn_routing_props(props)
        super().__init__(scope, construct_id, props=props, problems=problems)
        hub._register_vpn(vpn)
        self._vpn = vpn
        self._associate(vpn.transit_gateway_attachment_id)
        self.static_routes: list[ec2.CfnTransitGatewayRoute] = []
        routing = vpn.routing
        for table in props.propagate_to:
            route_table_id = ROUTE_TABLE.id_of(table)
            if routing.static_routes_only:
                self._static_routes(table, route_table_id, routing.static_route_prefixes)
            else:
                self._propagate(table, route_table_id)

    @property
    def vpn(self) -> SiteToSiteVpn:
        """The routed VPN."""
        return self._vpn

    def _static_routes(
        self, table: RouteTableRef, route_table_id: str, prefixes: Sequence[str]
    ) -> None:
        name = route_table_name(table)
        for prefix in prefixes:
            self.static_routes.append(
                ec2.CfnTransitGatewayRoute(
                    self,
                    f"Route-{name}-{prefix.replace('/', '_')}",
                    destination_cidr_block=prefix,
                    transit_gateway_route_table_id=route_table_id,
                    transit_gateway_attachment_id=self.transit_gateway_attachment_id,
                )
            )


class TransitGatewayConcentratorRouting(TransitGatewayAttachmentRouting):
    """A VPN Concentrator's attachment associated with one table and propagated to others.

    One ``AWS::EC2::TransitGatewayRouteTableAssociation`` and one
    ``AWS::EC2::TransitGatewayRouteTablePropagation`` per ``propagate_to`` table, whatever the
    number of sites: they share the attachment ("AWS Site-to-Site VPN Concentrators", Routing),
    and its id is the concentrator's ``TransitGatewayAttachmentId`` GetAtt.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        hub: _TransitGatewayHubBase,
        concentrator: ec2_refs.IVPNConcentratorRef,
        associate_with: RouteTableRef,
        propagate_to: Sequence[RouteTableRef],
    ) -> None:
        """
        :param hub: the hub the concentrator is attached to.
        :param concentrator: a ``VpnConcentrator`` created with ``transit_gateway=hub``.
        :param associate_with: the table traffic arriving from the sites is routed by.
        :param propagate_to: the tables that learn every site's prefixes. At least one.
        """
        props = TransitGatewayConcentratorRoutingProps(
            hub=hub,
            concentrator=concentrator,
            associate_with=associate_with,
            propagate_to=tuple(propagate_to),
        )
        problems = validate_transit_gateway_concentrator_routing_props(props)
        super().__init__(scope, construct_id, props=props, problems=problems)
        hub._register_concentrator(concentrator)
        self._concentrator = concentrator
        facts = concentrator_facts("concentrator", concentrator)
        assert not isinstance(facts, Problem)  # validated above
        self._associate(facts.transit_gateway_attachment_id)
        for table in props.propagate_to:
            self._propagate(table, ROUTE_TABLE.id_of(table))

    @property
    def concentrator(self) -> ec2_refs.IVPNConcentratorRef:
        """The routed concentrator."""
        return self._concentrator
