"""``s2svpn cost``: what a sites file's VPNs cost a month (CDK-free; prices are package data)."""

from site_to_site_vpn.cost.estimate import (
    DEFAULT_LOG_GB_PER_SITE,
    Estimate,
    SiteCost,
    SiteInput,
    dx_break_even_gb,
    estimate,
    site_inputs,
)
from site_to_site_vpn.cost.prices import Price, PriceTable, UnknownRegionError, price_table, regions

__all__ = [
    "DEFAULT_LOG_GB_PER_SITE",
    "Estimate",
    "Price",
    "PriceTable",
    "SiteCost",
    "SiteInput",
    "UnknownRegionError",
    "dx_break_even_gb",
    "estimate",
    "price_table",
    "regions",
    "site_inputs",
]
