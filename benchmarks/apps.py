"""The apps the benchmark synthesizes, one per process.

``library``: what ``app.py`` does (sites file -> hub + site stacks, cdk-nag packs applied).
``library-no-nag``: the same without the compliance packs, to show what they cost.
``baseline``: the same Transit Gateway, customer gateways and VPN connections (same tunnel
options) written as plain L1 constructs, sharded at the same 400 resources per stack.

Usage: ``python -m benchmarks.apps MODE SITES_FILE`` with ``CDK_OUTDIR`` set.
"""

from __future__ import annotations

import sys
from typing import Any

import aws_cdk as cdk
import yaml
from aws_cdk import aws_ec2 as ec2

from site_to_site_vpn.compliance import apply_compliance_checks
from site_to_site_vpn.stacks.sites_app import build_sites_app

BASELINE_RESOURCES_PER_STACK = 400
#: The library's secure tunnel profile, written out by hand.
BASELINE_TUNNEL: dict[str, Any] = {
    "IKEVersions": [{"Value": "ikev2"}],
    "Phase1EncryptionAlgorithms": [{"Value": "AES256-GCM-16"}, {"Value": "AES256"}],
    "Phase2EncryptionAlgorithms": [{"Value": "AES256-GCM-16"}, {"Value": "AES256"}],
    "Phase1IntegrityAlgorithms": [{"Value": v} for v in ("SHA2-512", "SHA2-384", "SHA2-256")],
    "Phase2IntegrityAlgorithms": [{"Value": v} for v in ("SHA2-512", "SHA2-384", "SHA2-256")],
    "Phase1DHGroupNumbers": [{"Value": g} for g in range(14, 22)],
    "Phase2DHGroupNumbers": [{"Value": g} for g in range(14, 22)],
    "Phase1LifetimeSeconds": 28800,
    "Phase2LifetimeSeconds": 3600,
    "RekeyMarginTimeSeconds": 270,
    "RekeyFuzzPercentage": 100,
    "ReplayWindowSize": 1024,
    "DPDTimeoutSeconds": 30,
    "DPDTimeoutAction": "restart",
    "StartupAction": "add",
    "EnableTunnelLifecycleControl": False,
}


def baseline(app: cdk.App, path: str) -> None:
    document = yaml.safe_load(open(path, encoding="utf-8"))  # noqa: SIM115 - one-shot read
    env = cdk.Environment(account="111111111111", region="us-east-1")
    hub = cdk.Stack(app, "Baseline-Hub", env=env)
    tgw = ec2.CfnTransitGateway(hub, "TransitGateway", amazon_side_asn=64512)
    per_stack = BASELINE_RESOURCES_PER_STACK // 2
    sites = document["sites"]
    for start in range(0, len(sites), per_stack):
        stack = cdk.Stack(app, f"Baseline-Sites-{start // per_stack + 1:03d}", env=env)
        for site in sites[start : start + per_stack]:
            cgw = ec2.CfnCustomerGateway(
                stack,
                f"{site['name']}-cgw",
                type="ipsec.1",
                ip_address=site["customer_gateway"]["ip_address"],
                bgp_asn_extended=site["customer_gateway"]["bgp_asn"],
            )
            vpn = ec2.CfnVPNConnection(
                stack,
                f"{site['name']}-vpn",
                type="ipsec.1",
                customer_gateway_id=cgw.attr_customer_gateway_id,
                transit_gateway_id=tgw.ref,
                static_routes_only=False,
            )
            vpn.add_property_override(
                "VpnTunnelOptionsSpecifications", [BASELINE_TUNNEL, BASELINE_TUNNEL]
            )


def main(mode: str, path: str) -> None:
    app = cdk.App()
    if mode == "baseline":
        baseline(app, path)
    else:
        build_sites_app(app, path)
        if mode == "library":
            apply_compliance_checks(app)
    app.synth()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
