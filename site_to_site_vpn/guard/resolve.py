"""Resolve what a template decides by itself, the way CloudFormation will at deploy time.

CloudFormation compares property values *after* intrinsic functions resolve ("Intrinsic function
reference", CloudFormation User Guide), evaluates ``Conditions`` from parameter values and pseudo
parameters, creates a resource only when its ``Condition`` is true and deletes it when that
condition turns false ("Conditions syntax": "resources ... are created only if the condition is
true"). So the guard compares *normalised* values:

- parameters: their value as ``cdk deploy`` passes it (see :func:`parameter_values`);
- pseudo parameters: ``AWS::Region``, ``AWS::AccountId``, ``AWS::Partition``, ``AWS::URLSuffix``
  and ``AWS::StackName`` from the stack's environment (the cloud assembly's ``environment``);
- ``Fn::If`` (with ``AWS::NoValue``), ``Fn::Equals``/``And``/``Or``/``Not``, ``Fn::Join``,
  ``Fn::Sub``, ``Fn::Select``, ``Fn::Split``, ``Fn::FindInMap``, ``Fn::Base64``;
- ``Fn::GetAtt`` in its string form ``"A.B"`` becomes the list form ``["A", "B"]``; a string built
  by ``Fn::Join``/``Fn::Sub`` becomes one canonical ``Fn::Join`` of literal and reference parts;
  numbers and booleans become the strings CloudFormation passes.

What stays unknown (a parameter without a default, ``Fn::ImportValue``, ``Fn::GetAZs``, an
undecidable condition ...) is kept as an expression and its reason is recorded, so the comparison
can say "may replace (unresolved: why)" instead of guessing.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

NO_VALUE = object()
PSEUDO_PREFIX = "AWS::"


@dataclass(frozen=True)
class Environment:
    """Where a stack deploys: from the assembly manifest's ``aws://account/region``."""

    account: str | None = None
    region: str | None = None
    stack_name: str | None = None

    @property
    def partition(self) -> str | None:
        if self.region is None:
            return None
        if self.region.startswith("cn-"):
            return "aws-cn"
        if self.region.startswith("us-gov-"):
            return "aws-us-gov"
        return "aws"

    def pseudo(self, name: str) -> str | None:
        suffix = None
        if self.partition is not None:
            suffix = "amazonaws.com.cn" if self.partition == "aws-cn" else "amazonaws.com"
        return {
            "AWS::Region": self.region,
            "AWS::AccountId": self.account,
            "AWS::Partition": self.partition,
            "AWS::URLSuffix": suffix,
            "AWS::StackName": self.stack_name,
        }.get(name)


@dataclass(frozen=True)
class Unknown:
    """A parameter value the template does not give, with the reason."""

    reason: str


def _section(template: Mapping[str, Any], name: str) -> dict[str, Any]:
    found = template.get(name)
    return found if isinstance(found, dict) else {}


#: Parameter types whose value CloudFormation reads from Systems Manager at every deployment:
#: their ``Default`` is the SSM parameter's *name*, not the value ("Parameters" section of the
#: CloudFormation User Guide, "SSM parameter types").
SSM_TYPE_PREFIX = "AWS::SSM::Parameter::"


def defaults(template: Mapping[str, Any]) -> dict[str, Any]:
    """Each parameter's ``Default`` (parameters without one, and SSM-typed ones, are absent)."""
    return {
        name: spec["Default"]
        for name, spec in _section(template, "Parameters").items()
        if isinstance(spec, dict)
        and "Default" in spec
        and not str(spec.get("Type", "")).startswith(SSM_TYPE_PREFIX)
    }


def parameter_values(
    old: Mapping[str, Any], new: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The value of each parameter before and after the update, as ``cdk deploy`` passes them.

    The reading taken: a stack deployed by ``cdk deploy`` got each parameter's ``Default`` at its
    first deployment (CDK passes no value for it), and later deployments pass
    ``UsePreviousValue`` for an existing parameter (``cdk deploy --previous-parameters``, on by
    default). So a parameter in both templates keeps the baseline's value; when its ``Default``
    changed, the deployed value depends on how the stack is deployed (``cdk deploy`` keeps the
    old one, ``--no-previous-parameters`` or a console/CLI update takes the new one): that value
    is *unknown* and whatever depends on it "may" change. A new parameter takes its default; a
    parameter without a default is an opaque, unchanged reference on both sides.
    """
    old_defaults, new_defaults = defaults(old), defaults(new)
    old_values: dict[str, Any] = dict(old_defaults)
    new_values: dict[str, Any] = {}
    for name in _section(new, "Parameters"):
        if name in old_defaults and name in new_defaults:
            before, after = _text(old_defaults[name]), _text(new_defaults[name])
            new_values[name] = (
                new_defaults[name]
                if before == after
                else Unknown(
                    f"parameter {name}: Default changed from {before!r} to {after!r} "
                    "(cdk deploy keeps the previous value; other deployments take the new one)"
                )
            )
        elif name in new_defaults and name not in _section(old, "Parameters"):
            new_values[name] = new_defaults[name]
        elif name in new_defaults:
            new_values[name] = Unknown(
                f"parameter {name}: had no Default, its deployed value is not in the template"
            )
    return old_values, new_values


def _text(value: Any) -> str:
    return json.dumps(scalar(value), sort_keys=True)


def scalar(value: Any) -> Any:
    """Numbers and booleans as the strings CloudFormation passes to the resource provider."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return value


class Resolver:
    """Normalises one template's values; collects why something could not be resolved."""

    def __init__(
        self,
        template: Mapping[str, Any],
        *,
        env: Environment | None = None,
        parameters: Mapping[str, Any] | None = None,
    ) -> None:
        self.template = template
        self.env = env or Environment()
        self.parameters = dict(parameters if parameters is not None else defaults(template))
        self.declared = set(_section(template, "Parameters"))
        self.conditions = _section(template, "Conditions")
        self.mappings = _section(template, "Mappings")
        self._condition_cache: dict[str, bool | str] = {}
        self.reasons: list[str] = []

    # --- conditions -------------------------------------------------------------------------

    def condition(self, name: str) -> bool | str:
        """True/False, or the reason it cannot be decided."""
        if name in self._condition_cache:
            return self._condition_cache[name]
        self._condition_cache[name] = f"condition {name} refers to itself"
        if name not in self.conditions:
            result: bool | str = f"condition {name} is not defined in Conditions"
        else:
            result = self._decide(self.conditions[name], name)
        self._condition_cache[name] = result
        return result

    def _decide(self, node: Any, name: str) -> bool | str:  # noqa: PLR0911
        if isinstance(node, bool):
            return node
        if not isinstance(node, dict) or len(node) != 1:
            return f"condition {name}: not a condition function"
        ((key, args),) = node.items()
        if key == "Condition" and isinstance(args, str):
            return self.condition(args)
        if key == "Fn::Equals" and isinstance(args, list) and len(args) == 2:
            mark = len(self.reasons)
            left, right = self.value(args[0]), self.value(args[1])
            why = self.reasons[mark:]
            del self.reasons[mark:]
            if _canonical(left) == _canonical(right):
                return True
            if why:
                return f"condition {name}: {why[0]}"
            if is_literal(left) and is_literal(right):
                return False
            return f"condition {name}: Fn::Equals of {self._unknowns(left, right)}"
        if key in ("Fn::And", "Fn::Or", "Fn::Not") and isinstance(args, list) and args:
            results = [self._decide(arg, name) for arg in args]
            if key == "Fn::Not":
                first = results[0]
                return (not first) if isinstance(first, bool) else first
            decisive = bool(key == "Fn::Or")  # Or: any True decides; And: any False decides
            if decisive in results:
                return decisive
            unknown = [r for r in results if isinstance(r, str)]
            return unknown[0] if unknown else not decisive
        return f"condition {name}: unsupported {key}"

    def _unknowns(self, *values: Any) -> str:
        """Why values are known only at deploy time, in words."""
        names = sorted({name for value in values for name in refs(value)})
        said = []
        for name in names:
            if name.startswith(PSEUDO_PREFIX):
                said.append(f"{name} (not known: environment-agnostic stack)")
            elif name in self.declared:
                said.append(f"parameter {name} (no Default)")
            else:
                said.append(f"{name} (known only at deploy time)")
        return ", ".join(said) or "values known only at deploy time"

    # --- values -----------------------------------------------------------------------------

    def value(self, node: Any) -> Any:
        """``node`` normalised; ``NO_VALUE`` for ``AWS::NoValue``."""
        if isinstance(node, list):
            items = [self.value(item) for item in node]
            return [item for item in items if item is not NO_VALUE]
        if not isinstance(node, dict):
            return scalar(node)
        if len(node) == 1:
            ((key, args),) = node.items()
            if key == "Ref" or key.startswith("Fn::"):
                return self._function(key, args, node)
        result = {}
        for key, inner in node.items():
            resolved = self.value(inner)
            if resolved is not NO_VALUE:
                result[key] = resolved
        return result

    def _unresolved(self, reason: str, expression: Any) -> Any:
        self.reasons.append(reason)
        return expression

    def _function(self, key: str, args: Any, node: dict[str, Any]) -> Any:  # noqa: PLR0911
        if key == "Ref":
            return self._ref(args)
        if key == "Fn::GetAtt":
            return _get_att(args)
        if key == "Fn::If":
            return self._if(args, node)
        if key == "Fn::Join":
            return self._join(args, node)
        if key == "Fn::Sub":
            return self._sub(args, node)
        if key == "Fn::Select":
            return self._select(args, node)
        if key == "Fn::Split":
            return self._split(args, node)
        if key == "Fn::FindInMap":
            return self._find_in_map(args, node)
        if key == "Fn::Base64":
            inner = self.value(args)
            if isinstance(inner, str):
                return base64.b64encode(inner.encode()).decode()
            return {"Fn::Base64": inner}
        return self._unresolved(f"{key} is resolved by CloudFormation at deploy time", node)

    def _ref(self, name: Any) -> Any:
        if not isinstance(name, str):
            return self._unresolved("malformed Ref", {"Ref": name})
        if name == "AWS::NoValue":
            return NO_VALUE
        if name.startswith(PSEUDO_PREFIX):
            known = self.env.pseudo(name)
            return known if known is not None else {"Ref": name}
        if name in self.parameters:
            value = self.parameters[name]
            if isinstance(value, Unknown):
                return self._unresolved(value.reason, {"Ref": name})
            return self.value(value)
        return {"Ref": name}

    def _if(self, args: Any, node: dict[str, Any]) -> Any:
        if not (isinstance(args, list) and len(args) == 3 and isinstance(args[0], str)):
            return self._unresolved("malformed Fn::If", node)
        decided = self.condition(args[0])
        if isinstance(decided, bool):
            return self.value(args[1] if decided else args[2])
        return self._unresolved(
            decided, {"Fn::If": [args[0], self.value(args[1]), self.value(args[2])]}
        )

    def _join(self, args: Any, node: dict[str, Any]) -> Any:
        if not (isinstance(args, list) and len(args) == 2 and isinstance(args[0], str)):
            return self._unresolved("malformed Fn::Join", node)
        items = self.value(args[1])
        if not isinstance(items, list):
            return {"Fn::Join": [args[0], items]}
        parts: list[Any] = []
        for index, item in enumerate(items):
            if index:
                parts.append(args[0])
            parts.append(item)
        return _concat(parts)

    def _sub(self, args: Any, node: dict[str, Any]) -> Any:
        if isinstance(args, str):
            text, bound = args, {}
        elif (
            isinstance(args, list)
            and len(args) == 2
            and isinstance(args[0], str)
            and isinstance(args[1], dict)
        ):
            text, bound = args
        else:
            return self._unresolved("malformed Fn::Sub", node)
        parts: list[Any] = []
        rest = text
        while True:
            start = rest.find("${")
            if start == -1:
                parts.append(rest)
                break
            end = rest.find("}", start)
            if end == -1:
                parts.append(rest)
                break
            parts.append(rest[:start])
            name = rest[start + 2 : end]
            if name.startswith("!"):
                parts.append("${" + name[1:] + "}")
            elif name in bound:
                parts.append(self.value(bound[name]))
            elif "." in name and not name.startswith(PSEUDO_PREFIX):
                parts.append(_get_att(name))
            else:
                parts.append(self._ref(name))
            rest = rest[end + 1 :]
        return _concat(parts)

    def _select(self, args: Any, node: dict[str, Any]) -> Any:
        if not (isinstance(args, list) and len(args) == 2):
            return self._unresolved("malformed Fn::Select", node)
        index, items = self.value(args[0]), self.value(args[1])
        if isinstance(index, str) and index.isdigit() and isinstance(items, list):
            if int(index) < len(items):
                return items[int(index)]
            return self._unresolved("Fn::Select index out of range", node)
        return {"Fn::Select": [index, items]}

    def _split(self, args: Any, node: dict[str, Any]) -> Any:
        if not (isinstance(args, list) and len(args) == 2 and isinstance(args[0], str)):
            return self._unresolved("malformed Fn::Split", node)
        text = self.value(args[1])
        if isinstance(text, str) and args[0]:
            return text.split(args[0])
        return {"Fn::Split": [args[0], text]}

    def _find_in_map(self, args: Any, node: dict[str, Any]) -> Any:
        if not (isinstance(args, list) and len(args) >= 3):
            return self._unresolved("malformed Fn::FindInMap", node)
        keys = [self.value(arg) for arg in args[:3]]
        found: Any = self.mappings
        for key in keys:
            if not (isinstance(key, str) and isinstance(found, dict) and key in found):
                return self._unresolved("Fn::FindInMap key not known before deployment", node)
            found = found[key]
        return self.value(found)


def refs(value: Any) -> set[str]:
    """Names a resolved value still refers to (Ref, Fn::GetAtt)."""
    if isinstance(value, list):
        return {name for item in value for name in refs(item)}
    if not isinstance(value, dict):
        return set()
    found = {name for item in value.values() for name in refs(item)}
    if isinstance(value.get("Ref"), str):
        found.add(value["Ref"])
    att = value.get("Fn::GetAtt")
    if isinstance(att, list) and att and isinstance(att[0], str):
        found.add(att[0])
    return found


def _get_att(args: Any) -> Any:
    if isinstance(args, str):
        head, _, tail = args.partition(".")
        return {"Fn::GetAtt": [head, tail]} if tail else {"Fn::GetAtt": args}
    if isinstance(args, list) and len(args) == 2 and all(isinstance(a, str) for a in args):
        return {"Fn::GetAtt": [args[0], args[1]]}
    return {"Fn::GetAtt": args}


def _concat(parts: list[Any]) -> Any:
    """Literal strings merged; all literal: a string, else one canonical ``Fn::Join``."""
    merged: list[Any] = []
    for part in parts:
        if part is NO_VALUE:
            continue
        if isinstance(part, dict) and list(part) == ["Fn::Join"]:
            inner = part["Fn::Join"]
            if isinstance(inner, list) and inner and inner[0] == "" and isinstance(inner[1], list):
                for piece in inner[1]:
                    _append(merged, piece)
                continue
        _append(merged, part)
    merged = [part for part in merged if part != ""]
    if not merged:
        return ""
    if len(merged) == 1 and isinstance(merged[0], str):
        return merged[0]
    return {"Fn::Join": ["", merged]}


def _append(merged: list[Any], part: Any) -> None:
    if isinstance(part, str) and merged and isinstance(merged[-1], str):
        merged[-1] += part
    else:
        merged.append(part)


def is_literal(value: Any) -> bool:
    """No reference or function left: the value is known before deployment."""
    if isinstance(value, str):
        return True
    if isinstance(value, list):
        return all(is_literal(item) for item in value)
    if isinstance(value, dict):
        functions = [k for k in value if k == "Ref" or k.startswith("Fn::")]
        return not functions and all(is_literal(item) for item in value.values())
    return False


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def canonical(value: Any) -> str:
    """One text per value, so equal values compare equal whatever their key order."""
    return _canonical(value)
