"""Sites file: many branch sites described in YAML, validated, allocated and placed stably."""

from site_to_site_vpn.sites.loader import load_sites_file, parse_sites, schema
from site_to_site_vpn.sites.model import (
    HubSpec,
    MonitoringSpec,
    QuotaSpec,
    RouteTableSpec,
    SitesFile,
    SiteSpec,
)
from site_to_site_vpn.sites.schema_check import SitesFileError

__all__ = [
    "HubSpec",
    "MonitoringSpec",
    "QuotaSpec",
    "RouteTableSpec",
    "SiteSpec",
    "SitesFile",
    "SitesFileError",
    "load_sites_file",
    "parse_sites",
    "schema",
]
