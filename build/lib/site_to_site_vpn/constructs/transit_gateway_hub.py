"""A Transit Gateway with explicit route tables, and the routing of a VPN attachment through it.

A tunnel that is up moves no traffic until the VPN's attachment is associated with a route table
(which table the attachment's incoming traffic is looked up in) and its routes reach the tables
other attachments use (propagation for BGP, static routes for a static VPN). The hub turns off the
default route table association and propagation so that every path is explicit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Protocol, runtime_checkable

from aws_cdk import Tags
from aws_cdk import aws_ec2 as ec2
from constructs import Construct

from site_to_site_vpn.constructs.asn import DEFAULT_AMAZON_SIDE_ASN, amazon_asn_problems
from site_to_site_vpn.constructs.site_to_site_vpn import SiteToSiteVpn
from site_to_site_vpn.errors import (
    Problem,
    ValidationError,
    is_token,
    raise_if_any,
    resource_id_problems,
)

ROUTE_TABLE_NAME_PATTERN: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
TRANSIT_GATEWAY_ID_PATTERN: Final = re.compile(r"^tgw-[0-9a-f]{8,17}$")
ROUTE_TABLE_ID_PATTERN: Final = re.compile(r"^tgw-rtb-[0-9a-f]{8,17}$")
MAX_DESCRIPTION_LENGTH: Final = 255


@runtime_checkable
class ITransitGatewayRouteTable(Protocol):
    """A route table of a Transit Gateway, known by the name the hub gave it."""

    @property
    def route_table_name(self) -> str:
        """The hub-local name, e.g. ``onprem``."""
        ...

    @property
    def route_table_id(self) -> str:
        """The ``tgw-rtb-...`` id (may be a token)."""
        ...

    @property
    def transit_gateway_id(self) -> str:
        """The Transit Gateway the table belongs to."""
        ...


@dataclass(frozen=True)
class TransitGatewayRouteTableReference:
    """A route table that exists outside this app."""

    route_table_name: str
    route_table_id: str
    transit_gateway_id: str


class TransitGatewayRouteTable(Construct):
    """An ``AWS::EC2::TransitGatewayRouteTable`` created by a :class:`TransitGatewayHub`."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        route_table_name: str,
        transit_gateway_id: str,
        name_tag: str,
    ) -> None:
        super().__init__(scope, construct_id)
        self.resource = ec2.CfnTransitGatewayRouteTable(
            self, "Resource", transit_gateway_id=transit_gateway_id
        )
        Tags.of(self.resource).add("Name", name_tag)
        self._route_table_name = route_table_name
        self._transit_gateway_id = transit_gateway_id

    @property
    def route_table_name(self) -> str:
        return self._route_table_name

    @property
    def route_table_id(self) -> str:
        return self.resource.ref

    @property
    def transit_gateway_id(self) -> str:
        return self._transit_gateway_id


def route_table_name_problems(field: str, names: Sequence[str]) -> list[Problem]:
    """Route table names become construct ids and Name tags: short, plain and unique."""
    problems = [
        Problem(
            field,
            name,
            "must be 1-64 characters of letters, digits, '.', '_' or '-', "
            "starting with a letter or digit",
        )
        for name in names
        if not isinstance(name, str) or not ROUTE_TABLE_NAME_PATTERN.match(name)
    ]
    duplicates = sorted({n for n in names if list(names).count(n) > 1})
    if duplicates:
        problems.append(Problem(field, duplicates, "route table names must be unique in a hub"))
    return problems


@dataclass(frozen=True)
class TransitGatewayHubProps:
    """The shape of a new hub; see :class:`TransitGatewayHub` for each field."""

    amazon_side_asn: int = DEFAULT_AMAZON_SIDE_ASN
    route_table_names: tuple[str, ...] = ()
    vpn_ecmp_support: bool = True
    description: str | None = None
    transit_gateway_name: str | None = None


def validate_transit_gateway_hub_props(props: TransitGatewayHubProps) -> list[Problem]:
    """Every problem with a new hub's props."""
    problems = amazon_asn_problems("amazon_side_asn", props.amazon_side_asn)
    problems += route_table_name_problems("route_table_names", props.route_table_names)
    description = props.description
    if (
        description is not None
        and not is_token(description)
        and len(description) > MAX_DESCRIPTION_LENGTH
    ):
        problems.append(
            Problem("description", description, f"must be at most {MAX_DESCRIPTION_LENGTH} chars")
        )
    return problems


@dataclass(frozen=True)
class ImportedTransitGatewayHubProps:
    """An existing Transit Gateway and the route tables this app routes through."""

    transit_gateway_id: str
    amazon_side_asn: int | None = None
    route_table_ids: Mapping[str, str] | None = None


def validate_imported_transit_gateway_hub_props(
    props: ImportedTransitGatewayHubProps,
) -> list[Problem]:
    """Every problem with the ids and ASN of an imported hub."""
    problems = resource_id_problems(
        "transit_gateway_id", props.transit_gateway_id, TRANSIT_GATEWAY_ID_PATTERN, "tgw-0123abcd"
    )
    if props.amazon_side_asn is not None:
        problems += amazon_asn_problems("amazon_side_asn", props.amazon_side_asn)
    tables = dict(props.route_table_ids or {})
    problems += route_table_name_problems("route_table_ids", list(tables))
    for name, table_id in tables.items():
        problems += resource_id_problems(
            f"route_table_ids[{name!r}]", table_id, ROUTE_TABLE_ID_PATTERN, "tgw-rtb-0123abcd"
        )
    return problems


class TransitGatewayHubBase(Construct):
    """What a created and an imported hub share: named route tables and VPN routing.

    Implements ``ITransitGateway``, so a hub can be passed as ``SiteToSiteVpn(transit_gateway=)``.
    """

    _transit_gateway_id: str
    _amazon_side_asn: int | None

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self._route_tables: dict[str, ITransitGatewayRouteTable] = {}
        self._connected_vpn_paths: set[str] = set()

    @property
    def transit_gateway_id(self) -> str:
        """The ``tgw-...`` id (a token for a hub created here)."""
        return self._transit_gateway_id

    @property
    def amazon_side_asn(self) -> int | None:
        """The Transit Gateway's BGP ASN, when known."""
        return self._amazon_side_asn

    @property
    def route_tables(self) -> Mapping[str, ITransitGatewayRouteTable]:
        """The hub's route tables by name."""
        return dict(self._route_tables)

    def route_table(self, name: str) -> ITransitGatewayRouteTable:
        """The route table called ``name``; an unknown name is a synth-time error."""
        table = self._route_tables.get(name)
        if table is None:
            raise ValidationError(
                self.node.path,
                [
                    Problem(
                        "route_table",
                        name,
                        f"is not a route table of this hub; it has {sorted(self._route_tables)}",
                    )
                ],
            )
        return table

    def connect_vpn(
        self,
        vpn: SiteToSiteVpn,
        *,
        associate_with: ITransitGatewayRouteTable,
        propagate_to: Sequence[ITransitGatewayRouteTable],
    ) -> TransitGatewayVpnRouting:
        """Route ``vpn``'s attachment: see :class:`TransitGatewayVpnRouting` for the arguments.

        The routing construct is created under the VPN as ``TransitGatewayRouting``.
        """
        return TransitGatewayVpnRouting(
            vpn,
            "TransitGatewayRouting",
            hub=self,
            vpn=vpn,
            associate_with=associate_with,
            propagate_to=propagate_to,
        )

    def _register_vpn(self, vpn: SiteToSiteVpn) -> bool:
        """Record ``vpn`` as routed through this hub; False when it already was."""
        if vpn.node.path in self._connected_vpn_paths:
            return False
        self._connected_vpn_paths.add(vpn.node.path)
        return True


class TransitGatewayHub(TransitGatewayHubBase):
    """A Transit Gateway for VPN attachments, with explicit, named route tables.

    Fixed, because explicit routing depends on them: default route table association and
    propagation are off (an attachment would otherwise be associated with the default table and
    could not be associated with yours), and auto-accept of shared attachments is off (another
    account's attachment must be accepted on purpose).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        amazon_side_asn: int = DEFAULT_AMAZON_SIDE_ASN,
        route_table_names: Sequence[str] = (),
        vpn_ecmp_support: bool = True,
        description: str | None = None,
        transit_gateway_name: str | None = None,
    ) -> None:
        """
        :param amazon_side_asn: BGP ASN of the AWS side, 64512-65534 or
            4200000000-4294967294; must differ from every customer gateway's ASN.
            @default 64512
        :param route_table_names: route tables to create, e.g. ``["onprem", "vpcs"]``; more can
            be added with :meth:`add_route_table`. @default none
        :param vpn_ecmp_support: spread traffic over both tunnels (and over VPNs announcing the
            same prefixes with the same AS path) instead of using one at a time. @default True
        :param description: @default none
        :param transit_gateway_name: Name tag; route tables are tagged ``<name>-<table>``.
            @default the construct id
        """
        props = TransitGatewayHubProps(
            amazon_side_asn=amazon_side_asn,
            route_table_names=tuple(route_table_names),
            vpn_ecmp_support=vpn_ecmp_support,
            description=description,
            transit_gateway_name=transit_gateway_name,
        )
        super().__init__(scope, construct_id)
        self.props = props
        raise_if_any(self.node.path, validate_transit_gateway_hub_props(props))
        self.transit_gateway = ec2.CfnTransitGateway(
            self,
            "Resource",
            amazon_side_asn=amazon_side_asn,
            auto_accept_shared_attachments="disable",
            default_route_table_association="disable",
            default_route_table_propagation="disable",
            vpn_ecmp_support="enable" if vpn_ecmp_support else "disable",
            dns_support="enable",
            description=description,
        )
        self._transit_gateway_id = self.transit_gateway.ref
        self._amazon_side_asn = amazon_side_asn
        self.transit_gateway_name = transit_gateway_name or construct_id
        Tags.of(self.transit_gateway).add("Name", self.transit_gateway_name)
        for name in props.route_table_names:
            self.add_route_table(name)

    def add_route_table(self, name: str) -> TransitGatewayRouteTable:
        """Create the route table ``name`` (construct id ``RouteTable-<name>``)."""
        problems = route_table_name_problems("route_table_name", [name])
        if name in self._route_tables:
            problems.append(Problem("route_table_name", name, "this hub already has that table"))
        raise_if_any(self.node.path, problems)
        table = TransitGatewayRouteTable(
            self,
            f"RouteTable-{name}",
            route_table_name=name,
            transit_gateway_id=self.transit_gateway_id,
            name_tag=f"{self.transit_gateway_name}-{name}",
        )
        self._route_tables[name] = table
        return table

    @staticmethod
    def from_transit_gateway_attributes(
        scope: Construct,
        construct_id: str,
        *,
        transit_gateway_id: str,
        amazon_side_asn: int | None = None,
        route_table_ids: Mapping[str, str] | None = None,
    ) -> TransitGatewayHubBase:
        """An existing Transit Gateway and its route tables, by id.

        Its default route table association must be off, or associating a VPN with one of
        ``route_table_ids`` fails at deploy time. Give ``amazon_side_asn`` to keep the ASN clash
        check.
        """
        return ImportedTransitGatewayHub(
            scope,
            construct_id,
            transit_gateway_id=transit_gateway_id,
            amazon_side_asn=amazon_side_asn,
            route_table_ids=route_table_ids,
        )


class ImportedTransitGatewayHub(TransitGatewayHubBase):
    """A Transit Gateway created outside this app; see
    :meth:`TransitGatewayHub.from_transit_gateway_attributes`."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        transit_gateway_id: str,
        amazon_side_asn: int | None = None,
        route_table_ids: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self._transit_gateway_id = transit_gateway_id
        self._amazon_side_asn = amazon_side_asn
        self.props = ImportedTransitGatewayHubProps(
            transit_gateway_id=transit_gateway_id,
            amazon_side_asn=amazon_side_asn,
            route_table_ids=dict(route_table_ids or {}),
        )
        raise_if_any(self.node.path, validate_imported_transit_gateway_hub_props(self.props))
        for name, table_id in (route_table_ids or {}).items():
            self._route_tables[name] = TransitGatewayRouteTableReference(
                route_table_name=name,
                route_table_id=table_id,
                transit_gateway_id=transit_gateway_id,
            )


@dataclass(frozen=True)
class TransitGatewayVpnRoutingProps:
    """Where a VPN attachment's traffic is looked up and where its routes go."""

    hub: TransitGatewayHubBase
    vpn: SiteToSiteVpn
    associate_with: ITransitGatewayRouteTable
    propagate_to: tuple[ITransitGatewayRouteTable, ...]


def validate_transit_gateway_vpn_routing_props(
    props: TransitGatewayVpnRoutingProps,
) -> list[Problem]:
    """The VPN must terminate on the hub, and every table must be one of the hub's."""
    hub, vpn = props.hub, props.vpn
    problems = []
    gateway = vpn.props.transit_gateway
    if gateway is None or (
        gateway is not hub and gateway.transit_gateway_id != hub.transit_gateway_id
    ):
        problems.append(
            Problem(
                "vpn",
                vpn.node.path,
                f"must terminate on this hub ({hub.node.path}): create it with "
                "SiteToSiteVpn(transit_gateway=hub)",
            )
        )
    customer_asn = vpn.customer_gateway.bgp_asn
    if (
        customer_asn is not None
        and hub.amazon_side_asn is not None
        and not is_token(customer_asn)
        and not is_token(hub.amazon_side_asn)
        and customer_asn == hub.amazon_side_asn
    ):
        problems.append(
            Problem(
                "vpn.customer_gateway.bgp_asn",
                customer_asn,
                f"must differ from the hub's Amazon-side ASN ({hub.amazon_side_asn})",
            )
        )
    named = [("associate_with", props.associate_with)] + [
        (f"propagate_to[{index}]", table) for index, table in enumerate(props.propagate_to)
    ]
    for field, table in named:
        if table.transit_gateway_id != hub.transit_gateway_id:
            problems.append(
                Problem(
                    field,
                    table.route_table_name,
                    f"is not a route table of {hub.node.path}; use hub.route_table(name)",
                )
            )
    if not props.propagate_to:
        problems.append(
            Problem(
                "propagate_to",
                [],
                "name at least one route table, or the on-premises prefixes reach no other "
                "attachment",
            )
        )
    names = [table.route_table_name for table in props.propagate_to]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        problems.append(Problem("propagate_to", names, f"lists {duplicates} more than once"))
    return problems


class TransitGatewayVpnRouting(Construct):
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
        hub: TransitGatewayHubBase,
        vpn: SiteToSiteVpn,
        associate_with: ITransitGatewayRouteTable,
        propagate_to: Sequence[ITransitGatewayRouteTable],
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
        if not problems and not hub._register_vpn(vpn):
            problems.append(
                Problem(
                    "vpn",
                    vpn.node.path,
                    "is already routed through this hub; an attachment is associated with "
                    "exactly one route table",
                )
            )
        # Checked before the construct joins the tree, so a refused call leaves nothing behind.
        raise_if_any(f"{scope.node.path}/{construct_id}", problems)
        super().__init__(scope, construct_id)
        self.props = props
        self.transit_gateway_attachment_id = vpn.transit_gateway_attachment_id
        self.association = ec2.CfnTransitGatewayRouteTableAssociation(
            self,
            "Association",
            transit_gateway_attachment_id=self.transit_gateway_attachment_id,
            transit_gateway_route_table_id=associate_with.route_table_id,
        )
        self.propagations: dict[str, ec2.CfnTransitGatewayRouteTablePropagation] = {}
        self.static_routes: list[ec2.CfnTransitGatewayRoute] = []
        for table in self.props.propagate_to:
            if vpn.routing.static_routes_only:
                self._static_routes(table, vpn.routing.static_route_prefixes)
            else:
                self.propagations[table.route_table_name] = (
                    ec2.CfnTransitGatewayRouteTablePropagation(
                        self,
                        f"Propagation-{table.route_table_name}",
                        transit_gateway_attachment_id=self.transit_gateway_attachment_id,
                        transit_gateway_route_table_id=table.route_table_id,
                    )
                )

    def _static_routes(self, table: ITransitGatewayRouteTable, prefixes: Sequence[str]) -> None:
        for prefix in prefixes:
            self.static_routes.append(
                ec2.CfnTransitGatewayRoute(
                    self,
                    f"Route-{table.route_table_name}-{prefix.replace('/', '_')}",
                    destination_cidr_block=prefix,
                    transit_gateway_route_table_id=table.route_table_id,
                    transit_gateway_attachment_id=self.transit_gateway_attachment_id,
                )
            )
