"""BGP autonomous system numbers: the ranges AWS accepts on each side of a VPN."""

from __future__ import annotations

from typing import Final

from site_to_site_vpn.core.errors import Problem

#: ``BgpAsn`` of AWS::EC2::CustomerGateway (2-byte and the lower half of 4-byte ASNs).
CUSTOMER_ASN_MIN: Final = 1
CUSTOMER_ASN_MAX: Final = 2_147_483_647
#: ``BgpAsnExtended``: the upper half of the 4-byte range goes to a different property.
CUSTOMER_ASN_EXTENDED_MIN: Final = 2_147_483_648
CUSTOMER_ASN_EXTENDED_MAX: Final = 4_294_967_294
#: Customer ASNs AWS reserves, and the Region each is reserved in (None: every Region).
#: Source: AWS Site-to-Site VPN User Guide, "Customer gateway options for your AWS Site-to-Site
#: VPN connection" (https://docs.aws.amazon.com/vpn/latest/s2svpn/cgw-options.html): "7224 -
#: Reserved in all Regions; 9059 - Reserved in the eu-west-1 Region; 10124 - Reserved in the
#: ap-northeast-1 Region; 17943 - Reserved in the ap-southeast-1 Region". The page says 17943
#: (Terraform's validator lists 17493, the legacy Amazon-side ASN of ap-southeast-1 VGWs, which
#: :data:`LEGACY_VGW_ASNS` accepts on import); we follow the page, also for 9059 (eu-west-1 only).
RESERVED_CUSTOMER_ASNS: Final[dict[int, str | None]] = {
    7224: None,
    9059: "eu-west-1",
    10124: "ap-northeast-1",
    17943: "ap-southeast-1",
}
#: Reserved in every Region: the only ones checked when the stack's Region is unknown.
AWS_RESERVED_ASNS: Final = frozenset(a for a, r in RESERVED_CUSTOMER_ASNS.items() if r is None)
#: Amazon-side ASNs of Virtual Private Gateways created before AWS let you choose one (mid-2018):
#: 7224 (us-east-1 and most Regions), 9059 (eu-west-1), 10124 (ap-northeast-1), 17493
#: (ap-southeast-1). Such a gateway still exists and is imported with its ASN, so
#: ``from_vpn_gateway_attributes`` accepts them; a new gateway cannot have them.
LEGACY_VGW_ASNS: Final = frozenset({7224, 9059, 10124, 17493})
#: Amazon-side ASN of a Transit Gateway or Virtual Private Gateway: private 16-bit or 32-bit.
AMAZON_ASN_RANGES: Final = ((64_512, 65_534), (4_200_000_000, 4_294_967_294))
DEFAULT_AMAZON_SIDE_ASN: Final = 64_512


def is_extended_asn(asn: int) -> bool:
    """True when ``asn`` must go to ``BgpAsnExtended`` rather than ``BgpAsn``."""
    return asn >= CUSTOMER_ASN_EXTENDED_MIN


def reserved_in(asn: int, region: str | None) -> str | None:
    """Where ``asn`` is reserved for a customer gateway in ``region`` ("all Regions", a Region
    name), or None. An unknown ``region`` (None, an env-agnostic stack) checks only the ASNs
    reserved in every Region: AWS refuses the others only where they are reserved."""
    if asn not in RESERVED_CUSTOMER_ASNS:
        return None
    where = RESERVED_CUSTOMER_ASNS[asn]
    if where is None:
        return "all Regions"
    return where if region == where else None


def customer_asn_problems(field: str, asn: int, region: str | None = None) -> list[Problem]:
    """Problems with a customer gateway ASN in ``region`` (None: unknown)."""
    if isinstance(asn, bool) or not isinstance(asn, int):
        return [Problem(field, asn, "must be an integer ASN")]
    if not CUSTOMER_ASN_MIN <= asn <= CUSTOMER_ASN_EXTENDED_MAX:
        return [
            Problem(
                field,
                asn,
                f"must be {CUSTOMER_ASN_MIN}-{CUSTOMER_ASN_EXTENDED_MAX:,} "
                f"(values from {CUSTOMER_ASN_EXTENDED_MIN:,} go to BgpAsnExtended)",
            )
        ]
    where = reserved_in(asn, region)
    if where is not None:
        return [
            Problem(
                field,
                asn,
                f"is reserved by AWS for customer gateways in {where} (AWS's Customer gateway "
                "options page); pick another, e.g. a private ASN 64512-65534",
            )
        ]
    return []


def amazon_asn_problems(field: str, asn: object, *, legacy_vgw: bool = False) -> list[Problem]:
    """Problems with an Amazon-side ASN (Transit Gateway or Virtual Private Gateway).

    ``legacy_vgw`` also accepts :data:`LEGACY_VGW_ASNS`, for an imported gateway.
    """
    if isinstance(asn, bool) or not isinstance(asn, int):
        return [Problem(field, asn, "must be an integer ASN")]
    if legacy_vgw and asn in LEGACY_VGW_ASNS:
        return []
    if not any(low <= asn <= high for low, high in AMAZON_ASN_RANGES):
        allowed = " or ".join(f"{low:,}-{high:,}" for low, high in AMAZON_ASN_RANGES)
        if legacy_vgw:
            legacy = ", ".join(map(str, sorted(LEGACY_VGW_ASNS)))
            allowed += f", or a pre-2018 gateway's default ({legacy})"
        return [Problem(field, asn, f"must be a private ASN in {allowed}")]
    return []
