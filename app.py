#!/usr/bin/env python3
"""The CDK app: hub + site stacks from a sites file.

`npx cdk synth` (or `make synth`) builds examples/sites.yaml; `-c sites=PATH` builds another file.
`-c locked=true` (CI) fails instead of updating the sites file's lock file.
"""

import aws_cdk as cdk

from site_to_site_vpn.compliance import apply_compliance_checks
from site_to_site_vpn.stacks.sites_app import build_sites_app

app = cdk.App()
build_sites_app(
    app,
    app.node.try_get_context("sites") or "examples/sites.yaml",
    locked=str(app.node.try_get_context("locked")).lower() == "true",
)
apply_compliance_checks(app)
app.synth()
