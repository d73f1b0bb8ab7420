"""Sites file: many branch sites described in YAML, validated, allocated and placed stably.

Needs the ``sites`` extra (pydantic, PyYAML): ``pip install 'cdk-site-to-site-vpn[sites]'``.
"""

from site_to_site_vpn.extras import require_extra

require_extra("site_to_site_vpn.sites (the sites file)", "sites")

# ruff: noqa: E402 - the extra is checked before its packages are imported

from site_to_site_vpn.sites.loader import load_sites_file, parse_sites, schema
from site_to_site_vpn.sites.model import (
    HubSpec,
    MonitoringSpec,
    QuotaSpec,
    RouteTableSpec,
    SitesFile,
    SiteSpec,
    VpnConcentratorSpec,
)
from site_to_site_vpn.sites.problems import SitesFileError

__all__ = [
    "HubSpec",
    "MonitoringSpec",
    "QuotaSpec",
    "RouteTableSpec",
    "SiteSpec",
    "SitesFile",
    "SitesFileError",
    "VpnConcentratorSpec",
    "load_sites_file",
    "parse_sites",
    "schema",
]
