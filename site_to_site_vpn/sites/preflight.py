"""Cross-site rules: what no single site can be checked for on its own.

Unique names, one customer gateway per (IP, ASN), pinned inside CIDRs unique per Transit Gateway,
and the Region's and the Transit Gateway's quotas. A site's ASN against the hub's is the core's
rule and is checked per site by the loader.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

from site_to_site_vpn.core import uniqueness
from site_to_site_vpn.core.errors import Problem
from site_to_site_vpn.sites.model import SitesFile, SiteSpec

K = TypeVar("K", bound=Hashable)


def _duplicates(
    sites: Iterable[SiteSpec], key: Callable[[SiteSpec], K]
) -> Iterable[tuple[SiteSpec, SiteSpec]]:
    """Each later site whose key an earlier site already has, with that earlier site."""
    first: dict[K, SiteSpec] = {}
    for site in sites:
        earlier = first.setdefault(key(site), site)
        if earlier is not site:
            yield site, earlier


def _unique_names(sites: tuple[SiteSpec, ...]) -> list[Problem]:
    return [
        uniqueness.vpn_name_taken(f"sites[{site.index}].name", site.name, f"sites[{earlier.index}]")
        for site, earlier in _duplicates(sites, lambda s: s.name)
    ]


def _unique_customer_gateways(sites: tuple[SiteSpec, ...]) -> list[Problem]:
    return [
        Problem(
            f"sites[{site.index}].customer_gateway",
            f"{site.ip_address} AS{site.bgp_asn}",
            f"has the IP address and BGP ASN of sites[{earlier.index}] ({earlier.name}); AWS "
            "would treat both as one customer gateway. Give one of them another ASN",
        )
        for site, earlier in _duplicates(sites, lambda s: (s.ip_address, s.bgp_asn))
    ]


def _unique_pinned_inside_cidrs(loaded: SitesFile) -> list[Problem]:
    owner = dict.fromkeys(
        loaded.hub.reserved_inside_cidrs, "hub.transit_gateway.reserved_inside_cidrs"
    )
    problems = []
    for site in loaded.sites:
        for tunnel, cidr in enumerate(site.pinned_inside_cidrs):
            if cidr is None:
                continue
            where = f"sites[{site.index}].tunnels[{tunnel}].inside_cidr"
            taken_by = owner.setdefault(cidr, where)
            # Within one site the core already reports it (tunnel2 must differ from tunnel1).
            if not taken_by.startswith(f"sites[{site.index}]."):
                problems.append(uniqueness.inside_cidr_taken(where, cidr, taken_by))
    return problems


def _over_quota(
    where: str, value: str, *, need: int, what: str, quota_name: str, quota: int
) -> Problem:
    return Problem(
        where,
        value,
        f"need {need} {what}, over the quota of {quota} (quotas.{quota_name}). Request an "
        f"increase in Service Quotas, then state the new quota as quotas.{quota_name}",
    )


def _quota_problems(loaded: SitesFile) -> list[Problem]:
    count = len(loaded.sites)
    q = loaded.quotas
    concentrators = loaded.hub.vpn_concentrators
    # A concentrator's sites share its one attachment ("AWS Site-to-Site VPN Concentrators").
    attachments = sum(1 for site in loaded.sites if site.vpn_concentrator is None)
    attachments += len(concentrators)
    problems = [
        _over_quota(
            "sites", f"{count} sites", need=need, what=what, quota_name=quota_name, quota=quota
        )
        for need, what, quota_name, quota in (
            (count, "customer gateways", "customer_gateways_per_region",
             q.customer_gateways_per_region),
            (count, "VPN connections", "vpn_connections_per_region",
             q.vpn_connections_per_region),
            (attachments, "Transit Gateway attachments", "attachments_per_transit_gateway",
             q.attachments_per_transit_gateway),
        )
        if need > quota
    ]  # fmt: skip
    # "Amazon VPC Transit Gateways Quotas" (Transit gateway attachments): VPN Concentrators per
    # transit gateway 5, VPN connections per VPN Concentrator 100.
    if len(concentrators) > q.vpn_concentrators_per_transit_gateway:
        problems.append(
            _over_quota(
                "hub.vpn_concentrators",
                f"{len(concentrators)} concentrators",
                need=len(concentrators),
                what="VPN Concentrators on one Transit Gateway",
                quota_name="vpn_concentrators_per_transit_gateway",
                quota=q.vpn_concentrators_per_transit_gateway,
            )
        )
    for i, concentrator in enumerate(concentrators):
        on_it = sum(1 for site in loaded.sites if site.vpn_concentrator == concentrator.name)
        if on_it > q.vpn_connections_per_vpn_concentrator:
            problems.append(
                _over_quota(
                    f"hub.vpn_concentrators[{i}]",
                    f"{concentrator.name}: {on_it} sites",
                    need=on_it,
                    what="VPN connections on one VPN Concentrator",
                    quota_name="vpn_connections_per_vpn_concentrator",
                    quota=q.vpn_connections_per_vpn_concentrator,
                )
            )
    return problems


def preflight_problems(loaded: SitesFile) -> list[Problem]:
    """Every cross-site problem of a loaded sites file (the lock file is checked when planning)."""
    return [
        *_unique_names(loaded.sites),
        *_unique_customer_gateways(loaded.sites),
        *_unique_pinned_inside_cidrs(loaded),
        *_quota_problems(loaded),
    ]
