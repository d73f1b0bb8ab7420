"""The AWS side of a VPN: a Transit Gateway or a Virtual Private Gateway, as typed references."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@runtime_checkable
class ITransitGateway(Protocol):
    """A Transit Gateway a VPN can terminate on."""

    @property
    def transit_gateway_id(self) -> str:
        """The ``tgw-...`` id (may be a token)."""
        ...

    @property
    def amazon_side_asn(self) -> int | None:
        """The Transit Gateway's BGP ASN, when known; used to refuse a clashing customer ASN."""
        ...


@runtime_checkable
class IVirtualPrivateGateway(Protocol):
    """A Virtual Private Gateway a VPN can terminate on."""

    @property
    def vpn_gateway_id(self) -> str:
        """The ``vgw-...`` id (may be a token)."""
        ...

    @property
    def amazon_side_asn(self) -> int | None:
        """The gateway's BGP ASN, when known."""
        ...


@dataclass(frozen=True)
class TransitGatewayReference:
    """An existing Transit Gateway, by id. ``amazon_side_asn`` enables the ASN clash check."""

    transit_gateway_id: str
    amazon_side_asn: int | None = None


@dataclass(frozen=True)
class VirtualPrivateGatewayReference:
    """An existing Virtual Private Gateway, by id."""

    vpn_gateway_id: str
    amazon_side_asn: int | None = None
