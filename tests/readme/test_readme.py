"""Every Python code block of README.md and of docs/**/*.md runs as a CDK app a user would run,
and synthesizes.

sybil finds the blocks (its Markdown ``CodeBlockParser`` for ``python`` fences). Each block runs
in its own Python process, as ``cdk synth`` would start it: ``CDK_CONTEXT_JSON`` carries cdk.json's
context, i.e. the recommended feature flags ``cdk init`` writes (aws-cdk-lib's ``App`` reads that
variable, so a block's own ``cdk.App()`` gets them), and cdk-nag's AwsSolutions and NIST 800-53 R5
packs are on. A block that builds its own app must apply them itself; a fragment written for the
inside of a Stack gets ``app`` and ``self`` (a Stack) from the preamble below, and the checks
and the synth after it. Every template then passes cfn-lint. A block that builds no CDK app
(rendering a customer-gateway config, the guard's Python API) runs as written and must exit 0.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from sybil import Example, Sybil
from sybil.parsers.markdown import CodeBlockParser

from tests.support import REPO, lint_problems, recommended_flags

README = REPO / "README.md"
#: The docs site's pages (mkdocs.yml): their blocks are tested exactly like the README's.
DOCS = sorted((REPO / "docs").rglob("*.md"))

#: What a fragment written for a Stack's ``__init__`` runs inside.
PREAMBLE = """\
import aws_cdk as cdk
app = cdk.App()
self = cdk.Stack(app, "ReadmeExample",
                 env=cdk.Environment(account="111111111111", region="eu-west-1"))
"""
CHECKS = """
from site_to_site_vpn.compliance import apply_compliance_checks
apply_compliance_checks(app)
"""
SYNTH = "\napp.synth()\n"


def program(source: str) -> str:
    """The block as a complete app: a preamble for fragments, checks and synth when missing.

    The checks go in before the block's own ``app.synth()`` when it has one: added after it,
    they would never run.
    """
    full = source if "cdk.App(" in source else PREAMBLE + source
    if "apply_compliance_checks(app)" not in full:
        if "app.synth()" in full:
            full = full.replace("app.synth()", CHECKS + "app.synth()", 1)
        else:
            full += CHECKS
    if "app.synth()" not in full:
        full += SYNTH
    return full


def is_plain_program(source: str) -> bool:
    """A block that builds no CDK app (customer-side rendering, the guard's Python API): it runs
    as written and must exit 0; there is no template to lint."""
    return re.search(r"\b(self|app|cdk|aws_cdk)\b", source) is None


def is_test_module(source: str) -> bool:
    """A block of pytest tests for the user's own suite (it defines ``test_*`` functions)."""
    return source.startswith("def test_") or "\ndef test_" in source


def run_as_app(example: Example) -> None:
    """sybil evaluator: run the block as an app process, fail on any error or lint finding.

    A block of the user's own pytest tests is run as a module instead: its imports must resolve
    and it must compile; its fixtures (the user's stacks) are the user's.
    """
    out = Path(tempfile.mkdtemp(prefix="readme-cdk-out-"))
    source = str(example.parsed)
    env = {
        **os.environ,
        "CDK_CONTEXT_JSON": json.dumps(recommended_flags()),
        "CDK_OUTDIR": str(out),
        "CDK_DISABLE_CLI_TELEMETRY": "true",
        "PYTHONPATH": str(REPO),
    }
    as_written = is_test_module(source) or is_plain_program(source)
    code = source if as_written else program(source)
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=out,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    where = f"{Path(example.path).relative_to(REPO)} line {example.line}"
    assert result.returncode == 0, f"{where}:\n{result.stdout[-3000:]}{result.stderr[-6000:]}"
    if as_written:
        return
    templates = sorted(out.glob("*.template.json"))
    assert templates, f"{where} synthesized no stack"
    for path in templates:
        template: dict[str, Any] = json.loads(path.read_text())
        assert not lint_problems(template), f"{where}: {path.name}: {lint_problems(template)}"
    # The packs must be on before the synth (an app without findings writes an empty report, so
    # the report cannot tell): ``program`` puts them there unless the block does it itself.
    checks = code.find("apply_compliance_checks(app)")
    assert 0 <= checks < code.find("app.synth()"), f"{where}: compliance packs not applied first"


SYBIL = Sybil(parsers=[CodeBlockParser(language="python", evaluator=run_as_app)])
EXAMPLES = list(SYBIL.parse(README))
DOC_EXAMPLES = [example for page in DOCS for example in SYBIL.parse(page)]


def test_readme_and_docs_have_python_examples() -> None:
    assert len(EXAMPLES) >= 1
    assert len(EXAMPLES) + len(DOC_EXAMPLES) >= 8


def _id(example: Example) -> str:
    return f"{Path(example.path).relative_to(REPO)}:line-{example.line}"


@pytest.mark.parametrize(
    "example", EXAMPLES + DOC_EXAMPLES, ids=[_id(e) for e in EXAMPLES + DOC_EXAMPLES]
)
def test_python_block_synthesizes(example: Example) -> None:
    example.evaluate()


def test_a_test_module_block_is_recognised() -> None:
    assert is_test_module("from x import y\n\n\ndef test_it(snapshot):\n    pass\n")
    assert not is_test_module("vpn = SiteToSiteVpn(self, 'Vpn')\n")


def test_preamble_only_wraps_fragments() -> None:
    own_app = "import aws_cdk as cdk\napp = cdk.App()\napply_compliance_checks(app)\napp.synth()\n"
    assert program(own_app) == own_app
    fragment = program("x = 1\n")
    assert fragment.startswith(PREAMBLE)
    assert fragment.endswith(CHECKS + SYNTH)
