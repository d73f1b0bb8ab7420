"""Compare two sets of stack templates the way CloudFormation will update them.

Stacks match by (account, region, name), resources by logical id, values after what the template
resolves (:mod:`site_to_site_vpn.guard.resolve`). Rules, from the CloudFormation User Guide
("Understand update behaviors of stack resources") and the registry schemas:

- a resource is *replaced* when its type changes or a create-only property (the type's registry
  schema ``createOnlyProperties``, :mod:`site_to_site_vpn.guard.table`) is added, removed or
  changed, including when it refers (``Ref``, ``Fn::GetAtt``, ``Fn::Sub``) to a resource that is
  itself replaced: the replacement has a new physical id, so the value changes at deploy time;
- a logical id that disappears, or a resource whose ``Condition`` turns false, is *deleted* (a
  moved logical id is a deletion plus a creation); a nested stack deleted so deletes everything
  in it; nested stacks present on both sides are compared too;
- what the template cannot decide is a *may replace* / *may delete* with the reason: a warning,
  blocking only with ``strict``.

Replacing or deleting a protected type (VPN, customer gateway, Transit Gateway, VPN concentrator,
virtual private gateway) blocks unless ``allow`` names it by logical id or construct path.
"""

from __future__ import annotations

import dataclasses
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from site_to_site_vpn.guard import consequences as words
from site_to_site_vpn.guard.resolve import (
    NO_VALUE,
    Environment,
    Resolver,
    Unknown,
    canonical,
    is_literal,
    parameter_values,
)
from site_to_site_vpn.guard.resolve import refs as _value_refs
from site_to_site_vpn.guard.table import CreateOnlyTable, load_table
from site_to_site_vpn.guard.templates import NESTED_STACK, StackTemplate, check_template

_RETAIN = frozenset({"Retain", "RetainExceptOnCreate"})
_canonical = canonical


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
    #: Set when the template cannot decide: the change *may* happen, for this reason.
    unresolved: str | None = None
    #: ``--strict``: an unresolved replacement or deletion blocks like a certain one.
    strict: bool = False

    @property
    def certain(self) -> bool:
        return self.unresolved is None

    @property
    def blocking(self) -> bool:
        return (
            self.protected
            and not self.allowed
            and self.kind in (ChangeKind.REPLACE, ChangeKind.DELETE)
            and (self.certain or self.strict)
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "stack": self.stack,
            "logicalId": self.logical_id,
            "type": self.resource_type,
            "change": self.kind.value,
            "certain": self.certain,
            "unresolved": self.unresolved,
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
    strict: bool = False

    @property
    def blocked(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.blocking)

    @property
    def allowed(self) -> tuple[Finding, ...]:
        """Protected replacements and deletions let through by ``allow``."""
        return tuple(f for f in self.findings if f.allowed)

    @property
    def uncertain(self) -> tuple[Finding, ...]:
        """Protected resources that *may* be replaced or deleted (the template cannot say)."""
        return tuple(
            f
            for f in self.findings
            if f.protected and not f.certain and not f.allowed and not f.blocking
        )

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
            "strict": self.strict,
            "stacks": list(self.stacks),
            "blocked": [f"{f.stack}/{f.logical_id}" for f in self.blocked],
            "allowed": [f"{f.stack}/{f.logical_id}" for f in self.allowed],
            "mayReplace": [f"{f.stack}/{f.logical_id}" for f in self.uncertain],
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
                text, bound = _sub_parts(inner)
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


def _output_refs(value: Any) -> set[str]:
    """``Nested.Outputs.Name`` attributes ``value`` reads (Fn::GetAtt, Fn::Sub)."""
    found: set[str] = set()
    if isinstance(value, list):
        for item in value:
            found |= _output_refs(item)
    elif isinstance(value, dict):
        for key, inner in value.items():
            if key == "Fn::GetAtt":
                parts = inner if isinstance(inner, list) else [inner]
                name = ".".join(parts) if all(isinstance(p, str) for p in parts) else None
                if isinstance(name, str) and ".Outputs." in name:
                    found.add(name)
            elif key == "Fn::Sub":
                text = inner[0] if isinstance(inner, list) and inner else inner
                if isinstance(text, str):
                    found |= {name for name in _sub_names(text) if ".Outputs." in name}
                found |= _output_refs(inner[1:] if isinstance(inner, list) else [])
            else:
                found |= _output_refs(inner)
    return found


def _targets(value: Any) -> set[str]:
    """What a value depends on: logical ids and nested stack outputs."""
    return references(value) | _output_refs(value)


def _sub_parts(inner: Any) -> tuple[Any, Any]:
    """``Fn::Sub``'s text and variables, whatever shape it has."""
    if isinstance(inner, list):
        return (inner[0] if inner else None), (inner[1] if len(inner) > 1 else {})
    return inner, {}


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
            text, bound = _sub_parts(inner)
            if isinstance(text, str):
                for old, new in renames.items():
                    text = text.replace("${" + old + "}", "${" + new + "}")
                    text = text.replace("${" + old + ".", "${" + new + ".")
            renamed_bound = _renamed(bound, renames)
            result[key] = [text, renamed_bound] if isinstance(inner, list) else text
        else:
            result[key] = _renamed(inner, renames)
    return result


# --- the comparison ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Change:
    """A replacement decided for one logical id: certain, or ``unresolved`` with the reason."""

    reason: str
    properties: tuple[str, ...]
    unresolved: str | None = None


class _Side:
    """One side's template: resources that exist, and their values resolved."""

    def __init__(
        self,
        stack: StackTemplate,
        env: Environment,
        parameters: Mapping[str, Any],
    ) -> None:
        self.stack = stack
        self.resources = stack.resources
        self.resolver = Resolver(stack.template, env=env, parameters=parameters)
        self._props: dict[str, dict[str, tuple[Any, tuple[str, ...]]]] = {}
        #: True (exists), or the reason its Condition cannot be decided; False ones are left out.
        self.present: dict[str, bool | str] = {}
        for lid, resource in self.resources.items():
            condition = resource.get("Condition")
            status = self.resolver.condition(condition) if isinstance(condition, str) else True
            if status is not False:
                self.present[lid] = status

    def resolve(self, node: Any) -> tuple[Any, tuple[str, ...]]:
        mark = len(self.resolver.reasons)
        value = self.resolver.value(node)
        why = tuple(dict.fromkeys(self.resolver.reasons[mark:]))
        del self.resolver.reasons[mark:]
        return value, why

    def props(self, lid: str) -> dict[str, tuple[Any, tuple[str, ...]]]:
        """Top-level property -> (resolved value, reasons it is not fully resolved)."""
        if lid not in self._props:
            raw = _properties(self.resources[lid])
            resolved = {}
            for name, value in raw.items() if isinstance(raw, dict) else ():
                inner, why = self.resolve(value)
                if inner is not NO_VALUE:
                    resolved[name] = (inner, why)
            self._props[lid] = resolved
        return self._props[lid]

    def values(self, lid: str) -> dict[str, Any]:
        return {name: value for name, (value, _) in self.props(lid).items()}

    def at(self, lid: str, pointer: str) -> tuple[dict[str, Any], tuple[str, ...]]:
        parts = _pointer_parts(pointer)
        entry = self.props(lid).get(parts[0]) if parts else None
        if entry is None:
            return {}, ()
        return _values(entry[0], parts[1:], "/" + parts[0]), entry[1]


def _why_different(before: Any, after: Any) -> str | None:
    """For two differing values without unresolved parts: a reason they may still be equal.

    A literal on one side and a value built from references (``Ref``/``Fn::GetAtt`` of a
    resource, a pseudo parameter of an environment-agnostic stack) on the other may resolve to
    the same thing; two values of literals, or built from the same references, differ for sure;
    a property added or removed replaces even at its default ("Update behaviors").
    """
    if before is None or after is None:
        return None
    for one, other in ((before, after), (after, before)):
        if is_literal(other) and not is_literal(one):
            names = ", ".join(sorted(_value_refs(one))) or canonical(one)
            return f"a literal on one side, a value from {names} on the other"
    return None


@dataclass
class _Stack:
    label: str
    old: _Side
    new: _Side
    table: CreateOnlyTable
    #: Ids (parent parameters of a nested stack) already known to change at deploy time.
    seeded: Mapping[str, _Change] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: After :meth:`run`: what is (or may be) replaced, by logical id.
    replaced: dict[str, _Change] = field(default_factory=dict)

    def path_in_new(self, logical_id: str) -> str | None:
        resource = self.new.resources.get(logical_id)
        found = construct_path(resource) if resource else None
        return found or self.new.stack.construct_paths.get(logical_id)

    def paths(self, logical_id: str) -> tuple[str, ...]:
        found = []
        for side in (self.old, self.new):
            resource = side.resources.get(logical_id)
            path = (construct_path(resource) if resource else None) or (
                side.stack.construct_paths.get(logical_id)
            )
            if path and path not in found:
                found.append(path)
        return tuple(found)

    def add(self, logical_id: str, resource_type: str, kind: ChangeKind, **kw: Any) -> None:
        protected = resource_type in words.PROTECTED_TYPES
        if kw.get("unresolved") and protected:
            kw["warning"] = True
        self.findings.append(
            Finding(
                stack=self.label,
                logical_id=logical_id,
                resource_type=resource_type,
                kind=kind,
                paths=kw.pop("paths", None) or self.paths(logical_id),
                protected=protected,
                **kw,
            )
        )

    def run(self) -> tuple[list[Finding], list[str]]:
        replaced = self._replacements()
        # A nested stack's output that refers to a resource replaced inside it changes: what
        # the parent feeds from it (Fn::GetAtt Nested.Outputs.X) follows.
        outputs = self._nested_stacks(replaced)
        if outputs:
            replaced.update(outputs)
            self._cascade(replaced, list(outputs))
        self.replaced = replaced
        self._report(replaced)
        self._deletions()
        self._updates(replaced)
        return self.findings, self.notes

    # --- replacements -------------------------------------------------------------------------

    def _common(self) -> list[str]:
        return [lid for lid in self.old.present if lid in self.new.present]

    def __post_init__(self) -> None:
        def context(side: _Side) -> str:
            res = side.resolver
            return canonical([res.parameters, res.env, res.conditions, res.mappings])

        #: Both templates resolve names the same way: an unchanged resource resolves unchanged.
        self._same_context = context(self.old) == context(self.new)

    def _direct(self, lid: str) -> _Change | None:
        old, new = self.old.resources[lid], self.new.resources[lid]
        if self._same_context and canonical(old) == canonical(new):
            return None
        if old.get("Type") != new.get("Type"):
            return _Change(f"type changed from {old.get('Type')}", ())
        rule = self.table.rule(str(new.get("Type")))
        if rule is None:
            return None
        certain: list[str] = []
        maybe: dict[str, str] = {}
        for pointer in rule.create_only:
            before, old_why = self.old.at(lid, pointer)
            after, new_why = self.new.at(lid, pointer)
            if canonical(before) == canonical(after):
                continue
            name = _property_name(pointer)
            why = (*old_why, *new_why) or tuple(
                w
                for w in [_why_different(before.get(k), after.get(k)) for k in {*before, *after}]
                if w
            )
            if why:
                maybe[name] = why[0]
            else:
                certain.append(name)
        if certain:
            return _Change("create-only " + ", ".join(certain), tuple(certain))
        if maybe:
            names = tuple(maybe)
            reason = "create-only " + ", ".join(names) + " may change"
            return _Change(reason, names, unresolved="; ".join(dict.fromkeys(maybe.values())))
        return None

    def _replacements(self) -> dict[str, _Change]:
        common = self._common()
        replaced: dict[str, _Change] = dict(self.seeded)
        for lid in common:
            change = self._direct(lid)
            if change is not None:
                replaced[lid] = change
        # Follow-on: a create-only value referring to a replaced resource changes at deploy
        # time. One pass over a reverse index, certain replacements first: near-linear.
        # The index is built from the raw values (cheap); a hit is confirmed on the resolved
        # value (an Fn::If branch not taken, a parameter resolved to a literal, refer to nothing).
        self._referrers: dict[str, list[tuple[str, str]]] = {}
        for lid in common:
            rule = self.table.rule(str(self.new.resources[lid].get("Type")))
            raw = _properties(self.new.resources[lid])
            for pointer in rule.create_only if rule else ():
                for value in _values(raw, _pointer_parts(pointer)).values():
                    for target in _targets(value):
                        self._referrers.setdefault(target, []).append((lid, pointer))
        self._cascade(replaced, list(replaced))
        return replaced

    def _cascade(self, replaced: dict[str, _Change], starts: list[str]) -> None:
        for certain in (True, False):
            queue = deque(lid for lid in starts if (replaced[lid].unresolved is None) == certain)
            while queue:
                target = queue.popleft()
                cause = replaced[target]
                for lid, pointer in self._referrers.get(target, ()):
                    known = replaced.get(lid)
                    if known is not None and (known.unresolved is None or not certain):
                        continue
                    resolved = self.new.at(lid, pointer)[0].values()
                    if not any(target in _targets(value) for value in resolved):
                        continue
                    prop = _property_name(pointer)
                    replaced[lid] = _Change(
                        f"create-only {prop} refers to {target}, which "
                        + ("is replaced" if certain else "may be replaced"),
                        (prop,),
                        unresolved=None if certain else cause.unresolved,
                    )
                    queue.append(lid)
                    starts.append(lid)

    def _report(self, replaced: Mapping[str, _Change]) -> None:
        for lid, change in replaced.items():
            if lid in self.seeded or lid not in self.new.resources:
                continue  # a nested stack's parameter, or a nested stack's output
            type_name = str(self.new.resources[lid].get("Type"))
            rule = self.table.rule(type_name)
            old_type = str(self.old.resources[lid].get("Type"))
            self.add(
                lid,
                type_name,
                ChangeKind.REPLACE,
                reason=change.reason,
                properties=change.properties,
                consequence=(
                    words.deleted(old_type)
                    if old_type != type_name
                    else words.replaced(type_name, rule)
                ),
                unresolved=change.unresolved,
            )

    # --- deletions ----------------------------------------------------------------------------

    def _moves(self) -> dict[str, str]:
        """Deleted logical ids whose resource reappears under a new id: old id -> new id.

        A match has the same type and the same resolved properties once references to other
        moved resources are renamed too (a moved VPN refers to its moved customer gateway).
        Resources are matched in dependency order, each compared once through a hash of the
        created ones: linear in the number of resources.
        """
        deleted = [lid for lid in self.old.present if lid not in self.new.resources]
        created: dict[str, list[str]] = {}
        for lid in self.new.present:
            if lid not in self.old.resources:
                key = canonical([self.new.resources[lid].get("Type"), self.new.values(lid)])
                created.setdefault(key, []).append(lid)
        if not deleted or not created:
            return {}
        deleted_set = set(deleted)
        depends = {lid: references(self.old.values(lid)) & deleted_set for lid in deleted}
        dependents: dict[str, list[str]] = {}
        for lid, targets in depends.items():
            for target in targets:
                dependents.setdefault(target, []).append(lid)
        pending = {lid: len(targets) for lid, targets in depends.items()}
        queue = deque(lid for lid in deleted if pending[lid] == 0)
        moves: dict[str, str] = {}
        used: set[str] = set()
        while queue:
            old_id = queue.popleft()
            old_type = self.old.resources[old_id].get("Type")
            key = canonical([old_type, _renamed(self.old.values(old_id), moves)])
            for new_id in created.get(key, ()):
                if new_id not in used:
                    moves[old_id] = new_id
                    used.add(new_id)
                    break
            for dependent in dependents.get(old_id, ()):
                pending[dependent] -= 1
                if pending[dependent] == 0:
                    queue.append(dependent)
        return moves

    def _deletions(self) -> None:
        moves = self._moves()
        for lid, resource in self.old.resources.items():
            old_status = self.old.present.get(lid, False)
            if old_status is False:
                continue  # never created: its Condition is false in the baseline
            new_status = self.new.present.get(lid, False)
            if new_status is True or (
                isinstance(old_status, str)
                and isinstance(new_status, str)
                and self._same_condition(lid)
            ):
                continue
            unresolved = old_status if isinstance(old_status, str) else None
            type_name = str(resource.get("Type"))
            moved_to = moves.get(lid)
            paths = self.paths(lid)
            if isinstance(new_status, str):
                reason = "its Condition may be false after the update"
                consequence = words.deleted(type_name)
                unresolved = new_status
            elif lid in self.new.resources:
                condition = self.new.resources[lid].get("Condition")
                reason = f"its Condition {condition} is false: CloudFormation deletes it"
                consequence = words.deleted(type_name)
            elif moved_to:
                new_path = self.path_in_new(moved_to)
                paths = tuple(p for p in (*paths, new_path) if p)
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
                unresolved=unresolved,
            )
            nested = self.old.stack.nested.get(lid)
            if type_name == NESTED_STACK and nested is not None and not retain:
                self._nested_deleted(nested, f"{self.label}/{lid}", lid, reason, unresolved)

    def _same_condition(self, lid: str) -> bool:
        """Both sides decide ``lid``'s existence by the same, unchanged condition."""
        name = self.old.resources[lid].get("Condition")
        if name != self.new.resources[lid].get("Condition") or not isinstance(name, str):
            return False
        return canonical(self.old.resolver.conditions.get(name)) == canonical(
            self.new.resolver.conditions.get(name)
        )

    def _nested_deleted(
        self, nested: StackTemplate, label: str, lid: str, why: str, unresolved: str | None
    ) -> None:
        """Everything in a deleted nested stack is deleted with it (recursively)."""
        for inner_id, resource in nested.resources.items():
            type_name = str(resource.get("Type"))
            path = construct_path(resource) or nested.construct_paths.get(inner_id)
            self.findings.append(
                Finding(
                    stack=label,
                    logical_id=inner_id,
                    resource_type=type_name,
                    kind=ChangeKind.DELETE,
                    reason=f"its nested stack {lid} is deleted ({why})",
                    consequence=words.deleted(type_name),
                    paths=(path,) if path else (),
                    protected=type_name in words.PROTECTED_TYPES,
                    warning=bool(unresolved) and type_name in words.PROTECTED_TYPES,
                    unresolved=unresolved,
                )
            )
            deeper = nested.nested.get(inner_id)
            if type_name == NESTED_STACK and deeper is not None:
                self._nested_deleted(deeper, f"{label}/{inner_id}", inner_id, why, unresolved)

    # --- in-place updates ---------------------------------------------------------------------

    def _updates(self, replaced: Mapping[str, _Change]) -> None:
        gone = {lid for lid, change in replaced.items() if change.unresolved is None}
        for lid in self._common():
            new = self.new.resources[lid]
            if lid in replaced or new.get("Type") != words.VPN_CONNECTION:
                continue
            before, after = self.old.values(lid), self.new.values(lid)
            tunnels = self._changed_tunnels(before, after, gone)
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
                if canonical(before.get(name)) != canonical(after.get(name))
                or references(after.get(name)) & gone
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
            return (1, 2) if canonical(old_specs) != canonical(new_specs) else ()
        changed = []
        for index in range(max(len(old_specs), len(new_specs))):
            old_spec = old_specs[index] if index < len(old_specs) else None
            new_spec = new_specs[index] if index < len(new_specs) else None
            if canonical(old_spec) != canonical(new_spec) or references(new_spec) & replaced:
                changed.append(index + 1)
        return tuple(changed)

    # --- nested stacks ------------------------------------------------------------------------

    def _nested_stacks(self, replaced: Mapping[str, _Change]) -> dict[str, _Change]:
        """Compare each nested stack on both sides; its outputs that change, as
        ``Lid.Outputs.Name``."""
        outputs: dict[str, _Change] = {}
        for lid in self._common():
            if self.new.resources[lid].get("Type") != NESTED_STACK or lid in replaced:
                continue
            old_nested = self.old.stack.nested.get(lid)
            new_nested = self.new.stack.nested.get(lid)
            if old_nested is None or new_nested is None:
                if new_nested is not None:
                    self.notes.append(
                        f"{self.label}/{lid}: nested stack not compared (the baseline has no "
                        "template for it)"
                    )
                continue
            old_params, new_params, seeded = self._nested_parameters(lid, replaced)
            env = self.new.resolver.env
            nested = _Stack(
                f"{self.label}/{lid}",
                _Side(old_nested, dataclasses.replace(env, stack_name=None), old_params),
                _Side(new_nested, dataclasses.replace(env, stack_name=None), new_params),
                self.table,
                seeded=seeded,
            )
            findings, notes = nested.run()
            self.findings.extend(findings)
            self.notes.extend(notes)
            declared = new_nested.template.get("Outputs")
            for name, output in declared.items() if isinstance(declared, dict) else ():
                value = output.get("Value") if isinstance(output, dict) else None
                inner = sorted(references(value) & set(nested.replaced))
                if inner:
                    cause = nested.replaced[inner[0]]
                    outputs[f"{lid}.Outputs.{name}"] = _Change(
                        f"output {name} refers to {inner[0]}", (), unresolved=cause.unresolved
                    )
        return outputs

    def _nested_parameters(
        self, lid: str, replaced: Mapping[str, _Change]
    ) -> tuple[dict[str, Any], dict[str, Any], dict[str, _Change]]:
        """A nested stack's parameter values: its defaults, overridden by what the parent passes.

        A value the parent computes from its own resources is an opaque reference, unchanged
        unless it refers to a resource the parent replaces (then it changes: seeded).
        """
        old_nested, new_nested = self.old.stack.nested[lid], self.new.stack.nested[lid]
        old_values, new_values = parameter_values(old_nested.template, new_nested.template)
        before = self.old.values(lid).get("Parameters")
        after = self.new.values(lid).get("Parameters")
        before = before if isinstance(before, dict) else {}
        after = after if isinstance(after, dict) else {}
        seeded: dict[str, _Change] = {}
        for name in set(before) | set(after):
            old_value, new_value = before.get(name), after.get(name)
            old_values.pop(name, None)
            new_values.pop(name, None)
            if is_literal(old_value):
                old_values[name] = old_value
            targets = sorted(references(new_value) & set(replaced))
            if targets:
                change = replaced[targets[0]]
                seeded[name] = _Change(
                    f"parameter {name} from {targets[0]}", (), unresolved=change.unresolved
                )
            elif canonical(old_value) == canonical(new_value):
                if is_literal(new_value):
                    new_values[name] = new_value
            elif is_literal(new_value) and is_literal(old_value):
                new_values[name] = new_value
            else:
                new_values[name] = Unknown(
                    f"parameter {name} of nested stack {lid} changes to a value known at deploy "
                    "time"
                )
        return old_values, new_values, seeded


def _allowed(finding: Finding, allow: Iterable[str]) -> set[str]:
    """The ``allow`` entries that name ``finding`` (logical id, or a construct path above it)."""
    ids = {finding.logical_id, *([finding.moved_to] if finding.moved_to else [])}
    return {
        entry
        for entry in allow
        if entry in ids
        or any(path == entry or path.startswith(entry.rstrip("/") + "/") for path in finding.paths)
    }


def _as_stack(name: str, stack: StackTemplate | Mapping[str, Any]) -> StackTemplate:
    if isinstance(stack, StackTemplate):
        check_template(stack.template, stack.source)
        return stack
    template = check_template(dict(stack), f"stack {name}")
    return StackTemplate(name=name, template=template, source=f"stack {name}")


def _pairs(
    baseline: Mapping[str, StackTemplate], current: Mapping[str, StackTemplate]
) -> tuple[list[tuple[str, StackTemplate, StackTemplate]], list[str]]:
    """Stacks paired by (account, region, name); an unknown account or region matches by name."""
    pairs: list[tuple[str, StackTemplate, StackTemplate]] = []
    notes: list[str] = []
    unmatched = dict(baseline)
    by_key = {stack.key: label for label, stack in baseline.items()}
    for label, stack in sorted(current.items()):
        match = by_key.get(stack.key)
        if match is None or match not in unmatched:
            loose = [
                old_label
                for old_label, old in unmatched.items()
                if old.name == stack.name
                and (None in (old.account, stack.account) or old.account == stack.account)
                and (None in (old.region, stack.region) or old.region == stack.region)
            ]
            match = loose[0] if len(loose) == 1 else None
        if match is None:
            notes.append(f"{label}: new stack, nothing deployed to replace")
            continue
        pairs.append((label, unmatched.pop(match), stack))
    for label in sorted(unmatched):
        notes.append(f"{label}: only in the baseline (cdk deploy does not delete a stack)")
    return pairs, notes


def compare(
    baseline: Mapping[str, StackTemplate | Mapping[str, Any]],
    current: Mapping[str, StackTemplate | Mapping[str, Any]],
    *,
    allow: Iterable[str] = (),
    table: CreateOnlyTable | None = None,
    strict: bool = False,
) -> GuardReport:
    """What deploying ``current`` over ``baseline`` replaces, deletes and restarts, per stack.

    ``strict``: what the template cannot decide ("may replace") blocks too.
    """
    table = table or load_table()
    allow = tuple(allow)
    old_stacks = {name: _as_stack(name, stack) for name, stack in baseline.items()}
    new_stacks = {name: _as_stack(name, stack) for name, stack in current.items()}
    pairs, notes = _pairs(old_stacks, new_stacks)
    findings: list[Finding] = []
    for label, old, new in pairs:
        old_params, new_params = parameter_values(old.template, new.template)
        # Paired, they are one deployed stack: a side that does not say where (a deployed
        # template, a folder of templates) is where the other side says.
        env = Environment(
            account=new.account or old.account,
            region=new.region or old.region,
            stack_name=new.name,
        )
        old_env = Environment(
            account=old.account or env.account,
            region=old.region or env.region,
            stack_name=old.name,
        )
        stack = _Stack(label, _Side(old, old_env, old_params), _Side(new, env, new_params), table)
        found, more = stack.run()
        findings.extend(found)
        notes.extend(more)
    used: set[str] = set()
    resolved = []
    for finding in findings:
        names = _allowed(finding, allow) if finding.protected else set()
        used |= names
        resolved.append(dataclasses.replace(finding, allowed=bool(names), strict=strict))
    return GuardReport(
        findings=tuple(resolved),
        stacks=tuple(label for label, _, _ in pairs),
        notes=tuple(notes),
        unused_allows=tuple(entry for entry in allow if entry not in used),
        table_source=table.source,
        strict=strict,
    )
