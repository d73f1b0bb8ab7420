"""BGP autonomous system numbers: the ranges AWS accepts on each side of a VPN."""

from __future__ import annotations

from typing import Final

from site_to_site_vpn.errors import Problem, is_token

#: ``BgpAsn`` of AWS::EC2::CustomerGateway (2-byte and the lower half of 4-byte ASNs).
CUSTOMER_ASN_MIN: Final = 1
CUSTOMER_ASN_MAX: Final = 2_147_483_647
#: ``BgpAsnExtended``: the upper half of the 4-byte range goes to a different property.
CUSTOMER_ASN_EXTENDED_MIN: Final = 2_147_483_648
CUSTOMER_ASN_EXTENDED_MAX: Final = 4_294_967_294
#: ASNs AWS uses itself; a customer gateway with one of them is refused by AWS
#: (7224 in us-east-1, 9059 in eu-west-1; refused everywhere here so a stack stays portable).
AWS_RESERVED_ASNS: Final = frozenset({7224, 9059})
#: Amazon-side ASN of a Transit Gateway or Virtual Private Gateway: private 16-bit or 32-bit.
AMAZON_ASN_RANGES: Final = ((64_512, 65_534), (4_200_000_000, 4_294_967_294))
DEFAULT_AMAZON_SIDE_ASN: Final = 64_512


def is_extended_asn(asn: int) -> bool:
    """True when ``asn`` must go to ``BgpAsnExtended`` rather than ``BgpAsn``."""
    return asn >= CUSTOMER_ASN_EXTENDED_MIN


def customer_asn_problems(field: str, asn: int) -> list[Problem]:
    """Problems with a customer gateway ASN; tokens pass unchecked."""
    if is_token(asn):
        return []
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
    if asn in AWS_RESERVED_ASNS:
        return [
            Problem(field, asn, f"is reserved by AWS ({sorted(AWS_RESERVED_ASNS)}); pick another")
        ]
    return []


def amazon_asn_problems(field: str, asn: int) -> list[Problem]:
    """Problems with an Amazon-side ASN (Transit Gateway or Virtual Private Gateway)."""
    if is_token(asn):
        return []
    if isinstance(asn, bool) or not isinstance(asn, int):
        return [Problem(field, asn, "must be an integer ASN")]
    if not any(low <= asn <= high for low, high in AMAZON_ASN_RANGES):
        allowed = " or ".join(f"{low:,}-{high:,}" for low, high in AMAZON_ASN_RANGES)
        return [Problem(field, asn, f"must be a private ASN in {allowed}")]
    return []
