"""Read the stacks to compare: a cloud assembly (cdk.out) or a folder of ``*.template.json``.

A stack is (account, region, stack name), as the assembly's ``manifest.json`` says (its
``environment`` ``aws://ACCOUNT/REGION`` and ``stackName``): the same name in two regions is two
stacks. Nested assemblies (CDK Pipelines stages) are read too, and so are nested stacks
(``AWS::CloudFormation::Stack`` whose template is in the assembly, named by the resource's
``aws:asset:path`` metadata; "Working with nested stacks", CloudFormation User Guide: updating
the parent updates every nested stack). Input the guard cannot read raises
:class:`TemplateReadError` with one line naming the file and what is wrong.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STACK_ARTIFACT = "aws:cloudformation:stack"
NESTED_ASSEMBLY = "cdk:cloud-assembly"
NESTED_STACK = "AWS::CloudFormation::Stack"
ASSET_PATH = "aws:asset:path"
_UNKNOWN_ENV = ("unknown-account", "unknown-region")


class TemplateReadError(Exception):
    """Input the guard cannot read: the message is one line naming the file and the reason."""


@dataclass(frozen=True)
class StackTemplate:
    """One stack's template and where it came from."""

    name: str
    template: dict[str, Any]
    source: str
    #: Logical id -> construct path from the assembly's metadata, for templates synthesized
    #: without ``aws:cdk:path`` resource metadata (an app run outside the CDK CLI).
    construct_paths: dict[str, str] = field(default_factory=dict)
    #: From the manifest's environment; None when environment-agnostic or unknown.
    account: str | None = None
    region: str | None = None
    #: Templates of nested stacks found in the assembly, by the logical id of their
    #: ``AWS::CloudFormation::Stack`` resource.
    nested: dict[str, StackTemplate] = field(default_factory=dict)

    @property
    def resources(self) -> dict[str, dict[str, Any]]:
        found = self.template.get("Resources") or {}
        return found if isinstance(found, dict) else {}

    @property
    def key(self) -> tuple[str | None, str | None, str]:
        return (self.account, self.region, self.name)


def check_template(data: Any, where: str) -> dict[str, Any]:
    """``data`` if it is shaped like a CloudFormation template, else one-line TemplateReadError."""
    if not isinstance(data, dict):
        raise TemplateReadError(f"{where}: not a CloudFormation template (not a JSON object)")
    resources = data.get("Resources", {})
    if not isinstance(resources, dict):
        raise TemplateReadError(f"{where}: Resources is not an object")
    for section in ("Parameters", "Conditions", "Mappings", "Outputs"):
        if section in data and not isinstance(data[section], dict):
            raise TemplateReadError(f"{where}: {section} is not an object")
    for logical_id, resource in resources.items():
        if not isinstance(resource, dict):
            raise TemplateReadError(f"{where}: resource {logical_id} is not an object")
        if not isinstance(resource.get("Type"), str):
            raise TemplateReadError(f"{where}: resource {logical_id} has no Type string")
        if not isinstance(resource.get("Properties", {}), dict | type(None)):
            raise TemplateReadError(f"{where}: resource {logical_id}: Properties is not an object")
        if "Condition" in resource and not isinstance(resource["Condition"], str):
            raise TemplateReadError(f"{where}: resource {logical_id}: Condition is not a name")
    return data


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text())
    except FileNotFoundError as error:
        raise TemplateReadError(f"{path}: no such file") from error
    except IsADirectoryError as error:
        raise TemplateReadError(f"{path}: a directory, not a file") from error
    except (OSError, UnicodeDecodeError) as error:
        raise TemplateReadError(f"{path}: cannot read: {error}") from error
    except json.JSONDecodeError as error:
        raise TemplateReadError(f"{path}: not JSON: {error.msg} (line {error.lineno})") from error
    except RecursionError as error:
        raise TemplateReadError(f"{path}: not JSON: nested too deeply") from error


def _nested(directory: Path, template: Mapping[str, Any], seen: tuple[Path, ...]) -> dict[str, Any]:
    found: dict[str, StackTemplate] = {}
    for logical_id, resource in (template.get("Resources") or {}).items():
        if resource.get("Type") != NESTED_STACK:
            continue
        metadata = resource.get("Metadata")
        asset = metadata.get(ASSET_PATH) if isinstance(metadata, dict) else None
        if not isinstance(asset, str):
            continue
        path = directory / asset
        if path in seen:
            raise TemplateReadError(f"{path}: nested stack {logical_id} contains itself")
        found[logical_id] = _template(path, logical_id, seen=(*seen, path))
    return found


def _template(
    path: Path,
    name: str,
    paths: dict[str, str] | None = None,
    *,
    account: str | None = None,
    region: str | None = None,
    seen: tuple[Path, ...] = (),
) -> StackTemplate:
    data = check_template(_read_json(path), str(path))
    return StackTemplate(
        name=name,
        template=data,
        source=str(path),
        construct_paths=paths or {},
        account=account,
        region=region,
        nested=_nested(path.parent, data, (*seen, path)),
    )


def _logical_id_paths(directory: Path, artifact: dict[str, Any]) -> dict[str, str]:
    """Logical id -> construct path from a stack artifact's ``aws:cdk:logicalId`` metadata."""
    metadata = artifact.get("metadata") or {}
    extra = artifact.get("additionalMetadataFile")
    if isinstance(extra, str) and (directory / extra).is_file():
        loaded = _read_json(directory / extra)
        if isinstance(loaded, dict):
            metadata = {**loaded, **(metadata if isinstance(metadata, dict) else {})}
    paths: dict[str, str] = {}
    for path, entries in metadata.items() if isinstance(metadata, dict) else ():
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, dict) and entry.get("type") == "aws:cdk:logicalId":
                paths[str(entry.get("data"))] = str(path).lstrip("/")
    return paths


def _environment(value: Any) -> tuple[str | None, str | None]:
    """``aws://ACCOUNT/REGION`` -> (account, region); unknown parts are None."""
    if not isinstance(value, str) or not value.startswith("aws://"):
        return None, None
    account, _, region = value.removeprefix("aws://").partition("/")
    return (
        None if account in ("", _UNKNOWN_ENV[0]) else account,
        None if region in ("", _UNKNOWN_ENV[1]) else region,
    )


def _read_assembly(directory: Path, stacks: list[StackTemplate]) -> None:
    manifest_path = directory / "manifest.json"
    manifest = _read_json(manifest_path)
    artifacts = manifest.get("artifacts") if isinstance(manifest, dict) else None
    if not isinstance(artifacts, dict):
        raise TemplateReadError(f"{manifest_path}: not a cloud assembly manifest (no artifacts)")
    for artifact_id, artifact in artifacts.items():
        if not isinstance(artifact, dict):
            raise TemplateReadError(f"{manifest_path}: artifact {artifact_id} is not an object")
        kind = artifact.get("type")
        properties = artifact.get("properties") or {}
        if not isinstance(properties, dict):
            raise TemplateReadError(
                f"{manifest_path}: artifact {artifact_id}: properties is not an object"
            )
        if kind == STACK_ARTIFACT:
            template_file = properties.get("templateFile")
            if not isinstance(template_file, str) or not template_file:
                raise TemplateReadError(f"{manifest_path}: stack {artifact_id} has no templateFile")
            name = properties.get("stackName") or artifact_id
            if not isinstance(name, str):
                raise TemplateReadError(f"{manifest_path}: stack {artifact_id}: bad stackName")
            account, region = _environment(artifact.get("environment"))
            paths = _logical_id_paths(directory, artifact)
            stacks.append(
                _template(directory / template_file, name, paths, account=account, region=region)
            )
        elif kind == NESTED_ASSEMBLY and properties.get("directoryName"):
            nested = properties["directoryName"]
            if not isinstance(nested, str):
                raise TemplateReadError(f"{manifest_path}: {artifact_id}: bad directoryName")
            _read_assembly(directory / nested, stacks)


def label(stack: StackTemplate) -> str:
    """``account/region/name`` (unknown parts as ``?``)."""
    return f"{stack.account or '?'}/{stack.region or '?'}/{stack.name}"


def _keyed(stacks: list[StackTemplate]) -> dict[str, StackTemplate]:
    """By stack name; by ``account/region/name`` for a name deployed to several environments."""
    keyed: dict[str, StackTemplate] = {}
    seen: dict[tuple[str | None, str | None, str], StackTemplate] = {}
    names = [stack.name for stack in stacks]
    for stack in stacks:
        if stack.key in seen:
            raise TemplateReadError(
                f"{stack.source}: stack {label(stack)} also in {seen[stack.key].source}"
            )
        seen[stack.key] = stack
        keyed[stack.name if names.count(stack.name) == 1 else label(stack)] = stack
    return keyed


def read_stacks(directory: str | Path) -> dict[str, StackTemplate]:
    """Every stack under ``directory``: by stack name, or ``account/region/name`` when one name
    is used in several environments.

    A ``manifest.json`` makes it a cloud assembly; otherwise each ``<name>.template.json`` is the
    stack ``<name>``.
    """
    root = Path(directory)
    if not root.is_dir():
        raise TemplateReadError(f"{root}: not a directory (expected cdk.out or *.template.json)")
    stacks: list[StackTemplate] = []
    if (root / "manifest.json").is_file():
        _read_assembly(root, stacks)
    else:
        for path in sorted(root.glob("*.template.json")):
            if path.name.endswith(".nested.template.json"):
                continue  # read through its parent's aws:asset:path
            stacks.append(_template(path, path.name.removesuffix(".template.json")))
    if not stacks:
        raise TemplateReadError(f"{root}: no stacks (no manifest.json, no *.template.json)")
    return _keyed(stacks)
