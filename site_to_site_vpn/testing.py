"""Helpers for your own tests: stable template snapshots and a replacement check.

``normalized_template(template)`` drops what changes when nothing you wrote changed (asset
hashes, CDK metadata, the bootstrap-version parameter and rule), so a CDK upgrade does not rewrite
every snapshot. Use it with syrupy (``normalized_snapshot(snapshot)``) or with plain JSON files
(``assert_matches_snapshot_file``). ``assert_no_replacements(baseline, current)`` fails, naming
each resource, when deploying ``current`` over ``baseline`` would replace or delete a VPN, customer
gateway, VPN concentrator, Transit Gateway or virtual private gateway (see ``s2svpn guard``), and
when a stack of ``current`` is not in ``baseline`` (unless ``new_stacks`` names it: a typo or a
renamed stack must not pass as "new, nothing to replace"). ``project_app()`` makes the
``cdk.App`` your tests build stacks in with the context ``cdk synth`` gives your app (cdk.json's
feature flags), so a test's template is the template ``cdk synth`` writes.

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
from typing import TYPE_CHECKING, Any

from site_to_site_vpn.guard.compare import GuardReport, compare
from site_to_site_vpn.guard.templates import read_stacks

if TYPE_CHECKING:
    import aws_cdk

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


#: What the CDK CLI adds to the app's context on every synth (``cdk synth`` / ``cdk deploy``), from
#: cdk.json's settings: construct paths in resource metadata, asset metadata, bundling all stacks,
#: and the AWS::CDK::Metadata resource unless ``"versionReporting": false``.
_CLI_CONTEXT = {
    "aws:cdk:enable-path-metadata": ("pathMetadata", True),
    "aws:cdk:enable-asset-metadata": ("assetMetadata", True),
    "aws:cdk:version-reporting": ("versionReporting", True),
}


def find_app_dir(start: str | Path | None = None) -> Path:
    """The directory holding cdk.json: ``start`` (default: the working directory) or above."""
    here = Path(start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        if (directory / "cdk.json").is_file():
            return directory
    raise FileNotFoundError(
        f"no cdk.json in {here} or above: pass app_dir=<your CDK app directory>"
    )


def project_context(app_dir: str | Path | None = None) -> dict[str, Any]:
    """The context ``cdk synth`` gives the app in ``app_dir``: cdk.json's ``context``,
    ``cdk.context.json`` (cached lookups) for the keys cdk.json does not set, and the keys the
    CLI adds (path metadata, asset metadata, version reporting, bundling)."""
    directory = find_app_dir(app_dir)
    settings = json.loads((directory / "cdk.json").read_text())
    if not isinstance(settings, dict):
        raise ValueError(f"{directory / 'cdk.json'}: not a JSON object")
    context: dict[str, Any] = {}
    cached = directory / "cdk.context.json"
    if cached.is_file():
        context.update(json.loads(cached.read_text()))
    context.update(settings.get("context") or {})
    for key, (setting, default) in _CLI_CONTEXT.items():
        context.setdefault(key, settings.get(setting, default))
    context.setdefault("aws:cdk:bundling-stacks", settings.get("bundlingStacks", ["**"]))
    return context


def project_app(
    app_dir: str | Path | None = None, *, outdir: str | Path | None = None, **kwargs: Any
) -> aws_cdk.App:
    """A ``cdk.App`` with the project's context, the way the CDK CLI runs your app.

    A plain ``cdk.App()`` in a test has none of cdk.json's feature flags, so its templates differ
    from ``cdk synth``'s (and a guard or snapshot comparing them reports changes nobody made).
    ``app_dir``: the directory with cdk.json (default: the working directory or a parent).
    """
    import aws_cdk as cdk  # noqa: PLC0415 - only when a test asks for an app

    context = {**project_context(app_dir), **kwargs.pop("context", {})}
    return cdk.App(context=context, outdir=str(outdir) if outdir else None, **kwargs)


def _stacks(source: Any) -> dict[str, Any]:
    """Stack name -> template: a cdk.out or template folder, a ``Stack`` (by its stack name),
    one template, or such a mapping."""
    if isinstance(source, str | Path) and Path(source).is_dir():
        return dict(read_stacks(source))
    if isinstance(source, Mapping) and "Resources" not in source:
        return {str(name): template_of(t) for name, t in source.items()}
    stack_name = getattr(source, "stack_name", None)
    if isinstance(stack_name, str):
        return {stack_name: template_of(source)}
    return {"stack": template_of(source)}


def _single(source: Any) -> bool:
    """One template (a file, dict, ``Template``) rather than a set of named stacks."""
    if isinstance(source, str | Path):
        return not Path(source).is_dir()
    if isinstance(source, Mapping):
        return "Resources" in source
    return getattr(source, "stack_name", None) is None


def _paired(baseline: Any, current: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    old, new = _stacks(baseline), _stacks(current)
    if len(old) == 1 and len(new) == 1 and (_single(baseline) or _single(current)):
        # One template against one stack: they are the same stack whatever the labels say.
        (name,) = new
        old = {name: next(iter(old.values()))}
    return old, new


def guard_report(
    baseline: Any, current: Any, *, allow: Iterable[str] = (), strict: bool = False
) -> GuardReport:
    """The guard's report for deploying ``current`` over ``baseline``."""
    old, new = _paired(baseline, current)
    return compare(old, new, allow=allow, strict=strict)


def assert_no_replacements(
    baseline: Any,
    current: Any,
    *,
    allow: Iterable[str] = (),
    new_stacks: Iterable[str] = (),
    strict: bool = False,
) -> None:
    """Fail when deploying ``current`` over ``baseline`` replaces or deletes a VPN resource, or
    when a stack of ``current`` is not in ``baseline``.

    Each argument is one template (dict, ``Template``, ``Stack``, file), a mapping of stack name
    to template, or a cdk.out / template folder; a ``Stack`` is matched by its stack name.
    ``allow`` names intended replacements by logical id or construct path; ``new_stacks`` names
    stacks that are really new (a renamed stack is a new stack: its old one is left deployed and
    the new one gets new VPNs). ``strict``: a replacement the templates cannot decide fails too.
    The message names every offending resource, the property that forces it and what it means
    for traffic.
    """
    old, new = _paired(baseline, current)
    report = compare(old, new, allow=allow, strict=strict)
    compared = set(report.stacks)
    expected_new = set(new_stacks)
    missing = sorted(name for name in new if name not in compared and name not in expected_new)
    lines = [
        f"- stack {name} is not in the baseline (it has: {', '.join(sorted(old)) or 'none'}); "
        "a renamed stack deploys new VPNs next to the old ones. If it is really new, pass "
        f"new_stacks=[{name!r}]"
        for name in missing
    ]
    lines += [
        f"- {f.stack}/{f.logical_id} ({f.resource_type}"
        + (f", {f.paths[0]}" if f.paths else "")
        + f"): {f.kind.value}: {f.reason}: {f.consequence}"
        + (f" (unresolved: {f.unresolved})" if f.unresolved else "")
        for f in report.blocked
    ]
    if lines:
        raise AssertionError(
            f"{len(lines)} problem(s) deploying over the baseline:\n" + "\n".join(lines)
        )
