"""AWS CDK v2 constructs for AWS Site-to-Site VPN.

The public API is re-exported here: ``from site_to_site_vpn import SiteToSiteVpn, TunnelOptions``.
Names load on first use (PEP 562), so ``site_to_site_vpn.customer_side``, ``site_to_site_vpn.core``
and the ``s2svpn`` CLI import without aws_cdk and jsii.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from site_to_site_vpn.constructs.alarms import (
        BGP_SESSION_DOWN,
        DPD_TIMEOUTS,
        NEGOTIATION_FAILURES,
        REDUNDANCY_LOST,
        TUNNEL_DOWN,
        VPN_DOWN,
        AlarmSpec,
        VpnAlarmSpecs,
        VpnAlarmThresholds,
    )
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
    from site_to_site_vpn.constructs.dashboard import (
        VpnDashboard,
    )
    from site_to_site_vpn.constructs.gateways import (
        ITransitGateway,
        IVirtualPrivateGateway,
        TransitGatewayReference,
        VirtualPrivateGatewayReference,
    )
    from site_to_site_vpn.constructs.pre_shared_key import (
        PreSharedKey,
    )
    from site_to_site_vpn.constructs.site_to_site_vpn import (
        SiteToSiteVpn,
    )
    from site_to_site_vpn.constructs.site_to_site_vpn_props import (
        SiteToSiteVpnProps,
    )
    from site_to_site_vpn.constructs.transit_gateway_hub import (
        ITransitGatewayRouteTable,
        TransitGatewayHub,
        TransitGatewayHubBase,
        TransitGatewayRouteTable,
        TransitGatewayRouteTableReference,
    )
    from site_to_site_vpn.constructs.transit_gateway_routing import (
        TransitGatewayConcentratorRouting,
        TransitGatewayVpnRouting,
    )
    from site_to_site_vpn.constructs.tunnel_options import (
        LogOutputFormat,
        TunnelLogOptions,
        TunnelOptions,
    )
    from site_to_site_vpn.constructs.virtual_private_gateway import (
        VirtualPrivateGateway,
        VirtualPrivateGatewayBase,
    )
    from site_to_site_vpn.constructs.vpn_concentrator import (
        ImportedVpnConcentrator,
        IVpnConcentrator,
        VpnConcentrator,
    )
    from site_to_site_vpn.constructs.vpn_logging import (
        VpnLogging,
        VpnLoggingOptions,
    )
    from site_to_site_vpn.constructs.vpn_lookups import (
        VpnConnectionFacts,
        VpnFactsProvider,
    )
    from site_to_site_vpn.constructs.vpn_monitoring import (
        VpnMonitoring,
        VpnMonitoringOptions,
    )
    from site_to_site_vpn.core.asn import (
        DEFAULT_AMAZON_SIDE_ASN,
    )
    from site_to_site_vpn.core.errors import (
        Problem,
        ValidationError,
    )
    from site_to_site_vpn.core.tunnel_options import (
        DhGroup,
        DpdTimeoutAction,
        EncryptionAlgorithm,
        IkeVersion,
        IntegrityAlgorithm,
        StartupAction,
    )
    from site_to_site_vpn.sites import (
        SitesFile,
        SitesFileError,
        SiteSpec,
        load_sites_file,
    )
    from site_to_site_vpn.stacks.hub_stack import (
        HubStack,
    )
    from site_to_site_vpn.stacks.site_stack import (
        SiteStack,
    )
    from site_to_site_vpn.stacks.sites_app import (
        SitesApp,
        build_sites_app,
    )

#: Public name -> the module that defines it; imported when the name is first used.
_EXPORTS: dict[str, str] = {
    "AlarmSpec": "site_to_site_vpn.constructs.alarms",
    "BGP_SESSION_DOWN": "site_to_site_vpn.constructs.alarms",
    "build_sites_app": "site_to_site_vpn.stacks.sites_app",
    "CustomerGateway": "site_to_site_vpn.constructs.customer_gateway",
    "CustomerGatewayProps": "site_to_site_vpn.constructs.customer_gateway",
    "DEFAULT_AMAZON_SIDE_ASN": "site_to_site_vpn.core.asn",
    "DhGroup": "site_to_site_vpn.core.tunnel_options",
    "DPD_TIMEOUTS": "site_to_site_vpn.constructs.alarms",
    "DpdTimeoutAction": "site_to_site_vpn.core.tunnel_options",
    "EncryptionAlgorithm": "site_to_site_vpn.core.tunnel_options",
    "HubStack": "site_to_site_vpn.stacks.hub_stack",
    "ICustomerGateway": "site_to_site_vpn.constructs.customer_gateway",
    "IkeVersion": "site_to_site_vpn.core.tunnel_options",
    "ImportedVpnConcentrator": "site_to_site_vpn.constructs.vpn_concentrator",
    "IntegrityAlgorithm": "site_to_site_vpn.core.tunnel_options",
    "ITransitGateway": "site_to_site_vpn.constructs.gateways",
    "ITransitGatewayRouteTable": "site_to_site_vpn.constructs.transit_gateway_hub",
    "IVirtualPrivateGateway": "site_to_site_vpn.constructs.gateways",
    "IVpnConcentrator": "site_to_site_vpn.constructs.vpn_concentrator",
    "load_sites_file": "site_to_site_vpn.sites",
    "LogOutputFormat": "site_to_site_vpn.constructs.tunnel_options",
    "NEGOTIATION_FAILURES": "site_to_site_vpn.constructs.alarms",
    "OutsideIpAddressType": "site_to_site_vpn.constructs.connection_options",
    "PreSharedKey": "site_to_site_vpn.constructs.pre_shared_key",
    "PreSharedKeyStorage": "site_to_site_vpn.constructs.connection_options",
    "Problem": "site_to_site_vpn.core.errors",
    "REDUNDANCY_LOST": "site_to_site_vpn.constructs.alarms",
    "Routing": "site_to_site_vpn.constructs.connection_options",
    "SitesApp": "site_to_site_vpn.stacks.sites_app",
    "SitesFile": "site_to_site_vpn.sites",
    "SitesFileError": "site_to_site_vpn.sites",
    "SiteSpec": "site_to_site_vpn.sites",
    "SiteStack": "site_to_site_vpn.stacks.site_stack",
    "SiteToSiteVpn": "site_to_site_vpn.constructs.site_to_site_vpn",
    "SiteToSiteVpnProps": "site_to_site_vpn.constructs.site_to_site_vpn_props",
    "StartupAction": "site_to_site_vpn.core.tunnel_options",
    "TransitGatewayConcentratorRouting": "site_to_site_vpn.constructs.transit_gateway_routing",
    "TransitGatewayHub": "site_to_site_vpn.constructs.transit_gateway_hub",
    "TransitGatewayHubBase": "site_to_site_vpn.constructs.transit_gateway_hub",
    "TransitGatewayReference": "site_to_site_vpn.constructs.gateways",
    "TransitGatewayRouteTable": "site_to_site_vpn.constructs.transit_gateway_hub",
    "TransitGatewayRouteTableReference": "site_to_site_vpn.constructs.transit_gateway_hub",
    "TransitGatewayVpnRouting": "site_to_site_vpn.constructs.transit_gateway_routing",
    "TUNNEL_DOWN": "site_to_site_vpn.constructs.alarms",
    "TunnelBandwidth": "site_to_site_vpn.constructs.connection_options",
    "TunnelInsideIpVersion": "site_to_site_vpn.constructs.connection_options",
    "TunnelLogOptions": "site_to_site_vpn.constructs.tunnel_options",
    "TunnelOptions": "site_to_site_vpn.constructs.tunnel_options",
    "VpnConnectionFacts": "site_to_site_vpn.constructs.vpn_lookups",
    "VpnFactsProvider": "site_to_site_vpn.constructs.vpn_lookups",
    "ValidationError": "site_to_site_vpn.core.errors",
    "VirtualPrivateGateway": "site_to_site_vpn.constructs.virtual_private_gateway",
    "VirtualPrivateGatewayBase": "site_to_site_vpn.constructs.virtual_private_gateway",
    "VirtualPrivateGatewayReference": "site_to_site_vpn.constructs.gateways",
    "VPN_DOWN": "site_to_site_vpn.constructs.alarms",
    "VpnAlarmSpecs": "site_to_site_vpn.constructs.alarms",
    "VpnAlarmThresholds": "site_to_site_vpn.constructs.alarms",
    "VpnConcentrator": "site_to_site_vpn.constructs.vpn_concentrator",
    "VpnDashboard": "site_to_site_vpn.constructs.dashboard",
    "VpnLogging": "site_to_site_vpn.constructs.vpn_logging",
    "VpnLoggingOptions": "site_to_site_vpn.constructs.vpn_logging",
    "VpnMonitoring": "site_to_site_vpn.constructs.vpn_monitoring",
    "VpnMonitoringOptions": "site_to_site_vpn.constructs.vpn_monitoring",
}

__all__ = [
    "BGP_SESSION_DOWN",
    "DEFAULT_AMAZON_SIDE_ASN",
    "DPD_TIMEOUTS",
    "NEGOTIATION_FAILURES",
    "REDUNDANCY_LOST",
    "TUNNEL_DOWN",
    "VPN_DOWN",
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
    "IVpnConcentrator",
    "IkeVersion",
    "ImportedVpnConcentrator",
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
    "TransitGatewayConcentratorRouting",
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
    "ValidationError",
    "VirtualPrivateGateway",
    "VirtualPrivateGatewayBase",
    "VirtualPrivateGatewayReference",
    "VpnAlarmSpecs",
    "VpnAlarmThresholds",
    "VpnConcentrator",
    "VpnConnectionFacts",
    "VpnDashboard",
    "VpnFactsProvider",
    "VpnLogging",
    "VpnLoggingOptions",
    "VpnMonitoring",
    "VpnMonitoringOptions",
    "build_sites_app",
    "load_sites_file",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
