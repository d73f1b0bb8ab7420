"""Tunnel options render every field explicitly; profiles carry the documented choices."""

from __future__ import annotations

from typing import Any

from site_to_site_vpn import (
    DhGroup,
    DpdTimeoutAction,
    EncryptionAlgorithm,
    IkeVersion,
    IntegrityAlgorithm,
    StartupAction,
    TunnelOptions,
)
from site_to_site_vpn.core.tunnel_options import WEAK_DH_GROUPS
from tests.support import build_vpn, new_stack, only_resource, synth

LIST_FIELDS = (
    "IKEVersions",
    "Phase1EncryptionAlgorithms",
    "Phase2EncryptionAlgorithms",
    "Phase1IntegrityAlgorithms",
    "Phase2IntegrityAlgorithms",
    "Phase1DHGroupNumbers",
    "Phase2DHGroupNumbers",
)


def values(spec: dict[str, Any], key: str) -> list[Any]:
    return [item["Value"] for item in spec[key]]


def synthesized_specs(**overrides: Any) -> list[dict[str, Any]]:
    stack = new_stack()
    build_vpn(stack, **overrides)
    props = only_resource(synth(stack), "AWS::EC2::VPNConnection")["Properties"]
    specs: list[dict[str, Any]] = props["VpnTunnelOptionsSpecifications"]
    return specs


def test_secure_default_writes_every_list_explicitly_on_both_tunnels() -> None:
    for spec in synthesized_specs():
        for key in LIST_FIELDS:
            assert spec[key], f"{key} must be written out: an omitted list allows everything"
        assert values(spec, "IKEVersions") == ["ikev2"]
        assert values(spec, "Phase1EncryptionAlgorithms") == ["AES256-GCM-16", "AES256"]
        assert values(spec, "Phase2EncryptionAlgorithms") == ["AES256-GCM-16", "AES256"]
        assert values(spec, "Phase1IntegrityAlgorithms") == ["SHA2-512", "SHA2-384", "SHA2-256"]
        assert values(spec, "Phase2IntegrityAlgorithms") == ["SHA2-512", "SHA2-384", "SHA2-256"]
        assert values(spec, "Phase1DHGroupNumbers") == [14, 15, 16, 17, 18, 19, 20, 21]
        assert values(spec, "Phase2DHGroupNumbers") == [14, 15, 16, 17, 18, 19, 20, 21]


def test_secure_default_scalars_are_aws_lifetimes_and_restart_on_dpd() -> None:
    spec = synthesized_specs()[0]
    assert spec["Phase1LifetimeSeconds"] == 28_800
    assert spec["Phase2LifetimeSeconds"] == 3_600
    assert spec["RekeyMarginTimeSeconds"] == 270
    assert spec["RekeyFuzzPercentage"] == 100
    assert spec["ReplayWindowSize"] == 1_024
    assert spec["DPDTimeoutSeconds"] == 30
    assert spec["DPDTimeoutAction"] == "restart"
    assert spec["StartupAction"] == "add"
    assert spec["EnableTunnelLifecycleControl"] is False


def test_no_profile_includes_sha1_or_weak_dh_groups() -> None:
    for profile in (TunnelOptions.secure(), TunnelOptions.compatible()):
        assert IntegrityAlgorithm.SHA1 not in profile.phase1_integrity_algorithms
        assert IntegrityAlgorithm.SHA1 not in profile.phase2_integrity_algorithms
        for group in (DhGroup.GROUP_2, DhGroup.GROUP_5, DhGroup.GROUP_22):
            assert group not in profile.phase1_dh_group_numbers
            assert group not in profile.phase2_dh_group_numbers
    assert not set(TunnelOptions.secure().phase1_dh_group_numbers) & WEAK_DH_GROUPS
    assert TunnelOptions.secure().ike_versions == (IkeVersion.IKEV2,)


def test_compatible_profile_widens_for_older_devices() -> None:
    compatible = TunnelOptions.compatible()
    assert set(compatible.ike_versions) == {IkeVersion.IKEV1, IkeVersion.IKEV2}
    assert EncryptionAlgorithm.AES128 in compatible.phase1_encryption_algorithms
    assert DhGroup.GROUP_24 in compatible.phase2_dh_group_numbers
    spec = synthesized_specs(tunnel1=compatible, tunnel2=compatible)[1]
    assert values(spec, "IKEVersions") == ["ikev2", "ikev1"]
    assert values(spec, "Phase2DHGroupNumbers")[-2:] == [23, 24]


def test_every_field_can_be_set_and_reaches_the_template() -> None:
    custom = TunnelOptions(
        ike_versions=(IkeVersion.IKEV2,),
        phase1_encryption_algorithms=(EncryptionAlgorithm.AES128_GCM_16,),
        phase2_encryption_algorithms=(EncryptionAlgorithm.AES128,),
        phase1_integrity_algorithms=(IntegrityAlgorithm.SHA2_256,),
        phase2_integrity_algorithms=(IntegrityAlgorithm.SHA2_384,),
        phase1_dh_group_numbers=(DhGroup.GROUP_20,),
        phase2_dh_group_numbers=(DhGroup.GROUP_19,),
        phase1_lifetime_seconds=14_400,
        phase2_lifetime_seconds=1_800,
        rekey_margin_time_seconds=600,
        rekey_fuzz_percentage=50,
        replay_window_size=2_048,
        dpd_timeout_seconds=45,
        dpd_timeout_action=DpdTimeoutAction.CLEAR,
        startup_action=StartupAction.START,
        enable_tunnel_lifecycle_control=True,
        tunnel_inside_cidr="169.254.200.0/30",
    )
    first, second = synthesized_specs(tunnel1=custom)
    assert values(first, "Phase1EncryptionAlgorithms") == ["AES128-GCM-16"]
    assert values(first, "Phase2EncryptionAlgorithms") == ["AES128"]
    assert values(first, "Phase1IntegrityAlgorithms") == ["SHA2-256"]
    assert values(first, "Phase2IntegrityAlgorithms") == ["SHA2-384"]
    assert values(first, "Phase1DHGroupNumbers") == [20]
    assert values(first, "Phase2DHGroupNumbers") == [19]
    assert first["Phase1LifetimeSeconds"] == 14_400
    assert first["Phase2LifetimeSeconds"] == 1_800
    assert first["RekeyMarginTimeSeconds"] == 600
    assert first["RekeyFuzzPercentage"] == 50
    assert first["ReplayWindowSize"] == 2_048
    assert first["DPDTimeoutSeconds"] == 45
    assert first["DPDTimeoutAction"] == "clear"
    assert first["StartupAction"] == "start"
    assert first["EnableTunnelLifecycleControl"] is True
    assert first["TunnelInsideCidr"] == "169.254.200.0/30"
    assert second["Phase1LifetimeSeconds"] == 28_800, "tunnel 2 keeps its own options"


def test_with_changes_one_field_and_keeps_the_rest() -> None:
    changed = TunnelOptions.secure().with_(dpd_timeout_seconds=60)
    assert changed.dpd_timeout_seconds == 60
    assert changed.phase1_dh_group_numbers == TunnelOptions.secure().phase1_dh_group_numbers
