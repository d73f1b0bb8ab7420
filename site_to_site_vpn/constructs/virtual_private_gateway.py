"""A Virtual Private Gateway attached to one VPC, with VPN routes propagated into its subnets.

Unlike aws-cdk's ``Vpc(vpn_gateway=True)`` path (aws-cdk issue 22848 gives the gateway the
customer's ASN), the gateway gets its own Amazon-side ASN, and every ``SiteToSiteVpn`` on it is
checked against that ASN.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Final

import jsii
from aws_cdk import Resource, Tags
from aws_cdk import aws_ec2 as ec2
from aws_cdk.interfaces import aws_ec2 as ec2_refs
from constructs import Construct, IValidation

from site_to_site_vpn.constructs.gateways import IVirtualPrivateGateway
from site_to_site_vpn.constructs.rules import amazon_asn_problems, ec2_id_problems
from site_to_site_vpn.core.asn import DEFAULT_AMAZON_SIDE_ASN
from site_to_site_vpn.core.errors import Problem, raise_if_any
from site_to_site_vpn.core.ids import Ec2IdKind

if TYPE_CHECKING:
    from site_to_site_vpn.constructs.site_to_site_vpn import SiteToSiteVpn

#: AWS quota "VPN connections per virtual private gateway" (not adjustable).
MAX_VPN_CONNECTIONS_PER_VPN_GATEWAY: Final = 10


@jsii.implements(ec2_refs.IVPNGatewayRef)
class _VirtualPrivateGatewayBase(Resource):
    """What a created and an imported gateway share: the id, the ASN and the quota check.

    An aws-cdk-lib ``IVPNGatewayRef``, so it fits ``SiteToSiteVpn(vpn_gateway=...)``.
    """

    _vpn_gateway_id: str
    _amazon_side_asn: int | None

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self._vpn_connections: list[SiteToSiteVpn] = []
        self.node.add_validation(_VpnConnectionQuota(self))

    @property
    def vpn_gateway_id(self) -> str:
        """The ``vgw-...`` id (a token for a gateway created here)."""
        return self._vpn_gateway_id

    @property
    def amazon_side_asn(self) -> int | None:
        """The gateway's BGP ASN, when known."""
        return self._amazon_side_asn

    @property
    def vpn_gateway_ref(self) -> ec2_refs.VPNGatewayReference:
        """The reference aws-cdk-lib's ``IVPNGatewayRef`` gives."""
        return ec2_refs.VPNGatewayReference(vpn_gateway_id=self._vpn_gateway_id)

    def vpn_connections(self) -> list[SiteToSiteVpn]:
        """Every ``SiteToSiteVpn`` created with this gateway as its ``vpn_gateway``."""
        return list(self._vpn_connections)

    def add_vpn_connection(self, vpn: SiteToSiteVpn) -> None:
        """Count ``vpn`` against this gateway's quota; ``SiteToSiteVpn`` calls it for you."""
        self._vpn_connections.append(vpn)


@jsii.implements(IValidation)
class _VpnConnectionQuota:
    """Synth-time check that no more VPNs terminate on the gateway than AWS allows."""

    def __init__(self, gateway: _VirtualPrivateGatewayBase) -> None:
        self._gateway = gateway

    def validate(self) -> list[str]:
        paths = [vpn.node.path for vpn in self._gateway.vpn_connections()]
        if len(paths) <= MAX_VPN_CONNECTIONS_PER_VPN_GATEWAY:
            return []
        problem = Problem(
            "vpn_connections",
            paths,
            f"{len(paths)} VPN connections terminate on this gateway; AWS allows at most "
            f"{MAX_VPN_CONNECTIONS_PER_VPN_GATEWAY} per Virtual Private Gateway (use a "
            "TransitGatewayHub for more)",
        )
        return [problem.describe(self._gateway.node.path)]


@dataclass(frozen=True, kw_only=True)
class VirtualPrivateGatewayProps:
    """The shape of a new gateway; see :class:`VirtualPrivateGateway` for each field."""

    vpc: ec2.IVpc
    amazon_side_asn: int = DEFAULT_AMAZON_SIDE_ASN
    route_propagation: tuple[ec2.SubnetSelection, ...] = field(
        default_factory=lambda: (ec2.SubnetSelection(),)
    )
    vpn_gateway_name: str | None = None


def validate_virtual_private_gateway_props(props: VirtualPrivateGatewayProps) -> list[Problem]:
    """Every problem with a new gateway's props (the subnet selection is checked when used)."""
    problems = amazon_asn_problems("amazon_side_asn", props.amazon_side_asn)
    existing = props.vpc.vpn_gateway_id
    if existing is not None:
        problems.append(
            Problem(
                "vpc",
                props.vpc.node.path,
                "already has a Virtual Private Gateway (ec2.Vpc(vpn_gateway=True)); a VPC takes "
                "one: pass VirtualPrivateGateway.from_vpn_gateway_attributes(...) for it instead",
            )
        )
    return problems


@dataclass(frozen=True, kw_only=True)
class ImportedVirtualPrivateGatewayProps:
    """An existing Virtual Private Gateway, by id."""

    vpn_gateway_id: str
    #: The gateway's ASN, when known: keeps the ASN clash check. @default unknown
    amazon_side_asn: int | None = None


def validate_imported_virtual_private_gateway_props(
    props: ImportedVirtualPrivateGatewayProps,
) -> list[Problem]:
    """Every problem with an imported gateway's id and ASN."""
    problems = ec2_id_problems("vpn_gateway_id", props.vpn_gateway_id, Ec2IdKind.VPN_GATEWAY)
    if props.amazon_side_asn is not None:
        # A gateway created before mid-2018 carries its Region's legacy default ASN.
        problems += amazon_asn_problems("amazon_side_asn", props.amazon_side_asn, legacy_vgw=True)
    return problems


class VirtualPrivateGateway(_VirtualPrivateGatewayBase):
    """An ``AWS::EC2::VPNGateway`` attached to a VPC, propagating VPN routes into its subnets.

    Propagation puts the routes a BGP VPN learns, and a static VPN's
    ``AWS::EC2::VPNConnectionRoute`` prefixes (created by ``SiteToSiteVpn``), into the route
    tables of the selected subnets.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        vpc: ec2.IVpc,
        amazon_side_asn: int = DEFAULT_AMAZON_SIDE_ASN,
        route_propagation: Sequence[ec2.SubnetSelection] | None = None,
        vpn_gateway_name: str | None = None,
    ) -> None:
        """
        :param vpc: the VPC to attach to (a VPC takes one Virtual Private Gateway).
        :param amazon_side_asn: BGP ASN of the AWS side, 64512-65534 or
            4200000000-4294967294; never the customer's. @default 64512
        :param route_propagation: subnets whose route tables receive the VPN routes; ``[]``
            propagates nowhere (you add routes yourself). @default the VPC's default
            selection: private subnets, else isolated, else public (as aws-cdk's
            ``vpn_route_propagation``)
        :param vpn_gateway_name: Name tag. @default the construct id
        """
        super().__init__(scope, construct_id)
        self._props = VirtualPrivateGatewayProps(
            vpc=vpc,
            amazon_side_asn=amazon_side_asn,
            route_propagation=(
                (ec2.SubnetSelection(),) if route_propagation is None else tuple(route_propagation)
            ),
            vpn_gateway_name=vpn_gateway_name,
        )
        problems = validate_virtual_private_gateway_props(self._props)
        route_table_ids = self._route_table_ids(problems)
        raise_if_any(self.node.path, problems)
        self.vpn_gateway = ec2.CfnVPNGateway(
            self, "Resource", type="ipsec.1", amazon_side_asn=amazon_side_asn
        )
        Tags.of(self.vpn_gateway).add("Name", vpn_gateway_name or construct_id)
        self._vpn_gateway_id = self.vpn_gateway.ref
        self._amazon_side_asn = amazon_side_asn
        self.attachment = ec2.CfnVPCGatewayAttachment(
            self, "Attachment", vpc_id=vpc.vpc_id, vpn_gateway_id=self.vpn_gateway_id
        )
        self.route_propagation: ec2.CfnVPNGatewayRoutePropagation | None = None
        if route_table_ids:
            self.route_propagation = ec2.CfnVPNGatewayRoutePropagation(
                self,
                "RoutePropagation",
                route_table_ids=route_table_ids,
                vpn_gateway_id=self.vpn_gateway_id,
            )
            # Propagation fails until the gateway is attached to the VPC.
            self.route_propagation.node.add_dependency(self.attachment)

    def _route_table_ids(self, problems: list[Problem]) -> list[str]:
        """Route tables of the selected subnets, each once; adds a problem for an empty match."""
        ids: dict[str, None] = {}
        for index, selection in enumerate(self._props.route_propagation):
            name = f"route_propagation[{index}]"
            try:
                subnets = self._props.vpc.select_subnets(
                    availability_zones=selection.availability_zones,
                    one_per_az=selection.one_per_az,
                    subnet_filters=selection.subnet_filters,
                    subnet_group_name=selection.subnet_group_name,
                    subnets=selection.subnets,
                    subnet_type=selection.subnet_type,
                ).subnets
            except RuntimeError as error:  # jsii surfaces aws-cdk's selection errors this way
                problems.append(Problem(name, _describe(selection), _cdk_message(error)))
                continue
            if not subnets:
                problems.append(Problem(name, _describe(selection), "selects no subnet of the VPC"))
            ids.update(dict.fromkeys(subnet.route_table.route_table_id for subnet in subnets))
        return list(ids)

    @staticmethod
    def from_vpn_gateway_attributes(
        scope: Construct,
        construct_id: str,
        *,
        vpn_gateway_id: str,
        amazon_side_asn: int | None = None,
    ) -> IVirtualPrivateGateway:
        """An existing gateway. Give ``amazon_side_asn`` to keep the ASN clash check; the
        10-connection quota is checked for it too."""
        props = ImportedVirtualPrivateGatewayProps(
            vpn_gateway_id=vpn_gateway_id, amazon_side_asn=amazon_side_asn
        )

        class Import(_VirtualPrivateGatewayBase):
            def __init__(self) -> None:
                super().__init__(scope, construct_id)
                self._vpn_gateway_id = vpn_gateway_id
                self._amazon_side_asn = amazon_side_asn

        imported = Import()
        raise_if_any(imported.node.path, validate_imported_virtual_private_gateway_props(props))
        return imported


def _describe(selection: ec2.SubnetSelection) -> str:
    """A selection as the user wrote it, e.g. ``SubnetSelection(subnet_type=PUBLIC)``."""
    fields = ("subnet_type", "subnet_group_name", "availability_zones", "one_per_az")
    shown = {name: getattr(selection, name) for name in fields if getattr(selection, name)}
    rendered = (f"{k}={v.name if isinstance(v, Enum) else repr(v)}" for k, v in shown.items())
    return f"SubnetSelection({', '.join(rendered)})"


def _cdk_message(error: Exception) -> str:
    """aws-cdk's error text without its leading error code (``ThereSubnetGroups: ...``)."""
    code, _, text = str(error).partition(": ")
    return text if text and code.isalnum() else str(error)
