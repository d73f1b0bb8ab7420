"""AWS CDK v2 constructs for AWS Site-to-Site VPN.

The public API is re-exported here: ``from site_to_site_vpn import SiteToSiteVpn, TunnelOptions``.
"""

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
from site_to_site_vpn.constructs.gateways import (
    ITransitGateway,
    IVirtualPrivateGateway,
    TransitGatewayReference,
    VirtualPrivateGatewayReference,
)
from site_to_site_vpn.constructs.pre_shared_key import PreSharedKey
from site_to_site_vpn.constructs.site_to_site_vpn import SiteToSiteVpn, SiteToSiteVpnProps
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
from site_to_site_vpn.errors import Problem, ValidationError

__all__ = [
    "DEFAULT_AMAZON_SIDE_ASN",
    "CustomerGateway",
    "CustomerGatewayProps",
    "DhGroup",
    "DpdTimeoutAction",
    "EncryptionAlgorithm",
    "ICustomerGateway",
    "ITransitGateway",
    "IVirtualPrivateGateway",
    "IkeVersion",
    "IntegrityAlgorithm",
    "LogOutputFormat",
    "OutsideIpAddressType",
    "PreSharedKey",
    "PreSharedKeyStorage",
    "Problem",
    "Routing",
    "SiteToSiteVpn",
    "SiteToSiteVpnProps",
    "StartupAction",
    "TransitGatewayReference",
    "TunnelBandwidth",
    "TunnelInsideIpVersion",
    "TunnelLogOptions",
    "TunnelOptions",
    "ValidationError",
    "VirtualPrivateGatewayReference",
]
