"""PAN-OS and FortiOS for synthesized VPN Concentrator sites, one with IPv6 outside addresses.

For the device a concentrator site is an ordinary two-tunnel BGP VPN ("AWS Site-to-Site VPN
Concentrators": BGP only, each VPN keeps its own tunnels); IPv6 outside addresses need IPv6 on
both ends ("IPv4 and IPv6 traffic in AWS Site-to-Site VPN").
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import Any

import pytest

from site_to_site_vpn.customer_side import template as tpl
from site_to_site_vpn.customer_side.facts import DeployFacts, TunnelFacts
from site_to_site_vpn.customer_side.fortios import render_fortios
from site_to_site_vpn.customer_side.panos import render_panos
from tests.customer_side import vendor_cases as cases
from tests.customer_side.judge_panos_fortios import (
    FORTIOS_GROUPS,
    PANOS_GROUPS,
    Recovered,
    judge_fortios,
    judge_panos,
    recover_fortios,
    recover_panos,
)
from tests.support import concentrator_sites_template, site_properties

pytestmark = pytest.mark.slow

INSIDE = ("169.254.20.0/30", "169.254.20.4/30")


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return concentrator_sites_template()


def _case(template: dict[str, Any], number: int) -> tuple[dict[str, Any], int, DeployFacts]:
    props = site_properties(template, number)
    cgw = template["Resources"][props["CustomerGatewayId"]["Fn::GetAtt"][0]]["Properties"]
    six = number == 2
    outside = ("2001:db8:a::1", "2001:db8:a::2") if six else cases.AWS_OUTSIDE
    facts = DeployFacts(
        tunnels=tuple(  # type: ignore[arg-type]
            TunnelFacts(
                outside_ip=ipaddress.ip_address(ip),
                psk=psk,
                inside_cidr=ipaddress.IPv4Network(cidr),
            )
            for ip, psk, cidr in zip(outside, cases.SITE_PSKS, INSIDE, strict=True)
        ),
        cgw_outside_ip=ipaddress.ip_address(cgw["IpAddress"]),
        amazon_side_asn=tpl.amazon_side_asn(template, props) or 0,
        onprem_prefixes=(ipaddress.IPv4Network(cases.ONPREM),),
        remote_prefixes=tuple(ipaddress.IPv4Network(p) for p in cases.REMOTE),
    )
    return props, tpl.customer_gateway_asn(template, props), facts


Vendor = tuple[Callable[..., Any], str, Callable[[str], list[str]], Callable[[str], Recovered]]
VENDORS: dict[str, tuple[Vendor, set[int], bool]] = {
    "panos": ((render_panos, "panos.conf", judge_panos, recover_panos), PANOS_GROUPS, True),
    "fortios": (
        (render_fortios, "fortios.conf", judge_fortios, recover_fortios),
        FORTIOS_GROUPS,
        False,
    ),
}


@pytest.mark.parametrize("number", [1, 2])
@pytest.mark.parametrize("vendor", sorted(VENDORS))
def test_concentrator_site_parses_back_equal_to_its_template(
    template: dict[str, Any], vendor: str, number: int
) -> None:
    (render, name, judge, recover), groups, one_pfs = VENDORS[vendor]
    props, asn, facts = _case(template, number)
    assert "VpnConcentratorId" in props
    assert facts.amazon_side_asn == 64600
    props = cases.narrowed(props, groups)
    text = render(vpn_properties=props, customer_asn=asn, facts=facts).files[name]
    assert judge(text) == []
    cases.check_recovered(
        recover(text), props, facts, asn, one_pfs_group=one_pfs, integrity_with_aead=one_pfs
    )
