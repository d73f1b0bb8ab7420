"""Compare two sets of stack templates the way CloudFormation will update them.

Stacks match by name, resources by logical id. A resource is *replaced* when its type changes or
a create-only property (registry schema, :mod:`site_to_site_vpn.guard.table`) is added, removed
or changed, including when it refers to a resource that is itself replaced (a new id). A logical
id that disappears is a *deletion* (a moved logical id is a deletion plus a creation). Replacing
or deleting a protected type (VPN, customer gateway, Transit Gateway, VPN concentrator, virtual
private gateway) blocks unless ``allow`` names it by logical id or construct path.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from site_to_site_vpn.guard import consequences as words
from site_to_site_vpn.guard.table import CreateOnlyTable, TypeRule, load_table
from site_to_site_vpn.guard.templates import StackTemplate

_MISSING = object()
_RETAIN = frozenset({"Retain", "RetainExceptOnCreate"})


class ChangeKind(Enum):
    REPLACE = "replace"
    DELETE = "delete"
    RETAIN = "retain"
    UPDATE = "update"


@dataclass(frozen=True)
class Finding:
    """One resource CloudFormation would replace, delete or update in a way that matters."""

    stack: str
    logical_id: str
    resource_type: str
    kind: ChangeKind
    #: Why: "create-only StaticRoutesOnly changed", "logical id removed", ...
    reason: str
    consequence: str
    #: Create-only properties forcing a replacement, or the properties updated in place.
    properties: tuple[str, ...] = ()
    #: Construct paths (``Metadata.aws:cdk:path``) of the resource, baseline's and current's.
    paths: tuple[str, ...] = ()
    protected: bool = False
    allowed: bool = False
    warning: bool = False
    #: Tunnels (1, 2) whose options change in place.
    tunnels: tuple[int, ...] = ()
    #: For a deletion that looks like a moved logical id: the new logical id.
    moved_to: str | None = None

    @property
    def blocking(self) -> bool:
        return (
            self.protected
            and not self.allowed
            and self.kind in (ChangeKind.REPLACE, ChangeKind.DELETE)
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "stack": self.stack,
            "logicalId": self.logical_id,
            "type": self.resource_type,
            "change": self.kind.value,
            "reason": self.reason,
            "consequence": self.consequence,
            "properties": list(self.properties),
            "paths": list(self.paths),
            "protected": self.protected,
            "allowed": self.allowed,
            "blocking": self.blocking,
            "warning": self.warning,
            "tunnels": list(self.tunnels),
            "movedTo": self.moved_to,
        }


@dataclass(frozen=True)
class GuardReport:
    findings: tuple[Finding, ...]
    stacks: tuple[str, ...]
    notes: tuple[str, ...] = ()
    unused_allows: tuple[str, ...] = ()
    table_source: str = ""

    @property
    def blocked(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.blocking)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.warning)

    @property
    def exit_code(self) -> int:
        return 1 if self.blocked else 0

    def to_json(self) -> dict[str, Any]:
        return {
            "safe": not self.blocked,
            "exitCode": self.exit_code,
            "stacks": list(self.stacks),
            "blocked": [f"{f.stack}/{f.logical_id}" for f in self.blocked],
            "findings": [f.to_json() for f in self.findings],
            "notes": list(self.notes),
            "unusedAllows": list(self.unused_allows),
            "createOnlyTable": self.table_source,
        }


# --- template helpers -------------------------------------------------------------------------


def construct_path(resource: Mapping[str, Any]) -> str | None:
    metadata = resource.get("Metadata")
    if isinstance(metadata, dict) and isinstance(metadata.get("aws:cdk:path"), str):
        return str(metadata["aws:cdk:path"])
    return None


def _properties(resource: Mapping[str, Any]) -> Any:
    return resource.get("Properties", {}) or {}


def _values(node: Any, parts: list[str], where: str = "") -> dict[str, Any]:
    """Values at a JSON pointer's remaining ``parts`` (``*`` = every list item), by location."""
    if not parts:
        return {where: node}
    head, rest = parts[0], parts[1:]
    if head == "*":
        if not isinstance(node, list):
            return {}
        found: dict[str, Any] = {}
        for index, item in enumerate(node):
            found.update(_values(item, rest, f"{where}/{index}"))
        return found
    if isinstance(node, dict) and head in node:
        return _values(node[head], rest, f"{where}/{head}")
    return {}


def _pointer_parts(pointer: str) -> list[str]:
    parts = pointer.strip("/").split("/")
    return parts[1:] if parts and parts[0] == "properties" else parts


def _property_name(pointer: str) -> str:
    return "/".join(_pointer_parts(pointer))


def references(value: Any) -> set[str]:
    """Logical ids ``value`` refers to (Ref, Fn::GetAtt, Fn::Sub), pseudo parameters excluded."""
    found: set[str] = set()
    if isinstance(value, list):
        for item in value:
            found |= references(item)
    elif isinstance(value, dict):
        for key, inner in value.items():
            if key == "Ref" and isinstance(inner, str):
                found.add(inner)
            elif key == "Fn::GetAtt":
                target = inner[0] if isinstance(inner, list) and inner else inner
                if isinstance(target, str):
                    found.add(target.split(".")[0])
            elif key == "Fn::Sub":
                text, bound = (inner[0], inner[1]) if isinstance(inner, list) else (inner, {})
                if isinstance(text, str):
                    found |= {
                        name.split(".")[0]
                        for name in _sub_names(text)
                        if not (isinstance(bound, dict) and name in bound)
                    }
                found |= references(bound)
            else:
                found |= references(inner)
    return {name for name in found if not name.startswith("AWS::")}


def _sub_names(text: str) -> list[str]:
    names = []
    start = text.find("${")
    while start != -1:
        end = text.find("}", start)
        if end == -1:
            break
        name = text[start + 2 : end]
        if not name.startswith("!"):
            names.append(name)
        start = text.find("${", end)
    return names


def _renamed(value: Any, renames: Mapping[str, str]) -> Any:
    """``value`` with references to renamed logical ids pointing at the new ids."""
    if not renames:
        return value
    if isinstance(value, list):
        return [_renamed(item, renames) for item in value]
    if not isinstance(value, dict):
        return value
    result: dict[str, Any] = {}
    for key, inner in value.items():
        if key == "Ref" and isinstance(inner, str):
            result[key] = renames.get(inner, inner)
        elif key == "Fn::GetAtt" and isinstance(inner, list) and inner:
            result[key] = [renames.get(inner[0], inner[0]), *inner[1:]]
        elif key == "Fn::GetAtt" and isinstance(inner, str):
            head, _, tail = inner.partition(".")
            result[key] = f"{renames.get(head, head)}.{tail}" if tail else renames.get(head, head)
        elif key == "Fn::Sub":
            text, bound = (inner[0], inner[1]) if isinstance(inner, list) else (inner, None)
            if isinstance(text, str):
                for old, new in renames.items():
                    text = text.replace("${" + old + "}", "${" + new + "}")
                    text = text.replace("${" + old + ".", "${" + new + ".")
            renamed_bound = _renamed(bound, renames)
            result[key] = [text, renamed_bound] if isinstance(inner, list) else text
        else:
            result[key] = _renamed(inner, renames)
    return result


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _changed_create_only(
    rule: TypeRule, old: Mapping[str, Any], new: Mapping[str, Any]
) -> list[str]:
    changed = []
    for pointer in rule.create_only:
        parts = _pointer_parts(pointer)
        before = _values(_properties(old), parts)
        after = _values(_properties(new), parts)
        if _canonical(before) != _canonical(after):
            changed.append(_property_name(pointer))
    return changed


def _refers_to_replaced(
    rule: TypeRule, resource: Mapping[str, Any], replaced: set[str]
) -> list[tuple[str, str]]:
    hits = []
    for pointer in rule.create_only:
        for value in _values(_properties(resource), _pointer_parts(pointer)).values():
            for target in sorted(references(value) & replaced):
                hits.append((_property_name(pointer), target))
    return hits


# --- the comparison ---------------------------------------------------------------------------


@dataclass
class _Stack:
    name: str
    old: dict[str, dict[str, Any]]
    new: dict[str, dict[str, Any]]
    table: CreateOnlyTable
    old_paths: Mapping[str, str] = field(default_factory=dict)
    new_paths: Mapping[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def path_in_new(self, logical_id: str) -> str | None:
        resource = self.new.get(logical_id)
        found = construct_path(resource) if resource else None
        return found or self.new_paths.get(logical_id)

    def paths(self, logical_id: str) -> tuple[str, ...]:
        found = []
        for side, known in ((self.old, self.old_paths), (self.new, self.new_paths)):
            resource = side.get(logical_id)
            path = (construct_path(resource) if resource else None) or known.get(logical_id)
            if path and path not in found:
                found.append(path)
        return tuple(found)

    def add(self, logical_id: str, resource_type: str, kind: ChangeKind, **kw: Any) -> None:
        self.findings.append(
            Finding(
                stack=self.name,
                logical_id=logical_id,
                resource_type=resource_type,
                kind=kind,
                paths=kw.pop("paths", None) or self.paths(logical_id),
                protected=resource_type in words.PROTECTED_TYPES,
                **kw,
            )
        )

    def run(self) -> list[Finding]:
        replaced = self._replacements()
        self._deletions()
        self._updates(replaced)
        return self.findings

    def _replacements(self) -> set[str]:
        replaced: set[str] = set()
        common = [lid for lid in self.old if lid in self.new]
        for lid in common:
            old, new = self.old[lid], self.new[lid]
            if old.get("Type") != new.get("Type"):
                self.add(
                    lid,
                    str(new.get("Type")),
                    ChangeKind.REPLACE,
                    reason=f"type changed from {old.get('Type')}",
                    consequence=words.deleted(str(old.get("Type"))),
                )
                replaced.add(lid)
                continue
            rule = self.table.rule(str(new.get("Type")))
            if rule is None:
                continue
            changed = _changed_create_only(rule, old, new)
            if changed:
                self._replace(lid, rule, tuple(changed), "create-only " + ", ".join(changed))
                replaced.add(lid)
        # Cascade: a create-only reference to a replaced resource changes at deploy time.
        grew = True
        while grew:
            grew = False
            for lid in common:
                rule = self.table.rule(str(self.new[lid].get("Type")))
                if lid in replaced or rule is None:
                    continue
                hits = _refers_to_replaced(rule, self.new[lid], replaced)
                if hits:
                    props = tuple(dict.fromkeys(p for p, _ in hits))
                    targets = ", ".join(dict.fromkeys(t for _, t in hits))
                    self._replace(
                        lid,
                        rule,
                        props,
                        f"create-only {', '.join(props)} refers to {targets}, which is replaced",
                    )
                    replaced.add(lid)
                    grew = True
        return replaced

    def _replace(self, lid: str, rule: TypeRule, props: tuple[str, ...], reason: str) -> None:
        self.add(
            lid,
            rule.type_name,
            ChangeKind.REPLACE,
            reason=reason,
            properties=props,
            consequence=words.replaced(rule.type_name, rule),
        )

    def _moves(self) -> dict[str, str]:
        """Deleted logical ids whose resource reappears under a new id: old id -> new id.

        A match has the same type and the same properties once references to other moved
        resources are renamed too (a moved VPN refers to its moved customer gateway).
        """
        deleted = [lid for lid in self.old if lid not in self.new]
        created = [lid for lid in self.new if lid not in self.old]
        moves: dict[str, str] = {}
        grew = True
        while grew:
            grew = False
            for old_id in deleted:
                if old_id in moves:
                    continue
                old = self.old[old_id]
                expected = _canonical(_renamed(_properties(old), moves))
                for new_id in created:
                    new = self.new[new_id]
                    if new_id in moves.values() or new.get("Type") != old.get("Type"):
                        continue
                    if _canonical(_properties(new)) == expected:
                        moves[old_id] = new_id
                        grew = True
                        break
        return moves

    def _deletions(self) -> None:
        moves = self._moves()
        for lid, resource in self.old.items():
            if lid in self.new:
                continue
            type_name = str(resource.get("Type"))
            moved_to = moves.get(lid)
            new_path = self.path_in_new(moved_to) if moved_to else None
            paths = tuple(p for p in (*self.paths(lid), new_path) if p)
            if moved_to:
                reason = (
                    f"logical id moved to {moved_to}: CloudFormation creates {moved_to} and "
                    f"deletes {lid}"
                )
                consequence = words.moved(type_name)
            else:
                reason = "logical id removed from the template"
                consequence = words.deleted(type_name)
            retain = resource.get("DeletionPolicy") in _RETAIN
            self.add(
                lid,
                type_name,
                ChangeKind.RETAIN if retain else ChangeKind.DELETE,
                reason=reason,
                consequence=words.retained(type_name) if retain else consequence,
                warning=retain and type_name in words.PROTECTED_TYPES,
                paths=paths,
                moved_to=moved_to,
            )

    def _updates(self, replaced: set[str]) -> None:
        for lid, new in self.new.items():
            old = self.old.get(lid)
            if old is None or lid in replaced or new.get("Type") != words.VPN_CONNECTION:
                continue
            before, after = _properties(old), _properties(new)
            tunnels = self._changed_tunnels(before, after, replaced)
            if tunnels:
                self.add(
                    lid,
                    words.VPN_CONNECTION,
                    ChangeKind.UPDATE,
                    reason="tunnel options change in place (ModifyVpnTunnelOptions)",
                    consequence=words.tunnels_updated(tunnels),
                    properties=(words.TUNNEL_OPTIONS,),
                    tunnels=tunnels,
                    warning=len(tunnels) >= 2,
                )
            moved = tuple(
                name
                for name in sorted(words.VPN_GATEWAY_PROPERTIES)
                if _canonical(before.get(name)) != _canonical(after.get(name))
                or references(after.get(name)) & replaced
            )
            if moved:
                self.add(
                    lid,
                    words.VPN_CONNECTION,
                    ChangeKind.UPDATE,
                    reason="gateway changes in place (ModifyVpnConnection)",
                    consequence=words.gateway_moved(moved),
                    properties=moved,
                    warning=True,
                )

    @staticmethod
    def _changed_tunnels(
        before: Mapping[str, Any], after: Mapping[str, Any], replaced: set[str]
    ) -> tuple[int, ...]:
        old_specs = before.get(words.TUNNEL_OPTIONS) or []
        new_specs = after.get(words.TUNNEL_OPTIONS) or []
        if not isinstance(old_specs, list) or not isinstance(new_specs, list):
            return (1, 2) if _canonical(old_specs) != _canonical(new_specs) else ()
        changed = []
        for index in range(max(len(old_specs), len(new_specs))):
            old_spec = old_specs[index] if index < len(old_specs) else None
            new_spec = new_specs[index] if index < len(new_specs) else None
            if _canonical(old_spec) != _canonical(new_spec) or references(new_spec) & replaced:
                changed.append(index + 1)
        return tuple(changed)


def _allowed(finding: Finding, allow: Iterable[str]) -> set[str]:
    """The ``allow`` entries that name ``finding`` (logical id, or a construct path above it)."""
    ids = {finding.logical_id, *([finding.moved_to] if finding.moved_to else [])}
    return {
        entry
        for entry in allow
        if entry in ids
        or any(path == entry or path.startswith(entry.rstrip("/") + "/") for path in finding.paths)
    }


def _as_resources(stack: StackTemplate | Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    if isinstance(stack, StackTemplate):
        return stack.resources
    found = stack.get("Resources") or {}
    return dict(found) if isinstance(found, dict) else {}


def _paths_of(stack: StackTemplate | Mapping[str, Any]) -> Mapping[str, str]:
    return stack.construct_paths if isinstance(stack, StackTemplate) else {}


def compare(
    baseline: Mapping[str, StackTemplate | Mapping[str, Any]],
    current: Mapping[str, StackTemplate | Mapping[str, Any]],
    *,
    allow: Iterable[str] = (),
    table: CreateOnlyTable | None = None,
) -> GuardReport:
    """What deploying ``current`` over ``baseline`` replaces, deletes and restarts, per stack."""
    table = table or load_table()
    allow = tuple(allow)
    findings: list[Finding] = []
    notes: list[str] = []
    compared = []
    for name in sorted(set(baseline) | set(current)):
        if name not in current:
            notes.append(f"{name}: only in the baseline (cdk deploy does not delete a stack)")
            continue
        if name not in baseline:
            notes.append(f"{name}: new stack, nothing deployed to replace")
            continue
        compared.append(name)
        stack = _Stack(
            name,
            _as_resources(baseline[name]),
            _as_resources(current[name]),
            table,
            old_paths=_paths_of(baseline[name]),
            new_paths=_paths_of(current[name]),
        )
        findings.extend(stack.run())
    used: set[str] = set()
    resolved = []
    for finding in findings:
        names = _allowed(finding, allow) if finding.protected else set()
        used |= names
        resolved.append(dataclasses.replace(finding, allowed=True) if names else finding)
    return GuardReport(
        findings=tuple(resolved),
        stacks=tuple(compared),
        notes=tuple(notes),
        unused_allows=tuple(entry for entry in allow if entry not in used),
        table_source=table.source,
    )
