"""Live lab: a site on a VPN Concentrator, with IPv4 and with IPv6 outside addresses.

For the customer gateway a concentrator site is an ordinary two-tunnel BGP VPN ("AWS Site-to-Site
VPN Concentrators"); an IPv6-outside site runs IKE and ESP over IPv6 ("IPv4 and IPv6 traffic in
AWS Site-to-Site VPN"). The lab plays the AWS side from the synthesized template; the outside
IPv6 addresses come from the documentation prefix 2001:db8::/32 only, inside the lab's own
namespaces (ipsec-lab.md's network rule). Each bring-up is torn down, also when a check fails.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lab import probes
from lab.template_source import synthesize_concentrator_site
from lab.topology import OUTSIDE_V4, OUTSIDE_V6, VPC_HOST, Lab, Outside, build
from tests.lab.conftest import lab_unavailable

pytestmark = [pytest.mark.lab, pytest.mark.xdist_group("lab")]


def _site_lab(outside: Outside) -> Iterator[Lab]:
    reason = lab_unavailable()
    if reason is not None:
        pytest.skip(reason)
    lab = build(synthesize_concentrator_site(outside_ipv6=outside.ipv6), outside=outside)
    try:
        yield lab
    finally:
        lab.teardown()


@pytest.fixture(
    scope="module", params=[OUTSIDE_V4, OUTSIDE_V6], ids=["ipv4-outside", "ipv6-outside"]
)
def site_lab(request: pytest.FixtureRequest) -> Iterator[Lab]:
    yield from _site_lab(request.param)


def test_concentrator_site_brings_up_both_tunnels_bgp_and_traffic(site_lab: Lab) -> None:
    props = site_lab.template.template["Resources"][site_lab.aws.logical_id]["Properties"]
    assert "VpnConcentratorId" in props
    assert "TransitGatewayId" not in props
    for number in (1, 2):
        for side in ("cgw", "aws"):
            state = probes.sa_state(site_lab, f"{side}{number}")
            assert state.up, f"{side} tunnel {number}: {state}"
    peers = probes.bgp_peers(site_lab, "cgw")
    assert set(peers) == {str(t.aws_ip) for t in site_lab.aws.tunnels}
    assert all(state == ("Established", 1) for state in peers.values()), peers
    ping = site_lab.ns.run(
        "onprem", ["ping", "-n", "-c", "3", "-i", "0.2", "-W", "1", VPC_HOST], check=False
    )
    assert ping.returncode == 0, ping.stdout
    assert probes.carrying_tunnels(site_lab) == ("tun1", "tun1")


def test_ike_and_esp_run_over_the_outside_family(site_lab: Lab) -> None:
    listing = site_lab.charons["cgw1"].swanctl(site_lab.ns, "--list-sas")
    assert site_lab.outside.cgw in listing
    assert site_lab.outside.aws[0] in listing
    swanctl = site_lab.rendered.files["swanctl-tunnel1.conf"]
    assert f"local_addrs = {site_lab.outside.cgw}" in swanctl
    expected_v6 = site_lab.outside is OUTSIDE_V6
    assert site_lab.outside.ipv6 is expected_v6
    assert site_lab.facts.outside_ipv6 is expected_v6
