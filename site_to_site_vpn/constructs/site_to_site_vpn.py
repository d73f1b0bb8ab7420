"""The dual-tunnel Site-to-Site VPN connection: customer gateway, VPN connection and routes."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Protocol, Unpack, runtime_checkable

import jsii
from aws_cdk import Annotations, CfnOutput, CfnTag, Resource
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_logs as logs
from aws_cdk.interfaces import aws_ec2 as ec2_refs
from constructs import Construct, IValidation

from site_to_site_vpn.constructs import metrics
from site_to_site_vpn.constructs.connection_options import (
    OutsideIpAddressType,
    PreSharedKeyStorage,
    Routing,
    TunnelBandwidth,
    TunnelInsideIpVersion,
)
from site_to_site_vpn.constructs.customer_gateway import CustomerGateway, CustomerGatewayProps
from site_to_site_vpn.constructs.gateways import (
    CUSTOMER_GATEWAY,
    TRANSIT_GATEWAY,
    VPN_CONCENTRATOR,
    VPN_GATEWAY,
    TransitGatewaySlot,
    VpnGatewaySlot,
)
from site_to_site_vpn.constructs.metrics import MetricOptionsKwargs
from site_to_site_vpn.constructs.registry import (
    Claim,
    conflicts,
    customer_gateway_claims,
    inside_cidr_claims,
    literal_region,
    register,
    vpn_name_claims,
)
from site_to_site_vpn.constructs.rules import ec2_id_problems
from site_to_site_vpn.constructs.scope_facts import path_of, stack_of
from site_to_site_vpn.constructs.shared_values import shared_constant
from site_to_site_vpn.constructs.site_to_site_vpn_props import (
    SiteToSiteVpnProps,
    is_transit_gateway_hub,
    validate_site_to_site_vpn_props,
)
from site_to_site_vpn.constructs.tunnel_options import TunnelLogOptions, TunnelOptions
from site_to_site_vpn.constructs.virtual_private_gateway import _VirtualPrivateGatewayBase
from site_to_site_vpn.constructs.vpn_concentrator import VpnConcentrator, concentrator_facts
from site_to_site_vpn.constructs.vpn_logging import VpnLogging, VpnLoggingOptions
from site_to_site_vpn.constructs.vpn_lookups import VpnConnectionFacts
from site_to_site_vpn.constructs.vpn_monitoring import VpnMonitoring, VpnMonitoringOptions
from site_to_site_vpn.core.errors import Problem, ValidationError, raise_if_any
from site_to_site_vpn.core.ids import Ec2IdKind

# Re-exported for callers that import the props from the construct's module.
__all__ = ["ISiteToSiteVpn", "SiteToSiteVpn", "SiteToSiteVpnProps"]


@runtime_checkable
class ISiteToSiteVpn(Protocol):
    """A VPN connection of this library, created (:class:`SiteToSiteVpn`) or imported
    (:meth:`SiteToSiteVpn.from_vpn_connection_attributes`): an aws-cdk-lib ``IVPNConnectionRef``
    with its AWS/VPN metrics."""

    @property
    def vpn_connection_ref(self) -> ec2_refs.VPNConnectionReference: ...

    @property
    def vpn_connection_id(self) -> str: ...

    def metric(
        self, metric_name: str, **options: Unpack[MetricOptionsKwargs]
    ) -> cloudwatch.Metric: ...

    def metric_for_tunnel(
        self,
        metric_name: str,
        tunnel_outside_ip: str,
        **options: Unpack[MetricOptionsKwargs],
    ) -> cloudwatch.Metric: ...

    def metric_tunnel_state(self, **options: Unpack[MetricOptionsKwargs]) -> cloudwatch.Metric: ...

    def metric_tunnel_data_in(
        self, **options: Unpack[MetricOptionsKwargs]
    ) -> cloudwatch.Metric: ...

    def metric_tunnel_data_out(
        self, **options: Unpack[MetricOptionsKwargs]
    ) -> cloudwatch.Metric: ...


@jsii.implements(ec2_refs.IVPNConnectionRef)
class _VpnConnectionBase(Resource):
    """What a created and an imported VPN share: the reference and the AWS/VPN metrics."""

    @property
    def vpn_connection_id(self) -> str:
        raise NotImplementedError

    @property
    def vpn_connection_ref(self) -> ec2_refs.VPNConnectionReference:
        """The reference aws-cdk-lib's ``IVPNConnectionRef`` gives."""
        return ec2_refs.VPNConnectionReference(vpn_connection_id=self.vpn_connection_id)

    def metric(self, metric_name: str, **options: Unpack[MetricOptionsKwargs]) -> cloudwatch.Metric:
        """An AWS/VPN metric of this VPN (dimension ``VpnId``).

        ``options`` are ``aws_cloudwatch.MetricOptions`` keywords. @default period 5 minutes,
        statistic Maximum for TunnelState, Sum for TunnelDataIn/Out.
        """
        dimensions = metrics.aws_vpn_dimensions(vpn_id=self.vpn_connection_id)
        return metrics.aws_vpn_metric(metric_name, dimensions, **options)

    def metric_for_tunnel(
        self,
        metric_name: str,
        tunnel_outside_ip: str,
        **options: Unpack[MetricOptionsKwargs],
    ) -> cloudwatch.Metric:
        """An AWS/VPN metric of one tunnel (dimension ``TunnelIpAddress``, its outside IP)."""
        dimensions = metrics.aws_vpn_dimensions(tunnel_outside_ip=tunnel_outside_ip)
        return metrics.aws_vpn_metric(metric_name, dimensions, **options)

    def metric_tunnel_state(self, **options: Unpack[MetricOptionsKwargs]) -> cloudwatch.Metric:
        """``TunnelState`` per VPN: the fraction of tunnels up (0, 0.5, 1).

        Maximum 0 = both down, Maximum < 1 = never both up, Minimum < 1 = one was down.
        """
        return self.metric("TunnelState", **options)

    def metric_tunnel_data_in(self, **options: Unpack[MetricOptionsKwargs]) -> cloudwatch.Metric:
        """``TunnelDataIn``: bytes received through the tunnels, after decryption (Sum)."""
        return self.metric("TunnelDataIn", **options)

    def metric_tunnel_data_out(self, **options: Unpack[MetricOptionsKwargs]) -> cloudwatch.Metric:
        """``TunnelDataOut``: bytes sent through the tunnels, before encryption (Sum)."""
        return self.metric("TunnelDataOut", **options)

    @staticmethod
    def metric_all(metric_name: str, **options: Unpack[MetricOptionsKwargs]) -> cloudwatch.Metric:
        """An AWS/VPN metric over all VPNs of the account and Region (no dimension)."""
        return metrics.aws_vpn_metric(metric_name, None, **options)

    @staticmethod
    def metric_all_tunnel_state(
        **options: Unpack[MetricOptionsKwargs],
    ) -> cloudwatch.Metric:
        """``TunnelState`` over all VPNs (Maximum by default)."""
        return _VpnConnectionBase.metric_all("TunnelState", **options)

    @staticmethod
    def metric_all_tunnel_data_in(
        **options: Unpack[MetricOptionsKwargs],
    ) -> cloudwatch.Metric:
        """``TunnelDataIn`` over all VPNs (Sum)."""
        return _VpnConnectionBase.metric_all("TunnelDataIn", **options)

    @staticmethod
    def metric_all_tunnel_data_out(
        **options: Unpack[MetricOptionsKwargs],
    ) -> cloudwatch.Metric:
        """``TunnelDataOut`` over all VPNs (Sum)."""
        return _VpnConnectionBase.metric_all("TunnelDataOut", **options)


class SiteToSiteVpn(_VpnConnectionBase):
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
        customer_gateway: ec2_refs.ICustomerGatewayRef | CustomerGatewayProps,
        transit_gateway: TransitGatewaySlot | None = None,
        vpn_gateway: VpnGatewaySlot | None = None,
        vpn_concentrator: ec2_refs.IVPNConcentratorRef | None = None,
        amazon_side_asn: int | None = None,
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
        logging: VpnLoggingOptions | None = None,
        monitoring: VpnMonitoringOptions | None = None,
    ) -> None:
        """
        :param customer_gateway: the on-premises device: an existing ``ICustomerGatewayRef``
            (``CustomerGateway``, ``ec2.CfnCustomerGateway``, ...) or ``CustomerGatewayProps``
            to create one here.
        :param transit_gateway: the Transit Gateway to terminate on, an ``ITransitGatewayRef``
            (``TransitGatewayHub``, ``ec2.CfnTransitGateway``, another library's) or an
            ``ExistingTransitGateway``. Exactly one of this and ``vpn_gateway``.
        :param vpn_gateway: the Virtual Private Gateway to terminate on, an ``IVPNGatewayRef``
            (``VirtualPrivateGateway``, ``ec2.VpnGateway``, ``ec2.CfnVPNGateway``) or an
            ``ExistingVpnGateway``.
        :param vpn_concentrator: an ``IVPNConcentratorRef`` to join instead of a gateway
            (``VpnConcentrator``, ``ec2.CfnVPNConcentrator``): the VPN shares the concentrator's
            Transit Gateway attachment (BGP only, at most 100 Mbps per site). Then give neither
            ``transit_gateway`` nor ``vpn_gateway``. @default none
        :param amazon_side_asn: the gateway's Amazon-side ASN, for the check that the customer
            gateway's differs, when the gateway object does not carry it as a literal (an
            aws-cdk-lib reference does not). @default read from the gateway (this library's
            gateways, an L1's literal ``amazon_side_asn``), else unchecked
        :param routing: ``Routing.bgp()`` or ``Routing.static([...])``. @default BGP: routes follow
            the network and fail over between tunnels on their own. Static routing needs a place
            for its prefixes: on a Virtual Private Gateway this construct adds a
            ``VPNConnectionRoute`` per prefix; on a Transit Gateway they go into the hub's route
            tables, so it needs a ``TransitGatewayHub`` (created or
            ``from_transit_gateway_attributes``) and ``hub.connect_vpn(...)``. A static VPN on a
            ``ExistingTransitGateway`` is refused, and one on a hub that is never connected
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
        self._props = props = SiteToSiteVpnProps(
            customer_gateway=customer_gateway,
            transit_gateway=transit_gateway,
            vpn_gateway=vpn_gateway,
            vpn_concentrator=vpn_concentrator,
            amazon_side_asn=amazon_side_asn,
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
            logging=logging,
            monitoring=monitoring,
        )
        name = construct_id if vpn_name is None else vpn_name
        problems = validate_site_to_site_vpn_props(
            props,
            default_vpn_name=construct_id,
            # The Region decides which ASNs are reserved for the customer gateway created here.
            region=(
                literal_region(self) if isinstance(customer_gateway, CustomerGatewayProps) else None
            ),
        )
        claims = self._claims(name)
        path = path_of(self)
        problems += conflicts(self, path, claims)
        # The customer gateway created below registers itself; checked here to report together.
        problems += conflicts(self, f"{path}/CustomerGateway", self._gateway_claims())
        raise_if_any(path, problems)
        register(self, path, claims)
        if isinstance(vpn_gateway, _VirtualPrivateGatewayBase):
            vpn_gateway.add_vpn_connection(self)
        if isinstance(vpn_concentrator, VpnConcentrator):
            vpn_concentrator.add_vpn_connection(self)
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
        if props.routing.static_routes_only and is_transit_gateway_hub(props.transit_gateway):
            self.node.add_validation(_StaticVpnIsRouted(self))

    def _claims(self, vpn_name: str) -> list[Claim]:
        """What this VPN holds uniquely: its name in the stack, its pinned inside CIDRs on the
        gateway, and the customer gateway it creates."""
        p = self._props
        claims = vpn_name_claims(self, vpn_name)
        gateway_id = (
            TRANSIT_GATEWAY.id_of(p.transit_gateway)
            if TRANSIT_GATEWAY.fits(p.transit_gateway)
            else VPN_GATEWAY.id_of(p.vpn_gateway)
            if VPN_GATEWAY.fits(p.vpn_gateway)
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
        cgw = self._props.customer_gateway
        if not isinstance(cgw, CustomerGatewayProps):
            return []
        return [
            Claim(
                c.key,
                f"customer_gateway.{c.field}",
                c.value,
                functools.partial(_nested, "customer_gateway.", c.taken),
            )
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

    @staticmethod
    def from_vpn_connection_attributes(
        scope: Construct, construct_id: str, *, vpn_connection_id: str
    ) -> ISiteToSiteVpn:
        """A VPN connection created outside this app, by its ``vpn-...`` id: its reference and
        its AWS/VPN metrics (for alarms and dashboards of your own)."""

        class Import(_VpnConnectionBase):
            @property
            def vpn_connection_id(self) -> str:
                return vpn_connection_id

        imported = Import(scope, construct_id)
        raise_if_any(
            imported.node.path,
            ec2_id_problems("vpn_connection_id", vpn_connection_id, Ec2IdKind.VPN_CONNECTION),
        )
        return imported

    @property
    def customer_gateway_id(self) -> str:
        """The ``cgw-...`` id."""
        return CUSTOMER_GATEWAY.id_of(self.customer_gateway)

    @property
    def transit_gateway(self) -> TransitGatewaySlot | None:
        """The Transit Gateway the VPN terminates on (None on a gateway or concentrator)."""
        return self._props.transit_gateway

    @property
    def vpn_gateway(self) -> VpnGatewaySlot | None:
        """The Virtual Private Gateway the VPN terminates on, if any."""
        return self._props.vpn_gateway

    @property
    def vpn_concentrator(self) -> ec2_refs.IVPNConcentratorRef | None:
        """The VPN Concentrator the VPN joins, if any."""
        return self._props.vpn_concentrator

    @property
    def tunnels(self) -> tuple[TunnelOptions, TunnelOptions]:
        """The options of tunnel 1 and tunnel 2, as written to the template."""
        return (self._props.tunnel1, self._props.tunnel2)

    @property
    def routing(self) -> Routing:
        """BGP, or static with its prefixes."""
        return self._props.routing

    @property
    def outside_ip_address_type(self) -> OutsideIpAddressType:
        """The family (and public or private) of the tunnels' outside addresses."""
        return self._props.outside_ip_address_type

    @property
    def tunnel_inside_ip_version(self) -> TunnelInsideIpVersion:
        """The family the tunnels carry."""
        return self._props.tunnel_inside_ip_version

    @property
    def transit_gateway_attachment_id(self) -> str:
        """The ``tgw-attach-...`` id of this VPN on its Transit Gateway.

        CloudFormation returns none, so it is read at deploy time by the VPN's facts resource
        (:attr:`facts`, an EC2 DescribeTransitGatewayAttachments call). A VPN on a concentrator
        shares the concentrator's attachment (its GetAtt, no lookup).
        """
        if self._props.vpn_concentrator is not None:
            facts = concentrator_facts("vpn_concentrator", self._props.vpn_concentrator)
            assert not isinstance(facts, Problem)  # validated in the constructor
            return facts.transit_gateway_attachment_id
        if self._props.transit_gateway is None:
            raise ValidationError(
                path_of(self),
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
            # A VPN on a concentrator shares the concentrator's attachment: nothing to look up.
            transit_gateway = (
                self._props.transit_gateway if self._props.vpn_concentrator is None else None
            )
            self._facts = VpnConnectionFacts(
                self,
                stack=stack_of(self),
                vpn_connection_id=self.vpn_connection_id,
                # The provider logs where this VPN logs: no key of its own in a sites stack.
                encryption_key=self.logging.encryption_key if self.logging else None,
                transit_gateway_id=(
                    TRANSIT_GATEWAY.id_of(transit_gateway) if transit_gateway is not None else None
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
        return self.logging.tunnel_log_options if self.logging is not None else None

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

    def _logging(self) -> VpnLogging | None:
        options = self._props.logging or VpnLoggingOptions()
        if not options.enabled:
            return None
        return VpnLogging(
            self,
            "Logging",
            vpn_name=self.vpn_name,
            bgp=not self._props.routing.static_routes_only,
            options=options,
        )

    def _monitoring(self) -> VpnMonitoring | None:
        options = self._props.monitoring or VpnMonitoringOptions()
        if not options.enabled:
            return None
        outside_ips: tuple[str, ...] | None = options.tunnel_outside_ip_addresses
        inside_cidrs: tuple[str, ...] | None = None
        if outside_ips is None and options.specs.tunnel_down.enabled:
            # Per-tunnel alarms need the outside IPs: AWS assigns them, so look them up at deploy,
            # each with its inside CIDR, which tells the operator which tunnel it is.
            listed = self.facts.listed_tunnels
            outside_ips = tuple(ip for ip, _ in listed)
            if self._props.tunnel_inside_ip_version is TunnelInsideIpVersion.IPV4:
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

    def _customer_gateway(
        self, given: ec2_refs.ICustomerGatewayRef | CustomerGatewayProps
    ) -> ec2_refs.ICustomerGatewayRef:
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
        p = self._props
        v6 = p.tunnel_inside_ip_version is TunnelInsideIpVersion.IPV6
        connection = ec2.CfnVPNConnection(
            self,
            "Resource",
            type="ipsec.1",
            customer_gateway_id=self.customer_gateway_id,
            transit_gateway_id=(
                TRANSIT_GATEWAY.id_of(p.transit_gateway) if p.transit_gateway else None
            ),
            vpn_gateway_id=VPN_GATEWAY.id_of(p.vpn_gateway) if p.vpn_gateway else None,
            vpn_concentrator_id=(
                VPN_CONCENTRATOR.id_of(p.vpn_concentrator) if p.vpn_concentrator else None
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
        specs: list[Any] = [
            {
                # The algorithm lists (enum values, never tokens) recur in every VPN: sent once.
                name: shared_constant(value) if isinstance(value, list) else value
                for name, value in t.to_cfn(self.tunnel_log_options).items()
            }
            for t in self.tunnels
        ]
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
        if self._props.vpn_gateway is None or not self._props.routing.static_routes_only:
            return
        for prefix in self._props.routing.static_route_prefixes:
            ec2.CfnVPNConnectionRoute(
                self,
                f"StaticRoute-{prefix.replace('/', '-')}",
                destination_cidr_block=prefix,
                vpn_connection_id=self.vpn_connection_id,
            )


def _nested(prefix: str, taken: Callable[[str], Problem], other: str) -> Problem:
    return taken(other).nested(prefix)


@jsii.implements(IValidation)
class _StaticVpnIsRouted:
    """A static VPN on a hub carries traffic only once ``hub.connect_vpn`` wrote its routes."""

    def __init__(self, vpn: SiteToSiteVpn) -> None:
        self._vpn = vpn

    def validate(self) -> list[str]:
        hub = self._vpn.transit_gateway
        if is_transit_gateway_hub(hub) and hub.is_routed(self._vpn):  # type: ignore[union-attr]
            return []
        problem = Problem(
            "routing",
            f"Routing.static({list(self._vpn.routing.static_route_prefixes)!r})",
            "is never routed: call hub.connect_vpn(vpn, associate_with=..., propagate_to=[...]) "
            "so each prefix becomes a TransitGatewayRoute to this VPN's attachment",
        )
        return [problem.describe(self._vpn.node.path)]
