"""The example stack (the tests', the lab's and the tools'): one BGP VPN to a Transit Gateway hub.

Not part of the library: the app (app.py) builds stacks from a sites file."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from constructs import Construct

from site_to_site_vpn.constructs.customer_gateway import CustomerGatewayProps
from site_to_site_vpn.constructs.dashboard import VpnDashboard
from site_to_site_vpn.constructs.site_to_site_vpn import SiteToSiteVpn
from site_to_site_vpn.constructs.transit_gateway_hub import TransitGatewayHub
from site_to_site_vpn.constructs.tunnel_options import TunnelOptions

#: Documentation address (RFC 5737) and private ASNs: nothing here points at a real network.
EXAMPLE_CUSTOMER_GATEWAY_IP = "203.0.113.10"
EXAMPLE_CUSTOMER_ASN = 65010
EXAMPLE_AMAZON_ASN = 64512


class ExampleVpnStack(cdk.Stack):
    """A branch office joined to a Transit Gateway hub over BGP, both tunnels pinned.

    The hub has two route tables: ``onprem`` (what VPN attachments are associated with) and
    ``vpcs`` (what VPC attachments would be associated with). The branch's BGP prefixes are
    propagated into ``vpcs``, so VPCs reach the branch.
    """

    def __init__(self, scope: Construct, construct_id: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.hub = TransitGatewayHub(
            self,
            "Hub",
            amazon_side_asn=EXAMPLE_AMAZON_ASN,
            route_table_names=["onprem", "vpcs"],
            transit_gateway_name="example-hub",
        )
        self.vpn = SiteToSiteVpn(
            self,
            "BranchVpn",
            customer_gateway=CustomerGatewayProps(
                ip_address=EXAMPLE_CUSTOMER_GATEWAY_IP, bgp_asn=EXAMPLE_CUSTOMER_ASN
            ),
            transit_gateway=self.hub,
            tunnel1=TunnelOptions(tunnel_inside_cidr="169.254.10.0/30"),
            tunnel2=TunnelOptions(tunnel_inside_cidr="169.254.10.4/30"),
            vpn_name="branch-office",
        )
        cdk.CfnOutput(self, "VpnConnectionId", value=self.vpn.vpn_connection_id)
        cdk.CfnOutput(self, "CustomerGatewayId", value=self.vpn.customer_gateway_id)
        self.vpn_routing = self.hub.connect_vpn(
            self.vpn,
            associate_with=self.hub.route_table("onprem"),
            propagate_to=[self.hub.route_table("vpcs")],
        )
        cdk.CfnOutput(
            self,
            "TransitGatewayAttachmentId",
            value=self.vpn_routing.transit_gateway_attachment_id,
        )
        self.vpn.add_tunnel_outside_ip_outputs()
        # Monitoring is on by default: tunnel + BGP logs, metric filters and alarms that notify
        # the stack's encrypted alarm topic. Subscribe the on-call address to that topic.
        if self.vpn.monitoring is not None:
            cdk.CfnOutput(self, "AlarmTopicArn", value=self.vpn.monitoring.topic.topic_arn)
        self.dashboard = VpnDashboard(self, "VpnDashboard", vpns=[self.vpn])
