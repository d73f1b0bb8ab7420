"""AWS CDK v2 constructs for AWS Site-to-Site VPN.

The public API is re-exported here: ``from site_to_site_vpn import SiteToSiteVpn, TunnelOptions``.
"""

from site_to_site_vpn.constructs.alarms import AlarmSpec, VpnAlarmThresholds
from site_to_site_vpn.constructs.asn import DEFAULT_AMAZON_SIDE_ASN
from site_to_site_vpn.constructs.connection_options import (
    OutsideIpAddressType,
    PreSharedKeyStorage,
    Routing,
    TunnelBandwidth,
    TunnelInsideIpVersion,
)
from site_to_site_vpn.constructs.customer_gateway import (
    CustomerGateway,
    CustomerGatewayProps,
    ICustomerGateway,
)
from site_to_site_vpn.constructs.dashboard import VpnDashboard
from site_to_site_vpn.constructs.gateways import (
    ITransitGateway,
    IVirtualPrivateGateway,
    TransitGatewayReference,
    VirtualPrivateGatewayReference,
)
from site_to_site_vpn.constructs.pre_shared_key import PreSharedKey
from site_to_site_vpn.constructs.site_to_site_vpn import SiteToSiteVpn, SiteToSiteVpnProps
from site_to_site_vpn.constructs.transit_gateway_hub import (
    ImportedTransitGatewayHub,
    ITransitGatewayRouteTable,
    TransitGatewayHub,
    TransitGatewayHubBase,
    TransitGatewayRouteTable,
    TransitGatewayRouteTableReference,
    TransitGatewayVpnRouting,
)
from site_to_site_vpn.constructs.tunnel_options import (
    DhGroup,
    DpdTimeoutAction,
    EncryptionAlgorithm,
    IkeVersion,
    IntegrityAlgorithm,
    LogOutputFormat,
    StartupAction,
    TunnelLogOptions,
    TunnelOptions,
)
from site_to_site_vpn.constructs.virtual_private_gateway import (
    ImportedVirtualPrivateGateway,
    VirtualPrivateGateway,
    VirtualPrivateGatewayBase,
)
from site_to_site_vpn.constructs.vpn_logging import VpnLogging, VpnLoggingOptions
from site_to_site_vpn.constructs.vpn_lookups import (
    TransitGatewayAttachmentLookup,
    TunnelOutsideIpLookup,
)
from site_to_site_vpn.constructs.vpn_monitoring import VpnMonitoring, VpnMonitoringOptions
from site_to_site_vpn.errors import Problem, ValidationError
from site_to_site_vpn.sites import SitesFile, SitesFileError, SiteSpec, load_sites_file
from site_to_site_vpn.stacks.hub_stack import HubStack
from site_to_site_vpn.stacks.site_stack import SiteStack
from site_to_site_vpn.stacks.sites_app import SitesApp, build_sites_app

__all__ = [
    "DEFAULT_AMAZON_SIDE_ASN",
    "AlarmSpec",
    "CustomerGateway",
    "CustomerGatewayProps",
    "DhGroup",
    "DpdTimeoutAction",
    "EncryptionAlgorithm",
    "HubStack",
    "ICustomerGateway",
    "ITransitGateway",
    "ITransitGatewayRouteTable",
    "IVirtualPrivateGateway",
    "IkeVersion",
    "ImportedTransitGatewayHub",
    "ImportedVirtualPrivateGateway",
    "IntegrityAlgorithm",
    "LogOutputFormat",
    "OutsideIpAddressType",
    "PreSharedKey",
    "PreSharedKeyStorage",
    "Problem",
    "Routing",
    "SiteSpec",
    "SiteStack",
    "SiteToSiteVpn",
    "SiteToSiteVpnProps",
    "SitesApp",
    "SitesFile",
    "SitesFileError",
    "StartupAction",
    "TransitGatewayAttachmentLookup",
    "TransitGatewayHub",
    "TransitGatewayHubBase",
    "TransitGatewayReference",
    "TransitGatewayRouteTable",
    "TransitGatewayRouteTableReference",
    "TransitGatewayVpnRouting",
    "TunnelBandwidth",
    "TunnelInsideIpVersion",
    "TunnelLogOptions",
    "TunnelOptions",
    "TunnelOutsideIpLookup",
    "ValidationError",
    "VirtualPrivateGateway",
    "VirtualPrivateGatewayBase",
    "VirtualPrivateGatewayReference",
    "VpnAlarmThresholds",
    "VpnDashboard",
    "VpnLogging",
    "VpnLoggingOptions",
    "VpnMonitoring",
    "VpnMonitoringOptions",
    "build_sites_app",
    "load_sites_file",
]
