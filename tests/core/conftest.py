"""Builders for core tests: a valid VPN with any prop overridden."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest

from site_to_site_vpn import (
    CustomerGatewayProps,
    SiteToSiteVpn,
    TransitGatewayReference,
    VirtualPrivateGatewayReference,
)
from tests.support import new_stack

TGW = TransitGatewayReference(transit_gateway_id="tgw-0123456789abcdef0", amazon_side_asn=64512)
VGW = VirtualPrivateGatewayReference(vpn_gateway_id="vgw-0123456789abcdef0", amazon_side_asn=64513)
CGW = CustomerGatewayProps(ip_address="203.0.113.10", bgp_asn=65010)


def build_vpn(stack: cdk.Stack | None = None, **overrides: Any) -> SiteToSiteVpn:
    """A VPN on the test Transit Gateway with ``overrides`` applied."""
    props: dict[str, Any] = {"customer_gateway": CGW, "transit_gateway": TGW}
    props.update(overrides)
    if "vpn_gateway" in overrides and "transit_gateway" not in overrides:
        props["transit_gateway"] = None
    return SiteToSiteVpn(stack or new_stack(), "Vpn", **props)


@pytest.fixture
def stack() -> cdk.Stack:
    return new_stack()
