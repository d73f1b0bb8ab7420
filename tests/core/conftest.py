"""Fixtures for core tests; the builders are in tests/support.py."""

from __future__ import annotations

import aws_cdk as cdk
import pytest

from tests.support import new_stack


@pytest.fixture
def stack() -> cdk.Stack:
    return new_stack()
