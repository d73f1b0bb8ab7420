"""The customer gateway: AWS's record of the on-premises VPN device."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Final, Protocol, runtime_checkable

from aws_cdk import Tags
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_ec2 as ec2
from constructs import Construct

from site_to_site_vpn.constructs.asn import customer_asn_problems, is_extended_asn
from site_to_site_vpn.errors import Problem, is_token, raise_if_any, resource_id_problems

DEFAULT_CUSTOMER_ASN = 65_000
CUSTOMER_GATEWAY_ID_PREFIX: Final = re.compile(r"^cgw-")


@runtime_checkable
class ICustomerGateway(Protocol):
    """A customer gateway a VPN connection can use."""

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


def validate_customer_gateway_props(props: CustomerGatewayProps) -> list[Problem]:
    """All problems with a customer gateway's props."""
    problems = customer_asn_problems("bgp_asn", props.bgp_asn)
    if not is_token(props.ip_address):
        try:
            ipaddress.ip_address(props.ip_address)
        except ValueError:
            problems.append(
                Problem("ip_address", props.ip_address, "must be an IPv4 or IPv6 address")
            )
    if props.device_name is not None and len(props.device_name) > 255:
        problems.append(Problem("device_name", props.device_name, "must be at most 255 characters"))
    return problems


class CustomerGateway(Construct):
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
        self.props = CustomerGatewayProps(
            ip_address=ip_address,
            bgp_asn=bgp_asn,
            device_name=device_name,
            certificate=certificate,
            name=name,
        )
        raise_if_any(self.node.path, validate_customer_gateway_props(self.props))
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
        )
        Tags.of(self.resource).add("Name", name or construct_id)

    @property
    def customer_gateway_id(self) -> str:
        return self.resource.attr_customer_gateway_id

    @property
    def bgp_asn(self) -> int | None:
        return self.props.bgp_asn

    @property
    def ip_address(self) -> str:
        return self.props.ip_address

    @staticmethod
    def from_customer_gateway_attributes(
        scope: Construct,
        construct_id: str,
        *,
        customer_gateway_id: str,
        bgp_asn: int | None = None,
    ) -> ICustomerGateway:
        """An existing customer gateway. Give ``bgp_asn`` to keep the ASN clash check."""
        return ImportedCustomerGateway(
            scope, construct_id, customer_gateway_id=customer_gateway_id, bgp_asn=bgp_asn
        )


class ImportedCustomerGateway(Construct):
    """A customer gateway created outside this app."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        customer_gateway_id: str,
        bgp_asn: int | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        problems = resource_id_problems(
            "customer_gateway_id", customer_gateway_id, CUSTOMER_GATEWAY_ID_PREFIX, "cgw-0123abcd"
        )
        if bgp_asn is not None:
            problems += customer_asn_problems("bgp_asn", bgp_asn)
        raise_if_any(self.node.path, problems)
        self._customer_gateway_id = customer_gateway_id
        self._bgp_asn = bgp_asn

    @property
    def customer_gateway_id(self) -> str:
        return self._customer_gateway_id

    @property
    def bgp_asn(self) -> int | None:
        return self._bgp_asn
