"""Parsing of strongSwan output and ping records, without a running lab."""

from __future__ import annotations

from lab.probes import PingRecord, parse_list_sas

LIST_SAS = """\
aws-tunnel-1: #1, ESTABLISHED, IKEv2, cf79223a0ddf612d_i* 9c301bcf57504266_r
  local  '198.51.100.10' @ 198.51.100.10[4500]
  remote '192.0.2.10' @ 192.0.2.10[4500]
  AES_GCM_16-256/PRF_HMAC_SHA2_384/ECP_521
  established 6s ago, rekeying in 28301s
  aws-tunnel-1: #1, reqid 1, INSTALLED, TUNNEL-in-UDP, ESP:AES_GCM_16-256
    installed 6s ago, rekeying in 3058s, expires in 3594s
    local  0.0.0.0/0
    remote 0.0.0.0/0
"""


def test_parse_list_sas() -> None:
    state = parse_list_sas(LIST_SAS)
    assert state.up
    assert state.ike_version == "IKEv2"
    assert state.ike_algorithms == ("AES_GCM_16-256", "PRF_HMAC_SHA2_384", "ECP_521")
    assert state.esp_algorithms == ("AES_GCM_16-256",)


def test_parse_list_sas_without_child() -> None:
    state = parse_list_sas(LIST_SAS.split("  aws-tunnel-1: #1, reqid", maxsplit=1)[0])
    assert state.ike_state == "ESTABLISHED"
    assert not state.up


def test_parse_nothing() -> None:
    assert parse_list_sas("").ike_state is None


def test_outage_is_the_gap_beyond_the_interval() -> None:
    record = PingRecord(sent=100, received=90, interval=0.2, longest_gap=2.2)
    assert (record.lost, round(record.outage, 3)) == (10, 2.0)
