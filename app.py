#!/usr/bin/env python3
"""The example CDK app: `npx cdk synth` (or `make synth`) writes its templates to cdk.out."""

import aws_cdk as cdk

from site_to_site_vpn.compliance import apply_compliance_checks
from site_to_site_vpn.stacks.example import ExampleVpnStack

app = cdk.App()
ExampleVpnStack(app, "ExampleSiteToSiteVpn")
apply_compliance_checks(app)
app.synth()
