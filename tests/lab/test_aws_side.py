"""The lab's AWS side reads the template on its own and enforces exactly what it allows."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest

from lab import aws_side
from lab.template_source import FIXTURE


@pytest.fixture
def template() -> dict[str, Any]:
    return dict(json.loads(FIXTURE.read_text(encoding="utf-8")))


def _conf(tunnel: aws_side.AwsTunnel) -> str:
    return aws_side.swanctl_conf(
        tunnel, aws_ip="192.0.2.10", cgw_ip="198.51.100.10", psk="x" * 32, updown="/u"
    )


def test_reads_asns_cidrs_and_responder_role(template: dict[str, Any]) -> None:
    vpn = aws_side.read_template(template)
    assert (vpn.customer_asn, vpn.amazon_asn, vpn.static_routes_only) == (65010, 64512, False)
    assert [str(t.inside_cidr) for t in vpn.tunnels] == ["169.254.10.0/30", "169.254.11.0/30"]
    assert [str(t.aws_ip) for t in vpn.tunnels] == ["169.254.10.1", "169.254.11.1"]
    text = _conf(vpn.tunnels[0])
    assert "start_action = none" in text
    assert "dpd_action = restart" in text


def test_offers_only_the_template_algorithms(template: dict[str, Any]) -> None:
    text = _conf(aws_side.read_template(template).tunnels[0])
    ike = re.search(r"^\s+proposals = (.*)$", text, re.M)
    esp = re.search(r"^\s+esp_proposals = (.*)$", text, re.M)
    assert ike is not None
    assert esp is not None
    assert ike[1] == ("aes128gcm16-aes256gcm16-prfsha256-prfsha384-ecp256-ecp384-ecp521")
    assert esp[1] == "aes128gcm16-aes256gcm16-ecp256-ecp384-ecp521"


def test_inside_cidrs_left_to_aws_are_picked_by_the_lab(template: dict[str, Any]) -> None:
    changed = copy.deepcopy(template)
    for spec in changed["Resources"]["VpnConnection"]["Properties"][
        "VpnTunnelOptionsSpecifications"
    ]:
        del spec["TunnelInsideCidr"]
        spec["StartupAction"] = "start"
    vpn = aws_side.read_template(changed)
    assert [str(t.inside_cidr) for t in vpn.tunnels] == list(aws_side.LAB_INSIDE_CIDRS)
    assert not vpn.tunnels[0].inside_cidr_from_template
    assert "start_action = start" in _conf(vpn.tunnels[0])


def test_gateway_referenced_by_id_takes_the_declared_asn(template: dict[str, Any]) -> None:
    props = template["Resources"]["VpnConnection"]["Properties"]
    props["TransitGatewayId"] = "tgw-0123456789abcdef0"
    assert aws_side.read_template(template, amazon_asn=64999).amazon_asn == 64999
    assert aws_side.read_template(template).amazon_asn == aws_side.LAB_AMAZON_ASN


def test_strongest_allowed_is_what_the_oracle_expects(template: dict[str, Any]) -> None:
    tunnel = aws_side.read_template(template).tunnels[0]
    assert aws_side.strongest_ike(tunnel) == ("AES_GCM_16-256", "PRF_HMAC_SHA2_384", "ECP_521")
    assert aws_side.strongest_esp(tunnel) == ("AES_GCM_16-256",)


def test_bgp_config_uses_template_asns_and_aws_timers(template: dict[str, Any]) -> None:
    frr = aws_side.frr_conf(aws_side.read_template(template), vpc_prefixes=["10.0.0.0/16"])
    assert "router bgp 64512" in frr
    assert "neighbor 169.254.10.2 remote-as 65010" in frr
    assert "neighbor 169.254.11.2 timers 10 30" in frr
    assert "network 10.0.0.0/16" in frr
