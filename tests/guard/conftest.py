from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.guard.apps import VpnApp, synth_to

# The wheel fixtures (tests/wheel.py) are registered suite-wide in tests/conftest.py.
__all__ = ["assembly"]


@pytest.fixture(scope="session")
def assembly(tmp_path_factory: pytest.TempPathFactory) -> Callable[[VpnApp], Path]:
    """``assembly(spec)``: the cdk.out of ``spec``, synthesized once per test session (worker)."""
    root = tmp_path_factory.mktemp("assemblies")
    built: dict[VpnApp, Path] = {}

    def get(spec: VpnApp) -> Path:
        if spec not in built:
            built[spec] = synth_to(spec, root / f"cdk.out.{len(built)}")
        return built[spec]

    return get
