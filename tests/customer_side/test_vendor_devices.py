"""The vendor renderers, read back by the independent judge and compared with the template.

Every device in the registry that writes one ``<device>.conf`` of CLI commands and has a reader
in :mod:`tests.customer_side.vendor_judge` is covered, so a device added at merge joins here.
"""

from __future__ import annotations

import ipaddress
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from site_to_site_vpn import (
    CustomerGatewayProps,
    DhGroup,
    OutsideIpAddressType,
    Routing,
    SiteToSiteVpn,
    TransitGatewayHub,
    TunnelOptions,
    VpnConcentrator,
)
from site_to_site_vpn.customer_side import Dataplane, DeployFacts, PathPreference, TunnelFacts
from site_to_site_vpn.customer_side.devices import DEVICES, DeviceCannotError, renderer
from site_to_site_vpn.stacks.sites_app import build_sites_app
from tests.customer_side.vendor_judge import AES_BITS, GROUP_BITS, READERS, Seen, Unknown
from tests.support import REPO, fixture_template, new_app, new_stack, synth

VENDORS = [name for name in DEVICES if name in READERS]
AEAD_NAMES = {"AES256-GCM-16", "AES128-GCM-16"}
PSKS = ("Vendor.psk_one_1234", "Vendor.psk_two_5678")
ONPREM = (ipaddress.IPv4Network("172.16.0.0/16"), ipaddress.IPv4Network("172.17.0.0/24"))
REMOTE = (ipaddress.IPv4Network("10.0.0.0/16"),)
#: DH groups both Cisco IOS-XE and Junos do (their IKE pages list no 17, 18, 22, 23).
DEVICE_GROUPS = tuple(DhGroup(g) for g in (14, 15, 16, 19, 20, 21))


def _options(cidr: str) -> TunnelOptions:
    return TunnelOptions.secure().with_(
        tunnel_inside_cidr=cidr,
        phase1_dh_group_numbers=DEVICE_GROUPS,
        phase2_dh_group_numbers=DEVICE_GROUPS,
    )


@lru_cache(maxsize=1)
def device_ready_template() -> dict[str, Any]:
    """The README's kinds of VPN with tunnel options narrowed to what the devices do."""
    stack = new_stack(name="DeviceReady")
    hub = TransitGatewayHub(
        stack, "Hub", amazon_side_asn=64600, route_table_names=["onprem", "vpcs"]
    )
    shops = VpnConcentrator(stack, "Shops", transit_gateway=hub)
    sites: list[tuple[str, str, dict[str, Any]]] = [
        ("Branch", "203.0.113.10", {"transit_gateway": hub}),
        ("Shop01", "198.51.100.1", {"vpn_concentrator": shops}),
        (
            "V6Branch",
            "2001:db8:5::10",
            {"transit_gateway": hub, "outside_ip_address_type": OutsideIpAddressType.IPV6},
        ),
        (
            "Store",
            "198.51.100.77",
            {"transit_gateway": hub, "routing": Routing.static(["10.0.0.0/16"])},
        ),
    ]
    for index, (name, address, props) in enumerate(sites):
        vpn = SiteToSiteVpn(
            stack,
            name,
            customer_gateway=CustomerGatewayProps(ip_address=address, bgp_asn=65010 + index),
            tunnel1=_options(f"169.254.{40 + 2 * index}.0/30"),
            tunnel2=_options(f"169.254.{41 + 2 * index}.0/30"),
            **props,
        )
        if name == "Store":  # a static VPN's prefixes become routes to its attachment
            hub.connect_vpn(
                vpn,
                associate_with=hub.route_table("onprem"),
                propagate_to=[hub.route_table("vpcs")],
            )
    return synth(stack)


def _vpn(template: dict[str, Any], name: str) -> tuple[str, dict[str, Any]]:
    for logical_id, resource in template["Resources"].items():
        tags = resource.get("Properties", {}).get("Tags", [])
        if resource["Type"] == "AWS::EC2::VPNConnection" and {"Key": "Name", "Value": name} in tags:
            return logical_id, resource["Properties"]
    if name == "fixture":
        return "VpnConnection", template["Resources"]["VpnConnection"]["Properties"]
    raise KeyError(name)


def _cgw(template: dict[str, Any], properties: dict[str, Any]) -> dict[str, Any]:
    ref = properties["CustomerGatewayId"]
    logical_id = ref["Ref"] if "Ref" in ref else ref["Fn::GetAtt"][0]
    cgw: dict[str, Any] = template["Resources"][logical_id]["Properties"]
    return cgw


def _facts(cgw_ip: str, preference: PathPreference, **extra: Any) -> DeployFacts:
    v6 = ":" in cgw_ip
    peers = ("2001:db8:ff::1", "2001:db8:ff::2") if v6 else ("192.0.2.10", "192.0.2.20")
    return DeployFacts(
        tunnels=(
            TunnelFacts(outside_ip=ipaddress.ip_address(peers[0]), psk=PSKS[0]),
            TunnelFacts(outside_ip=ipaddress.ip_address(peers[1]), psk=PSKS[1]),
        ),
        cgw_outside_ip=ipaddress.ip_address(cgw_ip),
        amazon_side_asn=64600,
        onprem_prefixes=ONPREM,
        remote_prefixes=REMOTE,
        path_preference=preference,
        **extra,
    )


def _values(spec: dict[str, Any], key: str) -> set[Any]:
    return {v["Value"] for v in spec[key]}


def _strongest_first(names: list[Any], bits: dict[Any, int]) -> bool:
    ranks = [bits[n] for n in names]
    return ranks == sorted(ranks, reverse=True)


def assert_matches_template(
    seen: Seen, properties: dict[str, Any], cgw: dict[str, Any], facts: DeployFacts
) -> None:
    """Everything the judge recovered equals what the template (and the facts) say."""
    assert sorted(seen.tunnels) == [1, 2]
    ipv6 = facts.outside_ipv6
    for number, spec in enumerate(properties["VpnTunnelOptionsSpecifications"], start=1):
        tunnel = seen.tunnels[number]
        cidr = ipaddress.IPv4Network(spec["TunnelInsideCidr"])
        assert tunnel.inside == f"{cidr.network_address + 2}/30"
        assert tunnel.peer == str(facts.tunnels[number - 1].outside_ip)
        assert tunnel.source == str(facts.ike_local_address)
        assert set(tunnel.ike_encryption) == _values(spec, "Phase1EncryptionAlgorithms")
        # Strongest first within AEAD and within CBC (IOS-XE keeps them in separate proposals).
        for mode in (AEAD_NAMES, set(AES_BITS) - AEAD_NAMES):
            order = [n for n in dict.fromkeys(tunnel.ike_encryption) if n in mode]
            assert _strongest_first(order, AES_BITS), tunnel.ike_encryption
        assert set(tunnel.ike_groups) == _values(spec, "Phase1DHGroupNumbers")
        assert set(tunnel.esp_encryption) == _values(spec, "Phase2EncryptionAlgorithms")
        cbc = {"AES128", "AES256"} & _values(spec, "Phase1EncryptionAlgorithms")
        if cbc or set(tunnel.ike_integrity):
            assert set(tunnel.ike_integrity) <= _values(spec, "Phase1IntegrityAlgorithms")
        if cbc:
            assert set(tunnel.ike_integrity) == _values(spec, "Phase1IntegrityAlgorithms")
        if {"AES128", "AES256"} & _values(spec, "Phase2EncryptionAlgorithms"):
            assert set(tunnel.esp_integrity) == _values(spec, "Phase2IntegrityAlgorithms")
        allowed_pfs = _values(spec, "Phase2DHGroupNumbers")
        assert tunnel.pfs in allowed_pfs
        assert GROUP_BITS[tunnel.pfs] == max(GROUP_BITS[g] for g in allowed_pfs)
        assert tunnel.ike_lifetime == spec["Phase1LifetimeSeconds"]
        assert tunnel.esp_lifetime == spec["Phase2LifetimeSeconds"]
        assert spec["DPDTimeoutSeconds"] - 5 <= tunnel.dpd_seconds <= spec["DPDTimeoutSeconds"]
        assert tunnel.mtu == (1416 if ipv6 else 1436)
        assert tunnel.mss == (1376 if ipv6 else 1379)
        assert tunnel.psk_kept
    if properties.get("StaticRoutesOnly"):
        assert set(seen.static) == {str(p) for p in REMOTE}
        assert not seen.neighbors
        return
    asn = int(cgw.get("BgpAsnExtended", cgw.get("BgpAsn", 65000)))
    assert seen.local_asn == asn
    aws_side = {
        str(ipaddress.IPv4Network(s["TunnelInsideCidr"]).network_address + 1)
        for s in properties["VpnTunnelOptionsSpecifications"]
    }
    assert seen.neighbors == dict.fromkeys(aws_side, facts.amazon_side_asn)
    assert set(seen.hold.values()) == {30}
    for peer in aws_side:
        assert seen.accept[peer] == {str(p) for p in REMOTE}
        assert seen.announce[peer] == {str(p) for p in ONPREM}
        assert seen.final_deny[peer]
    first, second = sorted(aws_side, key=ipaddress.ip_address)
    lp, pp = seen.local_pref, seen.prepend
    if facts.path_preference is PathPreference.PRIMARY_SECONDARY:
        assert lp[first] > lp[second]
        assert pp[first] < pp[second]
        assert not seen.multipath
    elif facts.path_preference is PathPreference.ACTIVE_ACTIVE:
        assert lp[first] == lp[second]
        assert pp[first] == pp[second]
        assert seen.multipath
    else:  # dx-backup: both below a Direct Connect path (local preference 100, no prepend)
        assert max(lp.values()) < 100
        assert min(pp.values()) >= 1
        assert not seen.multipath


CASES = [
    ("fixture", PathPreference.PRIMARY_SECONDARY),
    ("Branch", PathPreference.PRIMARY_SECONDARY),
    ("Branch", PathPreference.ACTIVE_ACTIVE),
    ("Branch", PathPreference.DX_BACKUP),
    ("Shop01", PathPreference.PRIMARY_SECONDARY),
    ("V6Branch", PathPreference.PRIMARY_SECONDARY),
    ("Store", PathPreference.PRIMARY_SECONDARY),
    ("Store", PathPreference.DX_BACKUP),
]


@pytest.mark.slow
@pytest.mark.parametrize("device", VENDORS)
@pytest.mark.parametrize(("site", "preference"), CASES)
def test_rendered_file_reads_back_equal_to_the_template(
    device: str, site: str, preference: PathPreference
) -> None:
    template = fixture_template() if site == "fixture" else device_ready_template()
    _, properties = _vpn(template, site)
    cgw = _cgw(template, properties)
    facts = _facts(cgw["IpAddress"], preference, local_address=None)
    config = renderer(device)(
        vpn_properties=properties, customer_asn=int(cgw.get("BgpAsn", 0)), facts=facts
    )
    assert list(config.files) == [f"{device}.conf"]
    text = config.files[f"{device}.conf"]
    assert "Proven live: nothing" in text
    seen = READERS[device](text)
    assert_matches_template(seen, properties, cgw, facts)


@pytest.mark.parametrize("device", VENDORS)
def test_behind_nat_ike_leaves_from_the_local_address(device: str) -> None:
    template = fixture_template()
    _, properties = _vpn(template, "fixture")
    cgw = _cgw(template, properties)
    facts = _facts(
        cgw["IpAddress"],
        PathPreference.PRIMARY_SECONDARY,
        local_address=ipaddress.ip_address("10.9.0.5"),
    )
    config = renderer(device)(vpn_properties=properties, customer_asn=65010, facts=facts)
    text = config.files[f"{device}.conf"]
    seen = READERS[device](text)
    assert {t.source for t in seen.tunnels.values()} == {"10.9.0.5"}
    assert cgw["IpAddress"] in text  # still the IKE identity


@pytest.mark.parametrize("device", VENDORS)
@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"Phase1DHGroupNumbers": [{"Value": 17}, {"Value": 19}]}, "17"),
        ({"IKEVersions": [{"Value": "ikev1"}]}, "ikev1"),
    ],
)
def test_what_the_device_cannot_do_is_refused_naming_it(
    device: str, change: dict[str, Any], named: str
) -> None:
    template = fixture_template()
    _, properties = _vpn(template, "fixture")
    properties["VpnTunnelOptionsSpecifications"][0].update(change)
    cgw = _cgw(template, properties)
    with pytest.raises(DeviceCannotError) as caught:
        renderer(device)(
            vpn_properties=properties,
            customer_asn=65010,
            facts=_facts(cgw["IpAddress"], PathPreference.PRIMARY_SECONDARY),
        )
    message = str(caught.value)
    assert message.startswith(f"{device} cannot ")
    assert named in message
    assert "\n" not in message


@pytest.mark.parametrize("reader", sorted(READERS))
def test_the_judge_can_fail(reader: str) -> None:
    """The judge flags an unknown keyword and a value outside the documentation."""
    template = fixture_template()
    _, properties = _vpn(template, "fixture")
    cgw = _cgw(template, properties)
    facts = _facts(cgw["IpAddress"], PathPreference.PRIMARY_SECONDARY)
    text = renderer(reader)(vpn_properties=properties, customer_asn=65010, facts=facts).files[
        f"{reader}.conf"
    ]
    bad_keyword = text.replace("group21", "group17").replace(" 21 20 19", " 18 20 19")
    with pytest.raises(Unknown):
        READERS[reader](bad_keyword)
    seen = READERS[reader](text.replace("28800", "3000"))
    with pytest.raises(AssertionError):
        assert_matches_template(seen, properties, cgw, facts)


@pytest.mark.slow
@pytest.mark.parametrize(("site", "warned"), [("Branch", True), ("fixture", False)])
def test_junos_header_warns_of_cve_2024_30391_when_it_uses_hmac_sha_384_512(
    site: str, warned: bool
) -> None:
    template = fixture_template() if site == "fixture" else device_ready_template()
    _, properties = _vpn(template, site)
    cgw = _cgw(template, properties)
    facts = _facts(cgw["IpAddress"], PathPreference.PRIMARY_SECONDARY)
    text = renderer("junos")(vpn_properties=properties, customer_asn=65010, facts=facts).files[
        "junos.conf"
    ]
    uses = "authentication-algorithm hmac-sha-512" in text
    assert uses == warned
    assert ("CVE-2024-30391" in text) == warned


def test_outside_interface_names_the_tunnel_source_on_ios_xe_and_is_refused_by_strongswan() -> None:
    template = fixture_template()
    _, properties = _vpn(template, "fixture")
    cgw = _cgw(template, properties)
    facts = _facts(
        cgw["IpAddress"], PathPreference.PRIMARY_SECONDARY, outside_interface="GigabitEthernet1"
    )
    text = renderer("cisco-ios-xe")(
        vpn_properties=properties, customer_asn=65010, facts=facts
    ).files["cisco-ios-xe.conf"]
    assert {t.source for t in READERS["cisco-ios-xe"](text).tunnels.values()} == {
        "GigabitEthernet1"
    }
    with pytest.raises(DeviceCannotError, match=r"^strongswan cannot use --outside-interface"):
        renderer("strongswan")(vpn_properties=properties, customer_asn=65010, facts=facts)


@lru_cache(maxsize=1)
def example_sites_device_ready() -> dict[str, Any]:
    """examples/sites.yaml with ``defaults.tunnel`` narrowed to the devices' DH groups (what
    docs/guides/devices.md tells a user to do); every site keeps its own options otherwise."""
    document = yaml.safe_load((REPO / "examples" / "sites.yaml").read_text(encoding="utf-8"))
    groups = [int(g) for g in DEVICE_GROUPS]
    tunnel = document["defaults"]["tunnel"]
    tunnel["phase1"] = {**tunnel.get("phase1", {}), "dh_group_numbers": groups}
    tunnel["phase2"] = {**tunnel.get("phase2", {}), "dh_group_numbers": groups}
    directory = Path(tempfile.mkdtemp(prefix="device-sites-"))
    shutil.copy(REPO / "examples" / "sites.lock.json", directory / "sites.lock.json")
    path = directory / "sites.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    built = build_sites_app(new_app(), path)
    (stack,) = built.site_stacks
    return synth(stack)


EXAMPLE_SITES = ("paris", "lyon", "berlin", "madrid", "oslo")


@pytest.mark.slow
@pytest.mark.parametrize("device", VENDORS)
@pytest.mark.parametrize("site", EXAMPLE_SITES)
def test_every_example_site_narrowed_to_the_devices_groups(device: str, site: str) -> None:
    """Rendered and read back equal to the template, or refused in one line naming the device
    (IOS-XE: oslo's compatible profile needs more than six transform sets)."""
    template = example_sites_device_ready()
    _, properties = _vpn(template, site)
    cgw = _cgw(template, properties)
    facts = _facts(cgw["IpAddress"], PathPreference.PRIMARY_SECONDARY)
    asn = int(cgw.get("BgpAsnExtended", cgw.get("BgpAsn", 65000)))
    render = renderer(device)
    if (device, site) == ("cisco-ios-xe", "oslo"):
        with pytest.raises(DeviceCannotError, match=r"^cisco-ios-xe cannot hold .* 8 phase 2"):
            render(vpn_properties=properties, customer_asn=asn, facts=facts)
        return
    config = render(vpn_properties=properties, customer_asn=asn, facts=facts)
    seen = READERS[device](config.files[f"{device}.conf"])
    assert_matches_template(seen, properties, cgw, facts)


@pytest.mark.parametrize("device", [*VENDORS, "panos", "fortios"])
@pytest.mark.parametrize(
    ("extra", "refusal"),
    [
        ({"dataplane": Dataplane.LIBIPSEC}, "use --dataplane libipsec"),
        ({"updown": "/usr/local/bin/hook"}, "run an --updown hook"),
    ],
)
def test_strongswan_only_options_are_refused_by_every_vendor_device(
    device: str, extra: dict[str, Any], refusal: str
) -> None:
    """A vendor file cannot carry them: refused in one line naming the device, never ignored."""
    template = fixture_template()
    _, properties = _vpn(template, "fixture")
    facts = _facts(
        _cgw(template, properties)["IpAddress"], PathPreference.PRIMARY_SECONDARY, **extra
    )
    with pytest.raises(DeviceCannotError, match=rf"^{device} cannot {refusal} ") as caught:
        renderer(device)(vpn_properties=properties, customer_asn=65010, facts=facts)
    assert "\n" not in str(caught.value)
