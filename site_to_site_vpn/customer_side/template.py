"""Read what a synthesized AWS::EC2::VPNConnection allows, as the AWS side will enforce it.

Only the template is trusted: a key the template leaves out means AWS's default for it, which for
algorithm lists is "everything AWS supports". Values that are CloudFormation intrinsics (unknown
until deploy) are refused for algorithms and left to deploy-time facts for addresses and keys.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from site_to_site_vpn.core import tunnel_options as aws
from site_to_site_vpn.core.asn import DEFAULT_AMAZON_SIDE_ASN
from site_to_site_vpn.core.cidr import inside_cidr_problems

TUNNEL_COUNT: Final = 2
#: The AWS::EC2::VPNConnection registry schema's valid OutsideIpAddressType values.
OUTSIDE_IP_ADDRESS_TYPES: Final = frozenset({"PublicIpv4", "PrivateIpv4", "Ipv6"})


class TemplateError(ValueError):
    """The template does not describe a VPN connection this renderer can configure."""


@dataclass(frozen=True)
class TunnelPolicy:
    """One tunnel's options as the AWS side will enforce them."""

    phase1_encryption: tuple[str, ...]
    phase1_integrity: tuple[str, ...]
    phase1_dh_groups: tuple[int, ...]
    phase2_encryption: tuple[str, ...]
    phase2_integrity: tuple[str, ...]
    phase2_dh_groups: tuple[int, ...]
    ike_versions: tuple[str, ...]
    phase1_lifetime: int = aws.AWS_DEFAULT_PHASE1_LIFETIME
    phase2_lifetime: int = aws.AWS_DEFAULT_PHASE2_LIFETIME
    rekey_margin: int = aws.AWS_DEFAULT_REKEY_MARGIN
    rekey_fuzz_percent: int = aws.AWS_DEFAULT_REKEY_FUZZ
    replay_window: int = aws.AWS_DEFAULT_REPLAY_WINDOW
    dpd_timeout: int = aws.AWS_DEFAULT_DPD_TIMEOUT
    dpd_timeout_action: str = aws.AWS_DEFAULT_DPD_TIMEOUT_ACTION.value
    startup_action: str = aws.AWS_DEFAULT_STARTUP_ACTION.value
    inside_cidr: ipaddress.IPv4Network | None = None
    #: Only a literal PSK; a dynamic reference is resolved by CloudFormation, not by us.
    literal_psk: str | None = None


@dataclass(frozen=True)
class VpnPolicy:
    """The VPN connection's routing mode and both tunnels' policies."""

    static_routes_only: bool
    tunnels: tuple[TunnelPolicy, TunnelPolicy]
    #: ``PublicIpv4`` (AWS's default), ``PrivateIpv4`` or ``Ipv6``.
    outside_ip_address_type: str = "PublicIpv4"


def _values(spec: Mapping[str, Any], key: str) -> list[Any] | None:
    raw = spec.get(key)
    if raw is None:
        return None
    if not isinstance(raw, list) or not all(isinstance(v, dict) and "Value" in v for v in raw):
        raise TemplateError(f"{key} must be a literal list of {{'Value': ...}}, got {raw!r}")
    return [v["Value"] for v in raw]


def _names(spec: Mapping[str, Any], key: str, default: Sequence[str]) -> tuple[str, ...]:
    found = _values(spec, key)
    return tuple(str(v) for v in found) if found is not None else tuple(default)


def _groups(spec: Mapping[str, Any], key: str, default: Sequence[int]) -> tuple[int, ...]:
    found = _values(spec, key)
    return tuple(int(v) for v in found) if found is not None else tuple(default)


def _int(spec: Mapping[str, Any], key: str, default: int) -> int:
    raw = spec.get(key, default)
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise TemplateError(f"{key} must be a literal number, got {raw!r}")
    return int(raw)


def _inside_cidr(spec: Mapping[str, Any]) -> ipaddress.IPv4Network | None:
    raw = spec.get("TunnelInsideCidr")
    if not isinstance(raw, str):
        return None
    problems = inside_cidr_problems("TunnelInsideCidr", raw)
    if problems:
        raise TemplateError(problems[0].describe("template"))
    return ipaddress.IPv4Network(raw)


def _literal_psk(spec: Mapping[str, Any]) -> str | None:
    raw = spec.get("PreSharedKey")
    if isinstance(raw, str) and not raw.startswith("{{resolve:"):
        return raw
    return None


def tunnel_policy(spec: Mapping[str, Any]) -> TunnelPolicy:
    """Parse one ``VpnTunnelOptionsSpecifications`` entry, filling AWS's defaults."""
    return TunnelPolicy(
        phase1_encryption=_names(spec, "Phase1EncryptionAlgorithms", aws.AWS_DEFAULT_ENCRYPTION),
        phase1_integrity=_names(spec, "Phase1IntegrityAlgorithms", aws.AWS_DEFAULT_INTEGRITY),
        phase1_dh_groups=_groups(spec, "Phase1DHGroupNumbers", aws.AWS_DEFAULT_PHASE1_DH),
        phase2_encryption=_names(spec, "Phase2EncryptionAlgorithms", aws.AWS_DEFAULT_ENCRYPTION),
        phase2_integrity=_names(spec, "Phase2IntegrityAlgorithms", aws.AWS_DEFAULT_INTEGRITY),
        phase2_dh_groups=_groups(spec, "Phase2DHGroupNumbers", aws.AWS_DEFAULT_PHASE2_DH),
        ike_versions=_names(spec, "IKEVersions", aws.AWS_DEFAULT_IKE_VERSIONS),
        phase1_lifetime=_int(spec, "Phase1LifetimeSeconds", aws.AWS_DEFAULT_PHASE1_LIFETIME),
        phase2_lifetime=_int(spec, "Phase2LifetimeSeconds", aws.AWS_DEFAULT_PHASE2_LIFETIME),
        rekey_margin=_int(spec, "RekeyMarginTimeSeconds", aws.AWS_DEFAULT_REKEY_MARGIN),
        rekey_fuzz_percent=_int(spec, "RekeyFuzzPercentage", aws.AWS_DEFAULT_REKEY_FUZZ),
        replay_window=_int(spec, "ReplayWindowSize", aws.AWS_DEFAULT_REPLAY_WINDOW),
        dpd_timeout=_int(spec, "DPDTimeoutSeconds", aws.AWS_DEFAULT_DPD_TIMEOUT),
        dpd_timeout_action=str(
            spec.get("DPDTimeoutAction", aws.AWS_DEFAULT_DPD_TIMEOUT_ACTION.value)
        ),
        startup_action=str(spec.get("StartupAction", aws.AWS_DEFAULT_STARTUP_ACTION.value)),
        inside_cidr=_inside_cidr(spec),
        literal_psk=_literal_psk(spec),
    )


def _flag(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.lower() in {"true", "false"}:
        return raw.lower() == "true"
    raise TemplateError(f"StaticRoutesOnly must be a literal boolean, got {raw!r}")


def vpn_policy(properties: Mapping[str, Any]) -> VpnPolicy:
    """Parse the ``Properties`` of an AWS::EC2::VPNConnection resource."""
    if str(properties.get("TunnelInsideIpVersion", "ipv4")) != "ipv4":
        raise TemplateError("only TunnelInsideIpVersion ipv4 is supported by the renderer")
    specs = list(properties.get("VpnTunnelOptionsSpecifications") or [])
    if len(specs) > TUNNEL_COUNT:
        raise TemplateError("a VPN connection has at most two tunnel option specifications")
    specs += [{}] * (TUNNEL_COUNT - len(specs))
    outside = properties.get("OutsideIpAddressType", "PublicIpv4")
    if outside not in OUTSIDE_IP_ADDRESS_TYPES:
        raise TemplateError(
            f"OutsideIpAddressType must be one of {sorted(OUTSIDE_IP_ADDRESS_TYPES)}, "
            f"got {outside!r}"
        )
    return VpnPolicy(
        static_routes_only=_flag(properties.get("StaticRoutesOnly", False)),
        tunnels=(tunnel_policy(specs[0]), tunnel_policy(specs[1])),
        outside_ip_address_type=str(outside),
    )


def _resource(template: Mapping[str, Any], logical_id: str, kind: str) -> Mapping[str, Any]:
    resource = template.get("Resources", {}).get(logical_id)
    if not isinstance(resource, dict) or resource.get("Type") != kind:
        raise TemplateError(f"{logical_id} is not an {kind} in the template")
    properties = resource.get("Properties", {})
    if not isinstance(properties, dict):
        raise TemplateError(f"{logical_id} has no literal Properties")
    return properties


def vpn_logical_ids(template: Mapping[str, Any]) -> list[str]:
    """Logical ids of every VPN connection in the template, in template order."""
    return [
        logical_id
        for logical_id, resource in template.get("Resources", {}).items()
        if resource.get("Type") == "AWS::EC2::VPNConnection"
    ]


def vpn_properties(template: Mapping[str, Any], logical_id: str) -> Mapping[str, Any]:
    """The ``Properties`` of one VPN connection resource."""
    return _resource(template, logical_id, "AWS::EC2::VPNConnection")


def _ref(value: Any) -> str | None:
    if isinstance(value, dict) and isinstance(value.get("Ref"), str):
        return str(value["Ref"])
    if isinstance(value, dict) and isinstance(value.get("Fn::GetAtt"), list):
        return str(value["Fn::GetAtt"][0])
    return None


def customer_gateway_properties(
    template: Mapping[str, Any], properties: Mapping[str, Any]
) -> Mapping[str, Any]:
    """The ``Properties`` of the customer gateway the VPN references, ``{}`` if not in the template.

    A VPN names its gateway with ``Ref`` or, as aws-cdk's ``CustomerGatewayProps`` writes it,
    ``Fn::GetAtt [<gateway>, CustomerGatewayId]``; both lead to the same resource.
    """
    logical_id = _ref(properties.get("CustomerGatewayId"))
    resource = template.get("Resources", {}).get(logical_id) if logical_id else None
    if not isinstance(resource, dict) or resource.get("Type") != "AWS::EC2::CustomerGateway":
        return {}
    found = resource.get("Properties", {})
    return found if isinstance(found, dict) else {}


def customer_gateway_asn(template: Mapping[str, Any], properties: Mapping[str, Any]) -> int:
    """``BgpAsn`` (or ``BgpAsnExtended``) of the customer gateway the VPN references."""
    logical_id = _ref(properties.get("CustomerGatewayId"))
    if logical_id is None:
        raise TemplateError("CustomerGatewayId is not a reference to a resource in this template")
    cgw = _resource(template, logical_id, "AWS::EC2::CustomerGateway")
    return int(cgw.get("BgpAsnExtended", cgw.get("BgpAsn", 65_000)))


class GatewayOutsideTemplateError(TemplateError):
    """The VPN's gateway is not a resource of this template, so its Amazon-side ASN is unknown."""


def amazon_side_asn(template: Mapping[str, Any], properties: Mapping[str, Any]) -> int:
    """The gateway's ``AmazonSideAsn``; AWS's default 64512 when the template's gateway omits it.

    A VPN on a VPN Concentrator names the concentrator instead of a gateway; its Transit
    Gateway is then read through the concentrator's ``TransitGatewayId``.

    AWS's default applies to a gateway created without ``AmazonSideAsn`` ("AWS::EC2::
    TransitGateway", "AWS::EC2::VPNGateway" in the CloudFormation reference). A gateway created
    elsewhere (a literal id, an SSM parameter, an import) may have any ASN, and a wrong
    ``remote-as`` keeps BGP down, so that case raises :class:`GatewayOutsideTemplateError`
    instead of guessing.
    """
    concentrator = _ref(properties.get("VpnConcentratorId"))
    if concentrator is not None:
        properties = _resource(template, concentrator, "AWS::EC2::VPNConcentrator")
    resources = template.get("Resources", {})
    for key, kind in (
        ("TransitGatewayId", "AWS::EC2::TransitGateway"),
        ("VpnGatewayId", "AWS::EC2::VPNGateway"),
    ):
        raw = properties.get(key)
        if raw is None:
            continue
        logical_id = _ref(raw)
        if logical_id is None or logical_id not in resources:
            where = (
                f"the {key} {raw!r}"
                if logical_id is None
                else f"the {key} comes from {logical_id!r}, not a resource of this template"
            )
            raise GatewayOutsideTemplateError(
                f"the Amazon-side ASN is unknown: {where}; pass --amazon-side-asn "
                "(the gateway's AmazonSideAsn; AWS's 64512 default applies only to a gateway "
                "created without one)"
            )
        gateway = _resource(template, logical_id, kind)
        return int(gateway.get("AmazonSideAsn", DEFAULT_AMAZON_SIDE_ASN))
    raise TemplateError("the VPN names no TransitGatewayId, VpnGatewayId or VpnConcentratorId")
