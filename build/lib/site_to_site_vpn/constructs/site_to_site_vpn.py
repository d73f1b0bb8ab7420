"""The dual-tunnel Site-to-Site VPN connection: customer gateway, VPN connection and routes."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Any

from aws_cdk import Annotations, CfnOutput, Duration, Tags
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_logs as logs
from constructs import Construct

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
)
from site_to_site_vpn.constructs.gateways import ITransitGateway, IVirtualPrivateGateway
from site_to_site_vpn.constructs.tunnel_options import (
    TunnelLogOptions,
    TunnelOptions,
    validate_tunnel_options,
)
from site_to_site_vpn.constructs.vpn_logging import (
    VpnLogging,
    VpnLoggingOptions,
    validate_logging_options,
)
from site_to_site_vpn.constructs.vpn_lookups import (
    transit_gateway_attachment_of,
    tunnel_outside_ips_of,
)
from site_to_site_vpn.constructs.vpn_monitoring import (
    VpnMonitoring,
    VpnMonitoringOptions,
    validate_monitoring_options,
)
from site_to_site_vpn.errors import Problem, is_token, raise_if_any


@dataclass(frozen=True)
class SiteToSiteVpnProps:
    """Everything that shapes one VPN connection; see :class:`SiteToSiteVpn` for each field."""

    customer_gateway: ICustomerGateway | CustomerGatewayProps
    transit_gateway: ITransitGateway | None = None
    vpn_gateway: IVirtualPrivateGateway | None = None
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


def _customer_asn(props: SiteToSiteVpnProps) -> int | None:
    return props.customer_gateway.bgp_asn


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
        *validate_logging_options(logging, bgp=not p.routing.static_routes_only),
        *validate_monitoring_options(monitoring),
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


def validate_site_to_site_vpn_props(
    props: SiteToSiteVpnProps, *, default_vpn_name: str = "vpn"
) -> list[Problem]:
    """Every AWS rule for a VPN connection, single-field and cross-field, in one list.

    ``default_vpn_name`` is the name used when ``props.vpn_name`` is unset (the construct id).
    """
    return [
        *_gateway_problems(props),
        *_asn_problems(props),
        *validate_routing(props.routing),
        *_tunnel_pair_problems(props),
        *_network_cidr_problems(props),
        *_observability_problems(props, props.vpn_name or default_vpn_name),
    ]


class SiteToSiteVpn(Construct):
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
        :param routing: ``Routing.bgp()`` or ``Routing.static([...])``. @default BGP: routes follow
            the network and fail over between tunnels on their own.
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
        :param outside_ip_address_type: @default PUBLIC_IPV4
        :param transport_transit_gateway_attachment_id: Direct Connect gateway attachment of the
            Transit Gateway, required with PRIVATE_IPV4. @default none
        :param tunnel_inside_ip_version: @default IPV4
        :param local_network_cidr: on-premises side of the traffic selector. @default 0.0.0.0/0
            (or ::/0), which route-based devices expect.
        :param remote_network_cidr: AWS side of the traffic selector. @default 0.0.0.0/0 (or ::/0)
        :param vpn_name: Name tag of the VPN connection (the customer gateway gets
            ``<name>-cgw``). @default the construct id
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
        self.props = SiteToSiteVpnProps(
            customer_gateway=customer_gateway,
            transit_gateway=transit_gateway,
            vpn_gateway=vpn_gateway,
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
        raise_if_any(
            self.node.path,
            validate_site_to_site_vpn_props(self.props, default_vpn_name=construct_id),
        )
        self.vpn_name = vpn_name or construct_id
        self.customer_gateway = self._customer_gateway(customer_gateway)
        # Log groups first: the tunnels' LogOptions reference them.
        self.logging = self._logging()
        self.vpn_connection = self._vpn_connection()
        self.monitoring = self._monitoring()
        self._warn_on_plaintext_keys()
        self._static_routes_on_vpn_gateway()

    @property
    def vpn_connection_id(self) -> str:
        """The ``vpn-...`` id."""
        return self.vpn_connection.attr_vpn_connection_id

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

        CloudFormation returns none, so the first use adds a deploy-time lookup
        (``TransitGatewayAttachmentLookup``, an EC2 DescribeTransitGatewayAttachments call).
        """
        return transit_gateway_attachment_of(self).transit_gateway_attachment_id

    @property
    def tunnel_outside_ip_addresses(self) -> tuple[str, str]:
        """The AWS-side outside IP addresses of the two tunnels (deploy-time tokens).

        The first use adds a deploy-time lookup (``TunnelOutsideIpLookup``, an EC2
        DescribeVpnConnections call); addresses come in the order AWS lists the tunnels.
        """
        return tunnel_outside_ips_of(self).tunnel_outside_ip_addresses

    def add_tunnel_outside_ip_outputs(self) -> tuple[CfnOutput, CfnOutput]:
        """Stack outputs with both tunnels' outside IPs, for the customer gateway's config."""
        return tunnel_outside_ips_of(self).add_outputs()

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

    def metric_tunnel_state(
        self,
        *,
        tunnel_outside_ip: str | None = None,
        statistic: str = "Maximum",
        period: Duration = metrics.DEFAULT_PERIOD,
        label: str | None = None,
    ) -> cloudwatch.Metric:
        """AWS/VPN ``TunnelState`` of this VPN, or of one tunnel given its outside IP.

        Per VPN it is the tunnels' average: Maximum 0 = both down, Minimum < 1 = one down.
        """
        return metrics.tunnel_state(
            vpn_id=self.vpn_connection_id,
            tunnel_outside_ip=tunnel_outside_ip,
            statistic=statistic,
            period=period,
            label=label,
        )

    def metric_tunnel_data_in(
        self,
        *,
        tunnel_outside_ip: str | None = None,
        period: Duration = metrics.DEFAULT_PERIOD,
        label: str | None = None,
    ) -> cloudwatch.Metric:
        """AWS/VPN ``TunnelDataIn`` (bytes after decryption, Sum), per VPN or per tunnel."""
        return metrics.tunnel_data_in(
            vpn_id=self.vpn_connection_id,
            tunnel_outside_ip=tunnel_outside_ip,
            period=period,
            label=label,
        )

    def metric_tunnel_data_out(
        self,
        *,
        tunnel_outside_ip: str | None = None,
        period: Duration = metrics.DEFAULT_PERIOD,
        label: str | None = None,
    ) -> cloudwatch.Metric:
        """AWS/VPN ``TunnelDataOut`` (bytes before encryption, Sum), per VPN or per tunnel."""
        return metrics.tunnel_data_out(
            vpn_id=self.vpn_connection_id,
            tunnel_outside_ip=tunnel_outside_ip,
            period=period,
            label=label,
        )

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
        if outside_ips is None and options.thresholds.tunnel_down.enabled:
            # Per-tunnel alarms need the outside IPs: AWS assigns them, so look them up at deploy.
            outside_ips = self.tunnel_outside_ip_addresses
        return VpnMonitoring(
            self,
            "Monitoring",
            vpn_name=self.vpn_name,
            vpn_id=self.vpn_connection_id,
            tunnel_log_group=self.tunnel_log_group,
            bgp_log_group=self.bgp_log_group,
            options=options,
            tunnel_outside_ip_addresses=outside_ips,
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
            "VpnConnection",
            type="ipsec.1",
            customer_gateway_id=self.customer_gateway.customer_gateway_id,
            transit_gateway_id=p.transit_gateway.transit_gateway_id if p.transit_gateway else None,
            vpn_gateway_id=p.vpn_gateway.vpn_gateway_id if p.vpn_gateway else None,
            static_routes_only=p.routing.static_routes_only,
            pre_shared_key_storage=p.pre_shared_key_storage.value,
            enable_acceleration=p.enable_acceleration if p.transit_gateway else None,
            tunnel_bandwidth=p.tunnel_bandwidth.value,
            outside_ip_address_type=p.outside_ip_address_type.value,
            transport_transit_gateway_attachment_id=p.transport_transit_gateway_attachment_id,
            tunnel_inside_ip_version=p.tunnel_inside_ip_version.value,
            local_ipv4_network_cidr=None if v6 else p.local_network_cidr,
            remote_ipv4_network_cidr=None if v6 else p.remote_network_cidr,
            local_ipv6_network_cidr=p.local_network_cidr if v6 else None,
            remote_ipv6_network_cidr=p.remote_network_cidr if v6 else None,
        )
        specs: list[Any] = [t.to_cfn(self.tunnel_log_options) for t in self.tunnels]
        # Raw override: the L1's typed properties would drop nothing, but writing the dicts keeps
        # CloudFormation's names and lets tokens (dynamic references) pass through untouched.
        connection.add_property_override("VpnTunnelOptionsSpecifications", specs)
        Tags.of(connection).add("Name", self.vpn_name)
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
                f"StaticRoute {prefix.replace('/', '_')}",
                destination_cidr_block=prefix,
                vpn_connection_id=self.vpn_connection_id,
            )
