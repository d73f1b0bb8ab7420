"""Deprecated path, kept while other branches merge: the ASN rules live in
``site_to_site_vpn.core.asn``; their token-aware forms in ``site_to_site_vpn.constructs.rules``."""

from site_to_site_vpn.constructs.rules import amazon_asn_problems, customer_asn_problems
from site_to_site_vpn.core.asn import (
    AMAZON_ASN_RANGES,
    AWS_RESERVED_ASNS,
    CUSTOMER_ASN_EXTENDED_MAX,
    CUSTOMER_ASN_EXTENDED_MIN,
    CUSTOMER_ASN_MAX,
    CUSTOMER_ASN_MIN,
    DEFAULT_AMAZON_SIDE_ASN,
    LEGACY_VGW_ASNS,
    RESERVED_CUSTOMER_ASNS,
    is_extended_asn,
    reserved_in,
)

__all__ = [
    "AMAZON_ASN_RANGES",
    "AWS_RESERVED_ASNS",
    "CUSTOMER_ASN_EXTENDED_MAX",
    "CUSTOMER_ASN_EXTENDED_MIN",
    "CUSTOMER_ASN_MAX",
    "CUSTOMER_ASN_MIN",
    "DEFAULT_AMAZON_SIDE_ASN",
    "LEGACY_VGW_ASNS",
    "RESERVED_CUSTOMER_ASNS",
    "amazon_asn_problems",
    "customer_asn_problems",
    "is_extended_asn",
    "reserved_in",
]
