"""docs/guides/changing-safely.md's Python blocks run as written (test-module blocks compile)."""

from __future__ import annotations

import re

import pytest

from tests.support import REPO

GUIDE = REPO / "docs" / "guides" / "changing-safely.md"
BLOCKS = re.findall(r"```python\n(.*?)```", GUIDE.read_text(), re.DOTALL)


def test_the_guide_has_python_blocks() -> None:
    assert len(BLOCKS) >= 2


@pytest.mark.parametrize("block", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_guide_block_runs(block: str) -> None:
    code = compile(block, str(GUIDE), "exec")
    if "\ndef test_" not in block:
        exec(code, {"__name__": "guide"})  # our own documentation's example
