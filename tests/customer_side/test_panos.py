"""PAN-OS set commands: parsed back equal to the template, judged against PAN-OS's documentation."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings

from site_to_site_vpn.customer_side.algorithms import UnknownAlgorithmError
from site_to_site_vpn.customer_side.facts import DeployFacts, PathPreference
from site_to_site_vpn.customer_side.panos import KEYWORDS, render_panos
from site_to_site_vpn.customer_side.tunnels import MissingFactError
from tests.customer_side import vendor_cases as cases
from tests.customer_side.judge_panos_fortios import (
    PANOS_ENCRYPTION,
    PANOS_GROUPS,
    PANOS_HASH,
    judge_panos,
    recover_panos,
)

ASN = 65010


def _render(props: dict[str, Any], facts: DeployFacts, asn: int = ASN) -> str:
    return render_panos(vpn_properties=props, customer_asn=asn, facts=facts).files["panos.conf"]


_check = cases.judged_and_recovered(
    _render,
    judge_panos,
    recover_panos,
    asn=ASN,
    one_pfs_group=True,
    integrity_with_aead=True,
)


@pytest.mark.parametrize("path", list(PathPreference))
def test_fixture_vpn_parses_back_equal_to_the_template(path: PathPreference) -> None:
    _check(cases.fixture_props(), cases.facts(path=path))


@pytest.mark.parametrize("path", list(PathPreference))
def test_static_vpn_routes_the_remote_prefixes_over_both_tunnels(path: PathPreference) -> None:
    text = _check(cases.static_props(), cases.facts(path=path))
    assert "protocol bgp" not in text
    assert "tunnel-monitor destination-ip 169.254.10.1" in text
    # PAN-OS refuses equal metrics for one destination; tunnel 1's is the lower.
    metrics = recover_panos(text).static_metrics
    for prefix in cases.REMOTE:
        assert metrics[(prefix, "169.254.10.1")] < metrics[(prefix, "169.254.11.1")]


def test_concentrator_vpn_is_configured_like_any_bgp_vpn() -> None:
    _check(cases.concentrator_props(), cases.facts())


def test_ipv6_outside_addresses() -> None:
    props, facts = cases.ipv6_case()
    text = _check(props, facts)
    assert "peer-address ip 2001:db8:a::1" in text
    assert "ipv6 yes" in text


def test_compatible_profile_is_refused_for_the_groups_panos_lacks() -> None:
    cases.check_compatible_refused_for_lacking_groups(_render, "panos", PANOS_GROUPS)


def test_compatible_profile_narrowed_to_panos_groups_renders() -> None:
    props = cases.narrowed(cases.compatible_props(), PANOS_GROUPS)
    text = _check(props, cases.facts())
    assert "protocol version ikev2" in text  # both allowed: IKEv2


def test_gcm_in_ikev1_only_is_refused() -> None:
    props = cases.fixture_props()
    for spec in props["VpnTunnelOptionsSpecifications"]:
        spec["IKEVersions"] = [{"Value": "ikev1"}]
    with pytest.raises(UnknownAlgorithmError, match=r"^panos cannot do phase 1 encryption .*IKEv1"):
        _render(props, cases.facts())


def test_no_prefixes_is_refused_in_one_line() -> None:
    with pytest.raises(
        MissingFactError, match=r"^panos cannot filter BGP routes without the AWS-side prefixes"
    ) as caught:
        _render(cases.fixture_props(), replace(cases.facts(), remote_prefixes=()))
    assert "\n" not in str(caught.value)


def test_psk_only_in_the_gateway_statement_and_never_in_repr() -> None:
    config = render_panos(
        vpn_properties=cases.fixture_props(), customer_asn=ASN, facts=cases.facts()
    )
    for line in cases.psk_lines(config, "panos.conf"):
        assert " authentication pre-shared-key key " in line


def test_header_says_nothing_was_proven_live() -> None:
    text = _render(cases.fixture_props(), cases.facts())
    assert "# Proven live: nothing." in text
    assert "# Checked by parsing only" in text


def test_judge_catches_an_unknown_keyword_and_a_bad_value() -> None:
    text = _render(cases.fixture_props(), cases.facts())
    bad = (
        text.replace("dh-group group21", "dh-group group24", 1).replace(
            "anti-replay yes", "anti-replay maybe", 1
        )
        + "set network ike gateway aws-tunnel-1 protocol ikev2 dpd retry-count 3\n"
    )
    assert len(judge_panos(bad)) == 3


@pytest.mark.slow
def test_every_example_site_renders_or_is_refused_in_one_line() -> None:
    refusals = cases.example_site_refusals(_check, "panos", PANOS_GROUPS)
    # The secure profile allows DH groups 17 and 18, which PAN-OS lacks: every site refused.
    assert len(refusals) == 5


@settings(max_examples=40, deadline=None)
@given(**cases.LIST_STRATEGIES)
def test_any_template_renders_exactly_or_is_refused_naming_what(
    enc: list[str], integ: list[str], groups1: list[int], groups2: list[int], ikev1: bool
) -> None:
    cases.check_lists_render_or_refuse(
        _check,
        "panos",
        PANOS_GROUPS,
        enc=enc,
        integ=integ,
        groups1=groups1,
        groups2=groups2,
        ikev1=ikev1,
    )


def test_keyword_table_cites_a_page_per_row_and_agrees_with_the_judge() -> None:
    cases.check_keyword_table(
        KEYWORDS,
        site="docs.paloaltonetworks.com",
        groups=PANOS_GROUPS,
        group_keyword=lambda g: f"group{g}",
        names={**PANOS_ENCRYPTION, **PANOS_HASH},
    )


def test_a_psk_outside_aws_rule_is_refused_without_showing_it() -> None:
    facts = cases.facts()
    bad = "bad key; set deviceconfig"
    facts = replace(facts, tunnels=(replace(facts.tunnels[0], psk=bad), facts.tunnels[1]))
    with pytest.raises(MissingFactError, match=r"^panos: tunnel1\.psk = <redacted") as caught:
        _render(cases.fixture_props(), facts)
    assert bad not in str(caught.value)
