"""The example stack ``app.py`` synthesizes: one BGP VPN to an existing Transit Gateway."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from constructs import Construct

from site_to_site_vpn.constructs.customer_gateway import CustomerGatewayProps
from site_to_site_vpn.constructs.gateways import TransitGatewayReference
from site_to_site_vpn.constructs.site_to_site_vpn import SiteToSiteVpn
from site_to_site_vpn.constructs.tunnel_options import TunnelOptions

#: Documentation address (RFC 5737) and private ASNs: nothing here points at a real network.
EXAMPLE_CUSTOMER_GATEWAY_IP = "203.0.113.10"
EXAMPLE_CUSTOMER_ASN = 65010
EXAMPLE_AMAZON_ASN = 64512


class ExampleVpnStack(cdk.Stack):
    """A branch office joined to a Transit Gateway over BGP, both tunnels pinned."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.vpn = SiteToSiteVpn(
            self,
            "BranchVpn",
            customer_gateway=CustomerGatewayProps(
                ip_address=EXAMPLE_CUSTOMER_GATEWAY_IP, bgp_asn=EXAMPLE_CUSTOMER_ASN
            ),
            transit_gateway=TransitGatewayReference(
                transit_gateway_id="tgw-0123456789abcdef0", amazon_side_asn=EXAMPLE_AMAZON_ASN
            ),
            tunnel1=TunnelOptions(tunnel_inside_cidr="169.254.10.0/30"),
            tunnel2=TunnelOptions(tunnel_inside_cidr="169.254.10.4/30"),
            vpn_name="branch-office",
        )
        cdk.CfnOutput(self, "VpnConnectionId", value=self.vpn.vpn_connection_id)
        cdk.CfnOutput(self, "CustomerGatewayId", value=self.vpn.customer_gateway_id)
