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

from site_to_site_vpn.customer_side import algorithms as alg

TUNNEL_COUNT: Final = 2
DEFAULT_AMAZON_SIDE_ASN: Final = 64_512


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
    phase1_lifetime: int = 28_800
    phase2_lifetime: int = 3_600
    rekey_margin: int = 270
    rekey_fuzz_percent: int = 100
    replay_window: int = 1_024
    dpd_timeout: int = 30
    dpd_timeout_action: str = "clear"
    startup_action: str = "add"
    inside_cidr: ipaddress.IPv4Network | None = None
    #: Only a literal PSK; a dynamic reference is resolved by CloudFormation, not by us.
    literal_psk: str | None = None


@dataclass(frozen=True)
class VpnPolicy:
    """The VPN connection's routing mode and both tunnels' policies."""

    static_routes_only: bool
    tunnels: tuple[TunnelPolicy, TunnelPolicy]


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
    network = ipaddress.IPv4Network(raw)
    if network.prefixlen != 30 or not network.subnet_of(ipaddress.IPv4Network("169.254.0.0/16")):
        raise TemplateError(f"TunnelInsideCidr {raw} is not a /30 inside 169.254.0.0/16")
    return network


def _literal_psk(spec: Mapping[str, Any]) -> str | None:
    raw = spec.get("PreSharedKey")
    if isinstance(raw, str) and not raw.startswith("{{resolve:"):
        return raw
    return None


def tunnel_policy(spec: Mapping[str, Any]) -> TunnelPolicy:
    """Parse one ``VpnTunnelOptionsSpecifications`` entry, filling AWS's defaults."""
    return TunnelPolicy(
        phase1_encryption=_names(spec, "Phase1EncryptionAlgorithms", alg.AWS_DEFAULT_ENCRYPTION),
        phase1_integrity=_names(spec, "Phase1IntegrityAlgorithms", alg.AWS_DEFAULT_INTEGRITY),
        phase1_dh_groups=_groups(spec, "Phase1DHGroupNumbers", alg.AWS_DEFAULT_PHASE1_DH),
        phase2_encryption=_names(spec, "Phase2EncryptionAlgorithms", alg.AWS_DEFAULT_ENCRYPTION),
        phase2_integrity=_names(spec, "Phase2IntegrityAlgorithms", alg.AWS_DEFAULT_INTEGRITY),
        phase2_dh_groups=_groups(spec, "Phase2DHGroupNumbers", alg.AWS_DEFAULT_PHASE2_DH),
        ike_versions=_names(spec, "IKEVersions", alg.AWS_DEFAULT_IKE_VERSIONS),
        phase1_lifetime=_int(spec, "Phase1LifetimeSeconds", 28_800),
        phase2_lifetime=_int(spec, "Phase2LifetimeSeconds", 3_600),
        rekey_margin=_int(spec, "RekeyMarginTimeSeconds", 270),
        rekey_fuzz_percent=_int(spec, "RekeyFuzzPercentage", 100),
        replay_window=_int(spec, "ReplayWindowSize", 1_024),
        dpd_timeout=_int(spec, "DPDTimeoutSeconds", 30),
        dpd_timeout_action=str(spec.get("DPDTimeoutAction", "clear")),
        startup_action=str(spec.get("StartupAction", "add")),
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
    return VpnPolicy(
        static_routes_only=_flag(properties.get("StaticRoutesOnly", False)),
        tunnels=(tunnel_policy(specs[0]), tunnel_policy(specs[1])),
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


def customer_gateway_asn(template: Mapping[str, Any], properties: Mapping[str, Any]) -> int:
    """``BgpAsn`` (or ``BgpAsnExtended``) of the customer gateway the VPN references."""
    logical_id = _ref(properties.get("CustomerGatewayId"))
    if logical_id is None:
        raise TemplateError("CustomerGatewayId is not a reference to a resource in this template")
    cgw = _resource(template, logical_id, "AWS::EC2::CustomerGateway")
    return int(cgw.get("BgpAsnExtended", cgw.get("BgpAsn", 65_000)))


def amazon_side_asn(template: Mapping[str, Any], properties: Mapping[str, Any]) -> int | None:
    """The gateway's ``AmazonSideAsn`` when the gateway is in this template, else ``None``."""
    for key, kind in (
        ("TransitGatewayId", "AWS::EC2::TransitGateway"),
        ("VpnGatewayId", "AWS::EC2::VPNGateway"),
    ):
        logical_id = _ref(properties.get(key))
        if logical_id is not None:
            gateway = _resource(template, logical_id, kind)
            return int(gateway.get("AmazonSideAsn", DEFAULT_AMAZON_SIDE_ASN))
    return None
