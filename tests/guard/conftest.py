from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.guard.apps import VpnApp, synth_to
from tests.wheel import built_wheel, wheel_env

# The wheel fixtures are shared (tests/wheel.py); re-exported so tests/guard can use them.
__all__ = ["assembly", "built_wheel", "wheel_env"]


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
