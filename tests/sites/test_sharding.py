"""Sharding at a size that needs several stacks, and stability when other sites change.

The per-stack budget is lowered so that four sites already need two site stacks; the rules are the
same at 400 resources per stack.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from site_to_site_vpn.sites import SitesFileError, load_sites_file
from site_to_site_vpn.sites.lock import CFN_MAX_RESOURCES, lock_path_for, read_lock
from site_to_site_vpn.stacks.sites_app import SitesApp, build_sites_app, measure_site_cost
from tests.sites.conftest import document, site
from tests.support import new_app, synth

pytestmark = pytest.mark.xdist_group("sites-shards")

#: CloudFormation's limit for a template uploaded through S3 (CDK always uploads through S3).
CFN_MAX_TEMPLATE_BYTES = 1_000_000
SITES = [1, 2, 3, 4]

Templates = dict[str, dict[str, Any]]


def write(directory: Path, numbers: list[int]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "sites.yaml"
    path.write_text(yaml.safe_dump(document(*[site(n) for n in numbers])))
    return path


def budget_for_two_sites(path: Path) -> int:
    loaded = load_sites_file(path)
    cost = measure_site_cost(loaded, loaded.sites[0])
    return 2 * cost.site + cost.stack_overhead


def synth_all(built: SitesApp) -> Templates:
    return {s.stack_name: synth(s) for s in [built.hub_stack, *built.site_stacks]}


def resources_of_site(templates: Templates, name: str) -> dict[str, tuple[str, Any]]:
    """logical id -> (stack, resource) of a site; its logical ids start with its name."""
    prefix = name.replace("-", "")
    return {
        logical_id: (stack, resource)
        for stack, template in templates.items()
        for logical_id, resource in template["Resources"].items()
        if logical_id.startswith(prefix)
    }


class Synthesized:
    def __init__(self, path: Path, budget: int) -> None:
        self.path = path
        self.built = build_sites_app(new_app(), path, resources_per_stack=budget)
        self.templates = synth_all(self.built)


@pytest.fixture(scope="module")
def budget(tmp_path_factory: pytest.TempPathFactory) -> int:
    return budget_for_two_sites(write(tmp_path_factory.mktemp("measure"), [1]))


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, budget: int) -> Synthesized:
    return Synthesized(write(tmp_path_factory.mktemp("base"), SITES), budget)


def edited(base: Synthesized, directory: Path, numbers: list[int], budget: int) -> Synthesized:
    """The same sites file edited, with the lock file the base synth wrote."""
    path = write(directory, numbers)
    shutil.copy(lock_path_for(base.path), lock_path_for(path))
    return Synthesized(path, budget)


def test_sites_are_sharded_under_the_limits(base: Synthesized, budget: int) -> None:
    assert [s.stack_name for s in base.built.site_stacks] == ["Test-Sites-001", "Test-Sites-002"]
    for stack in base.built.site_stacks:
        template = base.templates[stack.stack_name]
        assert len(template["Resources"]) <= budget < CFN_MAX_RESOURCES
        # As written to cdk.out (one-space indent), which is what CDK uploads.
        assert len(json.dumps(template, indent=1)) < CFN_MAX_TEMPLATE_BYTES
    lock = read_lock(lock_path_for(base.path))
    assert {name: entry.shard for name, entry in lock.sites.items()} == {
        "site-0001": 1,
        "site-0002": 1,
        "site-0003": 2,
        "site-0004": 2,
    }


def test_measured_cost_is_what_the_template_holds(base: Synthesized, budget: int) -> None:
    loaded = load_sites_file(base.path)
    cost = measure_site_cost(loaded, loaded.sites[0])
    for number in SITES:
        assert len(resources_of_site(base.templates, f"site-{number:04d}")) == cost.site
    for stack in base.built.site_stacks:
        # The budget counts AWS::CDK::Metadata, which only version reporting adds.
        assert budget - 1 <= len(base.templates[stack.stack_name]["Resources"]) <= budget


@pytest.mark.parametrize(
    ("edit", "numbers"),
    [
        ("a site added in the middle", [1, 2, 5, 3, 4]),
        ("a site removed", [1, 3, 4]),
        ("sites reordered", [4, 2, 3, 1]),
    ],
)
def test_other_sites_keep_stack_logical_ids_and_cidrs(
    base: Synthesized,
    budget: int,
    tmp_path: Path,
    edit: str,
    numbers: list[int],
) -> None:
    after = edited(base, tmp_path, numbers, budget)
    before_lock = read_lock(lock_path_for(base.path))
    after_lock = read_lock(lock_path_for(after.path))
    for number in set(SITES) & set(numbers):
        name = f"site-{number:04d}"
        # Same stack, same logical ids, byte-identical resources (so nothing is replaced).
        assert resources_of_site(after.templates, name) == resources_of_site(
            base.templates, name
        ), (edit, name)
        assert after_lock.sites[name] == before_lock.sites[name]


def test_a_new_site_fills_the_room_a_removed_one_left(
    base: Synthesized, budget: int, tmp_path: Path
) -> None:
    after = edited(base, tmp_path, [1, 3, 4, 5], budget)
    lock = read_lock(lock_path_for(after.path))
    assert lock.sites["site-0002"].retired
    assert lock.sites["site-0005"].shard == 1
    assert set(lock.sites["site-0005"].inside_cidrs).isdisjoint(
        lock.sites["site-0002"].inside_cidrs
    )


def test_locked_synth_refuses_to_change_the_lock_file(tmp_path: Path, budget: int) -> None:
    path = write(tmp_path, [1, 2])
    with pytest.raises(SitesFileError) as caught:
        build_sites_app(new_app(), path, locked=True, resources_per_stack=budget)
    assert caught.value.construct_path == str(lock_path_for(path))
    assert [p.value for p in caught.value.problems] == [
        "new site site-0001: 169.254.0.8/30, 169.254.0.12/30 in shard 1",
        "new site site-0002: 169.254.0.16/30, 169.254.0.20/30 in shard 1",
    ]
    assert not lock_path_for(path).exists()


def test_an_unchanged_lock_file_is_not_rewritten(base: Synthesized, budget: int) -> None:
    lock = lock_path_for(base.path)
    before = lock.stat().st_mtime_ns
    build_sites_app(new_app(), base.path, locked=True, resources_per_stack=budget)
    assert lock.stat().st_mtime_ns == before
