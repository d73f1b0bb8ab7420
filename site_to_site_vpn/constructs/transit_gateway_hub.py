"""A Transit Gateway with explicit, named route tables.

The hub turns off the default route table association and propagation so that every path is
explicit: ``connect_vpn`` and ``connect_vpn_concentrator`` route an attachment through its tables
(``transit_gateway_routing``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Protocol, cast

import jsii
from aws_cdk import Resource, Tags
from aws_cdk import aws_ec2 as ec2
from aws_cdk.interfaces import aws_ec2 as ec2_refs
from constructs import Construct

from site_to_site_vpn.constructs.gateways import VPN_CONCENTRATOR, ec2_arn
from site_to_site_vpn.constructs.rules import amazon_asn_problems, ec2_id_problems, is_token
from site_to_site_vpn.constructs.site_to_site_vpn import SiteToSiteVpn
from site_to_site_vpn.constructs.transit_gateway_routing import (
    TransitGatewayConcentratorRouting,
    TransitGatewayVpnRouting,
)
from site_to_site_vpn.core.asn import DEFAULT_AMAZON_SIDE_ASN
from site_to_site_vpn.core.errors import Problem, ValidationError, raise_if_any
from site_to_site_vpn.core.ids import Ec2IdKind

ROUTE_TABLE_NAME_PATTERN: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
MAX_DESCRIPTION_LENGTH: Final = 255


class ITransitGatewayRouteTable(ec2_refs.ITransitGatewayRouteTableRef, Protocol):
    """A route table of a hub, known by the name the hub gave it (an aws-cdk-lib
    ``ITransitGatewayRouteTableRef`` too: ``transit_gateway_route_table_ref``)."""

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

    @property
    def transit_gateway_route_table_ref(self) -> ec2_refs.TransitGatewayRouteTableReference:
        """The reference aws-cdk-lib's ``ITransitGatewayRouteTableRef`` gives."""
        ...


@dataclass(frozen=True)
class _ExistingRouteTable:
    """A route table that exists outside this app, by the name an imported hub gives it."""

    route_table_name: str
    route_table_id: str
    transit_gateway_id: str

    @functools.cached_property
    def transit_gateway_route_table_ref(self) -> ec2_refs.TransitGatewayRouteTableReference:
        return ec2_refs.TransitGatewayRouteTableReference(
            transit_gateway_route_table_id=self.route_table_id
        )


@jsii.implements(ec2_refs.ITransitGatewayRouteTableRef)
class TransitGatewayRouteTable(Resource):
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
        # Read once: every VPN routed through the table uses it (a jsii round trip per read).
        self._route_table_id = self.resource.ref

    @property
    def route_table_name(self) -> str:
        return self._route_table_name

    @property
    def route_table_id(self) -> str:
        return self._route_table_id

    @property
    def transit_gateway_id(self) -> str:
        return self._transit_gateway_id

    @property
    def transit_gateway_route_table_ref(self) -> ec2_refs.TransitGatewayRouteTableReference:
        """The reference aws-cdk-lib's ``ITransitGatewayRouteTableRef`` gives."""
        return ec2_refs.TransitGatewayRouteTableReference(
            transit_gateway_route_table_id=self._route_table_id
        )


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


@dataclass(frozen=True, kw_only=True)
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


@dataclass(frozen=True, kw_only=True)
class ImportedTransitGatewayHubProps:
    """An existing Transit Gateway and the route tables this app routes through."""

    transit_gateway_id: str
    amazon_side_asn: int | None = None
    route_table_ids: Mapping[str, str] | None = None


def validate_imported_transit_gateway_hub_props(
    props: ImportedTransitGatewayHubProps,
) -> list[Problem]:
    """Every problem with the ids and ASN of an imported hub."""
    problems = ec2_id_problems(
        "transit_gateway_id", props.transit_gateway_id, Ec2IdKind.TRANSIT_GATEWAY
    )
    if props.amazon_side_asn is not None:
        problems += amazon_asn_problems("amazon_side_asn", props.amazon_side_asn)
    tables = dict(props.route_table_ids or {})
    problems += route_table_name_problems("route_table_ids", list(tables))
    for name, table_id in tables.items():
        problems += ec2_id_problems(
            f"route_table_ids[{name!r}]", table_id, Ec2IdKind.TRANSIT_GATEWAY_ROUTE_TABLE
        )
    return problems


@dataclass(frozen=True, kw_only=True)
class TransitGatewayRouteTableProps:
    """A route table added to a hub (:meth:`TransitGatewayHub.add_route_table`)."""

    #: The hub-local name, e.g. ``onprem``: the construct id's suffix and the Name tag's.
    route_table_name: str


def validate_transit_gateway_route_table_props(
    props: TransitGatewayRouteTableProps, *, existing_names: Collection[str] = ()
) -> list[Problem]:
    """A plain name the hub (``existing_names``: its tables) does not have yet."""
    name = props.route_table_name
    problems = route_table_name_problems("route_table_name", [name])
    if name in existing_names:
        problems.append(Problem("route_table_name", name, "this hub already has that table"))
    return problems


class ITransitGatewayHub(ec2_refs.ITransitGatewayRef, Protocol):
    """A hub created here (:class:`TransitGatewayHub`) or imported
    (:meth:`TransitGatewayHub.from_transit_gateway_attributes`)."""

    @property
    def transit_gateway_ref(self) -> ec2_refs.TransitGatewayReference: ...

    @property
    def transit_gateway_id(self) -> str: ...

    @property
    def amazon_side_asn(self) -> int | None: ...

    @property
    def route_tables(self) -> Mapping[str, ITransitGatewayRouteTable]: ...

    def route_table(self, name: str) -> ITransitGatewayRouteTable: ...

    def connect_vpn(
        self,
        vpn: SiteToSiteVpn,
        *,
        associate_with: ec2_refs.ITransitGatewayRouteTableRef,
        propagate_to: Sequence[ec2_refs.ITransitGatewayRouteTableRef],
    ) -> TransitGatewayVpnRouting: ...

    def connect_vpn_concentrator(
        self,
        concentrator: ec2_refs.IVPNConcentratorRef,
        *,
        associate_with: ec2_refs.ITransitGatewayRouteTableRef,
        propagate_to: Sequence[ec2_refs.ITransitGatewayRouteTableRef],
    ) -> TransitGatewayConcentratorRouting: ...

    def is_routed(self, attachment: SiteToSiteVpn | ec2_refs.IVPNConcentratorRef) -> bool: ...


@jsii.implements(ec2_refs.ITransitGatewayRef)
class _TransitGatewayHubBase(Resource):
    """What a created and an imported hub share: named route tables and VPN routing.

    An aws-cdk-lib ``ITransitGatewayRef``, so a hub fits ``SiteToSiteVpn(transit_gateway=)`` and
    any other construct that takes a Transit Gateway.
    """

    _transit_gateway_id: str
    _amazon_side_asn: int | None

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self._route_tables: dict[str, ITransitGatewayRouteTable] = {}
        # By object identity (the VPN is held, so its id is not reused): a construct path costs
        # a jsii round trip per VPN, and a thousand sites are routed here.
        self._routed_vpns: dict[int, SiteToSiteVpn] = {}
        self._routed_concentrators: list[ec2_refs.IVPNConcentratorRef] = []

    @property
    def transit_gateway_id(self) -> str:
        """The ``tgw-...`` id (a token for a hub created here)."""
        return self._transit_gateway_id

    @property
    def amazon_side_asn(self) -> int | None:
        """The Transit Gateway's BGP ASN, when known."""
        return self._amazon_side_asn

    @property
    def transit_gateway_ref(self) -> ec2_refs.TransitGatewayReference:
        """The reference aws-cdk-lib's ``ITransitGatewayRef`` gives."""
        return ec2_refs.TransitGatewayReference(
            transit_gateway_id=self._transit_gateway_id,
            transit_gateway_arn=ec2_arn("transit-gateway", self._transit_gateway_id),
        )

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
        associate_with: ec2_refs.ITransitGatewayRouteTableRef,
        propagate_to: Sequence[ec2_refs.ITransitGatewayRouteTableRef],
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

    def connect_vpn_concentrator(
        self,
        concentrator: ec2_refs.IVPNConcentratorRef,
        *,
        associate_with: ec2_refs.ITransitGatewayRouteTableRef,
        propagate_to: Sequence[ec2_refs.ITransitGatewayRouteTableRef],
    ) -> TransitGatewayConcentratorRouting:
        """Route a concentrator's one attachment, shared by all of its sites' VPNs.

        Associated with ``associate_with`` and propagated to each ``propagate_to`` table once,
        by the attachment id CloudFormation returns (no lookup). Sites on a concentrator are
        BGP-only, so their prefixes reach the tables through propagation. The construct is
        created under the concentrator (or under the hub for a non-construct reference).
        """
        if isinstance(concentrator, Construct):
            scope: Construct = concentrator
            construct_id = "TransitGatewayRouting"
        else:
            scope = self
            construct_id = f"VpnConcentratorRouting{len(self._routed_concentrators) + 1}"
        return TransitGatewayConcentratorRouting(
            scope,
            construct_id,
            hub=self,
            concentrator=concentrator,
            associate_with=associate_with,
            propagate_to=propagate_to,
        )

    def is_routed(self, attachment: SiteToSiteVpn | ec2_refs.IVPNConcentratorRef) -> bool:
        """True when ``attachment`` (a VPN, or a concentrator or another reference to it) is
        routed through this hub (``connect_vpn`` / ``connect_vpn_concentrator``)."""
        if id(attachment) in self._routed_vpns:
            return True
        if isinstance(attachment, SiteToSiteVpn):
            return False
        wanted = VPN_CONCENTRATOR.id_of(attachment)
        return any(
            known is attachment or VPN_CONCENTRATOR.id_of(known) == wanted
            for known in self._routed_concentrators
        )

    def _register_concentrator(self, concentrator: ec2_refs.IVPNConcentratorRef) -> None:
        """Record ``concentrator`` as routed through this hub."""
        self._routed_concentrators.append(concentrator)

    def _register_vpn(self, vpn: SiteToSiteVpn) -> None:
        """Record ``vpn`` as routed through this hub."""
        self._routed_vpns[id(vpn)] = vpn


class TransitGatewayHub(_TransitGatewayHubBase):
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
        self._props = props
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
        props = TransitGatewayRouteTableProps(route_table_name=name)
        raise_if_any(
            self.node.path,
            validate_transit_gateway_route_table_props(props, existing_names=self._route_tables),
        )
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
    ) -> ITransitGatewayHub:
        """An existing Transit Gateway and its route tables, by id.

        Its default route table association must be off, or associating a VPN with one of
        ``route_table_ids`` fails at deploy time. Give ``amazon_side_asn`` to keep the ASN clash
        check.
        """
        props = ImportedTransitGatewayHubProps(
            transit_gateway_id=transit_gateway_id,
            amazon_side_asn=amazon_side_asn,
            route_table_ids=dict(route_table_ids or {}),
        )

        class Import(_TransitGatewayHubBase):
            def __init__(self) -> None:
                super().__init__(scope, construct_id)
                self._transit_gateway_id = transit_gateway_id
                self._amazon_side_asn = amazon_side_asn
                for name, table_id in (route_table_ids or {}).items():
                    # Not a construct: routing reads only its name, ids and reference.
                    self._route_tables[name] = cast(
                        ITransitGatewayRouteTable,
                        _ExistingRouteTable(
                            route_table_name=name,
                            route_table_id=table_id,
                            transit_gateway_id=transit_gateway_id,
                        ),
                    )

        imported = Import()
        raise_if_any(imported.node.path, validate_imported_transit_gateway_hub_props(props))
        return imported
