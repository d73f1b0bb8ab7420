"""AWS CDK v2 constructs for AWS Site-to-Site VPN.

The public API is re-exported here: ``from site_to_site_vpn import SiteToSiteVpn, TunnelOptions``.
One table (:data:`_EXPORTS`) drives ``__all__`` and the lazy imports (PEP 562); the
``TYPE_CHECKING`` block repeats it for type checkers (tests/core/test_public_api.py keeps
them equal). Names load on first use, so ``import site_to_site_vpn`` loads neither aws_cdk nor the
optional extras (boto3, rich, pydantic, yaml, cdk_nag). Everything else lives in submodules:
``site_to_site_vpn.sites`` (the sites file), ``site_to_site_vpn.stacks``, and
``site_to_site_vpn.constructs.*`` (routing, logging and monitoring constructs, alarm names).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from site_to_site_vpn.constructs.alarms import (
        AlarmSpec as AlarmSpec,
    )
    from site_to_site_vpn.constructs.alarms import (
        VpnAlarmSpecs as VpnAlarmSpecs,
    )
    from site_to_site_vpn.constructs.connection_options import (
        OutsideIpAddressType as OutsideIpAddressType,
    )
    from site_to_site_vpn.constructs.connection_options import (
        PreSharedKeyStorage as PreSharedKeyStorage,
    )
    from site_to_site_vpn.constructs.connection_options import (
        Routing as Routing,
    )
    from site_to_site_vpn.constructs.connection_options import (
        TunnelBandwidth as TunnelBandwidth,
    )
    from site_to_site_vpn.constructs.connection_options import (
        TunnelInsideIpVersion as TunnelInsideIpVersion,
    )
    from site_to_site_vpn.constructs.customer_gateway import (
        CustomerGateway as CustomerGateway,
    )
    from site_to_site_vpn.constructs.customer_gateway import (
        CustomerGatewayProps as CustomerGatewayProps,
    )
    from site_to_site_vpn.constructs.customer_gateway import (
        ICustomerGateway as ICustomerGateway,
    )
    from site_to_site_vpn.constructs.dashboard import (
        VpnDashboard as VpnDashboard,
    )
    from site_to_site_vpn.constructs.gateways import (
        ExistingTransitGateway as ExistingTransitGateway,
    )
    from site_to_site_vpn.constructs.gateways import (
        ExistingVpnGateway as ExistingVpnGateway,
    )
    from site_to_site_vpn.constructs.gateways import (
        IVirtualPrivateGateway as IVirtualPrivateGateway,
    )
    from site_to_site_vpn.constructs.pre_shared_key import (
        PreSharedKey as PreSharedKey,
    )
    from site_to_site_vpn.constructs.site_to_site_vpn import (
        ISiteToSiteVpn as ISiteToSiteVpn,
    )
    from site_to_site_vpn.constructs.site_to_site_vpn import (
        SiteToSiteVpn as SiteToSiteVpn,
    )
    from site_to_site_vpn.constructs.site_to_site_vpn_props import (
        SiteToSiteVpnProps as SiteToSiteVpnProps,
    )
    from site_to_site_vpn.constructs.transit_gateway_hub import (
        ITransitGatewayHub as ITransitGatewayHub,
    )
    from site_to_site_vpn.constructs.transit_gateway_hub import (
        ITransitGatewayRouteTable as ITransitGatewayRouteTable,
    )
    from site_to_site_vpn.constructs.transit_gateway_hub import (
        TransitGatewayHub as TransitGatewayHub,
    )
    from site_to_site_vpn.constructs.transit_gateway_hub import (
        TransitGatewayHubProps as TransitGatewayHubProps,
    )
    from site_to_site_vpn.constructs.transit_gateway_hub import (
        TransitGatewayRouteTable as TransitGatewayRouteTable,
    )
    from site_to_site_vpn.constructs.transit_gateway_hub import (
        TransitGatewayRouteTableProps as TransitGatewayRouteTableProps,
    )
    from site_to_site_vpn.constructs.tunnel_options import (
        LogOutputFormat as LogOutputFormat,
    )
    from site_to_site_vpn.constructs.tunnel_options import (
        TunnelLogOptions as TunnelLogOptions,
    )
    from site_to_site_vpn.constructs.tunnel_options import (
        TunnelOptions as TunnelOptions,
    )
    from site_to_site_vpn.constructs.virtual_private_gateway import (
        VirtualPrivateGateway as VirtualPrivateGateway,
    )
    from site_to_site_vpn.constructs.virtual_private_gateway import (
        VirtualPrivateGatewayProps as VirtualPrivateGatewayProps,
    )
    from site_to_site_vpn.constructs.vpn_concentrator import (
        IVpnConcentrator as IVpnConcentrator,
    )
    from site_to_site_vpn.constructs.vpn_concentrator import (
        VpnConcentrator as VpnConcentrator,
    )
    from site_to_site_vpn.constructs.vpn_concentrator import (
        VpnConcentratorProps as VpnConcentratorProps,
    )
    from site_to_site_vpn.constructs.vpn_logging import (
        VpnLoggingOptions as VpnLoggingOptions,
    )
    from site_to_site_vpn.constructs.vpn_monitoring import (
        VpnMonitoringOptions as VpnMonitoringOptions,
    )
    from site_to_site_vpn.core.errors import (
        Problem as Problem,
    )
    from site_to_site_vpn.core.errors import (
        ValidationError as ValidationError,
    )
    from site_to_site_vpn.core.tunnel_options import (
        DhGroup as DhGroup,
    )
    from site_to_site_vpn.core.tunnel_options import (
        DpdTimeoutAction as DpdTimeoutAction,
    )
    from site_to_site_vpn.core.tunnel_options import (
        EncryptionAlgorithm as EncryptionAlgorithm,
    )
    from site_to_site_vpn.core.tunnel_options import (
        IkeVersion as IkeVersion,
    )
    from site_to_site_vpn.core.tunnel_options import (
        IntegrityAlgorithm as IntegrityAlgorithm,
    )
    from site_to_site_vpn.core.tunnel_options import (
        StartupAction as StartupAction,
    )
    from site_to_site_vpn.sites import (
        load_sites_file as load_sites_file,
    )
    from site_to_site_vpn.stacks.sites_app import (
        SitesApp as SitesApp,
    )
    from site_to_site_vpn.stacks.sites_app import (
        build_sites_app as build_sites_app,
    )

#: Public name -> the module that defines it; imported when the name is first used.
_EXPORTS: dict[str, str] = {
    "SiteToSiteVpn": "site_to_site_vpn.constructs.site_to_site_vpn",
    "ISiteToSiteVpn": "site_to_site_vpn.constructs.site_to_site_vpn",
    "SiteToSiteVpnProps": "site_to_site_vpn.constructs.site_to_site_vpn_props",
    "CustomerGateway": "site_to_site_vpn.constructs.customer_gateway",
    "CustomerGatewayProps": "site_to_site_vpn.constructs.customer_gateway",
    "ICustomerGateway": "site_to_site_vpn.constructs.customer_gateway",
    "TransitGatewayHub": "site_to_site_vpn.constructs.transit_gateway_hub",
    "TransitGatewayHubProps": "site_to_site_vpn.constructs.transit_gateway_hub",
    "ITransitGatewayHub": "site_to_site_vpn.constructs.transit_gateway_hub",
    "TransitGatewayRouteTable": "site_to_site_vpn.constructs.transit_gateway_hub",
    "TransitGatewayRouteTableProps": "site_to_site_vpn.constructs.transit_gateway_hub",
    "ITransitGatewayRouteTable": "site_to_site_vpn.constructs.transit_gateway_hub",
    "VirtualPrivateGateway": "site_to_site_vpn.constructs.virtual_private_gateway",
    "VirtualPrivateGatewayProps": "site_to_site_vpn.constructs.virtual_private_gateway",
    "IVirtualPrivateGateway": "site_to_site_vpn.constructs.gateways",
    "VpnConcentrator": "site_to_site_vpn.constructs.vpn_concentrator",
    "VpnConcentratorProps": "site_to_site_vpn.constructs.vpn_concentrator",
    "IVpnConcentrator": "site_to_site_vpn.constructs.vpn_concentrator",
    "ExistingTransitGateway": "site_to_site_vpn.constructs.gateways",
    "ExistingVpnGateway": "site_to_site_vpn.constructs.gateways",
    "Routing": "site_to_site_vpn.constructs.connection_options",
    "PreSharedKeyStorage": "site_to_site_vpn.constructs.connection_options",
    "OutsideIpAddressType": "site_to_site_vpn.constructs.connection_options",
    "TunnelBandwidth": "site_to_site_vpn.constructs.connection_options",
    "TunnelInsideIpVersion": "site_to_site_vpn.constructs.connection_options",
    "TunnelOptions": "site_to_site_vpn.constructs.tunnel_options",
    "TunnelLogOptions": "site_to_site_vpn.constructs.tunnel_options",
    "LogOutputFormat": "site_to_site_vpn.constructs.tunnel_options",
    "PreSharedKey": "site_to_site_vpn.constructs.pre_shared_key",
    "DhGroup": "site_to_site_vpn.core.tunnel_options",
    "DpdTimeoutAction": "site_to_site_vpn.core.tunnel_options",
    "EncryptionAlgorithm": "site_to_site_vpn.core.tunnel_options",
    "IkeVersion": "site_to_site_vpn.core.tunnel_options",
    "IntegrityAlgorithm": "site_to_site_vpn.core.tunnel_options",
    "StartupAction": "site_to_site_vpn.core.tunnel_options",
    "VpnLoggingOptions": "site_to_site_vpn.constructs.vpn_logging",
    "VpnMonitoringOptions": "site_to_site_vpn.constructs.vpn_monitoring",
    "VpnAlarmSpecs": "site_to_site_vpn.constructs.alarms",
    "AlarmSpec": "site_to_site_vpn.constructs.alarms",
    "VpnDashboard": "site_to_site_vpn.constructs.dashboard",
    "Problem": "site_to_site_vpn.core.errors",
    "ValidationError": "site_to_site_vpn.core.errors",
    "SitesApp": "site_to_site_vpn.stacks.sites_app",
    "build_sites_app": "site_to_site_vpn.stacks.sites_app",
    "load_sites_file": "site_to_site_vpn.sites",
}

__all__ = list(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
