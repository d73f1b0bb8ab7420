"""Customer-gateway configuration (strongSwan, FRR, nftables) rendered from a VPN's template."""

from site_to_site_vpn.customer_side.facts import (
    Dataplane,
    DeployFacts,
    PathPreference,
    TunnelFacts,
)
from site_to_site_vpn.customer_side.render import RenderedConfig, render

__all__ = [
    "Dataplane",
    "DeployFacts",
    "PathPreference",
    "RenderedConfig",
    "TunnelFacts",
    "render",
]
