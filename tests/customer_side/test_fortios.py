"""FortiOS config blocks: parsed back equal to the template, judged against Fortinet's CLI
reference."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings

from site_to_site_vpn.customer_side.algorithms import UnknownAlgorithmError
from site_to_site_vpn.customer_side.facts import DeployFacts, PathPreference
from site_to_site_vpn.customer_side.fortios import KEYWORDS, render_fortios
from site_to_site_vpn.customer_side.tunnels import MissingFactError
from tests.customer_side import vendor_cases as cases
from tests.customer_side.judge_panos_fortios import (
    FORTIOS_ENCRYPTION,
    FORTIOS_GROUPS,
    FORTIOS_HASH,
    fortios_tree,
    judge_fortios,
    recover_fortios,
)
from tests.support import PSKS

ASN = 65010


def _render(props: dict[str, Any], facts: DeployFacts, asn: int = ASN) -> str:
    config = render_fortios(vpn_properties=props, customer_asn=asn, facts=facts)
    return config.files["fortios.conf"]


_check = cases.judged_and_recovered(
    _render,
    judge_fortios,
    recover_fortios,
    asn=ASN,
    one_pfs_group=False,
    integrity_with_aead=False,
)


@pytest.mark.parametrize("path", list(PathPreference))
def test_fixture_vpn_parses_back_equal_to_the_template(path: PathPreference) -> None:
    _check(cases.fixture_props(), cases.facts(path=path))


@pytest.mark.parametrize("path", list(PathPreference))
def test_static_vpn_routes_the_remote_prefixes_over_both_tunnels(path: PathPreference) -> None:
    text = _check(cases.static_props(), cases.facts(path=path))
    assert "config router bgp" not in text


def test_concentrator_vpn_is_configured_like_any_bgp_vpn() -> None:
    _check(cases.concentrator_props(), cases.facts())


def test_ipv6_outside_addresses() -> None:
    props, facts = cases.ipv6_case()
    text = _check(props, facts)
    assert "set ip-version 6" in text
    assert "set remote-gw6 2001:db8:a::1" in text


def test_compatible_profile_is_refused_for_the_groups_fortios_lacks() -> None:
    cases.check_compatible_refused_for_lacking_groups(_render, "fortios", FORTIOS_GROUPS)


def test_compatible_profile_narrowed_to_fortios_groups_renders() -> None:
    _check(cases.narrowed(cases.compatible_props(), FORTIOS_GROUPS), cases.facts())


def test_mixed_cbc_and_gcm_proposals() -> None:
    props = cases.fixture_props()
    for spec in props["VpnTunnelOptionsSpecifications"]:
        spec["Phase1EncryptionAlgorithms"] = [{"Value": "AES256"}, {"Value": "AES128-GCM-16"}]
        spec["Phase2EncryptionAlgorithms"] = [{"Value": "AES256"}, {"Value": "AES256-GCM-16"}]
    text = _check(props, cases.facts())
    phase1 = fortios_tree(text).configs["vpn ipsec phase1-interface"].edit("aws-tunnel-1")
    assert phase1.settings["proposal"] == (
        "aes128gcm-prfsha384",
        "aes128gcm-prfsha256",
        "aes256-sha384",
        "aes256-sha256",
    )


def test_no_onprem_prefix_is_refused_in_one_line() -> None:
    with pytest.raises(
        MissingFactError,
        match=r"^fortios cannot filter BGP routes without the on-premises prefixes",
    ):
        _render(cases.fixture_props(), replace(cases.facts(), onprem_prefixes=()))


def test_psk_only_in_psksecret_and_never_in_repr() -> None:
    config = render_fortios(
        vpn_properties=cases.fixture_props(), customer_asn=ASN, facts=cases.facts()
    )
    for psk, line in zip(PSKS, cases.psk_lines(config, "fortios.conf"), strict=True):
        assert line.strip() == f"set psksecret {psk}"


def test_header_says_nothing_was_proven_live() -> None:
    text = _render(cases.fixture_props(), cases.facts())
    assert "# Proven live: nothing." in text


def test_judge_catches_an_unknown_keyword_and_a_bad_value() -> None:
    text = _render(cases.fixture_props(), cases.facts())
    bad = text.replace("set dhgrp 21 20 19", "set dhgrp 21 20 24", 1).replace(
        "set dpd on-idle", "set dpd-mode on-idle", 1
    )
    assert len(judge_fortios(bad)) == 2


@pytest.mark.slow
def test_every_example_site_renders_or_is_refused_in_one_line() -> None:
    refusals = cases.example_site_refusals(_check, "fortios", FORTIOS_GROUPS)
    # Only the compatible-profile site (DH groups 23, 24) is refused.
    assert [site[:4] for site in refusals] == ["oslo"]


@settings(max_examples=40, deadline=None)
@given(**cases.LIST_STRATEGIES)
def test_any_template_renders_exactly_or_is_refused_naming_what(
    enc: list[str], integ: list[str], groups1: list[int], groups2: list[int], ikev1: bool
) -> None:
    cases.check_lists_render_or_refuse(
        _check,
        "fortios",
        FORTIOS_GROUPS,
        enc=enc,
        integ=integ,
        groups1=groups1,
        groups2=groups2,
        ikev1=ikev1,
    )


def test_judge_catches_an_unknown_block_and_unbalanced_blocks() -> None:
    text = _render(cases.fixture_props(), cases.facts())
    assert judge_fortios(text + "config firewall bogus\n    set x y\nend\n") == [
        "unknown block firewall bogus"
    ]
    with pytest.raises(AssertionError, match="unbalanced"):
        fortios_tree(text + "config router static\n")


def test_keyword_table_cites_a_page_per_row_and_agrees_with_the_judge() -> None:
    cases.check_keyword_table(
        KEYWORDS,
        site="docs.fortinet.com",
        groups=FORTIOS_GROUPS,
        group_keyword=str,
        names={**FORTIOS_ENCRYPTION, **FORTIOS_HASH},
    )


def test_a_name_aws_does_not_define_is_refused_without_naming_strongswan() -> None:
    props = cases.fixture_props()
    props["VpnTunnelOptionsSpecifications"][0]["Phase1EncryptionAlgorithms"] = [{"Value": "AES192"}]
    with pytest.raises(UnknownAlgorithmError, match="phase 1 encryption list") as caught:
        _render(props, cases.facts())
    assert "strongSwan" not in str(caught.value)
