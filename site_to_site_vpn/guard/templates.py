"""Read the stacks to compare: a cloud assembly (cdk.out) or a folder of ``*.template.json``.

Stacks are keyed by their CloudFormation stack name, so a synthesized assembly and the deployed
stacks (``GetTemplate``) line up. Nested assemblies (CDK Pipelines stages) are read too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STACK_ARTIFACT = "aws:cloudformation:stack"
NESTED_ASSEMBLY = "cdk:cloud-assembly"


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

    @property
    def resources(self) -> dict[str, dict[str, Any]]:
        found = self.template.get("Resources") or {}
        return found if isinstance(found, dict) else {}


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text())
    except FileNotFoundError as error:
        raise TemplateReadError(f"{path}: no such file") from error
    except (OSError, UnicodeDecodeError) as error:
        raise TemplateReadError(f"{path}: cannot read: {error}") from error
    except json.JSONDecodeError as error:
        raise TemplateReadError(f"{path}: not JSON: {error.msg} (line {error.lineno})") from error


def _template(path: Path, name: str, paths: dict[str, str] | None = None) -> StackTemplate:
    data = _read_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("Resources", {}), dict):
        raise TemplateReadError(f"{path}: not a CloudFormation template (no Resources mapping)")
    return StackTemplate(name=name, template=data, source=str(path), construct_paths=paths or {})


def _logical_id_paths(directory: Path, artifact: dict[str, Any]) -> dict[str, str]:
    """Logical id -> construct path from a stack artifact's ``aws:cdk:logicalId`` metadata."""
    metadata = artifact.get("metadata") or {}
    extra = artifact.get("additionalMetadataFile")
    if extra and (directory / extra).is_file():
        loaded = _read_json(directory / extra)
        if isinstance(loaded, dict):
            metadata = {**loaded, **metadata}
    paths: dict[str, str] = {}
    for path, entries in metadata.items():
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, dict) and entry.get("type") == "aws:cdk:logicalId":
                paths[str(entry.get("data"))] = str(path).lstrip("/")
    return paths


def _read_assembly(directory: Path, stacks: dict[str, StackTemplate]) -> None:
    manifest_path = directory / "manifest.json"
    manifest = _read_json(manifest_path)
    artifacts = manifest.get("artifacts") if isinstance(manifest, dict) else None
    if not isinstance(artifacts, dict):
        raise TemplateReadError(f"{manifest_path}: not a cloud assembly manifest (no artifacts)")
    for artifact_id, artifact in artifacts.items():
        kind = artifact.get("type")
        properties = artifact.get("properties") or {}
        if kind == STACK_ARTIFACT:
            template_file = properties.get("templateFile")
            if not template_file:
                raise TemplateReadError(f"{manifest_path}: stack {artifact_id} has no templateFile")
            name = str(properties.get("stackName") or artifact_id)
            paths = _logical_id_paths(directory, artifact)
            _add(stacks, _template(directory / template_file, name, paths))
        elif kind == NESTED_ASSEMBLY and properties.get("directoryName"):
            _read_assembly(directory / properties["directoryName"], stacks)


def _add(stacks: dict[str, StackTemplate], stack: StackTemplate) -> None:
    if stack.name in stacks:
        raise TemplateReadError(
            f"{stack.source}: stack name {stack.name} also in {stacks[stack.name].source}"
        )
    stacks[stack.name] = stack


def read_stacks(directory: str | Path) -> dict[str, StackTemplate]:
    """Every stack under ``directory`` by stack name.

    A ``manifest.json`` makes it a cloud assembly; otherwise each ``<name>.template.json`` is the
    stack ``<name>``.
    """
    root = Path(directory)
    if not root.is_dir():
        raise TemplateReadError(f"{root}: not a directory (expected cdk.out or *.template.json)")
    stacks: dict[str, StackTemplate] = {}
    if (root / "manifest.json").is_file():
        _read_assembly(root, stacks)
    else:
        for path in sorted(root.glob("*.template.json")):
            _add(stacks, _template(path, path.name.removesuffix(".template.json")))
    if not stacks:
        raise TemplateReadError(f"{root}: no stacks (no manifest.json, no *.template.json)")
    return stacks
