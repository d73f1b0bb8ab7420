"""The customer gateway: AWS's record of the on-premises VPN device."""

from __future__ import annotations

import functools
import ipaddress
from dataclasses import dataclass
from typing import Final, Protocol

import jsii
from aws_cdk import CfnTag, Resource
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_ec2 as ec2
from aws_cdk.interfaces import aws_ec2 as ec2_refs
from constructs import Construct

from site_to_site_vpn.constructs.registry import (
    conflicts,
    customer_gateway_claims,
    literal_region,
    register,
)
from site_to_site_vpn.constructs.rules import customer_asn_problems, ec2_id_problems, is_token
from site_to_site_vpn.constructs.scope_facts import path_of, stack_of
from site_to_site_vpn.core.asn import is_extended_asn
from site_to_site_vpn.core.errors import Problem, raise_if_any
from site_to_site_vpn.core.ids import Ec2IdKind

DEFAULT_CUSTOMER_ASN = 65_000


class ICustomerGateway(ec2_refs.ICustomerGatewayRef, Protocol):
    """A customer gateway of this library (created or imported): an aws-cdk-lib
    ``ICustomerGatewayRef`` that also tells its ASN."""

    @property
    def customer_gateway_ref(self) -> ec2_refs.CustomerGatewayReference:
        """The reference aws-cdk-lib's ``ICustomerGatewayRef`` gives."""
        ...

    @property
    def customer_gateway_id(self) -> str:
        """The ``cgw-...`` id (may be a token)."""
        ...

    @property
    def bgp_asn(self) -> int | None:
        """The device's BGP ASN, when known; checked against the Amazon-side ASN."""
        ...


@dataclass(frozen=True)
class CustomerGatewayProps:
    """What AWS needs to know about the on-premises device."""

    #: Outside IP address of the device (IPv4, or IPv6 for IPv6 outside addresses); a token is
    #: allowed.
    ip_address: str
    #: BGP ASN of the device, 1-4,294,967,294. Values from 2,147,483,648 are written to
    #: ``BgpAsnExtended``. @default 65000 (AWS's default)
    bgp_asn: int = DEFAULT_CUSTOMER_ASN
    #: Free-text device name shown in the console. @default none
    device_name: str | None = None
    #: Private certificate (AWS Private CA, in ACM) for certificate-based authentication instead
    #: of pre-shared keys. @default PSK authentication
    certificate: acm.ICertificate | None = None
    #: Name tag. @default the construct id
    name: str | None = None


#: 0.0.0.0/8 is "this network" (RFC 1122): a source address no device can be reached at.
_THIS_NETWORK: Final = ipaddress.IPv4Network("0.0.0.0/8")


def _impossible_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why no customer gateway device can have ``address`` as its outside address, or None.

    AWS's "Customer gateway options for your AWS Site-to-Site VPN connection" page: the address
    is the static address of the device's external interface (or of the NAT in front of it), and
    an IPv6 one must be a valid, internet-routable address. Private and documentation ranges stay
    allowed (Private IP VPN over Direct Connect, NAT, labs); only address classes that can never
    be a unicast peer on a network are refused.
    """
    limited_broadcast = address == ipaddress.IPv4Address("255.255.255.255")
    checks = (
        (
            address.is_unspecified or (address.version == 4 and address in _THIS_NETWORK),
            "is the unspecified / 'this network' address",
        ),
        (address.is_loopback, "is a loopback address"),
        (address.is_multicast, "is a multicast address"),
        (address.is_link_local, "is a link-local address"),
        (limited_broadcast, "is the limited broadcast address"),
        (
            address.is_reserved or (address.version == 6 and address.is_site_local),
            "is in a reserved range",
        ),
    )
    return next((reason for impossible, reason in checks if impossible), None)


def ip_address_problems(field: str, value: str) -> list[Problem]:
    """A customer gateway's outside address: a unicast address a device can really have."""
    if is_token(value):
        return []
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return [Problem(field, value, "must be an IPv4 or IPv6 address")]
    reason = _impossible_address(address)
    if reason is not None:
        return [
            Problem(
                field,
                value,
                f"{reason}: must be the device's (or its NAT's) static unicast address "
                "(AWS Customer gateway options)",
            )
        ]
    return []


def validate_customer_gateway_props(
    props: CustomerGatewayProps, *, region: str | None = None
) -> list[Problem]:
    """All problems with a customer gateway's props; ``region`` (None: unknown) decides which
    reserved ASNs apply."""
    problems = customer_asn_problems("bgp_asn", props.bgp_asn, region)
    problems += ip_address_problems("ip_address", props.ip_address)
    if props.device_name is not None and len(props.device_name) > 255:
        problems.append(Problem("device_name", props.device_name, "must be at most 255 characters"))
    return problems


@dataclass(frozen=True, kw_only=True)
class ImportedCustomerGatewayProps:
    """An existing customer gateway, by id."""

    customer_gateway_id: str
    #: The device's BGP ASN, when known: keeps the ASN clash check. @default unknown
    bgp_asn: int | None = None


def validate_imported_customer_gateway_props(
    props: ImportedCustomerGatewayProps, *, region: str | None = None
) -> list[Problem]:
    """Every problem with an imported customer gateway's id and ASN; ``region`` as for
    :func:`validate_customer_gateway_props`."""
    problems = ec2_id_problems(
        "customer_gateway_id", props.customer_gateway_id, Ec2IdKind.CUSTOMER_GATEWAY
    )
    if props.bgp_asn is not None:
        problems += customer_asn_problems("bgp_asn", props.bgp_asn, region)
    return problems


@jsii.implements(ec2_refs.ICustomerGatewayRef)
class _CustomerGatewayBase(Resource):
    """An ``ICustomerGatewayRef`` whose id and ASN are Python values (no jsii call to read)."""

    @property
    def customer_gateway_id(self) -> str:
        raise NotImplementedError

    @property
    def bgp_asn(self) -> int | None:
        raise NotImplementedError

    @property
    def customer_gateway_ref(self) -> ec2_refs.CustomerGatewayReference:
        """The reference aws-cdk-lib's ``ICustomerGatewayRef`` gives."""
        return ec2_refs.CustomerGatewayReference(customer_gateway_id=self.customer_gateway_id)


class CustomerGateway(_CustomerGatewayBase):
    """An ``AWS::EC2::CustomerGateway`` with a validated address and ASN."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        ip_address: str,
        bgp_asn: int = DEFAULT_CUSTOMER_ASN,
        device_name: str | None = None,
        certificate: acm.ICertificate | None = None,
        name: str | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        stack_of(self, scope=scope)
        path_of(self, scope=scope, construct_id=construct_id)
        self._props = CustomerGatewayProps(
            ip_address=ip_address,
            bgp_asn=bgp_asn,
            device_name=device_name,
            certificate=certificate,
            name=name,
        )
        problems = validate_customer_gateway_props(self._props, region=literal_region(self))
        claims = customer_gateway_claims(
            self, ip_address=ip_address, bgp_asn=bgp_asn, device_name=device_name
        )
        path = path_of(self)
        problems += conflicts(self, path, claims)
        raise_if_any(path, problems)
        register(self, path, claims)
        extended = not is_token(bgp_asn) and is_extended_asn(bgp_asn)
        self.resource = ec2.CfnCustomerGateway(
            self,
            "Resource",
            type="ipsec.1",
            ip_address=ip_address,
            bgp_asn=None if extended else bgp_asn,
            bgp_asn_extended=bgp_asn if extended else None,
            device_name=device_name,
            certificate_arn=certificate.certificate_arn if certificate else None,
            # On the L1, not Tags.of(): one aspect per tagged resource slows every synth.
            tags=[CfnTag(key="Name", value=name or construct_id)],
        )

    @functools.cached_property
    def customer_gateway_id(self) -> str:
        return self.resource.attr_customer_gateway_id

    @property
    def bgp_asn(self) -> int | None:
        return self._props.bgp_asn

    @property
    def ip_address(self) -> str:
        return self._props.ip_address

    @staticmethod
    def from_customer_gateway_attributes(
        scope: Construct,
        construct_id: str,
        *,
        customer_gateway_id: str,
        bgp_asn: int | None = None,
    ) -> ICustomerGateway:
        """An existing customer gateway. Give ``bgp_asn`` to keep the ASN clash check."""
        props = ImportedCustomerGatewayProps(
            customer_gateway_id=customer_gateway_id, bgp_asn=bgp_asn
        )

        class Import(_CustomerGatewayBase):
            @property
            def customer_gateway_id(self) -> str:
                return customer_gateway_id

            @property
            def bgp_asn(self) -> int | None:
                return bgp_asn

        imported = Import(scope, construct_id)
        raise_if_any(
            imported.node.path,
            validate_imported_customer_gateway_props(props, region=literal_region(imported)),
        )
        return imported
