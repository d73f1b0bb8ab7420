"""The rendered customer-gateway configuration follows the template and the deploy facts."""

from __future__ import annotations

import re
import stat
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_to_site_vpn.customer_side import (
    Dataplane,
    DeployFacts,
    PathPreference,
    RenderedConfig,
    render,
)
from site_to_site_vpn.customer_side.template import TemplateError
from site_to_site_vpn.customer_side.tunnels import MissingFactError
from tests.customer_side.spec_edits import set_both as _set_both
from tests.customer_side.spec_edits import values as _values
from tests.support import PSKS, fixture_template, make_facts

CUSTOMER_ASN = 65010


def _render(props: dict[str, Any], facts: DeployFacts) -> RenderedConfig:
    return render(vpn_properties=props, customer_asn=CUSTOMER_ASN, facts=facts)


def _setting(text: str, key: str) -> list[str]:
    return re.findall(rf"^\s*{key} = (.*)$", text, re.M)


def test_proposals_are_strongest_first_and_split_aead_from_classic(
    props: dict[str, Any], facts: DeployFacts
) -> None:
    _set_both(
        props,
        Phase1EncryptionAlgorithms=_values("AES128", "AES256-GCM-16"),
        Phase1IntegrityAlgorithms=_values("SHA2-256", "SHA2-512"),
        Phase1DHGroupNumbers=_values(14, 20),
        Phase2EncryptionAlgorithms=_values("AES128-GCM-16", "AES256"),
        Phase2IntegrityAlgorithms=_values("SHA2-384"),
        Phase2DHGroupNumbers=_values(19, 21),
    )
    text = _render(props, facts).files["swanctl.conf"]
    assert (
        _setting(text, "proposals")
        == ["aes256gcm16-prfsha512-prfsha256-ecp384-modp2048, aes128-sha512-sha256-ecp384-modp2048"]
        * 2
    )
    assert (
        _setting(text, "esp_proposals")
        == ["aes128gcm16-ecp521-ecp256, aes256-sha384-ecp521-ecp256"] * 2
    )


def test_absent_lists_mean_everything_aws_allows(props: dict[str, Any], facts: DeployFacts) -> None:
    for spec in props["VpnTunnelOptionsSpecifications"]:
        for key in list(spec):
            if key.startswith(("Phase1E", "Phase1I", "Phase1D", "Phase2E", "Phase2I", "Phase2D")):
                del spec[key]
    text = _render(props, facts).files["swanctl.conf"]
    ike = _setting(text, "proposals")[0]
    assert ike.startswith("aes256gcm16-aes128gcm16-prfsha512-prfsha384-prfsha256-prfsha1-ecp521")
    assert "modp1536" not in ike  # group 5 is phase 2 only
    assert "modp1536" in _setting(text, "esp_proposals")[0]


# The test's own view of the keywords each AWS name may produce.
_ALLOWED_TOKENS = {
    "AES128": {"aes128"},
    "AES256": {"aes256"},
    "AES128-GCM-16": {"aes128gcm16"},
    "AES256-GCM-16": {"aes256gcm16"},
    "SHA1": {"sha1", "prfsha1"},
    "SHA2-256": {"sha256", "prfsha256"},
    "SHA2-384": {"sha384", "prfsha384"},
    "SHA2-512": {"sha512", "prfsha512"},
    14: {"modp2048"},
    19: {"ecp256"},
    20: {"ecp384"},
    21: {"ecp521"},
    2: {"modp1024"},
    24: {"modp2048s256"},
}
_ENC = ["AES128", "AES256", "AES128-GCM-16", "AES256-GCM-16"]
_INTEG = ["SHA1", "SHA2-256", "SHA2-384", "SHA2-512"]
_GROUPS = [2, 14, 19, 20, 21, 24]


@settings(max_examples=60, deadline=None)
@given(
    enc=st.lists(st.sampled_from(_ENC), min_size=1, unique=True),
    integ=st.lists(st.sampled_from(_INTEG), min_size=1, unique=True),
    groups=st.lists(st.sampled_from(_GROUPS), min_size=1, unique=True),
)
def test_nothing_outside_the_template_is_offered(
    enc: list[str], integ: list[str], groups: list[int]
) -> None:

    props = fixture_template()["Resources"]["VpnConnection"]["Properties"]
    for prefix in ("Phase1", "Phase2"):
        _set_both(
            props,
            **{
                f"{prefix}EncryptionAlgorithms": _values(*enc),
                f"{prefix}IntegrityAlgorithms": _values(*integ),
                f"{prefix}DHGroupNumbers": _values(*groups),
            },
        )
    text = _render(props, make_facts()).files["swanctl.conf"]
    allowed = set().union(*(_ALLOWED_TOKENS[n] for n in [*enc, *integ, *groups]))
    offered = {
        token
        for line in _setting(text, "proposals") + _setting(text, "esp_proposals")
        for proposal in line.split(", ")
        for token in proposal.split("-")
    }
    assert offered <= allowed
    # every allowed encryption algorithm is offered somewhere
    assert {next(iter(_ALLOWED_TOKENS[e])) for e in enc} <= offered


def test_ikev2_unless_the_template_allows_only_ikev1(
    props: dict[str, Any], facts: DeployFacts
) -> None:
    _set_both(props, IKEVersions=_values("ikev1", "ikev2"))
    assert set(_setting(_render(props, facts).files["swanctl.conf"], "version")) == {"2"}
    _set_both(
        props,
        IKEVersions=_values("ikev1"),
        Phase1EncryptionAlgorithms=_values("AES256-GCM-16", "AES256"),
    )
    text = _render(props, facts).files["swanctl.conf"]
    assert set(_setting(text, "version")) == {"1"}
    assert "gcm" not in "".join(_setting(text, "proposals"))  # no AEAD IKE in IKEv1
    assert set(_setting(text, "dpd_timeout")) == {"30s"}


def test_customer_side_initiates_and_restarts(props: dict[str, Any], facts: DeployFacts) -> None:
    text = _render(props, facts).files["swanctl.conf"]
    assert set(_setting(text, "start_action")) == {"start"}
    assert set(_setting(text, "dpd_action")) == {"restart"}
    assert set(_setting(text, "keyingtries")) == {"0"}


def test_lifetimes_follow_the_template(props: dict[str, Any], facts: DeployFacts) -> None:
    _set_both(
        props,
        Phase1LifetimeSeconds=14400,
        Phase2LifetimeSeconds=1800,
        RekeyMarginTimeSeconds=120,
        RekeyFuzzPercentage=50,
        ReplayWindowSize=2048,
    )
    text = _render(props, facts).files["swanctl.conf"]
    assert _setting(text, "rekey_time")[:2] == ["14280s", "1680s"]
    assert _setting(text, "life_time") == ["1800s", "1800s"]
    assert set(_setting(text, "rand_time")) == {"60s"}
    assert set(_setting(text, "replay_window")) == {"2048"}


def test_bgp_neighbours_on_inside_addresses_with_aws_timers(
    props: dict[str, Any], facts: DeployFacts
) -> None:
    frr = _render(props, facts).files["frr.conf"]
    assert f"router bgp {CUSTOMER_ASN}" in frr
    for aws, cgw in (("169.254.10.1", "169.254.10.2"), ("169.254.11.1", "169.254.11.2")):
        assert f"neighbor {aws} remote-as 64512" in frr
        assert f"neighbor {aws} update-source {cgw}" in frr
        assert f"neighbor {aws} timers 10 30" in frr
    assert "network 172.16.0.0/16" in frr


def _route_map(frr: str, name: str) -> str:
    found = re.search(rf"^route-map {name} permit 10\n(.*?)^exit", frr, re.M | re.S)
    assert found is not None, name
    return found[1]


def test_primary_secondary_prepends_and_lowers_local_pref_on_tunnel_2(
    props: dict[str, Any], facts: DeployFacts
) -> None:
    frr = _render(props, facts).files["frr.conf"]
    assert "set as-path prepend 65010 65010\n" in _route_map(frr, "AWS-TUNNEL-2-OUT")
    assert "set local-preference 50" in _route_map(frr, "AWS-TUNNEL-2-IN")
    assert "set " not in _route_map(frr, "AWS-TUNNEL-1-OUT")
    assert "set " not in _route_map(frr, "AWS-TUNNEL-1-IN")
    assert "maximum-paths" not in frr


def test_active_active_treats_tunnels_equally(props: dict[str, Any]) -> None:
    frr = _render(props, make_facts(path=PathPreference.ACTIVE_ACTIVE)).files["frr.conf"]
    assert "prepend" not in frr
    assert "local-preference" not in frr
    assert "maximum-paths 2" in frr


def test_static_vpn_gets_static_routes_not_bgp(props: dict[str, Any]) -> None:
    props["StaticRoutesOnly"] = True
    facts = make_facts(remote=("10.0.0.0/16",))
    frr = _render(props, facts).files["frr.conf"]
    assert "router bgp" not in frr
    assert "ip route 10.0.0.0/16 169.254.10.1 xfrm1 10" in frr
    assert "ip route 10.0.0.0/16 169.254.11.1 xfrm2 20" in frr
    equal = make_facts(remote=("10.0.0.0/16",), path=PathPreference.ACTIVE_ACTIVE)
    assert "xfrm2 10" in _render(props, equal).files["frr.conf"]
    backup = make_facts(remote=("10.0.0.0/16",), path=PathPreference.DX_BACKUP)
    floating = _render(props, backup).files["frr.conf"]
    # Both float above eBGP's distance 20, so a prefix learned from Direct Connect wins.
    assert "ip route 10.0.0.0/16 169.254.10.1 xfrm1 250" in floating
    assert "ip route 10.0.0.0/16 169.254.11.1 xfrm2 251" in floating


def test_dx_backup_makes_both_tunnels_less_preferred_than_direct_connect(
    props: dict[str, Any],
) -> None:
    frr = _render(props, make_facts(path=PathPreference.DX_BACKUP)).files["frr.conf"]
    maps = {
        block.split()[0]: block
        for block in frr.split("route-map ")[1:]
        if block.split()[1] == "permit"
    }
    assert "set local-preference 50" in maps["AWS-TUNNEL-1-IN"]
    assert "set local-preference 40" in maps["AWS-TUNNEL-2-IN"]
    assert "set as-path prepend 65010 65010\n" in maps["AWS-TUNNEL-1-OUT"]
    assert "set as-path prepend 65010 65010 65010" in maps["AWS-TUNNEL-2-OUT"]
    assert "maximum-paths" not in frr


def test_mss_clamp_is_1379_with_the_mtu_reasoning(
    props: dict[str, Any], facts: DeployFacts
) -> None:
    nft = _render(props, facts).files["nftables.conf"]
    assert "tcp option maxseg size set 1379" in nft
    assert "1446" in nft
    assert 'oifname { "xfrm1", "xfrm2" }' in nft
    assert 'iifname { "xfrm1", "xfrm2" }' in nft
    assert "mtu 1446" in _render(props, facts).files["interfaces.sh"]


def test_userspace_esp_clamps_lower_for_its_smaller_tun(props: dict[str, Any]) -> None:
    files = _render(props, make_facts(dataplane=Dataplane.LIBIPSEC)).files
    assert "tcp option maxseg size set 1360" in files["nftables.conf"]
    assert "mtu 1400" in files["interfaces.sh"]
    load = _setting(files["strongswan.conf"], "load")[0].split()
    assert load.index("kernel-libipsec") < load.index("kernel-netlink")
    assert "fwmark = 0x4242" in files["strongswan.conf"]


def test_xfrm_dataplane_binds_each_tunnel_to_its_interface(
    props: dict[str, Any], facts: DeployFacts
) -> None:
    files = _render(props, facts).files
    assert _setting(files["swanctl.conf"], "if_id_in") == ["1", "2"]
    assert _setting(files["swanctl.conf"], "if_id_out") == ["1", "2"]
    assert "ip link add xfrm2 type xfrm if_id 2" in files["interfaces.sh"]
    assert "kernel-libipsec" not in files["strongswan.conf"]


def test_libipsec_dataplane_has_one_swanctl_file_per_tunnel(props: dict[str, Any]) -> None:
    files = _render(props, make_facts(dataplane=Dataplane.LIBIPSEC)).files
    assert "swanctl.conf" not in files
    assert "aws-tunnel-1 {" in files["swanctl-tunnel1.conf"]
    assert "aws-tunnel-2" not in files["swanctl-tunnel1.conf"]
    assert "remote_addrs = 192.0.2.20" in files["swanctl-tunnel2.conf"]


def test_psks_appear_only_in_the_swanctl_secrets_section(
    props: dict[str, Any], facts: DeployFacts
) -> None:
    config = _render(props, facts)
    for name, text in config.files.items():
        if not name.startswith("swanctl"):
            assert not any(psk in text for psk in PSKS), name
            continue
        before, secrets_part = text.split("\nsecrets {", 1)
        assert not any(psk in before for psk in PSKS)
        assert all(f'secret = "{psk}"' in secrets_part for psk in PSKS)
    assert not any(psk in repr(config) for psk in PSKS)
    assert not any(psk in repr(facts) for psk in PSKS)


def test_written_files_are_private(
    props: dict[str, Any], facts: DeployFacts, tmp_path: Path
) -> None:
    written = _render(props, facts).write(tmp_path / "out")
    assert {p.name for p in written} >= {"swanctl.conf", "frr.conf", "nftables.conf"}
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_inside_cidr_left_to_aws_needs_a_fact(props: dict[str, Any]) -> None:
    for spec in props["VpnTunnelOptionsSpecifications"]:
        del spec["TunnelInsideCidr"]
    with pytest.raises(MissingFactError, match="tunnel 1"):
        _render(props, make_facts())
    facts = make_facts(inside=("169.254.44.0/30", "169.254.44.4/30"))
    assert "neighbor 169.254.44.5 remote-as" in _render(props, facts).files["frr.conf"]


def test_inside_cidr_contradicting_the_template_is_refused(props: dict[str, Any]) -> None:
    with pytest.raises(MissingFactError, match=r"template says 169\.254\.10\.0/30"):
        _render(props, make_facts(inside=("169.254.99.0/30", None)))


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("Phase1EncryptionAlgorithms", {"Ref": "Param"}, "literal list"),
        ("Phase1DHGroupNumbers", _values(99), "no strongSwan mapping"),
        ("TunnelInsideCidr", "10.0.0.0/30", "169.254.0.0/16"),
    ],
)
def test_template_values_the_renderer_cannot_honour_are_refused(
    props: dict[str, Any], facts: DeployFacts, key: str, value: object, message: str
) -> None:
    props["VpnTunnelOptionsSpecifications"][0][key] = value
    with pytest.raises(ValueError, match=message):
        _render(props, facts)


def test_ipv6_inside_tunnels_are_refused(props: dict[str, Any], facts: DeployFacts) -> None:
    props["TunnelInsideIpVersion"] = "ipv6"
    with pytest.raises(TemplateError, match="ipv4"):
        _render(props, facts)


def test_remote_prefixes_get_a_fast_reroute_backstop(props: dict[str, Any]) -> None:
    script = _render(props, make_facts(remote=("10.0.0.0/16",))).files["interfaces.sh"]
    assert "ip rule add priority 1000 lookup main suppress_prefixlength 0" in script
    assert "ip route replace 10.0.0.0/16 table 100 nexthop dev xfrm1 nexthop dev xfrm2" in script
    assert "table 100" not in _render(props, make_facts()).files["interfaces.sh"]
