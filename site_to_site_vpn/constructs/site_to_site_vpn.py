"""The dual-tunnel Site-to-Site VPN connection: customer gateway, VPN connection and routes."""

from __future__ import annotations

import dataclasses
import ipaddress
import re
from dataclasses import dataclass, field
from typing import Any, Final

import jsii
from aws_cdk import Annotations, CfnOutput, CfnTag, Resource
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_logs as logs
from constructs import Construct, IValidation

from site_to_site_vpn.constructs import metrics
from site_to_site_vpn.constructs.connection_options import (
    OutsideIpAddressType,
    PreSharedKeyStorage,
    Routing,
    TunnelBandwidth,
    TunnelInsideIpVersion,
    validate_routing,
)
from site_to_site_vpn.constructs.customer_gateway import (
    CustomerGateway,
    CustomerGatewayProps,
    ICustomerGateway,
    validate_customer_gateway_props,
)
from site_to_site_vpn.constructs.gateways import (
    ITransitGateway,
    IVirtualPrivateGateway,
    TransitGatewayReference,
)
from site_to_site_vpn.constructs.registry import (
    Claim,
    conflicts,
    customer_gateway_claims,
    inside_cidr_claims,
    literal_region,
    register,
    vpn_name_claims,
)
from site_to_site_vpn.constructs.rules import is_token
from site_to_site_vpn.constructs.scope_facts import path_of, stack_of
from site_to_site_vpn.constructs.tunnel_options import (
    TunnelLogOptions,
    TunnelOptions,
    validate_tunnel_options,
)
from site_to_site_vpn.constructs.virtual_private_gateway import VirtualPrivateGatewayBase
from site_to_site_vpn.constructs.vpn_concentrator import (
    VPN_CONCENTRATOR_SITE_MBPS,
    IVpnConcentrator,
)
from site_to_site_vpn.constructs.vpn_logging import (
    VpnLogging,
    VpnLoggingOptions,
    validate_logging_options,
)
from site_to_site_vpn.constructs.vpn_lookups import VpnConnectionFacts
from site_to_site_vpn.constructs.vpn_monitoring import (
    VpnMonitoring,
    VpnMonitoringOptions,
    validate_monitoring_options,
)
from site_to_site_vpn.core.errors import Problem, ValidationError, raise_if_any


@dataclass(frozen=True)
class SiteToSiteVpnProps:
    """Everything that shapes one VPN connection; see :class:`SiteToSiteVpn` for each field."""

    customer_gateway: ICustomerGateway | CustomerGatewayProps
    transit_gateway: ITransitGateway | None = None
    vpn_gateway: IVirtualPrivateGateway | None = None
    vpn_concentrator: IVpnConcentrator | None = None
    routing: Routing = field(default_factory=Routing.bgp)
    tunnel1: TunnelOptions = field(default_factory=TunnelOptions.secure)
    tunnel2: TunnelOptions = field(default_factory=TunnelOptions.secure)
    pre_shared_key_storage: PreSharedKeyStorage = PreSharedKeyStorage.SECRETS_MANAGER
    allow_plaintext_pre_shared_keys: bool = False
    enable_acceleration: bool = False
    tunnel_bandwidth: TunnelBandwidth = TunnelBandwidth.STANDARD
    outside_ip_address_type: OutsideIpAddressType = OutsideIpAddressType.PUBLIC_IPV4
    transport_transit_gateway_attachment_id: str | None = None
    tunnel_inside_ip_version: TunnelInsideIpVersion = TunnelInsideIpVersion.IPV4
    local_network_cidr: str | None = None
    remote_network_cidr: str | None = None
    vpn_name: str | None = None
    tunnel_log_options: TunnelLogOptions | None = None
    logging: VpnLoggingOptions | None = None
    monitoring: VpnMonitoringOptions | None = None


#: Id shapes of what a VPN connection refers to (EC2 ids: a prefix and 8 or 17 hex digits).
TRANSIT_GATEWAY_ID: Final = re.compile(r"^tgw-[0-9a-f]{8}(?:[0-9a-f]{9})?$")
VPN_GATEWAY_ID: Final = re.compile(r"^vgw-[0-9a-f]{8}(?:[0-9a-f]{9})?$")
TRANSIT_GATEWAY_ATTACHMENT_ID: Final = re.compile(r"^tgw-attach-[0-9a-f]{8}(?:[0-9a-f]{9})?$")
#: EC2 tag values "accept a maximum of 256 Unicode characters" (EC2 API Reference, "Tag"); EC2
#: sets no character rule, so only control characters, which no console shows, are refused.
MAX_TAG_VALUE_LENGTH: Final = 256
CUSTOMER_GATEWAY_NAME_SUFFIX: Final = "-cgw"
_CONTROL_CHARACTERS: Final = re.compile(r"[\x00-\x1f\x7f]")


def _customer_asn(props: SiteToSiteVpnProps) -> int | None:
    return props.customer_gateway.bgp_asn


def _id_problems(
    field: str, value: object, pattern: re.Pattern[str], example: str
) -> list[Problem]:
    if value is None or is_token(value):
        return []
    if isinstance(value, str) and pattern.match(value):
        return []
    return [Problem(field, value, f"must be an id like {example}")]


def _is_hub(gateway: object) -> bool:
    """A ``TransitGatewayHub`` (created or imported), which can route a static VPN's prefixes."""
    return callable(getattr(gateway, "connect_vpn", None))


def _gateway_problems(p: SiteToSiteVpnProps) -> list[Problem]:
    problems = []
    if (p.transit_gateway is None) == (p.vpn_gateway is None):
        problems.append(
            Problem(
                "transit_gateway/vpn_gateway",
                "both" if p.transit_gateway else "neither",
                "give exactly one: a Transit Gateway or a Virtual Private Gateway",
            )
        )
    if p.transit_gateway is not None:
        problems += _id_problems(
            "transit_gateway.transit_gateway_id",
            p.transit_gateway.transit_gateway_id,
            TRANSIT_GATEWAY_ID,
            "tgw-0123456789abcdef0",
        )
    if p.vpn_gateway is not None:
        problems += _id_problems(
            "vpn_gateway.vpn_gateway_id",
            p.vpn_gateway.vpn_gateway_id,
            VPN_GATEWAY_ID,
            "vgw-0123456789abcdef0",
        )
    problems += _id_problems(
        "transport_transit_gateway_attachment_id",
        p.transport_transit_gateway_attachment_id,
        TRANSIT_GATEWAY_ATTACHMENT_ID,
        "tgw-attach-0123456789abcdef0 (the Direct Connect gateway attachment)",
    )
    tgw_only = "is only available on a Transit Gateway VPN"
    if p.transit_gateway is None:
        if p.enable_acceleration is True:
            problems.append(Problem("enable_acceleration", True, tgw_only))
        if p.tunnel_bandwidth is TunnelBandwidth.LARGE:
            problems.append(Problem("tunnel_bandwidth", p.tunnel_bandwidth.value, tgw_only))
        if p.tunnel_inside_ip_version is TunnelInsideIpVersion.IPV6:
            problems.append(
                Problem("tunnel_inside_ip_version", p.tunnel_inside_ip_version.value, tgw_only)
            )
        if p.outside_ip_address_type is OutsideIpAddressType.PRIVATE_IPV4:
            problems.append(
                Problem("outside_ip_address_type", p.outside_ip_address_type.value, tgw_only)
            )
    private = p.outside_ip_address_type is OutsideIpAddressType.PRIVATE_IPV4
    if private and p.transport_transit_gateway_attachment_id is None:
        problems.append(
            Problem(
                "transport_transit_gateway_attachment_id",
                None,
                "is required with outside_ip_address_type PrivateIpv4 (VPN over Direct Connect)",
            )
        )
    if not private and p.transport_transit_gateway_attachment_id is not None:
        problems.append(
            Problem(
                "transport_transit_gateway_attachment_id",
                p.transport_transit_gateway_attachment_id,
                "is only used with outside_ip_address_type PrivateIpv4",
            )
        )
    if private and p.enable_acceleration is True:
        problems.append(
            Problem("enable_acceleration", True, "is not available with PrivateIpv4 outside IPs")
        )
    return problems


def _static_routing_wiring_problems(p: SiteToSiteVpnProps) -> list[Problem]:
    """A static VPN on a Transit Gateway carries traffic only through a hub's route tables.

    A construct-level rule (the sites file routes its static sites through the hub itself).
    """
    problems: list[Problem] = []
    if (
        p.transit_gateway is not None
        and p.routing.static_routes_only
        and not _is_hub(p.transit_gateway)
    ):
        problems.append(
            Problem(
                "routing",
                f"Routing.static({list(p.routing.static_route_prefixes)!r})",
                "on a Transit Gateway known only by id, the prefixes would be routed nowhere (a "
                "static VPN announces nothing; its routes live in the Transit Gateway's route "
                "tables): use TransitGatewayHub.from_transit_gateway_attributes(..., "
                "route_table_ids=...) and hub.connect_vpn(vpn, associate_with=..., "
                "propagate_to=[...]), which writes a TransitGatewayRoute per prefix "
                "(TransitGatewayVpnRouting), or Routing.bgp()",
            )
        )
    return problems


def _asn_problems(p: SiteToSiteVpnProps) -> list[Problem]:
    gateway = p.transit_gateway or p.vpn_gateway
    amazon_asn = gateway.amazon_side_asn if gateway is not None else None
    customer_asn = _customer_asn(p)
    if (
        amazon_asn is not None
        and customer_asn is not None
        and not is_token(amazon_asn)
        and not is_token(customer_asn)
        and amazon_asn == customer_asn
    ):
        return [
            Problem(
                "customer_gateway.bgp_asn",
                customer_asn,
                f"must differ from the Amazon-side ASN ({amazon_asn}), or BGP never comes up",
            )
        ]
    return []


def _static_prefix_family_problems(p: SiteToSiteVpnProps) -> list[Problem]:
    """Static prefixes are routed over the tunnels' inside family; a VGW carries IPv4 only
    (AWS Site-to-Site VPN User Guide, "How AWS Site-to-Site VPN works": virtual private gateways
    do not support IPv6)."""
    if not p.routing.static_routes_only:
        return []
    v6_inside = p.tunnel_inside_ip_version is TunnelInsideIpVersion.IPV6
    problems = []
    for prefix in p.routing.static_route_prefixes:
        if is_token(prefix):
            continue
        try:
            version = ipaddress.ip_network(prefix).version
        except ValueError:
            continue  # validate_routing reports it
        if version == 6 and p.vpn_gateway is not None:
            problems.append(
                Problem(
                    "routing.static_route_prefixes",
                    prefix,
                    "is IPv6: a Virtual Private Gateway VPN carries IPv4 only; use a Transit "
                    "Gateway with tunnel_inside_ip_version IPV6",
                )
            )
        elif version != (6 if v6_inside else 4):
            problems.append(
                Problem(
                    "routing.static_route_prefixes",
                    prefix,
                    f"is IPv{version} but the tunnels carry "
                    f"IPv{6 if v6_inside else 4} (tunnel_inside_ip_version "
                    f"{p.tunnel_inside_ip_version.value}); one VPN routes one family",
                )
            )
    return problems


def vpn_name_problems(vpn_name: object, *, creates_customer_gateway: bool) -> list[Problem]:
    """``vpn_name`` is the VPN's Name tag (and ``<name>-cgw`` the created gateway's): an EC2 tag
    value, checked whether or not logs and monitoring use it too."""
    if is_token(vpn_name):
        return []
    if not isinstance(vpn_name, str):
        return [Problem("vpn_name", vpn_name, "must be a string")]
    limit = MAX_TAG_VALUE_LENGTH - (
        len(CUSTOMER_GATEWAY_NAME_SUFFIX) if creates_customer_gateway else 0
    )
    problems = []
    if not 1 <= len(vpn_name) <= limit:
        why = (
            f" (the customer gateway's Name tag adds {CUSTOMER_GATEWAY_NAME_SUFFIX!r})"
            if creates_customer_gateway
            else ""
        )
        problems.append(
            Problem(
                "vpn_name",
                vpn_name,
                f"must be 1-{limit} characters: EC2 tag values hold at most "
                f"{MAX_TAG_VALUE_LENGTH}{why}",
            )
        )
    if _CONTROL_CHARACTERS.search(vpn_name):
        problems.append(
            Problem("vpn_name", vpn_name, "must not contain control characters (tag value)")
        )
    return problems


def _tunnel_pair_problems(p: SiteToSiteVpnProps) -> list[Problem]:
    problems = []
    ipv6 = p.tunnel_inside_ip_version is TunnelInsideIpVersion.IPV6
    for index, tunnel in ((1, p.tunnel1), (2, p.tunnel2)):
        problems += validate_tunnel_options(tunnel, prefix=f"tunnel{index}.")
        if ipv6 and tunnel.tunnel_inside_cidr is not None:
            problems.append(
                Problem(
                    f"tunnel{index}.tunnel_inside_cidr",
                    tunnel.tunnel_inside_cidr,
                    "must be unset with IPv6 inside addresses; use tunnel_inside_ipv6_cidr",
                )
            )
        if not ipv6 and tunnel.tunnel_inside_ipv6_cidr is not None:
            problems.append(
                Problem(
                    f"tunnel{index}.tunnel_inside_ipv6_cidr",
                    tunnel.tunnel_inside_ipv6_cidr,
                    "needs tunnel_inside_ip_version IPV6",
                )
            )
        psk = tunnel.pre_shared_key
        if psk is not None and psk.is_plain_text and not p.allow_plaintext_pre_shared_keys:
            problems.append(
                Problem(
                    f"tunnel{index}.pre_shared_key",
                    psk.to_cfn(),
                    "a literal PSK is written into the template; use PreSharedKey.from_secret "
                    "or leave it to AWS, or opt in with allow_plaintext_pre_shared_keys=True",
                    secret=True,
                )
            )
    for attr in ("tunnel_inside_cidr", "tunnel_inside_ipv6_cidr"):
        first, second = getattr(p.tunnel1, attr), getattr(p.tunnel2, attr)
        if first is not None and first == second and not is_token(first):
            problems.append(
                Problem(f"tunnel2.{attr}", second, "must differ from tunnel1's inside CIDR")
            )
    return problems


def _network_cidr_problems(p: SiteToSiteVpnProps) -> list[Problem]:
    problems = []
    v6 = p.tunnel_inside_ip_version is TunnelInsideIpVersion.IPV6
    family = "IPv6" if v6 else "IPv4"
    for name in ("local_network_cidr", "remote_network_cidr"):
        value = getattr(p, name)
        if value is None or is_token(value):
            continue
        try:
            network = ipaddress.ip_network(value)
        except ValueError:
            problems.append(Problem(name, value, f"must be an {family} CIDR with no host bits set"))
            continue
        if network.version != (6 if v6 else 4):
            problems.append(
                Problem(name, value, f"must be {family} to match tunnel_inside_ip_version")
            )
    return problems


def _observability_problems(p: SiteToSiteVpnProps, vpn_name: str) -> list[Problem]:
    logging = p.logging or VpnLoggingOptions()
    monitoring = p.monitoring or VpnMonitoringOptions()
    problems = [
        *validate_logging_options(
            logging,
            bgp=not p.routing.static_routes_only,
            metric_filters=monitoring.enabled is True,
        ),
        *validate_monitoring_options(monitoring),
        *vpn_name_problems(
            vpn_name, creates_customer_gateway=isinstance(p.customer_gateway, CustomerGatewayProps)
        ),
    ]
    if p.tunnel_log_options is not None and p.logging is not None and logging.enabled is True:
        problems.append(
            Problem(
                "tunnel_log_options",
                "given",
                "conflicts with logging: pass existing log groups as "
                "VpnLoggingOptions(tunnel_log_group=..., bgp_log_group=...) instead",
            )
        )
    creates_groups = p.tunnel_log_options is None and logging.enabled is True
    if creates_groups or monitoring.enabled is True:
        problems += metrics.vpn_name_problems("vpn_name", vpn_name)
    return problems


# --- VPN Concentrator and IPv6 outside addresses (issue 13) -------------------------------------


def _as_transit_gateway_vpn(p: SiteToSiteVpnProps) -> SiteToSiteVpnProps:
    """``p`` with the concentrator's Transit Gateway as ``transit_gateway``, for the TGW rules."""
    concentrator = p.vpn_concentrator
    if concentrator is None or p.transit_gateway is not None or p.vpn_gateway is not None:
        return p
    if not isinstance(concentrator, IVpnConcentrator):
        return p
    asn = getattr(concentrator, "amazon_side_asn", None)
    return dataclasses.replace(
        p,
        transit_gateway=TransitGatewayReference(concentrator.transit_gateway_id, asn),
    )


def _concentrator_problems(p: SiteToSiteVpnProps) -> list[Problem]:
    """What AWS refuses for a VPN on a concentrator ("AWS Site-to-Site VPN Concentrators")."""
    concentrator = p.vpn_concentrator
    if concentrator is None:
        return []
    if not isinstance(concentrator, IVpnConcentrator):
        return [
            Problem(
                "vpn_concentrator",
                type(concentrator).__name__,
                "must be a VpnConcentrator (or VpnConcentrator.from_vpn_concentrator_attributes)",
            )
        ]
    problems = []
    # "Create an AWS Site-to-Site VPN Concentrator connection using the CLI or API": the VPN
    # names the concentrator instead of the Transit Gateway.
    if p.transit_gateway is not None:
        problems.append(
            Problem(
                "transit_gateway",
                "given",
                "must be unset with vpn_concentrator: the concentrator names its Transit Gateway "
                "and the VPN attaches through it",
            )
        )
    # "AWS Site-to-Site VPN Concentrators": only supported with Transit Gateway.
    if p.vpn_gateway is not None:
        problems.append(
            Problem(
                "vpn_gateway",
                "given",
                "must be unset with vpn_concentrator: a VPN Concentrator is only supported with "
                "a Transit Gateway, not a Virtual Private Gateway",
            )
        )
    # "AWS Site-to-Site VPN Concentrators", Routing: BGP only, static routing is not supported.
    if p.routing.static_routes_only:
        problems.append(
            Problem(
                "routing",
                "static",
                "a VPN on a VPN Concentrator must use BGP (Routing.bgp()): static routing is not "
                "supported on a concentrator",
            )
        )
    # "AWS Site-to-Site VPN Concentrators": private (Direct Connect) VPN connections: No.
    if p.outside_ip_address_type is OutsideIpAddressType.PRIVATE_IPV4:
        problems.append(
            Problem(
                "outside_ip_address_type",
                p.outside_ip_address_type.value,
                "private IP (Direct Connect) VPN connections are not supported on a VPN "
                "Concentrator; use PUBLIC_IPV4 or IPV6",
            )
        )
    # "AWS Site-to-Site VPN Concentrators", Bandwidth: each site gets at most 100 Mbps.
    if p.tunnel_bandwidth is TunnelBandwidth.LARGE:
        problems.append(
            Problem(
                "tunnel_bandwidth",
                p.tunnel_bandwidth.value,
                f"a site on a VPN Concentrator gets at most {VPN_CONCENTRATOR_SITE_MBPS} Mbps; "
                "use STANDARD, or a VPN on the Transit Gateway itself for LARGE (5 Gbps) tunnels",
            )
        )
    return problems


def _customer_gateway_address(
    p: SiteToSiteVpnProps,
) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The customer gateway's outside address when it is a literal known here."""
    address = getattr(p.customer_gateway, "ip_address", None)
    if not isinstance(address, str) or is_token(address):
        return None
    try:
        return ipaddress.ip_address(address)
    except ValueError:
        return None  # reported by the customer gateway's own validation


def _outside_ip_problems(p: SiteToSiteVpnProps) -> list[Problem]:
    """IPv6 outside addresses: Transit Gateway (or concentrator) only, IPv6 on both ends.

    "IPv4 and IPv6 traffic in AWS Site-to-Site VPN": IPv6 outer tunnel IPs are supported only on
    connections terminated on a transit gateway or Cloud WAN, and need IPv6 addresses on both the
    AWS side and the customer gateway. "Customer gateway options for your AWS Site-to-Site VPN
    connection" and the AWS::EC2::CustomerGateway registry schema (IpAddress): an IPv6 address
    is used with OutsideIpAddressType Ipv6.
    """
    problems = []
    ipv6 = p.outside_ip_address_type is OutsideIpAddressType.IPV6
    if ipv6 and p.vpn_gateway is not None:
        problems.append(
            Problem(
                "outside_ip_address_type",
                p.outside_ip_address_type.value,
                "IPv6 outside addresses are only supported on a Transit Gateway or VPN "
                "Concentrator VPN, not on a Virtual Private Gateway",
            )
        )
    address = _customer_gateway_address(p)
    if address is None:
        return problems
    if ipv6 and address.version == 4:
        problems.append(
            Problem(
                "customer_gateway.ip_address",
                str(address),
                "must be an IPv6 address with outside_ip_address_type IPV6: both ends of the "
                "tunnels need IPv6 outside addresses",
            )
        )
    if not ipv6 and address.version == 6:
        problems.append(
            Problem(
                "customer_gateway.ip_address",
                str(address),
                f"is IPv6, which needs outside_ip_address_type IPV6 (got "
                f"{p.outside_ip_address_type.value}) on a Transit Gateway or VPN Concentrator",
            )
        )
    return problems


# --- end of issue 13 rules ---------------------------------------------------------------------


def validate_site_to_site_vpn_props(
    props: SiteToSiteVpnProps, *, default_vpn_name: str = "vpn"
) -> list[Problem]:
    """Every AWS rule for a VPN connection, single-field and cross-field, in one list.

    ``default_vpn_name`` is the name used when ``props.vpn_name`` is unset (the construct id).
    A customer gateway given as ``CustomerGatewayProps`` is checked by
    :func:`validate_customer_gateway_props` (the construct reports both together).
    """
    # A concentrator VPN is a Transit Gateway VPN for the gateway and ASN rules.
    on_gateway = _as_transit_gateway_vpn(props)
    return [
        *_concentrator_problems(props),
        *_outside_ip_problems(props),
        *_gateway_problems(on_gateway),
        *_asn_problems(on_gateway),
        *validate_routing(props.routing),
        *_static_prefix_family_problems(props),
        *_tunnel_pair_problems(props),
        *_network_cidr_problems(props),
        *_observability_problems(
            props, default_vpn_name if props.vpn_name is None else props.vpn_name
        ),
    ]


class SiteToSiteVpn(Resource):
    """A Site-to-Site VPN connection with two fully specified tunnels.

    Creates the customer gateway (or uses one you pass), the ``AWS::EC2::VPNConnection`` to a
    Transit Gateway or Virtual Private Gateway, and, for a static VPN on a Virtual Private Gateway,
    its ``AWS::EC2::VPNConnectionRoute`` entries.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        customer_gateway: ICustomerGateway | CustomerGatewayProps,
        transit_gateway: ITransitGateway | None = None,
        vpn_gateway: IVirtualPrivateGateway | None = None,
        vpn_concentrator: IVpnConcentrator | None = None,
        routing: Routing | None = None,
        tunnel1: TunnelOptions | None = None,
        tunnel2: TunnelOptions | None = None,
        pre_shared_key_storage: PreSharedKeyStorage = PreSharedKeyStorage.SECRETS_MANAGER,
        allow_plaintext_pre_shared_keys: bool = False,
        enable_acceleration: bool = False,
        tunnel_bandwidth: TunnelBandwidth = TunnelBandwidth.STANDARD,
        outside_ip_address_type: OutsideIpAddressType = OutsideIpAddressType.PUBLIC_IPV4,
        transport_transit_gateway_attachment_id: str | None = None,
        tunnel_inside_ip_version: TunnelInsideIpVersion = TunnelInsideIpVersion.IPV4,
        local_network_cidr: str | None = None,
        remote_network_cidr: str | None = None,
        vpn_name: str | None = None,
        tunnel_log_options: TunnelLogOptions | None = None,
        logging: VpnLoggingOptions | None = None,
        monitoring: VpnMonitoringOptions | None = None,
    ) -> None:
        """
        :param customer_gateway: the on-premises device: an existing ``ICustomerGateway`` or
            ``CustomerGatewayProps`` to create one here.
        :param transit_gateway: the Transit Gateway to terminate on. Exactly one of this and
            ``vpn_gateway``.
        :param vpn_gateway: the Virtual Private Gateway to terminate on.
        :param vpn_concentrator: a ``VpnConcentrator`` to join instead of a gateway: the VPN
            shares the concentrator's Transit Gateway attachment (BGP only, at most 100 Mbps
            per site). Then give neither ``transit_gateway`` nor ``vpn_gateway``. @default none
        :param routing: ``Routing.bgp()`` or ``Routing.static([...])``. @default BGP: routes follow
            the network and fail over between tunnels on their own. Static routing needs a place
            for its prefixes: on a Virtual Private Gateway this construct adds a
            ``VPNConnectionRoute`` per prefix; on a Transit Gateway they go into the hub's route
            tables, so it needs a ``TransitGatewayHub`` (created or
            ``from_transit_gateway_attributes``) and ``hub.connect_vpn(...)``. A static VPN on a
            ``TransitGatewayReference`` is refused, and one on a hub that is never connected
            fails synth: either would route nothing.
        :param tunnel1: options of tunnel 1. @default ``TunnelOptions.secure()``
        :param tunnel2: options of tunnel 2. @default ``TunnelOptions.secure()``
        :param pre_shared_key_storage: @default SECRETS_MANAGER: the PSKs never appear in
            ``DescribeVpnConnections`` output.
        :param allow_plaintext_pre_shared_keys: accept ``PreSharedKey.unsafe_plain_text``.
            @default False: a literal PSK lands in the template and cdk.out.
        :param enable_acceleration: route through AWS Global Accelerator (Transit Gateway only,
            replaces the VPN when changed). @default False
        :param tunnel_bandwidth: @default STANDARD (1.25 Gbps per tunnel); LARGE needs a
            Transit Gateway.
        :param outside_ip_address_type: @default PUBLIC_IPV4. IPV6 needs a Transit Gateway or
            concentrator and an IPv6 customer gateway address; it cannot be switched on later
            (the VPN is replaced).
        :param transport_transit_gateway_attachment_id: Direct Connect gateway attachment of the
            Transit Gateway, required with PRIVATE_IPV4. @default none
        :param tunnel_inside_ip_version: @default IPV4
        :param local_network_cidr: on-premises side of the traffic selector. @default 0.0.0.0/0
            (or ::/0), which route-based devices expect.
        :param remote_network_cidr: AWS side of the traffic selector. @default 0.0.0.0/0 (or ::/0)
        :param vpn_name: Name tag of the VPN connection (the customer gateway gets
            ``<name>-cgw``), unique in the stack; always checked as a tag value (1-256
            characters, 252 with a created customer gateway), and, with logs or monitoring on,
            as a log group and namespace part. @default the construct id
        :param tunnel_log_options: CloudWatch Logs destinations of both tunnels, managed by you.
            Given (with ``logging`` unset), no log groups are created here. @default none: see
            ``logging``
        :param logging: tunnel activity and BGP logs. @default on: a tunnel log group and, for
            BGP routing, a BGP log group under ``/aws/vendedlogs/site-to-site-vpn/<vpn_name>/``,
            JSON, kept one year, RETAIN, encrypted with the stack's monitoring key.
            ``VpnLoggingOptions.disabled()`` turns it off.
        :param monitoring: metric filters on those logs and alarms. @default on: VPN down,
            redundancy lost, per-tunnel down (when outside IPs are known), IKE negotiation
            failures, DPD timeouts, BGP session down, notifying the stack's encrypted alarm topic.
            ``VpnMonitoringOptions.disabled()`` turns it off.
        """
        super().__init__(scope, construct_id)
        stack_of(self, scope=scope)
        path_of(self, scope=scope, construct_id=construct_id)
        self.props = SiteToSiteVpnProps(
            customer_gateway=customer_gateway,
            transit_gateway=transit_gateway,
            vpn_gateway=vpn_gateway,
            vpn_concentrator=vpn_concentrator,
            routing=routing or Routing.bgp(),
            tunnel1=tunnel1 or TunnelOptions.secure(),
            tunnel2=tunnel2 or TunnelOptions.secure(),
            pre_shared_key_storage=pre_shared_key_storage,
            allow_plaintext_pre_shared_keys=allow_plaintext_pre_shared_keys,
            enable_acceleration=enable_acceleration,
            tunnel_bandwidth=tunnel_bandwidth,
            outside_ip_address_type=outside_ip_address_type,
            transport_transit_gateway_attachment_id=transport_transit_gateway_attachment_id,
            tunnel_inside_ip_version=tunnel_inside_ip_version,
            local_network_cidr=local_network_cidr,
            remote_network_cidr=remote_network_cidr,
            vpn_name=vpn_name,
            tunnel_log_options=tunnel_log_options,
            logging=logging,
            monitoring=monitoring,
        )
        name = construct_id if vpn_name is None else vpn_name
        problems = [
            # The customer gateway created below, checked here so all problems come at once.
            *(
                problem.nested("customer_gateway.")
                for problem in (
                    validate_customer_gateway_props(customer_gateway, region=literal_region(self))
                    if isinstance(customer_gateway, CustomerGatewayProps)
                    else []
                )
            ),
            *validate_site_to_site_vpn_props(self.props, default_vpn_name=construct_id),
            *_static_routing_wiring_problems(self.props),
        ]
        claims = self._claims(name)
        path = path_of(self)
        problems += conflicts(self, path, claims)
        # The customer gateway created below registers itself; checked here to report together.
        problems += conflicts(self, f"{path}/CustomerGateway", self._gateway_claims())
        raise_if_any(path, problems)
        register(self, path, claims)
        if isinstance(vpn_gateway, VirtualPrivateGatewayBase):
            vpn_gateway.add_vpn_connection(self)
        self.vpn_name = name
        self._facts: VpnConnectionFacts | None = None
        self._vpn_connection_id: str | None = None
        self.customer_gateway = self._customer_gateway(customer_gateway)
        # Log groups first: the tunnels' LogOptions reference them.
        self.logging = self._logging()
        self.vpn_connection = self._vpn_connection()
        self.monitoring = self._monitoring()
        self._warn_on_plaintext_keys()
        self._static_routes_on_vpn_gateway()
        if self.props.routing.static_routes_only and _is_hub(self.props.transit_gateway):
            self.node.add_validation(_StaticVpnIsRouted(self))

    def _claims(self, vpn_name: str) -> list[Claim]:
        """What this VPN holds uniquely: its name in the stack, its pinned inside CIDRs on the
        gateway, and the customer gateway it creates."""
        p = self.props
        claims = vpn_name_claims(self, vpn_name)
        gateway_id = (
            p.transit_gateway.transit_gateway_id
            if p.transit_gateway is not None
            else p.vpn_gateway.vpn_gateway_id
            if p.vpn_gateway is not None
            else None
        )
        if isinstance(gateway_id, str):
            claims += inside_cidr_claims(
                gateway_id,
                [
                    (f"tunnel{index}.{attr}", getattr(tunnel, attr))
                    for index, tunnel in ((1, p.tunnel1), (2, p.tunnel2))
                    for attr in ("tunnel_inside_cidr", "tunnel_inside_ipv6_cidr")
                ],
            )
        return claims

    def _gateway_claims(self) -> list[Claim]:
        cgw = self.props.customer_gateway
        if not isinstance(cgw, CustomerGatewayProps):
            return []
        return [
            Claim(c.key, f"customer_gateway.{c.field}", c.value, c.rule)
            for c in customer_gateway_claims(
                self, ip_address=cgw.ip_address, bgp_asn=cgw.bgp_asn, device_name=cgw.device_name
            )
        ]

    @property
    def vpn_connection_id(self) -> str:
        """The ``vpn-...`` id."""
        if self._vpn_connection_id is None:
            self._vpn_connection_id = self.vpn_connection.attr_vpn_connection_id
        return self._vpn_connection_id

    @property
    def customer_gateway_id(self) -> str:
        """The ``cgw-...`` id."""
        return self.customer_gateway.customer_gateway_id

    @property
    def tunnels(self) -> tuple[TunnelOptions, TunnelOptions]:
        """The options of tunnel 1 and tunnel 2, as written to the template."""
        return (self.props.tunnel1, self.props.tunnel2)

    @property
    def routing(self) -> Routing:
        return self.props.routing

    @property
    def transit_gateway_attachment_id(self) -> str:
        """The ``tgw-attach-...`` id of this VPN on its Transit Gateway.

        CloudFormation returns none, so it is read at deploy time by the VPN's facts resource
        (:attr:`facts`, an EC2 DescribeTransitGatewayAttachments call). A VPN on a concentrator
        shares the concentrator's attachment (its GetAtt, no lookup).
        """
        if self.props.vpn_concentrator is not None:
            return self.props.vpn_concentrator.transit_gateway_attachment_id
        if self.props.transit_gateway is None:
            raise ValidationError(
                self.node.path,
                [
                    Problem(
                        "transit_gateway",
                        None,
                        "transit_gateway_attachment_id exists only for a VPN on a Transit "
                        "Gateway; this VPN terminates on a Virtual Private Gateway",
                    )
                ],
            )
        return self.facts.transit_gateway_attachment_id

    @property
    def facts(self) -> VpnConnectionFacts:
        """What CloudFormation does not return for this VPN (attachment id, tunnel outside IPs),
        read at deploy time by one ``Custom::SiteToSiteVpnFacts`` resource, added on first use."""
        if self._facts is None:
            on_transit_gateway = (
                self.props.transit_gateway is not None and self.props.vpn_concentrator is None
            )
            self._facts = VpnConnectionFacts(
                self,
                stack=stack_of(self),
                vpn_connection_id=self.vpn_connection_id,
                transit_gateway_id=(
                    self.props.transit_gateway.transit_gateway_id  # type: ignore[union-attr]
                    if on_transit_gateway
                    else None
                ),
            )
        return self._facts

    @property
    def tunnel_outside_ip_addresses(self) -> tuple[str, str]:
        """The AWS-side outside IP addresses of the two tunnels (deploy-time tokens).

        Read at deploy time by the VPN's facts resource (:attr:`facts`, an EC2
        DescribeVpnConnections call); addresses come in the order AWS lists the tunnels.
        """
        return self.facts.tunnel_outside_ip_addresses

    def add_tunnel_outside_ip_outputs(self) -> tuple[CfnOutput, CfnOutput]:
        """Stack outputs with both tunnels' outside IPs, for the customer gateway's config."""
        return self.facts.add_outputs(self)

    @property
    def tunnel_log_options(self) -> TunnelLogOptions | None:
        """The log destinations written into both tunnels' ``LogOptions``, if any."""
        if self.logging is not None:
            return self.logging.tunnel_log_options
        return self.props.tunnel_log_options

    @property
    def tunnel_log_group(self) -> logs.ILogGroup | None:
        """Where tunnel activity logs go, if they are on."""
        options = self.tunnel_log_options
        return options.tunnel_log_group if options is not None else None

    @property
    def bgp_log_group(self) -> logs.ILogGroup | None:
        """Where BGP logs go, if they are on (BGP routing only)."""
        options = self.tunnel_log_options
        return options.bgp_log_group if options is not None else None

    def metric(self, metric_name: str, **options: Any) -> cloudwatch.Metric:
        """An AWS/VPN metric of this VPN (dimension ``VpnId``).

        ``options`` are ``aws_cloudwatch.MetricOptions`` keywords. @default period 5 minutes,
        statistic Maximum for TunnelState, Sum for TunnelDataIn/Out.
        """
        dimensions = metrics.aws_vpn_dimensions(vpn_id=self.vpn_connection_id)
        return metrics.aws_vpn_metric(metric_name, dimensions, **options)

    def metric_for_tunnel(
        self, metric_name: str, tunnel_outside_ip: str, **options: Any
    ) -> cloudwatch.Metric:
        """An AWS/VPN metric of one tunnel (dimension ``TunnelIpAddress``, its outside IP)."""
        dimensions = metrics.aws_vpn_dimensions(tunnel_outside_ip=tunnel_outside_ip)
        return metrics.aws_vpn_metric(metric_name, dimensions, **options)

    def metric_tunnel_state(self, **options: Any) -> cloudwatch.Metric:
        """``TunnelState`` per VPN: the fraction of tunnels up (0, 0.5, 1).

        Maximum 0 = both down, Maximum < 1 = never both up, Minimum < 1 = one was down.
        """
        return self.metric("TunnelState", **options)

    def metric_tunnel_data_in(self, **options: Any) -> cloudwatch.Metric:
        """``TunnelDataIn``: bytes received through the tunnels, after decryption (Sum)."""
        return self.metric("TunnelDataIn", **options)

    def metric_tunnel_data_out(self, **options: Any) -> cloudwatch.Metric:
        """``TunnelDataOut``: bytes sent through the tunnels, before encryption (Sum)."""
        return self.metric("TunnelDataOut", **options)

    @staticmethod
    def metric_all(metric_name: str, **options: Any) -> cloudwatch.Metric:
        """An AWS/VPN metric over all VPNs of the account and Region (no dimension)."""
        return metrics.aws_vpn_metric(metric_name, None, **options)

    @staticmethod
    def metric_all_tunnel_state(**options: Any) -> cloudwatch.Metric:
        """``TunnelState`` over all VPNs (Maximum by default)."""
        return SiteToSiteVpn.metric_all("TunnelState", **options)

    @staticmethod
    def metric_all_tunnel_data_in(**options: Any) -> cloudwatch.Metric:
        """``TunnelDataIn`` over all VPNs (Sum)."""
        return SiteToSiteVpn.metric_all("TunnelDataIn", **options)

    @staticmethod
    def metric_all_tunnel_data_out(**options: Any) -> cloudwatch.Metric:
        """``TunnelDataOut`` over all VPNs (Sum)."""
        return SiteToSiteVpn.metric_all("TunnelDataOut", **options)

    def _logging(self) -> VpnLogging | None:
        options = self.props.logging
        if options is None:
            if self.props.tunnel_log_options is not None:
                return None
            options = VpnLoggingOptions()
        if not options.enabled:
            return None
        return VpnLogging(
            self,
            "Logging",
            vpn_name=self.vpn_name,
            bgp=not self.props.routing.static_routes_only,
            options=options,
        )

    def _monitoring(self) -> VpnMonitoring | None:
        options = self.props.monitoring or VpnMonitoringOptions()
        if not options.enabled:
            return None
        outside_ips: tuple[str, ...] | None = options.tunnel_outside_ip_addresses
        inside_cidrs: tuple[str, ...] | None = None
        if outside_ips is None and options.specs.tunnel_down.enabled:
            # Per-tunnel alarms need the outside IPs: AWS assigns them, so look them up at deploy,
            # each with its inside CIDR, which tells the operator which tunnel it is.
            listed = self.facts.listed_tunnels
            outside_ips = tuple(ip for ip, _ in listed)
            if self.props.tunnel_inside_ip_version is TunnelInsideIpVersion.IPV4:
                inside_cidrs = tuple(cidr for _, cidr in listed)
        return VpnMonitoring(
            self,
            "Monitoring",
            vpn_name=self.vpn_name,
            vpn_id=self.vpn_connection_id,
            tunnel_log_group=self.tunnel_log_group,
            bgp_log_group=self.bgp_log_group,
            options=options,
            tunnel_outside_ip_addresses=outside_ips,
            tunnel_inside_cidrs=inside_cidrs,
        )

    def _customer_gateway(self, given: ICustomerGateway | CustomerGatewayProps) -> ICustomerGateway:
        if not isinstance(given, CustomerGatewayProps):
            return given
        return CustomerGateway(
            self,
            "CustomerGateway",
            ip_address=given.ip_address,
            bgp_asn=given.bgp_asn,
            device_name=given.device_name,
            certificate=given.certificate,
            name=given.name or f"{self.vpn_name}-cgw",
        )

    def _vpn_connection(self) -> ec2.CfnVPNConnection:
        p = self.props
        v6 = p.tunnel_inside_ip_version is TunnelInsideIpVersion.IPV6
        connection = ec2.CfnVPNConnection(
            self,
            "Resource",
            type="ipsec.1",
            customer_gateway_id=self.customer_gateway.customer_gateway_id,
            transit_gateway_id=p.transit_gateway.transit_gateway_id if p.transit_gateway else None,
            vpn_gateway_id=p.vpn_gateway.vpn_gateway_id if p.vpn_gateway else None,
            vpn_concentrator_id=(
                p.vpn_concentrator.vpn_concentrator_id if p.vpn_concentrator else None
            ),
            static_routes_only=p.routing.static_routes_only,
            pre_shared_key_storage=p.pre_shared_key_storage.value,
            enable_acceleration=(
                p.enable_acceleration if p.transit_gateway or p.vpn_concentrator else None
            ),
            tunnel_bandwidth=p.tunnel_bandwidth.value,
            outside_ip_address_type=p.outside_ip_address_type.value,
            transport_transit_gateway_attachment_id=p.transport_transit_gateway_attachment_id,
            tunnel_inside_ip_version=p.tunnel_inside_ip_version.value,
            local_ipv4_network_cidr=None if v6 else p.local_network_cidr,
            remote_ipv4_network_cidr=None if v6 else p.remote_network_cidr,
            local_ipv6_network_cidr=p.local_network_cidr if v6 else None,
            remote_ipv6_network_cidr=p.remote_network_cidr if v6 else None,
            # On the L1, not Tags.of(): one aspect per tagged resource slows every synth.
            tags=[CfnTag(key="Name", value=self.vpn_name)],
        )
        specs: list[Any] = [t.to_cfn(self.tunnel_log_options) for t in self.tunnels]
        # Raw override: the L1's typed properties would drop nothing, but writing the dicts keeps
        # CloudFormation's names and lets tokens (dynamic references) pass through untouched.
        connection.add_property_override("VpnTunnelOptionsSpecifications", specs)
        return connection

    def _warn_on_plaintext_keys(self) -> None:
        for index, tunnel in enumerate(self.tunnels, start=1):
            if tunnel.pre_shared_key is not None and tunnel.pre_shared_key.is_plain_text:
                Annotations.of(self).add_warning_v2(
                    "site-to-site-vpn:plaintextPsk",
                    f"tunnel{index} has a literal pre-shared key: it is stored in the "
                    "template and cdk.out. Prefer PreSharedKey.from_secret or an AWS-generated "
                    "key kept in Secrets Manager.",
                )

    def _static_routes_on_vpn_gateway(self) -> None:
        # On a Transit Gateway, static routes live in its route tables (TransitGatewayHub).
        if self.props.vpn_gateway is None or not self.props.routing.static_routes_only:
            return
        for prefix in self.props.routing.static_route_prefixes:
            ec2.CfnVPNConnectionRoute(
                self,
                f"StaticRoute-{prefix.replace('/', '-')}",
                destination_cidr_block=prefix,
                vpn_connection_id=self.vpn_connection_id,
            )


@jsii.implements(IValidation)
class _StaticVpnIsRouted:
    """A static VPN on a hub carries traffic only once ``hub.connect_vpn`` wrote its routes."""

    def __init__(self, vpn: SiteToSiteVpn) -> None:
        self._vpn = vpn

    def validate(self) -> list[str]:
        hub = self._vpn.props.transit_gateway
        if self._vpn.node.path in getattr(hub, "_connected_vpn_paths", set()):
            return []
        problem = Problem(
            "routing",
            f"Routing.static({list(self._vpn.routing.static_route_prefixes)!r})",
            "is never routed: call hub.connect_vpn(vpn, associate_with=..., propagate_to=[...]) "
            "so each prefix becomes a TransitGatewayRoute to this VPN's attachment",
        )
        return [problem.describe(self._vpn.node.path)]
