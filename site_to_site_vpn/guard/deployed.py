"""The templates of deployed stacks (CloudFormation GetTemplate), so a pipeline compares against
what runs rather than against a file. boto3 is imported only here, when it is used."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import yaml

from site_to_site_vpn.guard.templates import StackTemplate, TemplateReadError, check_template


class _CfnYamlLoader(yaml.SafeLoader):
    """YAML templates with CloudFormation's short forms (``!Ref``, ``!GetAtt``, ``!Sub`` ...)."""


def _short_form(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    if suffix == "Ref":
        return {"Ref": value}
    if suffix == "Condition":
        return {"Condition": value}
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {f"Fn::{suffix}": value}


_CfnYamlLoader.add_multi_constructor("!", _short_form)


def parse_template_body(body: Any, stack_name: str) -> dict[str, Any]:
    """GetTemplate's ``TemplateBody``: boto3 gives a dict for JSON, a string for YAML."""
    if isinstance(body, dict):
        return check_template(body, f"deployed stack {stack_name}")
    try:
        parsed = json.loads(body)
    except (TypeError, ValueError):
        try:
            parsed = yaml.load(body, Loader=_CfnYamlLoader)  # a SafeLoader subclass
        except yaml.YAMLError as error:
            message = f"stack {stack_name}: template is neither JSON nor YAML"
            raise TemplateReadError(message) from error
    if not isinstance(parsed, dict):
        raise TemplateReadError(f"stack {stack_name}: template is not a mapping")
    return check_template(parsed, f"deployed stack {stack_name}")


def _missing_stack(error: Exception) -> bool:
    response = getattr(error, "response", None)
    if not isinstance(response, dict):
        return False
    err = response.get("Error", {})
    return err.get("Code") == "ValidationError" and "does not exist" in str(err.get("Message"))


def deployed_stacks(
    names: Iterable[str], *, region: str | None = None
) -> tuple[dict[str, StackTemplate], tuple[str, ...]]:
    """The deployed template of each named stack, and the names not deployed yet.

    A stack that does not exist yet is not an error: its first deployment replaces nothing.
    Missing region or credentials surface as botocore's errors (the CLI turns them into one line).
    """
    import boto3  # noqa: PLC0415 - only this path talks to AWS
    from botocore.exceptions import ClientError  # noqa: PLC0415

    client = boto3.client("cloudformation", region_name=region)
    stacks: dict[str, StackTemplate] = {}
    absent: list[str] = []
    for name in names:
        try:
            response = client.get_template(StackName=name, TemplateStage="Original")
        except ClientError as error:
            if _missing_stack(error):
                absent.append(name)
                continue
            raise
        template = parse_template_body(response.get("TemplateBody"), name)
        stacks[name] = StackTemplate(name=name, template=template, source=f"deployed stack {name}")
    return stacks, tuple(absent)
