"""What a VPN terminates on and connects to, read from aws-cdk-lib's reference interfaces.

Every gateway slot takes aws-cdk-lib's reference interface (``aws_cdk.interfaces.aws_ec2``:
``ITransitGatewayRef``, ``IVPNGatewayRef``, ``ICustomerGatewayRef``,
``ITransitGatewayRouteTableRef``, ``IVPNConcentratorRef``), so an L1 (``ec2.CfnTransitGateway``),
an L2 (``ec2.VpnGateway``), another library's construct or one of ours fits. This module reads
the ids from them, tells a wrong object apart (a :class:`Problem` naming the slot), and reads the
Amazon-side ASN where an object carries it as a literal (the references do not).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Final, Protocol, TypeAlias

from aws_cdk import Aws
from aws_cdk.interfaces import aws_ec2 as ec2_refs

from site_to_site_vpn.core.errors import Problem


class IVirtualPrivateGateway(ec2_refs.IVPNGatewayRef, Protocol):
    """A Virtual Private Gateway of this library (created or imported): an aws-cdk-lib
    ``IVPNGatewayRef`` that also tells its id and ASN."""

    @property
    def vpn_gateway_id(self) -> str: ...

    @property
    def amazon_side_asn(self) -> int | None: ...


@functools.cache
def ec2_arn(resource_type: str, resource_id: str) -> str:
    """The ARN of an EC2 resource in the stack's account and Region (pseudo parameters)."""
    return f"arn:{Aws.PARTITION}:ec2:{Aws.REGION}:{Aws.ACCOUNT_ID}:{resource_type}/{resource_id}"


@dataclass(frozen=True)
class ExistingTransitGateway:
    """A Transit Gateway known by id, with no construct in the app.

    ``amazon_side_asn`` enables the ASN clash check. An aws-cdk-lib reference works as well:
    ``ec2.CfnTransitGateway.from_transit_gateway_id(scope, id, "tgw-...")``.
    """

    transit_gateway_id: str
    amazon_side_asn: int | None = None

    @functools.cached_property
    def transit_gateway_ref(self) -> ec2_refs.TransitGatewayReference:
        """The same reference ``ITransitGatewayRef`` gives."""
        return ec2_refs.TransitGatewayReference(
            transit_gateway_id=self.transit_gateway_id,
            transit_gateway_arn=ec2_arn("transit-gateway", self.transit_gateway_id),
        )


@dataclass(frozen=True)
class ExistingVpnGateway:
    """A Virtual Private Gateway known by id, with no construct in the app."""

    vpn_gateway_id: str
    amazon_side_asn: int | None = None

    @functools.cached_property
    def vpn_gateway_ref(self) -> ec2_refs.VPNGatewayReference:
        """The same reference ``IVPNGatewayRef`` gives."""
        return ec2_refs.VPNGatewayReference(vpn_gateway_id=self.vpn_gateway_id)


#: What ``transit_gateway`` takes: an aws-cdk-lib reference, or a gateway known only by id.
TransitGatewaySlot: TypeAlias = ec2_refs.ITransitGatewayRef | ExistingTransitGateway
#: What ``vpn_gateway`` takes.
VpnGatewaySlot: TypeAlias = ec2_refs.IVPNGatewayRef | ExistingVpnGateway


@dataclass(frozen=True)
class _Slot:
    """One kind of reference: the interface's property, the id inside it, and what fits."""

    interface: str
    ref_property: str
    id_property: str
    examples: str

    def fits(self, value: object) -> bool:
        return hasattr(value, self.ref_property)

    def id_of(self, value: Any) -> str:
        """The id in ``value``'s reference (ours are Python objects: no jsii call)."""
        return str(getattr(getattr(value, self.ref_property), self.id_property))

    def problem(self, field: str, value: object) -> Problem:
        return Problem(
            field,
            type(value).__name__,
            f"must be an {self.interface} (aws_cdk.interfaces.aws_ec2), e.g. {self.examples}",
        )


TRANSIT_GATEWAY: Final = _Slot(
    "ITransitGatewayRef",
    "transit_gateway_ref",
    "transit_gateway_id",
    "TransitGatewayHub, ec2.CfnTransitGateway or ExistingTransitGateway",
)
VPN_GATEWAY: Final = _Slot(
    "IVPNGatewayRef",
    "vpn_gateway_ref",
    "vpn_gateway_id",
    "VirtualPrivateGateway, ec2.VpnGateway, ec2.CfnVPNGateway or ExistingVpnGateway",
)
CUSTOMER_GATEWAY: Final = _Slot(
    "ICustomerGatewayRef",
    "customer_gateway_ref",
    "customer_gateway_id",
    "CustomerGateway, ec2.CfnCustomerGateway, or CustomerGatewayProps to create one",
)
ROUTE_TABLE: Final = _Slot(
    "ITransitGatewayRouteTableRef",
    "transit_gateway_route_table_ref",
    "transit_gateway_route_table_id",
    "hub.route_table(name) or ec2.CfnTransitGatewayRouteTable",
)
VPN_CONCENTRATOR: Final = _Slot(
    "IVPNConcentratorRef",
    "vpn_concentrator_ref",
    "vpn_concentrator_id",
    "VpnConcentrator, VpnConcentrator.from_vpn_concentrator_attributes or ec2.CfnVPNConcentrator",
)


def amazon_side_asn_of(gateway: object) -> object:
    """The gateway's Amazon-side ASN where the object (or its L1, for an L2 such as
    ``ec2.VpnGateway``) carries it, else None (unknown); may be a token."""
    if gateway is None:
        return None
    if hasattr(gateway, "amazon_side_asn"):  # ours, and the L1s (CfnTransitGateway, ...)
        return getattr(gateway, "amazon_side_asn", None)
    node = getattr(gateway, "node", None)
    return getattr(getattr(node, "default_child", None), "amazon_side_asn", None)
