"""Property tests: any valid tunnel options are accepted, and a sample of them synthesizes
cleanly; invalid values are refused.

cdk-nag and cfn-lint cost seconds per template, so every example is validated and built but only
a few are synthesized and checked (SAMPLE): compliance does not depend on the option values'
details, and the validation is what the many examples exercise."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_to_site_vpn import (
    DhGroup,
    DpdTimeoutAction,
    EncryptionAlgorithm,
    IkeVersion,
    IntegrityAlgorithm,
    StartupAction,
    TunnelOptions,
    ValidationError,
)
from site_to_site_vpn.constructs.tunnel_options import validate_tunnel_options
from site_to_site_vpn.core.tunnel_options import PHASE1_DH_GROUPS
from tests.support import build_vpn, new_stack, only_resource, synth

QUICK = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
#: Full synth (cdk-nag, cfn-lint) for a few examples only.
SAMPLE = settings(QUICK, max_examples=3)


def unique_lists(elements: list[Any]) -> st.SearchStrategy[tuple[Any, ...]]:
    return st.lists(st.sampled_from(elements), min_size=1, unique=True).map(tuple)


@st.composite
def valid_tunnel_options(draw: st.DrawFn) -> TunnelOptions:
    phase1 = draw(st.integers(900, 28_800))
    phase2 = draw(st.integers(900, min(3_600, phase1 - 1))) if phase1 > 900 else None
    if phase2 is None:
        phase1, phase2 = 28_800, 3_600
    ike = draw(unique_lists(list(IkeVersion)))
    startup = draw(st.sampled_from(list(StartupAction)))
    if ike != (IkeVersion.IKEV2,):
        startup = StartupAction.ADD
    block = draw(st.integers(10, 168))
    return TunnelOptions(
        ike_versions=ike,
        phase1_encryption_algorithms=draw(unique_lists(list(EncryptionAlgorithm))),
        phase2_encryption_algorithms=draw(unique_lists(list(EncryptionAlgorithm))),
        phase1_integrity_algorithms=draw(unique_lists(list(IntegrityAlgorithm))),
        phase2_integrity_algorithms=draw(unique_lists(list(IntegrityAlgorithm))),
        phase1_dh_group_numbers=draw(unique_lists(sorted(PHASE1_DH_GROUPS))),
        phase2_dh_group_numbers=draw(unique_lists(list(DhGroup))),
        phase1_lifetime_seconds=phase1,
        phase2_lifetime_seconds=phase2,
        rekey_margin_time_seconds=draw(st.integers(60, phase2 // 2)),
        rekey_fuzz_percentage=draw(st.integers(0, 100)),
        replay_window_size=draw(st.integers(64, 2_048)),
        dpd_timeout_seconds=draw(st.integers(30, 3_600)),
        dpd_timeout_action=draw(st.sampled_from(list(DpdTimeoutAction))),
        startup_action=startup,
        enable_tunnel_lifecycle_control=draw(st.booleans()),
        tunnel_inside_cidr=f"169.254.{block}.{draw(st.integers(0, 63)) * 4}/30",
    )


def distinct_inside_cidrs(first: TunnelOptions, second: TunnelOptions) -> TunnelOptions:
    if first.tunnel_inside_cidr == second.tunnel_inside_cidr:
        return second.with_(tunnel_inside_cidr="169.254.200.0/30")
    return second


@QUICK
@given(first=valid_tunnel_options(), second=valid_tunnel_options())
def test_valid_tunnel_options_are_accepted(first: TunnelOptions, second: TunnelOptions) -> None:
    assert validate_tunnel_options(first) == []
    build_vpn(new_stack(), tunnel1=first, tunnel2=distinct_inside_cidrs(first, second))


@SAMPLE
@given(first=valid_tunnel_options(), second=valid_tunnel_options())
def test_a_sample_of_valid_tunnel_options_synthesizes_cleanly(
    first: TunnelOptions, second: TunnelOptions
) -> None:
    stack = new_stack()
    build_vpn(stack, tunnel1=first, tunnel2=distinct_inside_cidrs(first, second))
    template = synth(stack)  # fails on any cdk-nag or cfn-lint finding
    specs = only_resource(template, "AWS::EC2::VPNConnection")["Properties"][
        "VpnTunnelOptionsSpecifications"
    ]
    assert specs[0]["Phase1LifetimeSeconds"] == first.phase1_lifetime_seconds


INVALID_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "phase1_lifetime_seconds": st.one_of(st.integers(max_value=899), st.integers(min_value=28_801)),
    "phase2_lifetime_seconds": st.one_of(st.integers(max_value=899), st.integers(min_value=3_601)),
    "rekey_margin_time_seconds": st.one_of(st.integers(max_value=59), st.integers(1_801, 10**6)),
    "rekey_fuzz_percentage": st.one_of(st.integers(max_value=-1), st.integers(min_value=101)),
    "replay_window_size": st.one_of(st.integers(max_value=63), st.integers(min_value=2_049)),
    "dpd_timeout_seconds": st.integers(max_value=29),
    "phase1_dh_group_numbers": st.integers(0, 40)
    .filter(lambda g: g not in PHASE1_DH_GROUPS)
    .map(lambda g: (g,)),
    "phase2_encryption_algorithms": st.text(min_size=1, max_size=8).map(lambda t: (t,)),
    "tunnel_inside_cidr": st.integers(0, 2**32 - 1)
    .map(lambda n: f"{n >> 24}.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}/30")
    .filter(lambda c: not c.startswith("169.254.") or int(c.split(".")[3].split("/")[0]) % 4),
}


@QUICK
@given(data=st.data(), field=st.sampled_from(sorted(INVALID_FIELDS)))
def test_invalid_values_are_refused_naming_the_field(data: st.DataObject, field: str) -> None:
    value = data.draw(INVALID_FIELDS[field])
    options = TunnelOptions.secure().with_(**{field: value})
    with pytest.raises(ValidationError) as caught:
        build_vpn(new_stack(), tunnel2=options)
    assert any(p.field == f"tunnel2.{field}" for p in caught.value.problems)
