"""A Site-to-Site VPN Concentrator: many small sites behind one Transit Gateway attachment.

AWS facts this module relies on (the page title is cited next to each rule that uses them):

- "AWS Site-to-Site VPN Concentrators" (Site-to-Site VPN User Guide): for 25+ remote sites of low
  bandwidth; Transit Gateway only (not Cloud WAN, not a Virtual Private Gateway); 5 Gbps
  aggregate, at most 100 Mbps per site; BGP only, static routing not supported; all sites share
  the concentrator's one Transit Gateway attachment; per site at most 5,000 routes Transit
  Gateway -> customer gateway and 1,000 the other way; each VPN keeps its own two AWS outside
  IPs and the usual metrics and logs. Supported: IPv6, accelerated VPN, several customer gateway
  devices per site (each with a unique IP address). Not supported: private (Direct Connect) VPN
  connections, Transit Gateway encryption support.
- "Create an AWS Site-to-Site VPN Concentrator connection using the CLI or API": a site's VPN
  connection names the concentrator *instead of* the Transit Gateway (``VpnConcentratorId``, no
  ``TransitGatewayId``).
- ``AWS::EC2::VPNConcentrator`` takes ``Type`` (``ipsec.1``) and ``TransitGatewayId`` and returns
  ``VpnConcentratorId`` and ``TransitGatewayAttachmentId`` (cfn-lint's bundled registry schema;
  aws-cdk-lib 2.275 ``CfnVPNConcentrator``, which makes ``transit_gateway_id`` required). Both
  inputs are create-only and the replacement strategy is delete-then-create: every site on it
  goes down while it is replaced. The schema marks TransitGatewayId optional, but the API answers
  "MissingParameter ... transitGatewayId" without it (terraform-provider-aws pull request 45175).
- How many sites one concentrator takes is not in the user guide; a re:Invent 2025 session
  summary gives 100 (secondary source, so nothing here enforces it).

Because CloudFormation returns the concentrator's attachment id (unlike a VPN connection's),
routing it through a hub needs no deploy-time lookup: see
``ITransitGatewayHub.connect_vpn_concentrator``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Protocol

import jsii
from aws_cdk import Resource, Tags
from aws_cdk import aws_ec2 as ec2
from aws_cdk.interfaces import aws_ec2 as ec2_refs
from constructs import Construct, IValidation

from site_to_site_vpn.constructs.gateways import (
    TRANSIT_GATEWAY,
    VPN_CONCENTRATOR,
    TransitGatewaySlot,
    amazon_side_asn_of,
)
from site_to_site_vpn.constructs.rules import ec2_id_problems, is_token
from site_to_site_vpn.core.errors import Problem, raise_if_any
from site_to_site_vpn.core.ids import Ec2IdKind

if TYPE_CHECKING:
    from site_to_site_vpn.constructs.site_to_site_vpn import SiteToSiteVpn

#: The only concentrator type CloudFormation and the EC2 API accept (CreateVpnConcentrator,
#: "Valid Values: ipsec.1").
VPN_CONCENTRATOR_TYPE: Final = "ipsec.1"
#: Aggregate bandwidth of one concentrator, shared by its sites ("AWS Site-to-Site VPN
#: Concentrators", Bandwidth).
VPN_CONCENTRATOR_AGGREGATE_GBPS: Final = 5
#: Bandwidth of one site on a concentrator ("AWS Site-to-Site VPN Concentrators", Bandwidth).
VPN_CONCENTRATOR_SITE_MBPS: Final = 100

MAX_NAME_LENGTH: Final = 256


class IVpnConcentrator(ec2_refs.IVPNConcentratorRef, Protocol):
    """A VPN Concentrator a ``SiteToSiteVpn`` can join (``vpn_concentrator=``); an aws-cdk-lib
    ``IVPNConcentratorRef`` that also tells its Transit Gateway and attachment."""

    @property
    def vpn_concentrator_ref(self) -> ec2_refs.VPNConcentratorReference:
        """The reference aws-cdk-lib's ``IVPNConcentratorRef`` gives."""
        ...

    @property
    def vpn_concentrator_id(self) -> str:
        """The concentrator's id (may be a token)."""
        ...

    @property
    def transit_gateway_id(self) -> str:
        """The Transit Gateway the concentrator is attached to."""
        ...

    @property
    def transit_gateway_attachment_id(self) -> str:
        """The ``tgw-attach-...`` id all its sites share (may be a token)."""
        ...


@dataclass(frozen=True, kw_only=True)
class VpnConcentratorProps:
    """The shape of a new concentrator; see :class:`VpnConcentrator` for each field."""

    transit_gateway: TransitGatewaySlot
    name: str | None = None


@dataclass(frozen=True)
class ConcentratorFacts:
    """What a VPN and a hub need of a concentrator, from ours or from ``ec2.CfnVPNConcentrator``."""

    vpn_concentrator_id: str
    transit_gateway_id: str
    transit_gateway_attachment_id: str
    amazon_side_asn: object


def concentrator_facts(field: str, value: Any) -> ConcentratorFacts | Problem:
    """The ids of the concentrator ``value``, or the problem of a ``field`` given something else.

    An ``IVPNConcentratorRef`` carries only the concentrator's id; this library's concentrators
    and aws-cdk-lib's ``CfnVPNConcentrator`` also tell the Transit Gateway and the attachment.
    """
    if not VPN_CONCENTRATOR.fits(value):
        return VPN_CONCENTRATOR.problem(field, value)
    if hasattr(value, "transit_gateway_attachment_id"):  # an IVpnConcentrator of ours
        return ConcentratorFacts(
            vpn_concentrator_id=value.vpn_concentrator_id,
            transit_gateway_id=value.transit_gateway_id,
            transit_gateway_attachment_id=value.transit_gateway_attachment_id,
            amazon_side_asn=getattr(value, "amazon_side_asn", None),
        )
    if isinstance(value, ec2.CfnVPNConcentrator):
        return ConcentratorFacts(
            vpn_concentrator_id=value.attr_vpn_concentrator_id,
            transit_gateway_id=value.transit_gateway_id,
            transit_gateway_attachment_id=value.attr_transit_gateway_attachment_id,
            amazon_side_asn=None,
        )
    return Problem(
        field,
        type(value).__name__,
        "must tell its Transit Gateway and attachment: use VpnConcentrator, "
        "VpnConcentrator.from_vpn_concentrator_attributes or ec2.CfnVPNConcentrator",
    )


def validate_vpn_concentrator_props(props: VpnConcentratorProps) -> list[Problem]:
    """Every problem with a new concentrator's props."""
    problems = []
    if not TRANSIT_GATEWAY.fits(props.transit_gateway):
        problems.append(TRANSIT_GATEWAY.problem("transit_gateway", props.transit_gateway))
    if props.name is not None and not (0 < len(props.name) <= MAX_NAME_LENGTH):
        problems.append(Problem("name", props.name, f"must be 1-{MAX_NAME_LENGTH} characters"))
    return problems


@jsii.implements(ec2_refs.IVPNConcentratorRef)
class VpnConcentrator(Resource):
    """An ``AWS::EC2::VPNConcentrator`` on a Transit Gateway.

    Its sites are ``SiteToSiteVpn(vpn_concentrator=this)`` connections: BGP only, one customer
    gateway each. Route its one attachment with ``hub.connect_vpn_concentrator(this, ...)``.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        transit_gateway: TransitGatewaySlot,
        name: str | None = None,
    ) -> None:
        """
        :param transit_gateway: the Transit Gateway to attach to (a ``TransitGatewayHub`` or a
            ``ExistingTransitGateway``). Create-only: changing it replaces the concentrator
            and every VPN on it.
        :param name: Name tag. @default the construct id
        """
        super().__init__(scope, construct_id)
        self._props = VpnConcentratorProps(transit_gateway=transit_gateway, name=name)
        raise_if_any(self.node.path, validate_vpn_concentrator_props(self._props))
        self._vpn_connections: list[SiteToSiteVpn] = []
        self.resource = ec2.CfnVPNConcentrator(
            self,
            "Resource",
            type=VPN_CONCENTRATOR_TYPE,
            transit_gateway_id=TRANSIT_GATEWAY.id_of(transit_gateway),
        )
        Tags.of(self.resource).add("Name", name or construct_id)
        self.node.add_validation(_UniqueCustomerGatewayAddresses(self))

    def vpn_connections(self) -> list[SiteToSiteVpn]:
        """Every ``SiteToSiteVpn`` created with this concentrator as its ``vpn_concentrator``."""
        return list(self._vpn_connections)

    def add_vpn_connection(self, vpn: SiteToSiteVpn) -> None:
        """Record ``vpn`` as a site of this concentrator; ``SiteToSiteVpn`` calls it for you."""
        self._vpn_connections.append(vpn)

    @property
    def transit_gateway(self) -> TransitGatewaySlot:
        """The Transit Gateway the concentrator is attached to."""
        return self._props.transit_gateway

    @property
    def vpn_concentrator_id(self) -> str:
        """``Fn::GetAtt VpnConcentratorId``."""
        return self.resource.attr_vpn_concentrator_id

    @functools.cached_property
    def transit_gateway_id(self) -> str:
        return TRANSIT_GATEWAY.id_of(self._props.transit_gateway)

    @property
    def vpn_concentrator_ref(self) -> ec2_refs.VPNConcentratorReference:
        """The reference aws-cdk-lib's ``IVPNConcentratorRef`` gives."""
        return ec2_refs.VPNConcentratorReference(vpn_concentrator_id=self.vpn_concentrator_id)

    @property
    def transit_gateway_attachment_id(self) -> str:
        """``Fn::GetAtt TransitGatewayAttachmentId``: known to CloudFormation, no lookup."""
        return self.resource.attr_transit_gateway_attachment_id

    @property
    def amazon_side_asn(self) -> object:
        """The Transit Gateway's ASN when known; VPNs on the concentrator are checked against it."""
        return amazon_side_asn_of(self._props.transit_gateway)

    @staticmethod
    def from_vpn_concentrator_attributes(
        scope: Construct,
        construct_id: str,
        *,
        vpn_concentrator_id: str,
        transit_gateway_id: str,
        transit_gateway_attachment_id: str,
    ) -> IVpnConcentrator:
        """A concentrator created outside this app, by its ids."""
        return _ImportedVpnConcentrator(
            scope,
            construct_id,
            vpn_concentrator_id=vpn_concentrator_id,
            transit_gateway_id=transit_gateway_id,
            transit_gateway_attachment_id=transit_gateway_attachment_id,
        )


@jsii.implements(IValidation)
class _UniqueCustomerGatewayAddresses:
    """Synth-time check: the concentrator's customer gateway devices have distinct addresses.

    "AWS Site-to-Site VPN Concentrators": several customer gateway devices per site are
    supported, "however, each customer gateway device must have a unique IP address".
    """

    def __init__(self, concentrator: VpnConcentrator) -> None:
        self._concentrator = concentrator

    def validate(self) -> list[str]:
        seen: dict[str, list[str]] = {}
        devices: set[int] = set()
        for vpn in self._concentrator.vpn_connections():
            address = getattr(vpn.customer_gateway, "ip_address", None)
            if id(vpn.customer_gateway) in devices:
                continue  # one device with several VPNs is one address, not a clash
            devices.add(id(vpn.customer_gateway))
            if isinstance(address, str) and not is_token(address):
                seen.setdefault(address, []).append(vpn.node.path)
        return [
            Problem(
                "customer_gateway.ip_address",
                address,
                f"is used by {len(paths)} VPNs on this concentrator ({', '.join(paths)}); each "
                "customer gateway device on a VPN Concentrator must have a unique IP address",
            ).describe(self._concentrator.node.path)
            for address, paths in seen.items()
            if len(paths) > 1
        ]


@dataclass(frozen=True, kw_only=True)
class ImportedVpnConcentratorProps:
    """A concentrator created outside this app, by its ids."""

    vpn_concentrator_id: str
    transit_gateway_id: str
    transit_gateway_attachment_id: str


def validate_imported_vpn_concentrator_props(props: ImportedVpnConcentratorProps) -> list[Problem]:
    """Every problem with the ids of an imported concentrator."""
    return [
        *ec2_id_problems(
            "vpn_concentrator_id", props.vpn_concentrator_id, Ec2IdKind.VPN_CONCENTRATOR
        ),
        *ec2_id_problems("transit_gateway_id", props.transit_gateway_id, Ec2IdKind.TRANSIT_GATEWAY),
        *ec2_id_problems(
            "transit_gateway_attachment_id",
            props.transit_gateway_attachment_id,
            Ec2IdKind.TRANSIT_GATEWAY_ATTACHMENT,
        ),
    ]


@jsii.implements(ec2_refs.IVPNConcentratorRef)
class _ImportedVpnConcentrator(Resource):
    """A concentrator created outside this app; see
    :meth:`VpnConcentrator.from_vpn_concentrator_attributes`."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        vpn_concentrator_id: str,
        transit_gateway_id: str,
        transit_gateway_attachment_id: str,
    ) -> None:
        super().__init__(scope, construct_id)
        props = ImportedVpnConcentratorProps(
            vpn_concentrator_id=vpn_concentrator_id,
            transit_gateway_id=transit_gateway_id,
            transit_gateway_attachment_id=transit_gateway_attachment_id,
        )
        raise_if_any(self.node.path, validate_imported_vpn_concentrator_props(props))
        self._vpn_concentrator_id = vpn_concentrator_id
        self._transit_gateway_id = transit_gateway_id
        self._transit_gateway_attachment_id = transit_gateway_attachment_id

    @property
    def vpn_concentrator_id(self) -> str:
        return self._vpn_concentrator_id

    @property
    def transit_gateway_id(self) -> str:
        return self._transit_gateway_id

    @property
    def transit_gateway_attachment_id(self) -> str:
        return self._transit_gateway_attachment_id

    @property
    def vpn_concentrator_ref(self) -> ec2_refs.VPNConcentratorReference:
        """The reference aws-cdk-lib's ``IVPNConcentratorRef`` gives."""
        return ec2_refs.VPNConcentratorReference(vpn_concentrator_id=self._vpn_concentrator_id)
