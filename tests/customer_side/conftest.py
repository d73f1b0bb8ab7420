"""Fixtures for the renderer tests; the fixture template and facts are in tests/support.py."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from site_to_site_vpn.customer_side import DeployFacts
from tests.support import fixture_template, make_facts


@pytest.fixture
def template() -> dict[str, Any]:
    return fixture_template()


@pytest.fixture
def props(template: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(template["Resources"]["VpnConnection"]["Properties"])


@pytest.fixture
def facts() -> DeployFacts:
    return make_facts()
