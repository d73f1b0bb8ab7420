"""The sites file as typed, immutable values: what the loader returns and the stacks consume."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from site_to_site_vpn.constructs.connection_options import Routing
from site_to_site_vpn.constructs.customer_gateway import DEFAULT_CUSTOMER_ASN
from site_to_site_vpn.constructs.tunnel_options import TunnelOptions
from site_to_site_vpn.core.asn import DEFAULT_AMAZON_SIDE_ASN
from site_to_site_vpn.core.reachability import ReachabilityTarget

#: AWS's default quotas (per Region, per Transit Gateway); a raised quota is stated in ``quotas:``.
DEFAULT_CUSTOMER_GATEWAYS_PER_REGION: Final = 50
DEFAULT_VPN_CONNECTIONS_PER_REGION: Final = 50
DEFAULT_ATTACHMENTS_PER_TRANSIT_GATEWAY: Final = 5_000
#: "Amazon VPC Transit Gateways Quotas" (Transit gateway attachments): VPN connections per VPN
#: Concentrator 100, VPN Concentrators per transit gateway 5.
DEFAULT_VPN_CONNECTIONS_PER_VPN_CONCENTRATOR: Final = 100
DEFAULT_VPN_CONCENTRATORS_PER_TRANSIT_GATEWAY: Final = 5
DEFAULT_LOG_RETENTION_DAYS: Final = 365
DEFAULT_HUB_NAME: Final = "SiteToSiteVpn"


@dataclass(frozen=True)
class RouteTableSpec:
    """A Transit Gateway route table of the hub."""

    #: Name sites refer to (``route_table``, ``propagate_to``).
    name: str
    #: An existing ``tgw-rtb-...``. @default created in the hub stack
    id: str | None = None


@dataclass(frozen=True)
class VpnConcentratorSpec:
    """A VPN Concentrator of the hub: one Transit Gateway attachment its sites share."""

    #: Name sites refer to (``vpn_concentrator``); its construct id in the hub stack.
    name: str
    #: Route table the concentrator's attachment is associated with.
    route_table: str
    #: Route tables its sites' BGP routes are propagated to.
    propagate_to: tuple[str, ...]


@dataclass(frozen=True)
class HubSpec:
    """The hub: environment, Transit Gateway and its route tables."""

    account: str
    region: str
    route_tables: tuple[RouteTableSpec, ...]
    #: Prefix of every stack name. @default ``SiteToSiteVpn``
    name: str = DEFAULT_HUB_NAME
    #: An existing Transit Gateway. @default a new one in the hub stack
    transit_gateway_id: str | None = None
    #: Amazon-side ASN of the Transit Gateway. @default 64512
    amazon_side_asn: int = DEFAULT_AMAZON_SIDE_ASN
    #: Inside /30s used on this Transit Gateway outside this file; never allocated. @default none
    reserved_inside_cidrs: tuple[str, ...] = ()
    #: VPN Concentrators created in the hub stack. @default none
    vpn_concentrators: tuple[VpnConcentratorSpec, ...] = ()
    #: Tags on every resource of every stack. @default none
    tags: tuple[tuple[str, str], ...] = ()

    def vpn_concentrator(self, name: str) -> VpnConcentratorSpec:
        return next(c for c in self.vpn_concentrators if c.name == name)


@dataclass(frozen=True)
class MonitoringSpec:
    """Where alarms go and how long logs are kept."""

    #: Existing SNS topic for alarms. @default a new KMS-encrypted topic in the hub stack
    sns_topic_arn: str | None = None
    #: E-mail subscriptions of the new topic. @default none
    email_subscriptions: tuple[str, ...] = ()
    #: Retention of tunnel and BGP logs in days. @default 365
    log_retention_days: int = DEFAULT_LOG_RETENTION_DAYS
    #: Per-tunnel down alarms (each VPN then looks its outside IPs up at deploy time).
    #: @default True
    per_tunnel_alarms: bool = True
    #: An EventBridge rule (once, in the hub stack) sending AWS Health events of the VPN
    #: service to the alarm topic. @default True
    health_events: bool = True


@dataclass(frozen=True)
class QuotaSpec:
    """Service quotas available to this file's sites. @default AWS's default quotas."""

    customer_gateways_per_region: int = DEFAULT_CUSTOMER_GATEWAYS_PER_REGION
    vpn_connections_per_region: int = DEFAULT_VPN_CONNECTIONS_PER_REGION
    attachments_per_transit_gateway: int = DEFAULT_ATTACHMENTS_PER_TRANSIT_GATEWAY
    vpn_connections_per_vpn_concentrator: int = DEFAULT_VPN_CONNECTIONS_PER_VPN_CONCENTRATOR
    vpn_concentrators_per_transit_gateway: int = DEFAULT_VPN_CONCENTRATORS_PER_TRANSIT_GATEWAY


@dataclass(frozen=True)
class SiteSpec:
    """One branch site: its device, routing, route tables and the options of both tunnels."""

    name: str
    #: Position in the file, only for error messages (``sites[3]``); never used for identity.
    index: int
    ip_address: str
    routing: Routing
    #: Route table the site's attachment is associated with (its concentrator's, on one).
    route_table: str
    #: Route tables the site's routes are propagated (BGP) or written (static) to (its
    #: concentrator's, on one).
    propagate_to: tuple[str, ...]
    tunnel1: TunnelOptions
    tunnel2: TunnelOptions
    bgp_asn: int = DEFAULT_CUSTOMER_ASN
    device_name: str | None = None
    tags: tuple[tuple[str, str], ...] = ()
    #: The hub's VPN Concentrator the site attaches through, instead of its own attachment
    #: (then no per-site attachment lookup, association or propagation). @default none
    vpn_concentrator: str | None = None
    #: Opt-in Reachability Analyzer paths from the site's attachment. @default none
    reachability_targets: tuple[ReachabilityTarget, ...] = ()

    @property
    def pinned_inside_cidrs(self) -> tuple[str | None, str | None]:
        """Inside /30s given in the file (``None``: allocated and kept in the lock file)."""
        return (self.tunnel1.tunnel_inside_cidr, self.tunnel2.tunnel_inside_cidr)


@dataclass(frozen=True)
class SitesFile:
    """A loaded, validated sites file."""

    #: The file it came from, as given (used in error messages and to find the lock file).
    path: str
    hub: HubSpec
    sites: tuple[SiteSpec, ...]
    monitoring: MonitoringSpec = field(default_factory=MonitoringSpec)
    quotas: QuotaSpec = field(default_factory=QuotaSpec)

    def site(self, name: str) -> SiteSpec:
        return next(site for site in self.sites if site.name == name)
