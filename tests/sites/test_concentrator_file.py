"""VPN Concentrators in the sites file: loading, rules, quotas and the lock file (no synth here).

AWS facts, cited where used:
- "AWS Site-to-Site VPN Concentrators" (Site-to-Site VPN User Guide): Transit Gateway only, BGP
  routing only ("Static routing is not supported"), all sites share the concentrator's one
  Transit Gateway attachment.
- "Amazon VPC Transit Gateways Quotas" (Transit gateway attachments): VPN Concentrators per
  transit gateway 5, VPN connections per VPN Concentrator 100.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from site_to_site_vpn.sites import SitesFileError
from site_to_site_vpn.sites.lock import (
    LockFile,
    ShardBudget,
    SitePlacement,
    plan_lock,
    read_lock,
)
from tests.sites.conftest import document, parse, problems_of, site

BIG = {"customer_gateways_per_region": 5000, "vpn_connections_per_region": 5000}


def with_concentrators(*sites: dict[str, Any], **top: Any) -> dict[str, Any]:
    doc = document(*sites, **top)
    doc["hub"]["vpn_concentrators"] = [
        {"name": "retail", "route_table": "branches", "propagate_to": ["shared"]}
    ]
    return doc


def on(number: int, concentrator: str = "retail", **overrides: Any) -> dict[str, Any]:
    return site(number, vpn_concentrator=concentrator, **overrides)


def test_a_concentrator_site_is_routed_by_its_concentrator() -> None:
    loaded = parse(with_concentrators(on(1), site(2, route_table="shared")))
    (retail,) = loaded.hub.vpn_concentrators
    assert (retail.name, retail.route_table, retail.propagate_to) == (
        "retail",
        "branches",
        ("shared",),
    )
    first, second = loaded.sites
    assert first.vpn_concentrator == "retail"
    assert (first.route_table, first.propagate_to) == ("branches", ("shared",))
    assert second.vpn_concentrator is None
    assert second.route_table == "shared"


def test_a_concentrator_takes_the_defaults_routing_when_it_names_none() -> None:
    doc = document(on(1), defaults={"route_table": "shared", "propagate_to": ["branches"]})
    doc["hub"]["vpn_concentrators"] = [{"name": "retail"}]
    (retail,) = parse(doc).hub.vpn_concentrators
    assert (retail.route_table, retail.propagate_to) == ("shared", ("branches",))


def test_a_site_names_a_concentrator_of_the_hub() -> None:
    assert problems_of(with_concentrators(on(1, "outlet"))) == [
        "sites.yaml: sites[0].vpn_concentrator = 'outlet': must name one of "
        "hub.vpn_concentrators: ['retail']"
    ]


def test_static_routing_on_a_concentrator_site_is_refused() -> None:
    # "AWS Site-to-Site VPN Concentrators", Routing: BGP only, static routing not supported.
    doc = with_concentrators(on(1, routing="static", static_routes=["10.1.0.0/16"]))
    (message,) = problems_of(doc)
    assert message.startswith(
        "sites.yaml: sites[0].routing = 'static': must be bgp on a VPN Concentrator"
    )
    assert "(no vpn_concentrator) for static routing" in message


@pytest.mark.parametrize(
    ("key", "value", "shown"),
    [("route_table", "shared", "'shared'"), ("propagate_to", ["branches"], "<list>")],
)
def test_routing_of_its_own_on_a_concentrator_site_is_refused_not_ignored(
    key: str, value: Any, shown: str
) -> None:
    (message,) = problems_of(with_concentrators(on(1, **{key: value})))
    assert message.startswith(f"sites.yaml: sites[0].{key} = {shown}: must be left out on")
    assert f"hub.vpn_concentrators[].{key}" in message


def test_a_concentrators_route_tables_must_exist_and_names_be_unique() -> None:
    doc = with_concentrators(on(1))
    doc["hub"]["vpn_concentrators"] += [
        {"name": "retail", "route_table": "inspection", "propagate_to": ["shared", "shared"]}
    ]
    assert problems_of(doc) == [
        "sites.yaml: hub.vpn_concentrators[1].name = 'retail': is given twice",
        "sites.yaml: hub.vpn_concentrators[1].route_table = 'inspection': must name one of "
        "hub.route_tables: ['branches', 'shared']",
        "sites.yaml: hub.vpn_concentrators[1].propagate_to = ['shared', 'shared']: has duplicates",
    ]


def test_at_most_100_sites_on_one_concentrator() -> None:
    # "Amazon VPC Transit Gateways Quotas": VPN connections per VPN Concentrator 100.
    assert len(parse(with_concentrators(*[on(n) for n in range(1, 101)], quotas=BIG)).sites)
    messages = problems_of(with_concentrators(*[on(n) for n in range(1, 102)], quotas=BIG))
    assert messages == [
        "sites.yaml: hub.vpn_concentrators[0] = 'retail: 101 sites': need 101 VPN connections on "
        "one VPN Concentrator, over the quota of 100 (quotas.vpn_connections_per_vpn_concentrator)"
        ". Request an increase in Service Quotas, then state the new quota as "
        "quotas.vpn_connections_per_vpn_concentrator"
    ]


def test_at_most_5_concentrators_per_transit_gateway() -> None:
    # "Amazon VPC Transit Gateways Quotas": VPN Concentrators per transit gateway 5.
    doc = document(site(1))
    doc["hub"]["vpn_concentrators"] = [{"name": f"c{n}"} for n in range(6)]
    (message,) = problems_of(doc)
    assert message.startswith(
        "sites.yaml: hub.vpn_concentrators = '6 concentrators': need 6 VPN Concentrators on one "
        "Transit Gateway, over the quota of 5 (quotas.vpn_concentrators_per_transit_gateway)"
    )


def test_concentrator_sites_share_one_attachment_in_the_quota() -> None:
    quotas = {"attachments_per_transit_gateway": 2}
    assert len(parse(with_concentrators(on(1), on(2), on(3), site(4), quotas=quotas)).sites) == 4
    (message,) = problems_of(with_concentrators(on(1), site(2), site(3), quotas=quotas))
    assert "need 3 Transit Gateway attachments, over the quota of 2" in message


# ---------------------------------------------------------------- the lock file

BUDGET = ShardBudget(per_stack=30)


def plan(doc: dict[str, Any], previous: LockFile | None = None) -> Any:
    return plan_lock(parse(doc), previous or LockFile(), site_cost=lambda _: 10, budget=BUDGET)


def test_the_lock_records_which_sites_are_on_a_concentrator(tmp_path: Path) -> None:
    first = plan(with_concentrators(on(1), site(2)))
    assert first.lock.sites["site-0001"] == SitePlacement(
        ("169.254.0.8/30", "169.254.0.12/30"), shard=1, vpn_concentrator="retail"
    )
    assert first.lock.sites["site-0002"].vpn_concentrator is None
    assert "new site site-0001: 169.254.0.8/30, 169.254.0.12/30 in shard 1 on VPN " in (
        " ".join(first.changes) + " "
    )
    path = tmp_path / "sites.lock.json"
    path.write_text(first.lock.to_json())
    assert '"vpn_concentrator": "retail"' in path.read_text()
    assert read_lock(path) == first.lock


def test_moving_a_site_onto_a_concentrator_is_a_change_that_says_it_replaces_the_vpn() -> None:
    first = plan(with_concentrators(site(1)))
    moved = plan(with_concentrators(on(1)), first.lock)
    assert moved.lock.sites["site-0001"].inside_cidrs == first.lock.sites["site-0001"].inside_cidrs
    assert moved.lock.sites["site-0001"].shard == first.lock.sites["site-0001"].shard
    assert moved.changes == (
        "site site-0001: attached through VPN Concentrator retail instead of its own attachment: "
        "this replaces its VPN (new outside IPs and keys: reconfigure its device)",
    )
    assert plan(with_concentrators(on(1)), moved.lock).changes == ()


def test_a_lock_entry_names_a_concentrator_as_a_site_name(tmp_path: Path) -> None:
    path = tmp_path / "sites.lock.json"
    cidrs = '["169.254.0.8/30", "169.254.0.12/30"]'
    path.write_text(
        f'{{"version": 1, "sites": {{"a": {{"inside_cidrs": {cidrs}, "shard": 1, '
        '"vpn_concentrator": "Retail!"}}}'
    )
    with pytest.raises(SitesFileError) as caught:
        read_lock(path)
    assert [p.field for p in caught.value.problems] == ["sites.a.vpn_concentrator"]
