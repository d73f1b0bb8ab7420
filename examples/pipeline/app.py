#!/usr/bin/env python3
"""``cdk synth`` entry of the pipeline example: ``cdk.json`` here runs ``python app.py``.

Context: ``account``, ``region``, ``repository`` (owner/name), ``connection_arn``.
"""

import aws_cdk as cdk
from pipeline import DEFAULT_CONNECTION_ARN, DEFAULT_REPOSITORY, VpnPipelineStack

from site_to_site_vpn.compliance import apply_compliance_checks

app = cdk.App()
env = cdk.Environment(
    account=app.node.try_get_context("account") or "111111111111",
    region=app.node.try_get_context("region") or "us-east-1",
)
VpnPipelineStack(
    app,
    "VpnPipeline",
    env=env,
    repository=app.node.try_get_context("repository") or DEFAULT_REPOSITORY,
    connection_arn=app.node.try_get_context("connection_arn") or DEFAULT_CONNECTION_ARN,
)
apply_compliance_checks(app)
app.synth()
