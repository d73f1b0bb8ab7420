"""Bad input fails at synth time naming the construct path, field, value and what is allowed."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import CfnParameter

from site_to_site_vpn import (
    CustomerGateway,
    CustomerGatewayProps,
    DhGroup,
    EncryptionAlgorithm,
    ExistingTransitGateway,
    IkeVersion,
    IntegrityAlgorithm,
    OutsideIpAddressType,
    PreSharedKey,
    Routing,
    StartupAction,
    TunnelBandwidth,
    TunnelInsideIpVersion,
    TunnelOptions,
    ValidationError,
)
from tests.support import TGW, VGW, assert_reported, build_vpn, new_stack

T = TunnelOptions.secure()

# (id, SiteToSiteVpn overrides, field named in the message, value shown, words of the rule)
CASES: list[tuple[str, dict[str, Any], str, str, str]] = [
    (
        "phase1 lifetime low",
        {"tunnel1": T.with_(phase1_lifetime_seconds=899)},
        "tunnel1.phase1_lifetime_seconds",
        "899",
        "900-28,800",
    ),
    (
        "phase1 lifetime high",
        {"tunnel2": T.with_(phase1_lifetime_seconds=28_801)},
        "tunnel2.phase1_lifetime_seconds",
        "28801",
        "900-28,800",
    ),
    (
        "phase2 lifetime low",
        {"tunnel1": T.with_(phase2_lifetime_seconds=899)},
        "tunnel1.phase2_lifetime_seconds",
        "899",
        "900-3,600",
    ),
    (
        "phase2 lifetime high",
        {"tunnel1": T.with_(phase2_lifetime_seconds=3_601)},
        "tunnel1.phase2_lifetime_seconds",
        "3601",
        "900-3,600",
    ),
    (
        "phase2 not below phase1",
        {"tunnel1": T.with_(phase1_lifetime_seconds=1_800, phase2_lifetime_seconds=1_800)},
        "tunnel1.phase2_lifetime_seconds",
        "1800",
        "less than phase1_lifetime_seconds (1800)",
    ),
    (
        "rekey margin low",
        {"tunnel1": T.with_(rekey_margin_time_seconds=59)},
        "tunnel1.rekey_margin_time_seconds",
        "59",
        "at least 60",
    ),
    (
        "rekey margin over half of phase 2",
        {"tunnel1": T.with_(rekey_margin_time_seconds=1_801)},
        "tunnel1.rekey_margin_time_seconds",
        "1801",
        "at most half of phase2_lifetime_seconds (1800)",
    ),
    (
        "rekey fuzz high",
        {"tunnel1": T.with_(rekey_fuzz_percentage=101)},
        "tunnel1.rekey_fuzz_percentage",
        "101",
        "0-100",
    ),
    (
        "rekey fuzz negative",
        {"tunnel1": T.with_(rekey_fuzz_percentage=-1)},
        "tunnel1.rekey_fuzz_percentage",
        "-1",
        "0-100",
    ),
    (
        "replay window low",
        {"tunnel1": T.with_(replay_window_size=63)},
        "tunnel1.replay_window_size",
        "63",
        "64-2,048",
    ),
    (
        "replay window high",
        {"tunnel1": T.with_(replay_window_size=4_096)},
        "tunnel1.replay_window_size",
        "4096",
        "64-2,048",
    ),
    (
        "dpd timeout low",
        {"tunnel1": T.with_(dpd_timeout_seconds=29)},
        "tunnel1.dpd_timeout_seconds",
        "29",
        "at least 30",
    ),
    (
        "lifetime not an integer",
        {"tunnel1": T.with_(phase1_lifetime_seconds="3600")},
        "tunnel1.phase1_lifetime_seconds",
        "'3600'",
        "must be an integer",
    ),
    (
        "start needs ikev2 only",
        {
            "tunnel1": T.with_(
                startup_action=StartupAction.START,
                ike_versions=(IkeVersion.IKEV1, IkeVersion.IKEV2),
            )
        },
        "tunnel1.startup_action",
        "'start'",
        "needs ike_versions to be IKEv2 only",
    ),
    (
        "dh group 5 in phase 1",
        {"tunnel1": T.with_(phase1_dh_group_numbers=(DhGroup.GROUP_5,))},
        "tunnel1.phase1_dh_group_numbers",
        "5",
        "is not one of",
    ),
    (
        "unknown dh group",
        {"tunnel2": T.with_(phase2_dh_group_numbers=(13,))},
        "tunnel2.phase2_dh_group_numbers",
        "13",
        "is not one of",
    ),
    (
        "empty encryption list",
        {"tunnel1": T.with_(phase1_encryption_algorithms=())},
        "tunnel1.phase1_encryption_algorithms",
        "()",
        "non-empty list",
    ),
    (
        "unknown cipher",
        {"tunnel1": T.with_(phase2_encryption_algorithms=("3DES",))},
        "tunnel1.phase2_encryption_algorithms",
        "'3DES'",
        "is not one of",
    ),
    (
        "unknown integrity",
        {"tunnel1": T.with_(phase1_integrity_algorithms=("MD5",))},
        "tunnel1.phase1_integrity_algorithms",
        "'MD5'",
        "is not one of",
    ),
    (
        "duplicate integrity",
        {"tunnel1": T.with_(phase2_integrity_algorithms=(IntegrityAlgorithm.SHA2_256,) * 2)},
        "tunnel1.phase2_integrity_algorithms",
        "SHA2-256",
        "has duplicates",
    ),
    (
        "unknown ike version",
        {"tunnel1": T.with_(ike_versions=("ikev3",))},
        "tunnel1.ike_versions",
        "'ikev3'",
        "is not one of",
    ),
    (
        "dpd action as string",
        {"tunnel1": T.with_(dpd_timeout_action="reboot")},
        "tunnel1.dpd_timeout_action",
        "'reboot'",
        "must be one of ['clear', 'none', 'restart']",
    ),
    (
        "startup action as string",
        {"tunnel1": T.with_(startup_action="go")},
        "tunnel1.startup_action",
        "'go'",
        "must be one of ['add', 'start']",
    ),
    (
        "lifecycle control not bool",
        {"tunnel1": T.with_(enable_tunnel_lifecycle_control="yes")},
        "tunnel1.enable_tunnel_lifecycle_control",
        "'yes'",
        "True or False",
    ),
    (
        "inside cidr not /30",
        {"tunnel1": T.with_(tunnel_inside_cidr="169.254.10.0/29")},
        "tunnel1.tunnel_inside_cidr",
        "169.254.10.0/29",
        "must be a /30",
    ),
    (
        "inside cidr unaligned",
        {"tunnel1": T.with_(tunnel_inside_cidr="169.254.10.1/30")},
        "tunnel1.tunnel_inside_cidr",
        "169.254.10.1/30",
        "aligned IPv4 /30",
    ),
    (
        "inside cidr outside link-local",
        {"tunnel1": T.with_(tunnel_inside_cidr="10.0.0.0/30")},
        "tunnel1.tunnel_inside_cidr",
        "10.0.0.0/30",
        "inside 169.254.0.0/16",
    ),
    (
        "inside cidr reserved low",
        {"tunnel1": T.with_(tunnel_inside_cidr="169.254.3.0/30")},
        "tunnel1.tunnel_inside_cidr",
        "169.254.3.0/30",
        "reserved by AWS",
    ),
    (
        "inside cidr reserved metadata",
        {"tunnel2": T.with_(tunnel_inside_cidr="169.254.169.252/30")},
        "tunnel2.tunnel_inside_cidr",
        "169.254.169.252/30",
        "reserved by AWS",
    ),
    (
        "inside cidr same on both tunnels",
        {
            "tunnel1": T.with_(tunnel_inside_cidr="169.254.10.0/30"),
            "tunnel2": T.with_(tunnel_inside_cidr="169.254.10.0/30"),
        },
        "tunnel2.tunnel_inside_cidr",
        "169.254.10.0/30",
        "is already used by tunnel1",
    ),
    (
        "ipv6 inside not /126",
        {
            "tunnel_inside_ip_version": TunnelInsideIpVersion.IPV6,
            "tunnel1": T.with_(tunnel_inside_ipv6_cidr="fd00::/64"),
        },
        "tunnel1.tunnel_inside_ipv6_cidr",
        "fd00::/64",
        "/126 inside fd00::/8",
    ),
    (
        "ipv6 inside outside fd00::/8",
        {
            "tunnel_inside_ip_version": TunnelInsideIpVersion.IPV6,
            "tunnel1": T.with_(tunnel_inside_ipv6_cidr="2001:db8::/126"),
        },
        "tunnel1.tunnel_inside_ipv6_cidr",
        "2001:db8::/126",
        "/126 inside fd00::/8",
    ),
    (
        "ipv6 inside cidr without ipv6 version",
        {"tunnel1": T.with_(tunnel_inside_ipv6_cidr="fd00::4/126")},
        "tunnel1.tunnel_inside_ipv6_cidr",
        "fd00::4/126",
        "needs tunnel_inside_ip_version IPV6",
    ),
    (
        "ipv4 inside cidr with ipv6 version",
        {
            "tunnel_inside_ip_version": TunnelInsideIpVersion.IPV6,
            "tunnel1": T.with_(tunnel_inside_cidr="169.254.10.0/30"),
        },
        "tunnel1.tunnel_inside_cidr",
        "169.254.10.0/30",
        "must be unset with IPv6",
    ),
    (
        "acceleration on vgw",
        {"vpn_gateway": VGW, "enable_acceleration": True},
        "enable_acceleration",
        "True",
        "only available on a Transit Gateway",
    ),
    (
        "large bandwidth on vgw",
        {"vpn_gateway": VGW, "tunnel_bandwidth": TunnelBandwidth.LARGE},
        "tunnel_bandwidth",
        "'large'",
        "only available on a Transit Gateway",
    ),
    (
        "ipv6 inside on vgw",
        {"vpn_gateway": VGW, "tunnel_inside_ip_version": TunnelInsideIpVersion.IPV6},
        "tunnel_inside_ip_version",
        "'ipv6'",
        "only available on a Transit Gateway",
    ),
    (
        "private ipv4 without transport attachment",
        {"outside_ip_address_type": OutsideIpAddressType.PRIVATE_IPV4},
        "transport_transit_gateway_attachment_id",
        "None",
        "required with outside_ip_address_type",
    ),
    (
        "transport attachment without private ipv4",
        {"transport_transit_gateway_attachment_id": "tgw-attach-0123456789abcdef0"},
        "transport_transit_gateway_attachment_id",
        "tgw-attach-0123456789abcdef0",
        "only used with outside_ip_address_type PrivateIpv4",
    ),
    (
        "private ipv4 on vgw",
        {
            "vpn_gateway": VGW,
            "outside_ip_address_type": OutsideIpAddressType.PRIVATE_IPV4,
            "transport_transit_gateway_attachment_id": "tgw-attach-0123456789abcdef0",
        },
        "outside_ip_address_type",
        "'PrivateIpv4'",
        "only available on a Transit Gateway",
    ),
    (
        "acceleration with private ipv4",
        {
            "outside_ip_address_type": OutsideIpAddressType.PRIVATE_IPV4,
            "transport_transit_gateway_attachment_id": "tgw-attach-0123456789abcdef0",
            "enable_acceleration": True,
        },
        "enable_acceleration",
        "True",
        "not available with PrivateIpv4",
    ),
    (
        "both gateways",
        {"vpn_gateway": VGW, "transit_gateway": TGW},
        "transit_gateway/vpn_gateway",
        "'both'",
        "exactly one",
    ),
    (
        "no gateway",
        {"transit_gateway": None},
        "transit_gateway/vpn_gateway",
        "'neither'",
        "exactly one",
    ),
    (
        "customer asn equals amazon asn",
        {"customer_gateway": CustomerGatewayProps(ip_address="203.0.113.10", bgp_asn=64512)},
        "customer_gateway.bgp_asn",
        "64512",
        "must differ from the Amazon-side ASN (64512)",
    ),
    (
        "customer asn equals vgw asn",
        {
            "vpn_gateway": VGW,
            "customer_gateway": CustomerGatewayProps(ip_address="203.0.113.10", bgp_asn=64513),
        },
        "customer_gateway.bgp_asn",
        "64513",
        "must differ from the Amazon-side ASN (64513)",
    ),
    (
        "static without prefixes",
        {"routing": Routing.static([])},
        "routing.static_route_prefixes",
        "[]",
        "at least one on-premises prefix",
    ),
    (
        "static prefix with host bits",
        {"routing": Routing.static(["10.20.0.1/16"])},
        "routing.static_route_prefixes",
        "10.20.0.1/16",
        "no host bits set",
    ),
    (
        "static prefix duplicated",
        {"routing": Routing.static(["10.20.0.0/16", "10.20.0.0/16"])},
        "routing.static_route_prefixes",
        "10.20.0.0/16",
        "has duplicates",
    ),
    (
        "bgp with prefixes",
        {"routing": Routing(static_routes_only=False, static_route_prefixes=("10.0.0.0/8",))},
        "routing.static_route_prefixes",
        "10.0.0.0/8",
        "must be empty with BGP routing",
    ),
    (
        "local cidr bad",
        {"local_network_cidr": "10.0.0.0/33"},
        "local_network_cidr",
        "10.0.0.0/33",
        "IPv4 CIDR",
    ),
    (
        "remote cidr family mismatch",
        {"remote_network_cidr": "2001:db8::/32"},
        "remote_network_cidr",
        "2001:db8::/32",
        "must be IPv4 to match tunnel_inside_ip_version",
    ),
]


@pytest.mark.parametrize(
    ("overrides", "field", "value", "rule"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_bad_vpn_input_is_refused_with_a_precise_message(
    overrides: dict[str, Any], field: str, value: str, rule: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        build_vpn(new_stack(), **overrides)
    assert_reported(caught.value, path="TestStack/Vpn", field=field, value=value, rule=rule)


# (id, CustomerGateway kwargs, field, value, rule)
CGW_CASES: list[tuple[str, dict[str, Any], str, str, str]] = [
    ("asn zero", {"bgp_asn": 0}, "bgp_asn", "0", "must be 1-4,294,967,294"),
    ("asn too large", {"bgp_asn": 4_294_967_295}, "bgp_asn", "4294967295", "BgpAsnExtended"),
    ("asn reserved 7224", {"bgp_asn": 7224}, "bgp_asn", "7224", "reserved by AWS"),
    ("asn not an int", {"bgp_asn": "65000"}, "bgp_asn", "'65000'", "integer ASN"),
    (
        "ip not an address",
        {"ip_address": "cgw.example.com"},
        "ip_address",
        "cgw.example.com",
        "IPv4 or IPv6 address",
    ),
    (
        "ip with prefix",
        {"ip_address": "203.0.113.10/32"},
        "ip_address",
        "203.0.113.10/32",
        "IPv4 or IPv6 address",
    ),
    (
        "device name too long",
        {"device_name": "x" * 256},
        "device_name",
        "xxxx",
        "at most 255 characters",
    ),
]


@pytest.mark.parametrize(
    ("kwargs", "field", "value", "rule"),
    [pytest.param(*case[1:], id=case[0]) for case in CGW_CASES],
)
def test_bad_customer_gateway_input(
    kwargs: dict[str, Any], field: str, value: str, rule: str
) -> None:
    props: dict[str, Any] = {"ip_address": "203.0.113.10", "bgp_asn": 65010, **kwargs}
    with pytest.raises(ValidationError) as caught:
        CustomerGateway(new_stack(), "Cgw", **props)
    message = str(caught.value)
    assert f"TestStack/Cgw: {field} = " in message
    assert value in message
    assert rule in message


def test_imported_customer_gateway_id_is_checked() -> None:
    with pytest.raises(ValidationError, match=r"TestStack/Cgw: customer_gateway_id = 'vgw-1'"):
        CustomerGateway.from_customer_gateway_attributes(
            new_stack(), "Cgw", customer_gateway_id="vgw-1"
        )


@pytest.mark.parametrize(
    "psk",
    ["short12", "0startswithzero", "has-dash-chars", "x" * 65, "spaces are bad"],
)
def test_bad_literal_psk_is_refused_and_never_echoed(psk: str) -> None:
    with pytest.raises(ValidationError) as caught:
        build_vpn(
            new_stack(),
            allow_plaintext_pre_shared_keys=True,
            tunnel1=T.with_(pre_shared_key=PreSharedKey.unsafe_plain_text(psk)),
        )
    message = str(caught.value)
    assert "tunnel1.pre_shared_key = <redacted" in message
    assert "8-64 characters" in message
    assert psk not in message


def test_literal_psk_without_opt_in_is_refused_and_not_echoed() -> None:
    with pytest.raises(ValidationError) as caught:
        build_vpn(
            new_stack(),
            tunnel2=T.with_(pre_shared_key=PreSharedKey.unsafe_plain_text("Good.psk_1")),
        )
    message = str(caught.value)
    assert "TestStack/Vpn: tunnel2.pre_shared_key = <redacted, 10 characters>" in message
    assert "allow_plaintext_pre_shared_keys=True" in message
    assert "Good.psk_1" not in message
    assert "Good.psk_1" not in repr(
        T.with_(pre_shared_key=PreSharedKey.unsafe_plain_text("Good.psk_1"))
    )


def test_all_problems_of_one_construct_are_raised_together() -> None:
    with pytest.raises(ValidationError) as caught:
        build_vpn(
            new_stack(),
            vpn_gateway=VGW,
            enable_acceleration=True,
            tunnel1=T.with_(phase1_lifetime_seconds=10, dpd_timeout_seconds=1),
            tunnel2=T.with_(phase1_encryption_algorithms=(EncryptionAlgorithm.AES128, "DES")),
        )
    fields = {p.field for p in caught.value.problems}
    assert fields >= {
        "enable_acceleration",
        "tunnel1.phase1_lifetime_seconds",
        "tunnel1.dpd_timeout_seconds",
        "tunnel2.phase1_encryption_algorithms",
    }
    assert str(caught.value).startswith(
        f"{len(caught.value.problems)} invalid values in TestStack/Vpn:"
    )


def test_tokens_are_not_validated_as_literals() -> None:
    stack = new_stack()
    lifetime = CfnParameter(stack, "Lifetime", type="Number").value_as_number
    asn = CfnParameter(stack, "Asn", type="Number").value_as_number
    vpn = build_vpn(
        stack,
        customer_gateway=CustomerGatewayProps(ip_address="203.0.113.10", bgp_asn=int(asn)),
        transit_gateway=ExistingTransitGateway(transit_gateway_id="tgw-0123456789abcdef0"),
        tunnel1=T.with_(phase1_lifetime_seconds=lifetime),
    )
    assert vpn.tunnels[0].phase1_lifetime_seconds == lifetime
