"""Sites documents for the tests: a small valid one, and helpers to break it one value at a time."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from site_to_site_vpn.sites import SitesFile, SitesFileError, parse_sites


def site(number: int, **overrides: Any) -> dict[str, Any]:
    """A valid BGP site with a documentation IP (198.18.0.0/15 for large counts) and private ASN."""
    address = f"203.0.113.{number}" if number < 255 else f"198.18.{number // 250}.{number % 250}"
    entry: dict[str, Any] = {
        "name": f"site-{number:04d}",
        "customer_gateway": {"ip_address": address, "bgp_asn": 65000 + number % 500},
    }
    entry.update(overrides)
    return entry


def document(*sites: dict[str, Any], **top: Any) -> dict[str, Any]:
    """A valid sites document (new Transit Gateway, two route tables) with ``sites``."""
    doc: dict[str, Any] = {
        "version": 1,
        "hub": {
            "name": "Test",
            "account": "111111111111",
            "region": "us-east-1",
            "transit_gateway": {"amazon_side_asn": 64512},
            "route_tables": [{"name": "branches"}, {"name": "shared"}],
        },
        "sites": list(sites) if sites else [site(1), site(2), site(3)],
    }
    doc.update(copy.deepcopy(top))
    return doc


def parse(doc: dict[str, Any], path: str = "sites.yaml") -> SitesFile:
    return parse_sites(copy.deepcopy(doc), path)


def problems_of(doc: dict[str, Any]) -> list[str]:
    """Every message the loader raises for ``doc`` (fails the test if it loads)."""
    with pytest.raises(SitesFileError) as caught:
        parse(doc)
    assert caught.value.construct_path == "sites.yaml"
    return [p.describe("sites.yaml") for p in caught.value.problems]
