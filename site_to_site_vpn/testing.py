"""Helpers for your own tests: stable template snapshots and a replacement check.

``normalized_template(template)`` drops what changes when nothing you wrote changed (asset
hashes, CDK metadata, the bootstrap-version parameter and rule), so a CDK upgrade does not rewrite
every snapshot. Use it with syrupy (``normalized_snapshot(snapshot)``) or with plain JSON files
(``assert_matches_snapshot_file``). ``assert_no_replacements(baseline, current)`` fails, naming
each resource, when deploying ``current`` over ``baseline`` would replace or delete a VPN, customer
gateway, VPN concentrator, Transit Gateway or virtual private gateway (see ``s2svpn guard``).

A template argument is a template dict, an ``aws_cdk.assertions.Template``, an ``aws_cdk.Stack``
(synthesized here), or the path of a ``*.template.json``. No import of aws_cdk or syrupy happens
until an argument needs it.
"""

from __future__ import annotations

import copy
import difflib
import json
import os
import re
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from site_to_site_vpn.guard.compare import GuardReport, compare
from site_to_site_vpn.guard.templates import read_stacks

#: Set to 1 to (re)write snapshot files from the current templates.
UPDATE_ENV = "S2SVPN_UPDATE_SNAPSHOTS"

_ASSET_HASH = re.compile(r"\b[0-9a-f]{64}\b")
_CDK_METADATA_KEYS = ("aws:cdk:", "aws:asset:")


def template_of(source: Any) -> dict[str, Any]:
    """A template dict from a dict, ``assertions.Template``, ``Stack`` or template file path."""
    if isinstance(source, Mapping):
        return dict(source)
    if isinstance(source, str | Path):
        loaded: dict[str, Any] = json.loads(Path(source).read_text())
        return loaded
    to_json = getattr(source, "to_json", None)
    if callable(to_json):
        return dict(to_json())
    from aws_cdk import Stack, assertions  # noqa: PLC0415 - only when given a Stack

    if isinstance(source, Stack):
        return dict(assertions.Template.from_stack(source).to_json())
    raise TypeError(f"not a template: {type(source).__name__}")


def normalized_template(source: Any) -> dict[str, Any]:
    """The template without churn, keys sorted: what a snapshot should hold.

    Removed: the ``AWS::CDK::Metadata`` resource and its condition, the ``BootstrapVersion``
    parameter and ``CheckBootstrapVersion`` rule, ``aws:cdk:*`` / ``aws:asset:*`` resource
    metadata; 64-hex asset hashes become ``<asset-hash>``. Everything CloudFormation deploys stays.
    """
    template = copy.deepcopy(template_of(source))
    resources = template.get("Resources") or {}
    for logical_id in [k for k, v in resources.items() if v.get("Type") == "AWS::CDK::Metadata"]:
        del resources[logical_id]
    for resource in resources.values():
        metadata = resource.get("Metadata")
        if isinstance(metadata, dict):
            for key in [k for k in metadata if k.startswith(_CDK_METADATA_KEYS)]:
                del metadata[key]
            if not metadata:
                del resource["Metadata"]
    for section, key in (
        ("Conditions", "CDKMetadataAvailable"),
        ("Parameters", "BootstrapVersion"),
        ("Rules", "CheckBootstrapVersion"),
    ):
        entries = template.get(section)
        if isinstance(entries, dict):
            entries.pop(key, None)
            if not entries:
                del template[section]
    text = _ASSET_HASH.sub("<asset-hash>", json.dumps(template, sort_keys=True))
    result: dict[str, Any] = json.loads(text)
    return result


def snapshot_text(source: Any) -> str:
    """The normalized template as the JSON text a snapshot file holds."""
    return json.dumps(normalized_template(source), indent=2, sort_keys=True) + "\n"


def assert_matches_snapshot_file(source: Any, path: str | Path) -> None:
    """Compare the normalized template with a JSON snapshot file (no syrupy needed).

    A missing or different file fails with a diff; run with ``S2SVPN_UPDATE_SNAPSHOTS=1`` to
    write it.
    """
    path = Path(path)
    text = snapshot_text(source)
    if os.environ.get(UPDATE_ENV) == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return
    if not path.is_file():
        raise AssertionError(f"no snapshot {path}: run with {UPDATE_ENV}=1 to write it")
    stored = path.read_text()
    if stored != text:
        diff = difflib.unified_diff(
            stored.splitlines(), text.splitlines(), str(path), "current", lineterm="", n=2
        )
        raise AssertionError(f"template differs from {path}:\n" + "\n".join(diff))


@cache
def _syrupy_extension() -> type:
    from syrupy.extensions.json import JSONSnapshotExtension  # noqa: PLC0415 - optional

    class NormalizedTemplateExtension(JSONSnapshotExtension):
        """syrupy's JSON extension over :func:`normalized_template`."""

        def serialize(self, data: Any, **kwargs: Any) -> Any:
            return super().serialize(normalized_template(data), **kwargs)

    return NormalizedTemplateExtension


def normalized_snapshot(snapshot: Any) -> Any:
    """syrupy's ``snapshot`` fixture storing normalized templates as ``.json`` files.

    ``assert normalized_snapshot(snapshot) == template`` (a dict, ``Template`` or ``Stack``).
    """
    return snapshot.use_extension(_syrupy_extension())


def _stacks(source: Any) -> dict[str, Any]:
    """Stack name -> template: a cdk.out or template folder, one template, or such a mapping."""
    if isinstance(source, str | Path) and Path(source).is_dir():
        return {name: stack.template for name, stack in read_stacks(source).items()}
    if isinstance(source, Mapping) and "Resources" not in source:
        return {str(name): template_of(t) for name, t in source.items()}
    return {"stack": template_of(source)}


def guard_report(baseline: Any, current: Any, *, allow: Iterable[str] = ()) -> GuardReport:
    """The guard's report for deploying ``current`` over ``baseline``."""
    return compare(_stacks(baseline), _stacks(current), allow=allow)


def assert_no_replacements(baseline: Any, current: Any, *, allow: Iterable[str] = ()) -> None:
    """Fail when deploying ``current`` over ``baseline`` replaces or deletes a VPN resource.

    Each argument is one template (dict, ``Template``, ``Stack``, file), a mapping of stack name
    to template, or a cdk.out / template folder. ``allow`` names intended replacements by
    logical id or construct path. The message names every offending resource, the property that
    forces it and what it means for traffic.
    """
    report = guard_report(baseline, current, allow=allow)
    if report.blocked:
        lines = [
            f"- {f.stack}/{f.logical_id} ({f.resource_type}"
            + (f", {f.paths[0]}" if f.paths else "")
            + f"): {f.kind.value}: {f.reason}: {f.consequence}"
            for f in report.blocked
        ]
        raise AssertionError(
            f"{len(lines)} VPN resource(s) would be replaced or deleted:\n" + "\n".join(lines)
        )
