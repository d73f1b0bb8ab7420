"""What shapes one VPN connection (:class:`SiteToSiteVpnProps`) and every AWS rule it must meet.

:func:`validate_site_to_site_vpn_props` gathers all problems of one props object, so the construct
(:class:`~site_to_site_vpn.constructs.site_to_site_vpn.SiteToSiteVpn`) and the sites file report
them the same way, all at once.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import re
from dataclasses import dataclass, field
from typing import Final

from aws_cdk.interfaces import aws_ec2 as ec2_refs

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
    CustomerGatewayProps,
    validate_customer_gateway_props,
)
from site_to_site_vpn.constructs.gateways import (
    CUSTOMER_GATEWAY,
    TRANSIT_GATEWAY,
    VPN_GATEWAY,
    ExistingTransitGateway,
    TransitGatewaySlot,
    VpnGatewaySlot,
    amazon_side_asn_of,
)
from site_to_site_vpn.constructs.rules import (
    amazon_asn_problems,
    asn_clash_problems,
    ec2_id_problems,
    is_token,
)
from site_to_site_vpn.constructs.tunnel_options import (
    TunnelOptions,
    validate_tunnel_options,
)
from site_to_site_vpn.constructs.vpn_concentrator import (
    VPN_CONCENTRATOR_SITE_MBPS,
    ConcentratorFacts,
    concentrator_facts,
)
from site_to_site_vpn.constructs.vpn_logging import VpnLoggingOptions, validate_logging_options
from site_to_site_vpn.constructs.vpn_monitoring import (
    VpnMonitoringOptions,
    validate_monitoring_options,
)
from site_to_site_vpn.core import uniqueness
from site_to_site_vpn.core.errors import Problem
from site_to_site_vpn.core.ids import Ec2IdKind


@dataclass(frozen=True, kw_only=True)
class SiteToSiteVpnProps:
    """Everything that shapes one VPN connection; see :class:`SiteToSiteVpn` for each field."""

    customer_gateway: ec2_refs.ICustomerGatewayRef | CustomerGatewayProps
    transit_gateway: TransitGatewaySlot | None = None
    vpn_gateway: VpnGatewaySlot | None = None
    vpn_concentrator: ec2_refs.IVPNConcentratorRef | None = None
    amazon_side_asn: int | None = None
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
    logging: VpnLoggingOptions | None = None
    monitoring: VpnMonitoringOptions | None = None


#: EC2 tag values "accept a maximum of 256 Unicode characters" (EC2 API Reference, "Tag"); EC2
#: sets no character rule, so only control characters, which no console shows, are refused.
MAX_TAG_VALUE_LENGTH: Final = 256
CUSTOMER_GATEWAY_NAME_SUFFIX: Final = "-cgw"
_CONTROL_CHARACTERS: Final = re.compile(r"[\x00-\x1f\x7f]")


def _customer_asn(props: SiteToSiteVpnProps) -> object:
    return getattr(props.customer_gateway, "bgp_asn", None)


def _slot_problems(p: SiteToSiteVpnProps) -> list[Problem]:
    """A wrong object in a gateway slot: one problem naming the slot and what it takes."""
    problems = []
    for field_name, slot, value in (
        ("transit_gateway", TRANSIT_GATEWAY, p.transit_gateway),
        ("vpn_gateway", VPN_GATEWAY, p.vpn_gateway),
    ):
        if value is not None and not slot.fits(value):
            problems.append(slot.problem(field_name, value))
    cgw = p.customer_gateway
    if not isinstance(cgw, CustomerGatewayProps) and not CUSTOMER_GATEWAY.fits(cgw):
        problems.append(CUSTOMER_GATEWAY.problem("customer_gateway", cgw))
    return problems


def _concentrator(p: SiteToSiteVpnProps) -> ConcentratorFacts | Problem | None:
    if p.vpn_concentrator is None:
        return None
    return concentrator_facts("vpn_concentrator", p.vpn_concentrator)


def is_transit_gateway_hub(gateway: object) -> bool:
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
        problems += ec2_id_problems(
            "transit_gateway.transit_gateway_id",
            TRANSIT_GATEWAY.id_of(p.transit_gateway),
            Ec2IdKind.TRANSIT_GATEWAY,
        )
    if p.vpn_gateway is not None:
        problems += ec2_id_problems(
            "vpn_gateway.vpn_gateway_id",
            VPN_GATEWAY.id_of(p.vpn_gateway),
            Ec2IdKind.VPN_GATEWAY,
        )
    if p.transport_transit_gateway_attachment_id is not None:
        problems += ec2_id_problems(
            "transport_transit_gateway_attachment_id",
            p.transport_transit_gateway_attachment_id,
            Ec2IdKind.TRANSIT_GATEWAY_ATTACHMENT,
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
        and not is_transit_gateway_hub(p.transit_gateway)
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


def _amazon_side_asn(p: SiteToSiteVpnProps) -> tuple[str, object]:
    """Where the Amazon-side ASN comes from (the field reported) and its value (None: unknown)."""
    if p.amazon_side_asn is not None:
        return "amazon_side_asn", p.amazon_side_asn
    facts = _concentrator(p)
    if isinstance(facts, ConcentratorFacts):
        return "vpn_concentrator.amazon_side_asn", facts.amazon_side_asn
    if p.transit_gateway is not None:
        return "transit_gateway.amazon_side_asn", amazon_side_asn_of(p.transit_gateway)
    return "vpn_gateway.amazon_side_asn", amazon_side_asn_of(p.vpn_gateway)


def _asn_problems(p: SiteToSiteVpnProps) -> list[Problem]:
    """The Amazon-side ASN (given, or read where the gateway carries it as a literal) is a valid
    one and differs from the customer gateway's."""
    field_name, amazon_asn = _amazon_side_asn(p)
    if amazon_asn is None:
        return []
    problems = amazon_asn_problems(field_name, amazon_asn, legacy_vgw=p.vpn_gateway is not None)
    if problems:
        return problems
    return asn_clash_problems("customer_gateway.bgp_asn", _customer_asn(p), amazon_asn, "the")


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
            problems.append(uniqueness.inside_cidr_taken(f"tunnel2.{attr}", second, "tunnel1"))
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
    if logging.enabled is True or monitoring.enabled is True:
        problems += metrics.vpn_name_problems("vpn_name", vpn_name)
    return problems


# --- VPN Concentrator and IPv6 outside addresses (issue 13) -------------------------------------


def _as_transit_gateway_vpn(p: SiteToSiteVpnProps) -> SiteToSiteVpnProps:
    """``p`` with the concentrator's Transit Gateway as ``transit_gateway``, for the TGW rules."""
    facts = _concentrator(p)
    if not isinstance(facts, ConcentratorFacts) or p.transit_gateway or p.vpn_gateway:
        return p
    return dataclasses.replace(p, transit_gateway=ExistingTransitGateway(facts.transit_gateway_id))


def _concentrator_problems(p: SiteToSiteVpnProps) -> list[Problem]:
    """What AWS refuses for a VPN on a concentrator ("AWS Site-to-Site VPN Concentrators")."""
    facts = _concentrator(p)
    if facts is None:
        return []
    if isinstance(facts, Problem):
        return [facts]
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
    props: SiteToSiteVpnProps,
    *,
    default_vpn_name: str = "vpn",
    region: str | None = None,
    static_routes_written_by_caller: bool = False,
) -> list[Problem]:
    """Every AWS rule for a VPN connection, single-field and cross-field, in one list.

    ``default_vpn_name`` is the name used when ``props.vpn_name`` is unset (the construct id).
    A customer gateway given as ``CustomerGatewayProps`` is checked too (its problems under
    ``customer_gateway.``), with ``region`` (None: unknown) deciding which reserved ASNs apply.
    ``static_routes_written_by_caller``: the caller writes a static VPN's Transit Gateway routes
    itself (the sites file's stacks route their static sites through the hub), so a static VPN
    on a Transit Gateway known only by id is not refused.
    """
    customer_gateway = props.customer_gateway
    slots = _slot_problems(props)
    concentrator = _concentrator(props)
    if slots or isinstance(concentrator, Problem):
        # The other rules read the gateways: report the wrong objects, and what reads no gateway.
        return [
            *slots,
            *_concentrator_problems(props),
            *validate_routing(props.routing),
            *_tunnel_pair_problems(props),
        ]
    # A concentrator VPN is a Transit Gateway VPN for the gateway rules.
    on_gateway = _as_transit_gateway_vpn(props)
    return [
        *(
            problem.nested("customer_gateway.")
            for problem in (
                validate_customer_gateway_props(customer_gateway, region=region)
                if isinstance(customer_gateway, CustomerGatewayProps)
                else []
            )
        ),
        *_concentrator_problems(props),
        *_outside_ip_problems(props),
        *_gateway_problems(on_gateway),
        *_asn_problems(props),
        *validate_routing(props.routing),
        *_static_prefix_family_problems(props),
        *_tunnel_pair_problems(props),
        *_network_cidr_problems(props),
        *_observability_problems(
            props, default_vpn_name if props.vpn_name is None else props.vpn_name
        ),
        *([] if static_routes_written_by_caller else _static_routing_wiring_problems(props)),
    ]
