"""The stack names a sites file deploys to: no CDK, so `s2svpn doctor --site` can name a stack
without starting jsii."""

from __future__ import annotations

from site_to_site_vpn.sites.model import SitesFile


def hub_stack_name(sites_file: SitesFile) -> str:
    """The hub stack: the Transit Gateway, its route tables and what all sites share."""
    return f"{sites_file.hub.name}-Hub"


def site_stack_name(sites_file: SitesFile, shard: int) -> str:
    """The stack holding shard ``shard``'s sites (the lock file gives each site its shard)."""
    return f"{sites_file.hub.name}-Sites-{shard:03d}"
