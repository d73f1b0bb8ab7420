"""The VPNs the PAN-OS and FortiOS tests render, and what the template says each file must hold.

Cases: every site of examples/sites.yaml (synthesized once per test process), the fixture VPN
with every path preference, static routing, ``TunnelOptions.compatible()``, a VPN on a VPN
Concentrator and one with IPv6 outside addresses.
"""

from __future__ import annotations

import copy
import ipaddress
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import lru_cache
from typing import Any, Protocol

import pytest
from hypothesis import strategies as st

from site_to_site_vpn import TunnelOptions
from site_to_site_vpn.customer_side import algorithms as alg
from site_to_site_vpn.customer_side import template as tpl
from site_to_site_vpn.customer_side.algorithms import UnknownAlgorithmError
from site_to_site_vpn.customer_side.facts import DeployFacts, PathPreference, TunnelFacts
from site_to_site_vpn.customer_side.render import RenderedConfig
from site_to_site_vpn.customer_side.template import TunnelPolicy
from site_to_site_vpn.customer_side.vendor import KeywordTable
from tests.customer_side.judge_panos_fortios import Recovered, TunnelView
from tests.customer_side.spec_edits import set_both, values
from tests.support import PSKS, REPO, fixture_template, make_facts, new_app

REMOTE = ("10.0.0.0/16", "10.1.0.0/16")
ONPREM = "172.16.0.0/16"
AWS_OUTSIDE = ("192.0.2.10", "192.0.2.20")
#: Test-only keys; they must never appear in a snapshot or an error.
SITE_PSKS = ("Site.key_one_4242abcd", "Site.key_two_8686efgh")


def fixture_props() -> dict[str, Any]:
    return copy.deepcopy(fixture_template()["Resources"]["VpnConnection"]["Properties"])


def facts(*, path: PathPreference = PathPreference.PRIMARY_SECONDARY) -> DeployFacts:
    return make_facts(path=path, remote=REMOTE)


def compatible_props() -> dict[str, Any]:
    props = fixture_props()
    for spec in props["VpnTunnelOptionsSpecifications"]:
        inside = spec["TunnelInsideCidr"]
        spec.clear()
        spec.update(TunnelOptions.compatible().to_cfn())
        spec["TunnelInsideCidr"] = inside
    return props


def concentrator_props() -> dict[str, Any]:
    props = fixture_props()
    del props["TransitGatewayId"]
    props["VpnConcentratorId"] = {"Fn::GetAtt": ["Concentrator", "VpnConcentratorId"]}
    return props


def ipv6_case() -> tuple[dict[str, Any], DeployFacts]:
    props = fixture_props()
    props["OutsideIpAddressType"] = "Ipv6"
    base = facts()
    tunnels = tuple(
        replace(t, outside_ip=ipaddress.IPv6Address(f"2001:db8:a::{n}"))
        for n, t in enumerate(base.tunnels, start=1)
    )
    return props, replace(
        base,
        tunnels=tunnels,  # type: ignore[arg-type]
        cgw_outside_ip=ipaddress.IPv6Address("2001:db8:cafe::10"),
    )


def static_props() -> dict[str, Any]:
    props = fixture_props()
    props["StaticRoutesOnly"] = True
    return props


@lru_cache(maxsize=1)
def example_sites() -> tuple[tuple[str, dict[str, Any], int, DeployFacts], ...]:
    """(site, VPN properties, customer ASN, facts) for every VPN of examples/sites.yaml."""
    from site_to_site_vpn.stacks.sites_app import build_sites_app  # noqa: PLC0415

    app = new_app()
    build_sites_app(app, REPO / "examples" / "sites.yaml", locked=True)
    cases = []
    for stack in app.synth().stacks:
        template = stack.template
        for logical_id in tpl.vpn_logical_ids(template):
            props = tpl.vpn_properties(template, logical_id)
            cgw_id = props["CustomerGatewayId"]["Fn::GetAtt"][0]
            cgw_ip = template["Resources"][cgw_id]["Properties"]["IpAddress"]
            policy = tpl.vpn_policy(props)
            tunnels = tuple(
                TunnelFacts(
                    outside_ip=ipaddress.IPv4Address(ip),
                    psk=psk,
                    inside_cidr=None
                    if t.inside_cidr
                    else ipaddress.IPv4Network(f"169.254.{200 + n}.0/30"),
                )
                for n, (ip, psk, t) in enumerate(
                    zip(AWS_OUTSIDE, SITE_PSKS, policy.tunnels, strict=True)
                )
            )
            site_facts = DeployFacts(
                tunnels=tunnels,  # type: ignore[arg-type]
                cgw_outside_ip=ipaddress.IPv4Address(cgw_ip),
                amazon_side_asn=64512,
                onprem_prefixes=(ipaddress.IPv4Network(ONPREM),),
                remote_prefixes=tuple(ipaddress.IPv4Network(p) for p in REMOTE),
            )
            asn = tpl.customer_gateway_asn(template, props)
            cases.append((logical_id, dict(props), asn, site_facts))
    return tuple(cases)


def narrowed(props: dict[str, Any], groups: set[int]) -> dict[str, Any]:
    """The same VPN with its DH lists cut to ``groups`` (what a user does for a device)."""
    props = copy.deepcopy(props)
    for spec in props.get("VpnTunnelOptionsSpecifications", []):
        for key in ("Phase1DHGroupNumbers", "Phase2DHGroupNumbers"):
            if key in spec:
                spec[key] = [v for v in spec[key] if int(v["Value"]) in groups]
    return props


def _ordered(names: tuple[Any, ...], table: Any) -> tuple[Any, ...]:
    return alg.strongest_first(names, table)


def expected_tunnel(
    policy: TunnelPolicy,
    *,
    one_pfs_group: bool,
    integrity_with_aead: bool,
    outside_peer: str,
    cgw_inside: str,
    mtu: int,
    mss: int,
) -> TunnelView:
    """What a device file must hold for one tunnel, from the template alone."""
    esp_dh = _ordered(policy.phase2_dh_groups, alg.DH_GROUPS)
    return TunnelView(
        ike_version=2 if "ikev2" in policy.ike_versions else 1,
        ike_encryption=_ordered(policy.phase1_encryption, alg.ENCRYPTION),
        ike_integrity=_ordered(policy.phase1_integrity, alg.INTEGRITY),
        ike_dh=_ordered(policy.phase1_dh_groups, alg.DH_GROUPS),
        esp_encryption=_ordered(policy.phase2_encryption, alg.ENCRYPTION),
        esp_integrity=_ordered(policy.phase2_integrity, alg.INTEGRITY)
        if integrity_with_aead or set(policy.phase2_encryption) - alg.AEAD
        else (),
        esp_dh=esp_dh[:1] if one_pfs_group else esp_dh,
        phase1_lifetime=policy.phase1_lifetime,
        phase2_lifetime=policy.phase2_lifetime,
        dpd_interval=-(-policy.dpd_timeout // 3),
        outside_peer=outside_peer,
        cgw_inside=cgw_inside,
        mtu=mtu,
        mss=mss,
    )


def check_recovered(
    found: Recovered,
    props: dict[str, Any],
    site_facts: DeployFacts,
    asn: int,
    *,
    one_pfs_group: bool,
    integrity_with_aead: bool,
    aws_side_tunnel_names: tuple[str, str] = ("aws-tunnel-1", "aws-tunnel-2"),
) -> None:
    """The parse-back equals the template and the facts: proposals, lifetimes, DPD, inside
    addresses, neighbours and ASNs, prefix filters, MSS and path preference."""
    policy = tpl.vpn_policy(props)
    six = site_facts.outside_ipv6
    mtu = 1436 - (20 if six else 0)
    for n, (tunnel_policy, tunnel_facts, name) in enumerate(
        zip(policy.tunnels, site_facts.tunnels, aws_side_tunnel_names, strict=True)
    ):
        cidr = tunnel_policy.inside_cidr or tunnel_facts.inside_cidr
        assert cidr is not None
        expected = expected_tunnel(
            tunnel_policy,
            one_pfs_group=one_pfs_group,
            integrity_with_aead=integrity_with_aead,
            outside_peer=str(tunnel_facts.outside_ip),
            cgw_inside=f"{cidr.network_address + 2}/{cidr.prefixlen}",
            mtu=mtu,
            mss=min(1379, mtu - 40),
        )
        assert found.tunnels[name] == expected, f"tunnel {n + 1}"
        assert found.tunnels[name].mss == (1379 if not six else 1376)
        # The customer side waits at most the template's DPD timeout (rounded up per probe).
        assert 3 * found.tunnels[name].dpd_interval >= tunnel_policy.dpd_timeout
    remote = tuple(str(p) for p in site_facts.remote_prefixes)
    cidrs = [
        t.inside_cidr or f.inside_cidr
        for t, f in zip(policy.tunnels, site_facts.tunnels, strict=True)
    ]
    aws_ips = [str(c.network_address + 1) for c in cidrs if c is not None]
    if policy.static_routes_only:
        assert found.local_asn is None
        assert not found.neighbours
        path = site_facts.path_preference
        distances = {
            PathPreference.PRIMARY_SECONDARY: (10, 20),
            PathPreference.ACTIVE_ACTIVE: (10, 10),
            # dx-backup: floating above eBGP and iBGP, tunnel 2 one step behind tunnel 1.
            PathPreference.DX_BACKUP: (210, 211),
        }[path]
        assert found.static_routes == {
            (prefix, ip, distance)
            for ip, distance in zip(aws_ips, distances, strict=True)
            for prefix in remote
        }
        return
    assert found.local_asn == asn
    weak: tuple[int | None, int] = (50, 2)
    weaker: tuple[int | None, int] = (40, 3)
    same: tuple[int | None, int] = (None, 0)
    path = site_facts.path_preference
    preferences: list[tuple[int | None, int]] = {
        PathPreference.PRIMARY_SECONDARY: [same, weak],
        PathPreference.ACTIVE_ACTIVE: [same, same],
        # Both below a Direct Connect path (100, no prepend), tunnel 1 still before tunnel 2.
        PathPreference.DX_BACKUP: [weak, weaker],
    }[path]
    assert found.neighbours == {
        ip: (site_facts.amazon_side_asn, *pref)
        for ip, pref in zip(aws_ips, preferences, strict=True)
    }
    onprem = tuple(str(p) for p in site_facts.onprem_prefixes)
    assert found.accepted == dict.fromkeys(aws_ips, remote)
    assert found.announced == dict.fromkeys(aws_ips, onprem)
    assert found.final_deny == {f"{d} {ip}" for d in ("import", "export") for ip in aws_ips}
    assert found.multipath == (path is PathPreference.ACTIVE_ACTIVE)


class Check(Protocol):
    """Renders one VPN for a device and checks the text; returns it."""

    def __call__(self, props: dict[str, Any], site_facts: DeployFacts, asn: int = ..., /) -> str:
        """``asn``: the customer side's ASN, @default the device test's own."""


def judged_and_recovered(
    render: Callable[[dict[str, Any], DeployFacts, int], str],
    judge: Callable[[str], list[str]],
    recover: Callable[[str], Recovered],
    *,
    asn: int,
    one_pfs_group: bool,
    integrity_with_aead: bool,
) -> Check:
    """A device's ``check(props, facts, asn)`` (@default ``asn``): the rendered text, after the
    judge found nothing against the device's documentation and the parse-back equals the
    template (:func:`check_recovered`)."""
    default_asn = asn

    def check(props: dict[str, Any], site_facts: DeployFacts, asn: int = default_asn) -> str:
        text = render(props, site_facts, asn)
        assert judge(text) == []
        check_recovered(
            recover(text),
            props,
            site_facts,
            asn,
            one_pfs_group=one_pfs_group,
            integrity_with_aead=integrity_with_aead,
        )
        return text

    return check


#: AWS's names, for property tests drawing the template's lists.
ENCRYPTION = ["AES128", "AES256", "AES128-GCM-16", "AES256-GCM-16"]
INTEGRITY = ["SHA1", "SHA2-256", "SHA2-384", "SHA2-512"]
PHASE1_GROUPS = [2, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24]
PHASE2_GROUPS = [2, 5, *PHASE1_GROUPS[1:]]


def with_lists(
    *, enc: list[str], integ: list[str], groups1: list[int], groups2: list[int], ikev1: bool
) -> dict[str, Any]:
    """The fixture VPN with the given algorithm lists on both tunnels."""
    props = fixture_props()
    set_both(
        props,
        Phase1EncryptionAlgorithms=values(*enc),
        Phase2EncryptionAlgorithms=values(*enc),
        Phase1IntegrityAlgorithms=values(*integ),
        Phase2IntegrityAlgorithms=values(*integ),
        Phase1DHGroupNumbers=values(*groups1),
        Phase2DHGroupNumbers=values(*groups2),
        IKEVersions=values(*(["ikev1"] if ikev1 else ["ikev2", "ikev1"])),
    )
    return props


#: Hypothesis strategies for :func:`with_lists`' lists (``@given(**LIST_STRATEGIES)``).
LIST_STRATEGIES: dict[str, st.SearchStrategy[Any]] = {
    "enc": st.lists(st.sampled_from(ENCRYPTION), min_size=1, unique=True),
    "integ": st.lists(st.sampled_from(INTEGRITY), min_size=1, unique=True),
    "groups1": st.lists(st.sampled_from(PHASE1_GROUPS), min_size=1, unique=True),
    "groups2": st.lists(st.sampled_from(PHASE2_GROUPS), min_size=1, unique=True),
    "ikev1": st.booleans(),
}


def check_lists_render_or_refuse(
    check: Callable[[dict[str, Any], DeployFacts], object],
    device: str,
    groups: set[int],
    *,
    enc: list[str],
    integ: list[str],
    groups1: list[int],
    groups2: list[int],
    ikev1: bool,
) -> None:
    """The fixture VPN with these lists renders exactly (``check``) or is refused naming what
    the device (knowing ``groups``) lacks: a DH group outside ``groups``, or GCM in IKEv1."""
    props = with_lists(enc=enc, integ=integ, groups1=groups1, groups2=groups2, ikev1=ikev1)
    lacking = sorted({*groups1, *groups2} - groups)
    gcm_in_ikev1 = ikev1 and any("GCM" in name for name in enc)
    try:
        check(props, facts())
    except UnknownAlgorithmError as error:
        message = str(error)
        assert message.startswith(f"{device} cannot do ")
        assert lacking or gcm_in_ikev1, message
        if "DH group" in message:
            assert any(str(group) in message for group in lacking)
    else:
        assert not lacking
        assert not gcm_in_ikev1


def example_site_refusals(
    check: Callable[[dict[str, Any], DeployFacts, int], object], device: str, groups: set[int]
) -> dict[str, str]:
    """Every example site renders exactly (``check``) or is refused in one line naming
    ``device`` and no PSK, and then renders once narrowed to ``groups`` (the documented fix).
    Returns the refusals by site."""
    refusals = {}
    for site, props, asn, site_facts in example_sites():
        try:
            check(props, site_facts, asn)
        except UnknownAlgorithmError as error:
            refusals[site] = str(error)
            check(narrowed(props, groups), site_facts, asn)
    assert len(example_sites()) == 5
    for message in refusals.values():
        assert "\n" not in message
        assert message.startswith(f"{device} cannot do ")
        assert not any(psk in message for psk in SITE_PSKS)
    return refusals


def check_compatible_refused_for_lacking_groups(
    render: Callable[[dict[str, Any], DeployFacts], object], device: str, groups: set[int]
) -> None:
    """``TunnelOptions.compatible()`` is refused in one line naming phase 1 DH groups, every
    one of them outside ``groups`` (what ``device`` knows)."""
    with pytest.raises(UnknownAlgorithmError) as caught:
        render(compatible_props(), facts())
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{device} cannot do phase 1 DH group ")
    found = re.search(r"DH group ([\d, ]+):", message)
    assert found is not None
    named = {int(g) for g in found[1].split(", ")}
    assert named
    assert not named & groups


def psk_lines(config: RenderedConfig, file: str) -> list[str]:
    """The one line of ``file`` that holds each of :data:`tests.support.PSKS`, in their order;
    asserts each stands on exactly one line and never in the config's ``repr``."""
    text = config.files[file]
    lines = []
    for psk in PSKS:
        (line,) = [line for line in text.splitlines() if psk in line]
        lines.append(line)
        assert psk not in repr(config)
    return lines


def check_keyword_table(
    table: KeywordTable,
    *,
    site: str,
    groups: set[int],
    group_keyword: Callable[[int], str],
    names: Mapping[str, str],
) -> None:
    """Every row of a device's keyword table cites a page on ``site`` and agrees with the
    judge: a DH group it knows (spelled ``group_keyword``), or the judge's keyword (``names``)."""
    for row in table.rows:
        assert site in row.source, row
        if isinstance(row.aws, int):
            assert row.aws in groups
            assert row.keyword == group_keyword(row.aws)
        else:
            assert row.keyword == names[row.aws]
