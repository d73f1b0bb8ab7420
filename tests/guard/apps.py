"""A small real SiteToSiteVpn app in variants, synthesized (cdk-nag + cfn-lint) to a cdk.out.

Each variant changes one thing a user might change; the guard tests compare two of them as a
pipeline compares the main branch's assembly with a pull request's.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import aws_cdk as cdk

from site_to_site_vpn import (
    CustomerGatewayProps,
    Routing,
    SiteToSiteVpn,
    TransitGatewayHub,
    TunnelOptions,
)
from tests.support import new_app, new_stack, synth

STACK_NAME = "VpnStack"


@dataclass(frozen=True)
class VpnApp:
    """The knobs the guard cases turn; the defaults are the deployed baseline."""

    customer_gateway_ip: str = "203.0.113.10"
    amazon_side_asn: int = 64512
    vpn_construct_id: str = "BranchVpn"
    static_routes: tuple[str, ...] = ()
    tags: tuple[tuple[str, str], ...] = ()
    tunnel1_phase1_lifetime: int = 28_800
    tunnel2_phase1_lifetime: int = 28_800


BASELINE = VpnApp()


def build(spec: VpnApp) -> cdk.Stack:
    stack = new_stack(new_app(), STACK_NAME)
    hub = TransitGatewayHub(
        stack, "Hub", amazon_side_asn=spec.amazon_side_asn, route_table_names=["onprem"]
    )
    vpn = SiteToSiteVpn(
        stack,
        spec.vpn_construct_id,
        customer_gateway=CustomerGatewayProps(ip_address=spec.customer_gateway_ip, bgp_asn=65010),
        transit_gateway=hub,
        routing=Routing.static(spec.static_routes) if spec.static_routes else Routing.bgp(),
        tunnel1=TunnelOptions(
            tunnel_inside_cidr="169.254.10.0/30",
            phase1_lifetime_seconds=spec.tunnel1_phase1_lifetime,
        ),
        tunnel2=TunnelOptions(
            tunnel_inside_cidr="169.254.10.4/30",
            phase1_lifetime_seconds=spec.tunnel2_phase1_lifetime,
        ),
        # A fixed name: log groups and alarms keep their names when the construct id moves.
        vpn_name="branch",
    )
    # A static VPN on a hub must be routed (its prefixes become TransitGatewayRoutes).
    onprem = hub.route_table("onprem")
    hub.connect_vpn(vpn, associate_with=onprem, propagate_to=[onprem])
    for key, value in spec.tags:
        cdk.Tags.of(vpn).add(key, value)
    return stack


def synth_to(spec: VpnApp, destination: Path) -> Path:
    """Synthesize ``spec`` (compliance packs and cfn-lint run) and copy its cdk.out."""
    stack = build(spec)
    synth(stack)
    app = stack.node.root
    assert isinstance(app, cdk.App)
    assert app.outdir is not None
    shutil.copytree(app.outdir, destination)
    return destination
