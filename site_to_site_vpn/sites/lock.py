"""The lock file: each site's tunnel inside CIDRs and stack, decided once and never moved.

Like ``cdk.context.json``, ``sites.lock.json`` sits next to the sites file and is committed.
A site's entry is written the first time the site is seen and never changes afterwards, so
adding, removing or reordering other sites cannot change its CIDRs or its stack (either would
replace its VPN).

- New sites get the lowest free aligned /29 of 169.254.0.0/16 (its two /30s, one per tunnel) and
  the first stack ("shard") with room for their resources.
- A removed site's entry stays as ``"retired": true`` and keeps its CIDRs reserved: CloudFormation
  creates new resources before it deletes old ones, so a CIDR freed in the same deployment could
  collide. Delete a retired entry by hand once the deletion is deployed to free its CIDRs.
  A retired site that comes back gets its CIDRs back.
- A CIDR pinned in the sites file wins for its tunnel; a pin that collides with another site's
  entry is refused.
"""

from __future__ import annotations

import ipaddress
import itertools
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Final, Literal

from pydantic import Field, model_validator
from pydantic import ValidationError as PydanticError
from pydantic_core import PydanticCustomError

from site_to_site_vpn.core import uniqueness
from site_to_site_vpn.core.cidr import RESERVED_INSIDE_CIDRS, TUNNEL_INSIDE_IPV4_RANGE
from site_to_site_vpn.core.errors import Problem
from site_to_site_vpn.sites.document import FileModel, Int, Name, Opt, Str
from site_to_site_vpn.sites.model import SitesFile, SiteSpec
from site_to_site_vpn.sites.problems import SitesFileError, in_file_order, problems_of

LOCK_VERSION: Final = 1
LOCK_COMMENT: Final = (
    "Written by synth from the sites file next to it; commit it. Entries never move: "
    "see docs/sites-file.md before editing."
)
#: CloudFormation's hard limit of resources in one stack.
CFN_MAX_RESOURCES: Final = 500


class LockEntryDocument(FileModel):
    """One site's entry as written in the lock file."""

    inside_cidrs: tuple[Str, ...] = Field(min_length=2, max_length=2)
    shard: Opt[Annotated[Int, Field(ge=1)]] = None
    retired: Opt[Literal[True]] = None
    vpn_concentrator: Opt[Name] = None

    @model_validator(mode="after")
    def _placed_or_retired(self) -> LockEntryDocument:
        # A placed site has a shard; a removed one is retired: exactly one of the two.
        if (self.shard is None) == (self.retired is None):
            raise PydanticCustomError(
                "placed_or_retired",
                "needs exactly one of shard (a placed site) or retired: true (a removed one)",
            )
        return self


class LockDocument(FileModel):
    """The lock file as written."""

    version: Literal[1]
    comment: Opt[Str] = None
    sites: dict[Str, LockEntryDocument]


@dataclass(frozen=True)
class SitePlacement:
    """Where one site lives: its two inside /30s, its stack number (none once retired) and the
    VPN Concentrator it is attached through (changing that replaces its VPN)."""

    inside_cidrs: tuple[str, str]
    shard: int | None = None
    vpn_concentrator: str | None = None

    @property
    def retired(self) -> bool:
        return self.shard is None

    def to_json(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"inside_cidrs": list(self.inside_cidrs)}
        if self.retired:
            entry["retired"] = True
        else:
            entry["shard"] = self.shard
        if self.vpn_concentrator is not None:
            entry["vpn_concentrator"] = self.vpn_concentrator
        return entry


@dataclass(frozen=True)
class LockFile:
    """The whole lock file: site name -> :class:`SitePlacement`."""

    sites: Mapping[str, SitePlacement] = field(default_factory=dict)

    def to_json(self) -> str:
        document = {
            "version": LOCK_VERSION,
            "comment": LOCK_COMMENT,
            "sites": {name: self.sites[name].to_json() for name in sorted(self.sites)},
        }
        return json.dumps(document, indent=2) + "\n"

    @staticmethod
    def from_json(text: str, path: str) -> LockFile:
        try:
            document = LockDocument.model_validate(json.loads(text))
        except json.JSONDecodeError as error:
            raise SitesFileError(
                path, [Problem(f"line {error.lineno}", None, f"is not valid JSON: {error.msg}")]
            ) from error
        except PydanticError as error:
            raise SitesFileError(path, in_file_order(problems_of(error, LockDocument))) from error
        return LockFile(
            sites={
                name: SitePlacement(
                    inside_cidrs=(entry.inside_cidrs[0], entry.inside_cidrs[1]),
                    shard=entry.shard,
                    vpn_concentrator=entry.vpn_concentrator if entry.shard else None,
                )
                for name, entry in document.sites.items()
            }
        )


def lock_path_for(sites_path: str | Path) -> Path:
    """``sites.yaml`` -> ``sites.lock.json`` in the same directory."""
    path = Path(sites_path)
    return path.with_name(f"{path.stem}.lock.json")


def read_lock(path: Path) -> LockFile:
    """The lock file at ``path``; an empty lock when there is none yet."""
    if not path.exists():
        return LockFile()
    return LockFile.from_json(path.read_text(encoding="utf-8"), str(path))


@dataclass(frozen=True)
class ShardBudget:
    """How many resources the sites of one stack may have.

    ``per_stack`` leaves headroom under CloudFormation's 500 so a placed site can grow (more static
    routes, more propagations) without being moved; ``stack_overhead`` is what every site stack
    holds besides its sites.
    """

    #: Target resources per site stack. @default 400
    per_stack: int = 400
    #: Resources of a site stack that belong to no site. @default 0
    stack_overhead: int = 0

    @property
    def for_sites(self) -> int:
        return self.per_stack - self.stack_overhead

    @property
    def hard_limit_for_sites(self) -> int:
        return CFN_MAX_RESOURCES - self.stack_overhead


class _InsideCidrPool:
    """Free /30s of 169.254.0.0/16, handed out lowest first (by aligned /29 pairs)."""

    def __init__(self, taken: set[str]) -> None:
        reserved = {str(net) for net in RESERVED_INSIDE_CIDRS}
        self._base = int(TUNNEL_INSIDE_IPV4_RANGE.network_address)
        self._count = TUNNEL_INSIDE_IPV4_RANGE.num_addresses // 4
        self._taken = {self._index(c) for c in taken | reserved if self._index(c) is not None}
        self._next_pair = 0
        self._next_single = 0

    def _index(self, cidr: str) -> int | None:
        network = ipaddress.ip_network(cidr, strict=False)
        offset = int(network.network_address) - self._base
        return offset // 4 if 0 <= offset < self._count * 4 else None

    def _cidr(self, index: int) -> str:
        return f"{ipaddress.IPv4Address(self._base + 4 * index)}/30"

    def take(self, cidr: str) -> None:
        index = self._index(cidr)
        if index is not None:
            self._taken.add(index)

    def pair(self) -> tuple[str | None, str | None]:
        """The lowest aligned /29 whose two /30s are both free."""
        index = self._next_pair
        while index + 1 < self._count:
            if index not in self._taken and index + 1 not in self._taken:
                self._taken |= {index, index + 1}
                self._next_pair = index + 2
                return self._cidr(index), self._cidr(index + 1)
            index += 2
        self._next_pair = index
        return self.single(), self.single()  # fragmented: any two free /30s

    def single(self) -> str | None:
        index = self._next_single
        while index < self._count and index in self._taken:
            index += 1
        self._next_single = index
        if index >= self._count:
            return None
        self._taken.add(index)
        return self._cidr(index)


@dataclass(frozen=True)
class Plan:
    """The lock after this synth, and what changed from the lock file on disk."""

    lock: LockFile
    changes: tuple[str, ...]


def _claims(loaded: SitesFile, previous: LockFile) -> tuple[dict[str, str], list[Problem]]:
    """Who already holds which /30: the hub's reserved list, every lock entry, every pin."""
    present = {site.name: site for site in loaded.sites}
    problems = []
    owner = dict.fromkeys(
        loaded.hub.reserved_inside_cidrs, "hub.transit_gateway.reserved_inside_cidrs"
    )
    for name in sorted(previous.sites):
        entry = previous.sites[name]
        site = present.get(name)
        for tunnel, cidr in enumerate(entry.inside_cidrs):
            if site is not None and site.pinned_inside_cidrs[tunnel] is not None:
                continue  # the pin replaces this entry's CIDR
            holder = f"site {name}" if site is not None else f"removed site {name}"
            first = owner.setdefault(cidr, f"{holder} in the lock file")
            if first != f"{holder} in the lock file":
                problems.append(
                    Problem(
                        f"(lock file) sites.{name}.inside_cidrs[{tunnel}]",
                        cidr,
                        f"is also held by {first}; fix the lock file by hand",
                    )
                )
    for site in loaded.sites:
        for tunnel, pin in enumerate(site.pinned_inside_cidrs):
            if pin is None:
                continue
            own = f"site {site.name} in the lock file"
            holder = owner.setdefault(pin, own)
            if holder != own:
                problems.append(
                    uniqueness.inside_cidr_taken(
                        f"sites[{site.index}].tunnels[{tunnel}].inside_cidr", pin, holder
                    )
                )
    return owner, problems


def _inside_cidrs(
    site: SiteSpec, entry: SitePlacement | None, pool: _InsideCidrPool
) -> tuple[str, str] | None:
    pinned = site.pinned_inside_cidrs
    if entry is not None:
        kept = [pin or locked for pin, locked in zip(pinned, entry.inside_cidrs, strict=True)]
        if kept[0] != kept[1]:
            return kept[0], kept[1]
    if pinned[0] is None and pinned[1] is None:
        first, second = pool.pair()
    else:
        first, second = pinned[0] or pool.single(), pinned[1] or pool.single()
    if first is None or second is None:
        return None
    return first, second


def _attachment(concentrator: str | None) -> str:
    return f"VPN Concentrator {concentrator}" if concentrator else "its own attachment"


def plan_lock(
    loaded: SitesFile,
    previous: LockFile,
    *,
    site_cost: Callable[[SiteSpec], int],
    budget: ShardBudget,
) -> Plan:
    """Allocate CIDRs and stacks for new sites; keep every existing entry exactly as it is."""
    owner, problems = _claims(loaded, previous)
    pool = _InsideCidrPool(set(owner))
    load: dict[int, int] = {}
    members: dict[int, list[str]] = {}
    for site in loaded.sites:
        entry = previous.sites.get(site.name)
        if entry is not None and not entry.retired:
            assert entry.shard is not None
            load[entry.shard] = load.get(entry.shard, 0) + site_cost(site)
            members.setdefault(entry.shard, []).append(site.name)
    sites: dict[str, SitePlacement] = {}
    changes = []
    for site in loaded.sites:
        entry = previous.sites.get(site.name)
        cidrs = _inside_cidrs(site, entry, pool)
        if cidrs is None:
            problems.append(
                Problem(
                    f"sites[{site.index}]",
                    site.name,
                    "no free inside /30 is left in 169.254.0.0/16",
                )
            )
            continue
        shard = entry.shard if entry is not None else None
        if shard is None:
            cost = site_cost(site)
            shard = next(s for s in itertools.count(1) if load.get(s, 0) + cost <= budget.for_sites)
            load[shard] = load.get(shard, 0) + cost
            members.setdefault(shard, []).append(site.name)
        sites[site.name] = SitePlacement(
            inside_cidrs=cidrs, shard=shard, vpn_concentrator=site.vpn_concentrator
        )
        if entry is None:
            on = f" on VPN Concentrator {site.vpn_concentrator}" if site.vpn_concentrator else ""
            changes.append(f"new site {site.name}: {', '.join(cidrs)} in shard {shard}{on}")
        elif entry.vpn_concentrator != site.vpn_concentrator and not entry.retired:
            changes.append(
                f"site {site.name}: attached through {_attachment(site.vpn_concentrator)} "
                f"instead of {_attachment(entry.vpn_concentrator)}: this replaces its VPN (new "
                "outside IPs and keys: reconfigure its device)"
            )
        elif entry != sites[site.name]:
            changes.append(f"site {site.name}: {entry.to_json()} -> {sites[site.name].to_json()}")
    for name, entry in previous.sites.items():
        if name not in sites:
            sites[name] = SitePlacement(inside_cidrs=entry.inside_cidrs)
            if not entry.retired:
                changes.append(f"removed site {name}: its CIDRs stay reserved (retired)")
    for shard, used in sorted(load.items()):
        if used > budget.hard_limit_for_sites:
            problems.append(
                Problem(
                    "sites",
                    f"shard {shard}: {', '.join(members[shard])}",
                    f"need {used} resources, over CloudFormation's {CFN_MAX_RESOURCES} per "
                    "stack with the stack's own; move a site to a new name (this replaces its VPN) "
                    "or reduce its routes",
                )
            )
    if problems:
        raise SitesFileError(loaded.path, problems)
    return Plan(lock=LockFile(sites=sites), changes=tuple(changes))
