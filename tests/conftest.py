"""Suite-wide fixtures. Builders and helpers are in tests/support.py, not in conftest files."""

from __future__ import annotations

import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.json import JSONSnapshotExtension

# The installed wheel (a fresh venv), built once per session for every test that uses it.
from tests.wheel import built_wheel, wheel_env

__all__ = ["built_wheel", "snapshot", "wheel_env"]


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """One snapshot format for the suite: a template as the JSON CloudFormation reads."""
    return snapshot.use_extension(JSONSnapshotExtension)
