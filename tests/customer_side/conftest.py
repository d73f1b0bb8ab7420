"""Template properties and deploy facts shared by the renderer tests."""

from __future__ import annotations

import copy
import ipaddress
import json
from pathlib import Path
from typing import Any

import pytest

from site_to_site_vpn.customer_side import (
    Dataplane,
    DeployFacts,
    PathPreference,
    TunnelFacts,
)

FIXTURE = Path(__file__).resolve().parents[2] / "lab" / "fixture_template.json"
PSKS = ("Psk.one_abcdefgh1234", "Psk.two_zyxwvuts9876")


def fixture_template() -> dict[str, Any]:
    return dict(json.loads(FIXTURE.read_text(encoding="utf-8")))


@pytest.fixture
def template() -> dict[str, Any]:
    return fixture_template()


@pytest.fixture
def props(template: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(template["Resources"]["VpnConnection"]["Properties"])


def make_facts(
    *,
    path: PathPreference = PathPreference.PRIMARY_SECONDARY,
    dataplane: Dataplane = Dataplane.XFRM,
    inside: tuple[str | None, str | None] = (None, None),
    remote: tuple[str, ...] = (),
) -> DeployFacts:
    first, second = (
        TunnelFacts(
            outside_ip=ipaddress.IPv4Address(ip),
            psk=psk,
            inside_cidr=ipaddress.IPv4Network(cidr) if cidr else None,
        )
        for ip, psk, cidr in zip(("192.0.2.10", "192.0.2.20"), PSKS, inside, strict=True)
    )
    return DeployFacts(
        tunnels=(first, second),
        cgw_outside_ip=ipaddress.IPv4Address("198.51.100.10"),
        amazon_side_asn=64512,
        onprem_prefixes=(ipaddress.IPv4Network("172.16.0.0/16"),),
        remote_prefixes=tuple(ipaddress.IPv4Network(p) for p in remote),
        path_preference=path,
        dataplane=dataplane,
    )


@pytest.fixture
def facts() -> DeployFacts:
    return make_facts()
