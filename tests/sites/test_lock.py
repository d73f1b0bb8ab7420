"""Inside CIDRs and stack placement: decided once, kept in the lock file, never moved."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_to_site_vpn.sites import SitesFileError
from site_to_site_vpn.sites.lock import (
    LockFile,
    Plan,
    ShardBudget,
    SitePlacement,
    lock_path_for,
    plan_lock,
    read_lock,
)
from tests.sites.conftest import document, parse, problems_of, site

BIG = {
    "customer_gateways_per_region": 5000,
    "vpn_connections_per_region": 5000,
}
#: Three sites of cost 10 fit one shard.
BUDGET = ShardBudget(per_stack=30)


def plan(sites: list[dict[str, Any]], previous: LockFile | None = None, **hub: Any) -> Plan:
    doc = document(*sites, quotas=BIG)
    doc["hub"]["transit_gateway"].update(hub)
    return plan_lock(parse(doc), previous or LockFile(), site_cost=lambda _: 10, budget=BUDGET)


def test_new_sites_get_the_lowest_free_aligned_pairs_and_first_shard_with_room() -> None:
    lock = plan([site(n) for n in range(1, 5)]).lock
    assert lock.sites["site-0001"] == SitePlacement(("169.254.0.8/30", "169.254.0.12/30"), shard=1)
    assert lock.sites["site-0002"] == SitePlacement(("169.254.0.16/30", "169.254.0.20/30"), shard=1)
    assert lock.sites["site-0003"].shard == 1
    assert lock.sites["site-0004"] == SitePlacement(("169.254.0.32/30", "169.254.0.36/30"), shard=2)


def test_reserved_cidrs_of_the_hub_are_never_allocated() -> None:
    lock = plan([site(1)], reserved_inside_cidrs=["169.254.0.12/30"]).lock
    assert lock.sites["site-0001"].inside_cidrs == ("169.254.0.16/30", "169.254.0.20/30")


def test_pinned_cidrs_are_kept_and_recorded() -> None:
    pinned = site(1, tunnels=[{"inside_cidr": "169.254.50.0/30"}])
    lock = plan([pinned, site(2)]).lock
    # A single /30 comes from the lowest free one (169.254.0.0/30 is AWS's), pairs stay aligned.
    assert lock.sites["site-0001"].inside_cidrs == ("169.254.50.0/30", "169.254.0.4/30")
    assert lock.sites["site-0002"].inside_cidrs == ("169.254.0.8/30", "169.254.0.12/30")


def test_a_pin_that_collides_with_another_sites_allocation_is_refused() -> None:
    first = plan([site(1)]).lock
    stolen = site(2, tunnels=[{}, {"inside_cidr": "169.254.0.12/30"}])
    with pytest.raises(SitesFileError) as caught:
        plan([site(1), stolen], first)
    assert [p.describe("sites.yaml") for p in caught.value.problems] == [
        "sites.yaml: sites[1].tunnels[1].inside_cidr = '169.254.0.12/30': is already used by "
        "site site-0001 in the lock file; tunnel inside CIDRs must be unique per gateway "
        "(Transit Gateway or Virtual Private Gateway)"
    ]


def test_removing_a_pin_keeps_the_pinned_value() -> None:
    pinned = plan([site(1, tunnels=[{"inside_cidr": "169.254.50.0/30"}])]).lock
    assert plan([site(1)], pinned).lock == pinned


def test_removed_sites_stay_reserved_and_get_their_cidrs_back() -> None:
    first = plan([site(1), site(2)]).lock
    without = plan([site(2), site(3)], first)
    assert without.lock.sites["site-0001"] == SitePlacement(first.sites["site-0001"].inside_cidrs)
    assert without.lock.sites["site-0001"].retired
    assert "removed site site-0001: its CIDRs stay reserved (retired)" in without.changes
    assert without.lock.sites["site-0003"].inside_cidrs == ("169.254.0.24/30", "169.254.0.28/30")
    back = plan([site(1), site(2), site(3)], without.lock).lock
    assert back.sites["site-0001"].inside_cidrs == first.sites["site-0001"].inside_cidrs
    assert back.sites["site-0001"].shard == 1


def test_a_new_site_fills_room_left_by_a_removed_one_without_moving_others() -> None:
    first = plan([site(n) for n in range(1, 7)]).lock
    second = plan([site(n) for n in (1, 2, 4, 5, 6, 7)], first).lock
    assert second.sites["site-0007"].shard == 1
    for n in (1, 2, 4, 5, 6):
        assert second.sites[f"site-{n:04d}"] == first.sites[f"site-{n:04d}"]


def test_a_shard_over_cloudformations_limit_is_an_error() -> None:
    doc = document(site(1), site(2), quotas=BIG)
    previous = plan_lock(parse(doc), LockFile(), site_cost=lambda _: 10, budget=BUDGET).lock
    with pytest.raises(SitesFileError) as caught:
        plan_lock(parse(doc), previous, site_cost=lambda _: 260, budget=BUDGET)
    (problem,) = caught.value.problems
    assert problem.value == "shard 1: site-0001, site-0002"
    assert "need 520 resources, over CloudFormation's 500 per stack" in problem.allowed


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.integers(1, 400), min_size=1, max_size=40, unique=True),
    st.lists(st.integers(1, 400), max_size=10, unique=True),
    st.randoms(use_true_random=False),
)
def test_other_sites_never_change_an_existing_sites_entry(
    initial: list[int], added: list[int], rng: random.Random
) -> None:
    first = plan([site(n) for n in initial]).lock
    kept = [n for n in initial if rng.random() < 0.7]
    later = kept + [n for n in added if n not in initial]
    rng.shuffle(later)
    second = plan([site(n) for n in later], first).lock
    for n in kept:
        assert second.sites[f"site-{n:04d}"] == first.sites[f"site-{n:04d}"]
    cidrs = [c for entry in second.sites.values() for c in entry.inside_cidrs]
    assert len(cidrs) == len(set(cidrs))


def test_planning_twice_changes_nothing() -> None:
    first = plan([site(n) for n in range(1, 10)])
    again = plan([site(n) for n in range(1, 10)], first.lock)
    assert again.lock == first.lock
    assert again.changes == ()


def test_lock_file_round_trip(tmp_path: Path) -> None:
    lock = plan([site(1), site(2)]).lock
    path = tmp_path / "sites.lock.json"
    path.write_text(lock.to_json())
    assert read_lock(path) == lock
    assert lock_path_for(tmp_path / "sites.yaml") == path
    assert read_lock(tmp_path / "none.lock.json") == LockFile()


def test_a_broken_lock_file_names_the_entry(tmp_path: Path) -> None:
    path = tmp_path / "sites.lock.json"
    path.write_text('{"version": 1, "sites": {"a": {"inside_cidrs": ["x"], "shard": 0}}}')
    with pytest.raises(SitesFileError) as caught:
        read_lock(path)
    assert caught.value.construct_path == str(path)
    assert [p.field for p in caught.value.problems] == [
        "sites.a.inside_cidrs",
        "sites.a.shard",
    ]


def test_quota_error_comes_before_any_allocation() -> None:
    assert "quotas.vpn_connections_per_region" in " ".join(
        problems_of(document(*[site(n) for n in range(1, 52)]))
    )


def test_a_lock_entry_is_either_placed_or_retired(tmp_path: Path) -> None:
    path = tmp_path / "sites.lock.json"
    cidrs = '["169.254.0.8/30", "169.254.0.12/30"]'
    path.write_text(f'{{"version": 1, "sites": {{"a": {{"inside_cidrs": {cidrs}}}}}}}')
    with pytest.raises(SitesFileError) as caught:
        read_lock(path)
    (problem,) = caught.value.problems
    assert problem.field == "sites.a"
    assert problem.allowed == (
        "needs exactly one of shard (a placed site) or retired: true (a removed one)"
    )
