"""A user's app on the core install: a Transit Gateway hub and one VPN, synthesized.

Run by tests/release/test_core_install.py in a venv holding the wheel without extras; it prints the
optional packages it found loaded (none expected) as JSON on its last line.
"""

import json
import sys

import aws_cdk as cdk

from site_to_site_vpn import CustomerGatewayProps, SiteToSiteVpn, TransitGatewayHub

OPTIONAL = ("boto3", "botocore", "rich", "pydantic", "yaml", "cdk_nag")

app = cdk.App()
stack = cdk.Stack(app, "Core", env=cdk.Environment(account="111111111111", region="eu-west-1"))
hub = TransitGatewayHub(stack, "Hub", amazon_side_asn=64512, route_table_names=["onprem", "vpcs"])
vpn = SiteToSiteVpn(
    stack,
    "Branch",
    customer_gateway=CustomerGatewayProps(ip_address="203.0.113.10", bgp_asn=65010),
    transit_gateway=hub,
)
hub.connect_vpn(
    vpn, associate_with=hub.route_table("onprem"), propagate_to=[hub.route_table("vpcs")]
)
assembly = app.synth()
resources = assembly.get_stack_by_name("Core").template["Resources"]
print(
    json.dumps(
        {
            "loaded": sorted(name for name in OPTIONAL if name in sys.modules),
            "types": sorted({r["Type"] for r in resources.values()}),
        }
    )
)
