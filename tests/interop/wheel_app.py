"""A user's app (run from the installed wheel): aws-cdk-lib's objects in every gateway slot.

It prints one JSON line: what the wrong objects were told, and the VPN connection references.
"""

import json

import aws_cdk as cdk
import cdk_nag
from aws_cdk import aws_ec2 as ec2

from site_to_site_vpn import (
    CustomerGatewayProps,
    SiteToSiteVpn,
    TransitGatewayHub,
    ValidationError,
    VirtualPrivateGateway,
)

app = cdk.App()
cdk.Validations.of(app).add_plugins(cdk_nag.AwsSolutionsChecks(app), cdk_nag.NIST80053R5Checks(app))
stack = cdk.Stack(app, "Interop", env=cdk.Environment(account="111111111111", region="eu-west-1"))
tgw = ec2.CfnTransitGateway(
    stack,
    "Tgw",
    amazon_side_asn=64600,
    default_route_table_association="disable",
    default_route_table_propagation="disable",
    auto_accept_shared_attachments="disable",
)
onprem = ec2.CfnTransitGatewayRouteTable(stack, "OnPrem", transit_gateway_id=tgw.ref)
vpcs = ec2.CfnTransitGatewayRouteTable(stack, "Vpcs", transit_gateway_id=tgw.ref)
hub = TransitGatewayHub.from_transit_gateway_attributes(stack, "Hub", transit_gateway_id=tgw.ref)
on_tgw = SiteToSiteVpn(
    stack,
    "OnCfnTgw",
    transit_gateway=tgw,
    customer_gateway=CustomerGatewayProps(ip_address="203.0.113.10", bgp_asn=65010),
)
cgw = ec2.CfnCustomerGateway(stack, "Cgw", type="ipsec.1", ip_address="203.0.113.20", bgp_asn=65020)
with_cgw = SiteToSiteVpn(stack, "WithCfnCgw", transit_gateway=hub, customer_gateway=cgw)
hub.connect_vpn(with_cgw, associate_with=onprem, propagate_to=[vpcs])
vgw = ec2.VpnGateway(stack, "Vgw", type="ipsec.1", amazon_side_asn=64700)
on_vgw = SiteToSiteVpn(
    stack,
    "OnL2Vgw",
    vpn_gateway=vgw,
    customer_gateway=CustomerGatewayProps(ip_address="203.0.113.30", bgp_asn=65030),
)
errors = {}
other = cdk.Stack(cdk.App(), "Mistakes")  # never synthesized
try:
    SiteToSiteVpn(
        other,
        "OnVpc",
        transit_gateway=ec2.Vpc(other, "Vpc"),  # type: ignore[arg-type]
        customer_gateway=CustomerGatewayProps(ip_address="203.0.113.40"),
    )
except ValidationError as error:
    errors["vpc"] = str(error)
try:
    VirtualPrivateGateway.from_vpn_gateway_attributes(other, "Old", vpn_gateway_id="vgw-abc")
except ValidationError as error:
    errors["vgw"] = str(error)
imported = SiteToSiteVpn.from_vpn_connection_attributes(
    stack, "Existing", vpn_connection_id="vpn-0123456789abcdef0"
)
vgw_l1 = vgw.node.default_child
assert isinstance(vgw_l1, cdk.CfnResource)
app.synth()
print(
    json.dumps(
        {
            "errors": errors,
            "ids": {
                "tgw": stack.resolve(tgw.logical_id),
                "cgw": stack.resolve(cgw.logical_id),
                "onprem": stack.resolve(onprem.logical_id),
                "vpcs": stack.resolve(vpcs.logical_id),
                "vgw": stack.resolve(vgw_l1.logical_id),
                "on_tgw": stack.resolve(on_tgw.vpn_connection.logical_id),
                "with_cgw": stack.resolve(with_cgw.vpn_connection.logical_id),
                "on_vgw": stack.resolve(on_vgw.vpn_connection.logical_id),
            },
            "ref": stack.resolve(on_tgw.vpn_connection_ref.vpn_connection_id),
            "imported": imported.vpn_connection_ref.vpn_connection_id,
        }
    )
)
