"""Builders for concentrator tests: a hub, a concentrator on it, sites joining it."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk

from site_to_site_vpn import (
    CustomerGatewayProps,
    SiteToSiteVpn,
    TransitGatewayHub,
    VpnConcentrator,
)

HUB_ASN = 64512
#: Documentation addresses only (RFC 5737 / RFC 3849), as the lab's network rule asks.
SITE_V4 = "198.51.100.{}"
SITE_V6 = "2001:db8:5::{:x}"


def build_hub(stack: cdk.Stack, construct_id: str = "Hub") -> TransitGatewayHub:
    return TransitGatewayHub(
        stack, construct_id, amazon_side_asn=HUB_ASN, route_table_names=["onprem", "vpcs"]
    )


def build_concentrator(
    stack: cdk.Stack, hub: TransitGatewayHub, construct_id: str = "Concentrator"
) -> VpnConcentrator:
    return VpnConcentrator(stack, construct_id, transit_gateway=hub, name="branches")


def site_cgw(number: int, *, ipv6: bool = False) -> CustomerGatewayProps:
    address = SITE_V6.format(number) if ipv6 else SITE_V4.format(number)
    return CustomerGatewayProps(ip_address=address, bgp_asn=65000 + number)


def build_site(
    scope: cdk.Stack, number: int, concentrator: VpnConcentrator, **props: Any
) -> SiteToSiteVpn:
    props.setdefault("customer_gateway", site_cgw(number))
    return SiteToSiteVpn(scope, f"Site{number}", vpn_concentrator=concentrator, **props)
