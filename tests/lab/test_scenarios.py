"""Live interop scenarios: the rendered customer side against the template-configured AWS side.

Order matters only in that the silent-loss scenario, the slowest, runs last on the shared lab.
"""

from __future__ import annotations

import os
import re
import subprocess

import pytest

from lab import aws_side, probes, scenarios
from lab.template_source import LabTemplate
from lab.topology import ONPREM_HOST, ONPREM_PREFIX, VPC_HOST, VPC_PREFIX, Lab

# One worker runs every lab test (make unit uses -n 2 --dist loadgroup), sharing one bring-up.
pytestmark = [pytest.mark.lab, pytest.mark.xdist_group("lab")]

#: Allowance on top of BGP's 30 s hold time for the silent-loss outage.
SILENT_MARGIN = 5.0


def test_both_tunnels_establish_with_the_strongest_allowed_algorithms(running_lab: Lab) -> None:
    for number, tunnel in zip((1, 2), running_lab.aws.tunnels, strict=True):
        for side in ("cgw", "aws"):
            state = probes.sa_state(running_lab, f"{side}{number}")
            assert state.up, f"{side} tunnel {number}: {state}"
            assert state.ike_version == "IKEv2"
            assert state.ike_algorithms == aws_side.strongest_ike(tunnel), side
            assert state.esp_algorithms == aws_side.strongest_esp(tunnel), side


def test_bgp_routes_are_exchanged_both_ways(running_lab: Lab) -> None:
    cgw_peers = probes.bgp_peers(running_lab, "cgw")
    aws_peers = probes.bgp_peers(running_lab, "aws")
    expected_cgw = {str(t.aws_ip) for t in running_lab.aws.tunnels}
    expected_aws = {str(t.cgw_ip) for t in running_lab.aws.tunnels}
    assert set(cgw_peers) == expected_cgw
    assert set(aws_peers) == expected_aws
    assert all(state == ("Established", 1) for state in cgw_peers.values()), cgw_peers
    assert all(state == ("Established", 1) for state in aws_peers.values()), aws_peers
    cgw_routes = running_lab.ns.run("cgw", ["ip", "route", "show", "proto", "bgp"]).stdout
    aws_routes = running_lab.ns.run("aws", ["ip", "route", "show", "proto", "bgp"]).stdout
    assert VPC_PREFIX in cgw_routes
    assert ONPREM_PREFIX in aws_routes


def test_ping_on_premises_to_vpc_and_back(running_lab: Lab) -> None:
    for source, target in (("onprem", VPC_HOST), ("vpc", ONPREM_HOST)):
        result = running_lab.ns.run(
            source, ["ping", "-n", "-c", "3", "-i", "0.2", "-W", "1", target], check=False
        )
        assert result.returncode == 0, result.stdout


def test_traffic_uses_tunnel_1_while_both_are_up(running_lab: Lab) -> None:
    assert probes.carrying_tunnels(running_lab) == ("tun1", "tun1")


def test_tcp_syn_across_the_tunnel_carries_a_clamped_mss(running_lab: Lab) -> None:
    mss = scenarios.mss_of_syn(running_lab)
    assert mss is not None, "no SYN captured in the VPC"
    assert mss <= 1379


def test_bulk_tcp_crosses_the_tunnel(running_lab: Lab) -> None:
    # Catches MTU/MSS mistakes that let pings through but stall full-size segments.
    assert scenarios.throughput_mbps(running_lab, seconds=2) > 1.0


def test_graceful_loss_of_tunnel_1_loses_nothing_and_returns(running_lab: Lab) -> None:
    result = scenarios.graceful_failover(running_lab, bgp_first=True)
    assert result.switch_seconds is not None, "traffic did not move to tunnel 2"
    assert result.during == "tun2"
    assert result.record.lost == 0, result.record
    assert result.back_seconds is not None, "traffic did not return to tunnel 1"


def test_ike_sa_deleted_outright_moves_traffic_at_once(running_lab: Lab) -> None:
    # Without the BGP-first order a few milliseconds separate one side's SA deletion from the
    # other side's interface going down; at 5 pings a second at most one ping falls into them.
    result = scenarios.graceful_failover(running_lab, bgp_first=False)
    print(f"IKE SA deleted outright: {result.record.lost} of {result.record.sent} lost")
    assert result.switch_seconds is not None
    assert result.switch_seconds < 1.0
    assert result.during == "tun2"
    assert result.record.lost <= 1, result.record
    assert result.back_seconds is not None, "traffic did not return to tunnel 1"


def test_silent_loss_of_tunnel_1_fails_over_within_the_bgp_hold_time(running_lab: Lab) -> None:
    result = scenarios.silent_failover(running_lab)
    print(f"silent-loss outage {result.record.outage:.1f} s, back {result.back_seconds} s")
    assert result.switch_seconds is not None, "traffic never moved to tunnel 2"
    assert 0 < result.record.outage <= scenarios.BGP_HOLD + SILENT_MARGIN, result.record
    assert result.back_seconds is not None, "traffic did not return to tunnel 1 after repair"


def test_no_psk_reaches_any_log(running_lab: Lab) -> None:
    psks = [t.psk for t in running_lab.facts.tunnels]
    logs = [
        path
        for path in running_lab.ns.workdir.rglob("*")
        if path.is_file() and path.suffix in {".log", ".stdout"}
    ]
    assert logs, "the lab wrote no logs"
    for path in logs:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert not any(psk in text for psk in psks), path


def _assert_torn_down(refused: scenarios.Refused) -> None:
    names = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, check=True)
    assert refused.prefix not in names.stdout
    for pid in refused.pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_psk_mismatch_does_not_establish(template_for_lab: LabTemplate) -> None:
    def wrong_psk(number: int, text: str) -> str:
        if number != 1:
            return text
        return re.sub(r'secret = ".*"', 'secret = "Wrong.psk_for_this_tunnel_0001"', text)

    refused = scenarios.refused_tunnel(template_for_lab, wrong_psk)
    print("\n".join(refused.reasons))
    assert not refused.state.up
    assert refused.state.ike_state != "ESTABLISHED"
    assert any(
        "AUTHENTICATION_FAILED" in r or "MAC mismatched" in r or "AUTH payload" in r
        for r in refused.reasons
    ), refused.reasons
    assert "Wrong.psk_for_this_tunnel_0001" not in refused.logs
    _assert_torn_down(refused)


def test_proposal_outside_the_template_does_not_establish(template_for_lab: LabTemplate) -> None:
    vpn = aws_side.read_template(template_for_lab.template)
    assert "AES128" not in vpn.tunnels[0].phase1_ciphers or "SHA1" not in (
        vpn.tunnels[0].phase1_hashes
    ), "pick another out-of-template proposal for this template"

    def outside(number: int, text: str) -> str:
        if number != 1:
            return text
        return re.sub(
            r"^(\s*)proposals = .*$", r"\1proposals = aes128-sha1-modp1024", text, flags=re.M
        )

    refused = scenarios.refused_tunnel(template_for_lab, outside)
    print("\n".join(refused.reasons))
    assert refused.state.ike_state != "ESTABLISHED"
    assert any(
        "NO_PROPOSAL_CHOSEN" in r or "no acceptable proposal" in r for r in refused.reasons
    ), refused.reasons
    _assert_torn_down(refused)
