"""Shared test helpers: every template a test synthesizes passes cdk-nag and cfn-lint.

Use :func:`new_app` for the app and :func:`synth` for the template: ``synth`` runs the AwsSolutions
and NIST 800-53 R5 packs (a finding makes ``app.synth()`` raise) and cfn-lint (errors and warnings
fail the test), so no template escapes the checks.
"""

from __future__ import annotations

import json
import re
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import cfnlint.api
from aws_cdk import assertions

from site_to_site_vpn.compliance import apply_compliance_checks

REPO = Path(__file__).resolve().parent.parent
TEST_ENV = cdk.Environment(account="111111111111", region="us-east-1")


@lru_cache(maxsize=1)
def recommended_flags() -> dict[str, Any]:
    """The feature flags of this repo's cdk.json: the set ``cdk init`` writes for aws-cdk-lib."""
    context: dict[str, Any] = json.loads((REPO / "cdk.json").read_text())["context"]
    return {k: v for k, v in context.items() if k.startswith("@aws-cdk")}


def new_app(*, context: dict[str, Any] | None = None, flags: bool = True) -> cdk.App:
    """An app writing to a fresh temporary cdk.out, with the compliance packs applied.

    ``flags`` (default) gives it the recommended feature flags a ``cdk init`` app has; False
    builds it with none, as an app made before those flags existed.
    """
    full = {**(recommended_flags() if flags else {}), **(context or {})}
    app = cdk.App(outdir=tempfile.mkdtemp(prefix="cdk-test-"), context=full)
    apply_compliance_checks(app)
    return app


def new_stack(app: cdk.App | None = None, name: str = "TestStack") -> cdk.Stack:
    return cdk.Stack(app or new_app(), name, env=TEST_ENV)


@lru_cache(maxsize=256)
def _lint(template_json: str) -> tuple[str, ...]:
    matches = cfnlint.api.lint(template_json, regions=["us-east-1"])
    # Errors (E) and warnings (W) fail; informational (I) findings are advice, not defects.
    return tuple(str(m) for m in matches if m.rule.id[0] in "EW")


def lint_problems(template: dict[str, Any]) -> tuple[str, ...]:
    """cfn-lint's errors and warnings for one template."""
    return _lint(json.dumps(template, sort_keys=True))


def synth(stack: cdk.Stack) -> dict[str, Any]:
    """Synthesize ``stack``'s app (cdk-nag runs), lint the template and return it as a dict."""
    app = stack.node.root
    assert isinstance(app, cdk.App)
    assembly = app.synth()
    template: dict[str, Any] = assembly.get_stack_by_name(stack.stack_name).template
    problems = lint_problems(template)
    assert not problems, "cfn-lint:\n" + "\n".join(problems)
    return template


def template_of(stack: cdk.Stack) -> assertions.Template:
    """``synth`` wrapped for ``aws_cdk.assertions``."""
    return assertions.Template.from_json(synth(stack))


def resources_of_type(template: dict[str, Any], type_name: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == type_name}


def only_resource(template: dict[str, Any], type_name: str) -> dict[str, Any]:
    found = resources_of_type(template, type_name)
    assert len(found) == 1, f"expected one {type_name}, found {sorted(found)}"
    return next(iter(found.values()))


_ASSET_HASH = re.compile(r"[0-9a-f]{64}")


def normalized(template: dict[str, Any]) -> dict[str, Any]:
    """``template`` with asset hashes replaced, so snapshots change only when resources do."""
    text = _ASSET_HASH.sub("<asset-hash>", json.dumps(template, sort_keys=True))
    result: dict[str, Any] = json.loads(text)
    return result


def plain_log_group_arn(logical_id: str, *, flags: bool = True) -> dict[str, Any]:
    """The plain log group ARN (no ``:*`` stream wildcard) the tunnels' LogOptions carry.

    Under the recommended flags (``@aws-cdk/core:enablePartitionLiterals``) the partition of a
    stack with a known Region is the literal ``aws``; without them it is ``AWS::Partition``.
    """
    head: list[Any] = (
        ["arn:aws:logs:us-east-1:111111111111:log-group:"]
        if flags
        else ["arn:", {"Ref": "AWS::Partition"}, ":logs:us-east-1:111111111111:log-group:"]
    )
    return {"Fn::Join": ["", [*head, {"Ref": logical_id}]]}


def assert_reported(error: Exception, *, path: str, field: str, value: str, rule: str) -> None:
    """``error`` has a line ``<path>: <field> = <value...>: <rule...>`` for one problem."""
    message = str(error)
    line = next((x for x in message.splitlines() if f" {field} = " in x), None)
    assert line is not None, f"no line names {field}:\n{message}"
    assert f"{path}: " in line
    assert value in line
    assert rule in line
