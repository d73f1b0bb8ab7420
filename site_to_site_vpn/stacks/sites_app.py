"""Every stack of an app from a sites file: load, plan against the lock file, build hub + sites.

Nothing is constructed before the sites file and the lock file are fully validated, so a bad file
fails fast with every problem listed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import aws_cdk as cdk

from site_to_site_vpn.core.errors import Problem
from site_to_site_vpn.sites.loader import load_sites_file
from site_to_site_vpn.sites.lock import (
    LockFile,
    ShardBudget,
    SitePlacement,
    lock_path_for,
    plan_lock,
    read_lock,
)
from site_to_site_vpn.sites.model import SitesFile, SiteSpec
from site_to_site_vpn.sites.problems import SitesFileError
from site_to_site_vpn.sites.stack_names import hub_stack_name, site_stack_name
from site_to_site_vpn.stacks.hub_stack import HubStack
from site_to_site_vpn.stacks.site_stack import SiteStack

#: Resources per site stack the placement aims for: 100 below CloudFormation's 500, so sites
#: already placed can grow (routes, propagations) without ever being moved.
DEFAULT_RESOURCES_PER_STACK = 400


@dataclass(frozen=True)
class SiteCost:
    """Resources one site adds to its stack, and the stack's own resources besides its sites."""

    site: int
    stack_overhead: int


def _shape(site: SiteSpec) -> tuple[bool, int, int, bool, int]:
    """What changes a site's resource count: routing kind, static prefixes, propagations,
    whether it has an attachment of its own (a concentrator site has none to look up or route),
    and its reachability paths."""
    return (
        site.routing.static_routes_only,
        len(site.routing.static_route_prefixes),
        len(site.propagate_to),
        site.vpn_concentrator is not None,
        len(site.reachability_targets),
    )


def measure_site_cost(sites_file: SitesFile, site: SiteSpec) -> SiteCost:
    """Count the resources the real constructs create for ``site``, in a scratch app.

    Counted from the construct tree (no synth), so the placement follows the constructs as they
    evolve instead of a hand-kept formula.
    """
    stack = SiteStack(
        cdk.App(),
        "Measure",
        sites_file=sites_file,
        sites=[(site, SitePlacement(("169.254.10.0/30", "169.254.10.4/30"), shard=1))],
        env=cdk.Environment(account=sites_file.hub.account, region=sites_file.hub.region),
    )
    own_prefix = f"{stack.node.path}/{site.name}/"
    resources = [c for c in stack.node.find_all() if cdk.CfnResource.is_cfn_resource(c)]
    mine = sum(1 for c in resources if c.node.path.startswith(own_prefix))
    # +1: the AWS::CDK::Metadata resource synth adds unless versionReporting is off.
    return SiteCost(site=mine, stack_overhead=len(resources) - mine + 1)


def site_costs(sites_file: SitesFile) -> Callable[[SiteSpec], SiteCost]:
    """Measured cost per site shape (a handful of scratch apps for a whole file)."""
    by_shape: dict[tuple[bool, int, int, bool, int], SiteCost] = {}

    def cost(site: SiteSpec) -> SiteCost:
        shape = _shape(site)
        if shape not in by_shape:
            by_shape[shape] = measure_site_cost(sites_file, site)
        return by_shape[shape]

    return cost


def resolve_lock(
    sites_file: SitesFile,
    *,
    locked: bool,
    resources_per_stack: int = DEFAULT_RESOURCES_PER_STACK,
) -> LockFile:
    """The lock for this synth: read, extended for new sites, written back only when it changed.

    With ``locked`` (CI: ``-c locked=true``) a needed change is an error instead of a write.
    """
    path = lock_path_for(sites_file.path)
    previous = read_lock(path)
    cost = cache(site_costs(sites_file))
    overhead = max((cost(site).stack_overhead for site in sites_file.sites), default=0)
    plan = plan_lock(
        sites_file,
        previous,
        site_cost=lambda site: cost(site).site,
        budget=ShardBudget(per_stack=resources_per_stack, stack_overhead=overhead),
    )
    if plan.lock == previous:
        return previous
    if locked:
        raise SitesFileError(
            str(path),
            [
                Problem(
                    "sites",
                    change,
                    "is a change the lock file does not have yet; synthesize without "
                    "-c locked=true and commit the updated lock file",
                )
                for change in plan.changes
            ],
        )
    path.write_text(plan.lock.to_json(), encoding="utf-8")
    return plan.lock


@dataclass(frozen=True)
class SitesApp:
    """The stacks built from one sites file."""

    sites_file: SitesFile
    lock: LockFile
    hub_stack: HubStack
    site_stacks: tuple[SiteStack, ...]


def build_stacks(app: cdk.App, sites_file: SitesFile, lock: LockFile) -> SitesApp:
    """The hub stack and one stack per shard, from a loaded file and its resolved lock."""
    env = cdk.Environment(account=sites_file.hub.account, region=sites_file.hub.region)
    hub_stack = HubStack(app, hub_stack_name(sites_file), sites_file=sites_file, env=env)
    shards: dict[int, list[tuple[SiteSpec, SitePlacement]]] = {}
    for site in sites_file.sites:
        placement = lock.sites[site.name]
        assert placement.shard is not None
        shards.setdefault(placement.shard, []).append((site, placement))
    site_stacks = []
    for shard in sorted(shards):
        stack = SiteStack(
            app,
            site_stack_name(sites_file, shard),
            sites_file=sites_file,
            # Sorted by name: the template's order never depends on the file's order.
            sites=sorted(shards[shard], key=lambda item: item[0].name),
            env=env,
        )
        # SSM values are read at deploy time; the dependency makes `cdk deploy --all` put the hub
        # first without an export that would pin the hub's values.
        stack.add_stack_dependency(hub_stack, "reads the hub's ids from SSM parameters")
        site_stacks.append(stack)
    return SitesApp(
        sites_file=sites_file, lock=lock, hub_stack=hub_stack, site_stacks=tuple(site_stacks)
    )


def build_sites_app(
    app: cdk.App,
    sites_path: str | Path,
    *,
    locked: bool = False,
    resources_per_stack: int = DEFAULT_RESOURCES_PER_STACK,
) -> SitesApp:
    """Load ``sites_path``, resolve its lock file and add every stack to ``app``."""
    sites_file = load_sites_file(sites_path)
    lock = resolve_lock(sites_file, locked=locked, resources_per_stack=resources_per_stack)
    return build_stacks(app, sites_file, lock)
