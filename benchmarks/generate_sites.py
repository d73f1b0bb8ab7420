"""Generated sites files for the benchmark: N BGP sites with documentation IPs and private ASNs.

``vpn_concentrators=True``: every site on a VPN Concentrator (see benchmarks/concentrator_sites.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

#: RFC 5737 documentation networks; with 4-byte private ASNs every (IP, ASN) pair is unique.
DOCUMENTATION_NETWORKS = ("203.0.113", "198.51.100", "192.0.2")


def sites_document(count: int, *, vpn_concentrators: bool = False) -> dict[str, Any]:
    sites = [
        {
            "name": f"site-{index:04d}",
            "customer_gateway": {
                "ip_address": f"{DOCUMENTATION_NETWORKS[index % 3]}.{index // 3 % 254 + 1}",
                "bgp_asn": 4_200_000_001 + index,
            },
        }
        for index in range(count)
    ]
    document: dict[str, Any] = {
        "version": 1,
        "hub": {
            "name": "Bench",
            "account": "111111111111",
            "region": "us-east-1",
            "transit_gateway": {"amazon_side_asn": 64512},
            "route_tables": [{"name": "branches"}, {"name": "shared"}],
        },
        "defaults": {"route_table": "branches", "propagate_to": ["shared"]},
        # The benchmark's account has raised quotas, stated the documented way.
        "quotas": {
            "customer_gateways_per_region": max(count, 50),
            "vpn_connections_per_region": max(count, 50),
        },
        "sites": sites,
    }
    if vpn_concentrators:
        from benchmarks.concentrator_sites import on_concentrators  # noqa: PLC0415

        return on_concentrators(document)
    return document


def write_sites_file(path: Path, count: int, *, vpn_concentrators: bool = False) -> Path:
    document = sites_document(count, vpn_concentrators=vpn_concentrators)
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path
