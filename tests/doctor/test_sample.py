"""The doctor sample in the doctor and after-deploy guides is what the CLI prints for it."""

from __future__ import annotations

import pytest

from tests.doctor.sample import FILES, block, current, normalize, render


@pytest.mark.slow
def test_the_documented_sample_is_a_real_run() -> None:
    expected = normalize(block(render()))
    for path in FILES:
        assert normalize(current(path)) == expected, (
            f"{path.name}: re-run `python -m tests.doctor.sample` and commit the result"
        )
