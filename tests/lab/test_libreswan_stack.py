"""Live: the libreswan + BIRD 2 customer side against the same template-configured AWS side.

pluto runs from the rendered ipsec.conf and ipsec.secrets (one per tunnel end); BIRD runs the
rendered bird.conf. This kernel has no ESP, so BIRD's traffic crosses the lab's userspace ESP
tunnels, and pluto's part is the negotiation (see lab/pluto_ike.py).
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator

import pytest

from lab import aws_side, probes, scenarios
from lab.pluto_ike import negotiate
from lab.template_source import LabTemplate
from lab.topology import ONPREM_HOST, ONPREM_PREFIX, VPC_HOST, VPC_PREFIX, Lab, Stack, build

pytestmark = [pytest.mark.lab, pytest.mark.slow, pytest.mark.xdist_group("lab")]

SILENT_MARGIN = 5.0


@pytest.fixture(scope="module")
def bird_lab(template_for_lab: LabTemplate) -> Iterator[Lab]:
    from lab.__main__ import libreswan_preflight  # noqa: PLC0415 - only once the lab can run

    missing = libreswan_preflight()
    assert missing is None, missing  # a missing package is a failure, as for strongSwan
    lab = build(template_for_lab, stack=Stack.LIBRESWAN_BIRD)
    try:
        yield lab
    finally:
        lab.teardown()


def _gone(prefix: str, pids: tuple[int, ...]) -> None:
    names = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, check=True)
    assert prefix not in names.stdout
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_pluto_negotiates_both_tunnels_with_the_strongest_allowed_algorithms(
    template_for_lab: LabTemplate,
) -> None:
    from lab.__main__ import libreswan_preflight  # noqa: PLC0415

    assert libreswan_preflight() is None
    result = negotiate(template_for_lab)
    vpn = aws_side.read_template(template_for_lab.template, amazon_asn=template_for_lab.amazon_asn)
    for tunnel, aws in zip(result.tunnels, vpn.tunnels, strict=True):
        assert tunnel.ike_established, tunnel
        assert tunnel.aws.up, tunnel
        assert tunnel.aws.ike_version == "IKEv2"
        assert tunnel.aws.ike_algorithms == aws_side.strongest_ike(aws)
        assert tunnel.aws.esp_algorithms == aws_side.strongest_esp(aws)
    assert result.prefix.startswith(Stack.LIBRESWAN_BIRD.prefix)
    _gone(result.prefix, result.pids)


def test_pluto_with_a_proposal_outside_the_template_does_not_establish(
    template_for_lab: LabTemplate,
) -> None:
    def outside(number: int, text: str) -> str:
        return (
            re.sub(r"(?m)^    ike=.*$", "    ike=aes128-sha1;modp2048", text)
            if number == 1
            else text
        )

    result = negotiate(template_for_lab, tamper=outside)
    refused, other = result.tunnels
    assert not refused.ike_established
    assert refused.aws.ike_state != "ESTABLISHED"
    assert other.ike_established  # the check tells the tunnels apart
    _gone(result.prefix, result.pids)


def test_namespaces_are_the_stacks_own(bird_lab: Lab) -> None:
    assert bird_lab.ns.prefix.startswith(Stack.LIBRESWAN_BIRD.prefix)
    assert not bird_lab.ns.prefix.startswith(Stack.STRONGSWAN_FRR.prefix)


def test_bird_exchanges_routes_on_both_tunnels(bird_lab: Lab) -> None:
    cgw_peers = probes.bgp_peers(bird_lab, "cgw")
    aws_peers = probes.bgp_peers(bird_lab, "aws")
    assert set(cgw_peers) == {str(t.aws_ip) for t in bird_lab.aws.tunnels}
    assert set(aws_peers) == {str(t.cgw_ip) for t in bird_lab.aws.tunnels}
    assert all(state == ("Established", 1) for state in cgw_peers.values()), cgw_peers
    assert all(state == ("Established", 1) for state in aws_peers.values()), aws_peers
    cgw_routes = bird_lab.ns.run("cgw", ["ip", "route", "show", "proto", "bird"]).stdout
    aws_routes = bird_lab.ns.run("aws", ["ip", "route", "show", "proto", "bgp"]).stdout
    assert VPC_PREFIX in cgw_routes
    assert ONPREM_PREFIX in aws_routes
    assert ONPREM_PREFIX not in cgw_routes  # the origination stays inside BIRD


def test_ping_both_ways_over_tunnel_1(bird_lab: Lab) -> None:
    for source, target in (("onprem", VPC_HOST), ("vpc", ONPREM_HOST)):
        result = bird_lab.ns.run(
            source, ["ping", "-n", "-c", "3", "-i", "0.2", "-W", "1", target], check=False
        )
        assert result.returncode == 0, result.stdout
    assert probes.carrying_tunnels(bird_lab) == ("tun1", "tun1")


def test_tcp_syn_carries_a_clamped_mss(bird_lab: Lab) -> None:
    mss = scenarios.mss_of_syn(bird_lab)
    assert mss is not None, "no SYN captured in the VPC"
    assert mss <= 1379


def test_graceful_loss_of_tunnel_1_loses_nothing(bird_lab: Lab) -> None:
    result = scenarios.graceful_failover(bird_lab, bgp_first=True)
    assert result.during == "tun2"
    assert result.record.lost == 0, result.record
    assert result.back_seconds is not None, "traffic did not return to tunnel 1"


def test_silent_loss_of_tunnel_1_fails_over_within_the_bgp_hold_time(bird_lab: Lab) -> None:
    result = scenarios.silent_failover(bird_lab)
    print(f"libreswan + BIRD 2 silent-loss outage {result.record.outage:.1f} s")
    assert result.switch_seconds is not None, "traffic never moved to tunnel 2"
    assert 0 < result.record.outage <= scenarios.BGP_HOLD + SILENT_MARGIN, result.record
    assert result.back_seconds is not None, "traffic did not return to tunnel 1 after repair"
