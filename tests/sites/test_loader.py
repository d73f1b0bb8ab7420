"""Loading a sites file: good files type correctly; bad ones name the file, path and value."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from site_to_site_vpn import DpdTimeoutAction, EncryptionAlgorithm, IkeVersion, TunnelOptions
from site_to_site_vpn.sites import SitesFileError, load_sites_file
from tests.sites.conftest import document, parse, problems_of, site

EXAMPLE = Path(__file__).parents[2] / "examples" / "sites.yaml"

Mutation = Callable[[dict[str, Any]], None]


def test_example_file_loads() -> None:
    loaded = load_sites_file(EXAMPLE)
    assert loaded.hub.name == "ExampleNetwork"
    assert [s.name for s in loaded.sites] == ["paris", "lyon", "berlin", "madrid", "oslo"]
    berlin = loaded.site("berlin")
    assert berlin.routing.static_routes_only
    assert berlin.routing.static_route_prefixes == ("10.30.0.0/16", "10.31.0.0/16")
    assert loaded.site("madrid").pinned_inside_cidrs == ("169.254.100.0/30", "169.254.100.4/30")
    assert loaded.site("oslo").tunnel1 == TunnelOptions.compatible().with_(
        dpd_timeout_action=DpdTimeoutAction.RESTART
    )


def test_defaults_and_overrides_layer_in_order() -> None:
    doc = document(
        site(
            1,
            tunnels=[{"phase2": {"lifetime_seconds": 1800}}, {"ike_versions": ["ikev2", "ikev1"]}],
            route_table="shared",
            tags={"city": "x"},
        ),
        defaults={
            "tunnel": {"phase1": {"encryption_algorithms": ["AES256"]}, "replay_window_size": 512},
            "propagate_to": ["branches", "shared"],
            "tags": {"team": "net", "city": "default"},
        },
    )
    (loaded,) = parse(doc).sites
    assert loaded.tunnel1.phase1_encryption_algorithms == (EncryptionAlgorithm.AES256,)
    assert loaded.tunnel1.phase2_lifetime_seconds == 1800
    assert loaded.tunnel2.phase2_lifetime_seconds == 3600
    assert loaded.tunnel2.ike_versions == (IkeVersion.IKEV2, IkeVersion.IKEV1)
    assert loaded.tunnel2.replay_window_size == 512
    assert loaded.route_table == "shared"
    assert loaded.propagate_to == ("branches", "shared")
    assert loaded.tags == (("city", "x"), ("team", "net"))


def test_association_defaults_to_the_first_route_table_and_propagates_to_it() -> None:
    (loaded,) = parse(document(site(1))).sites
    assert (loaded.route_table, loaded.propagate_to) == ("branches", ("branches",))


def _set(path: str, value: Any) -> Mutation:
    """A mutation writing ``value`` at a dotted path such as ``sites.0.tunnels``."""

    def mutate(doc: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = doc
        for key in parents:
            node = node[int(key)] if key.isdigit() else node.setdefault(key, {})
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return mutate


def _delete(path: str) -> Mutation:
    def mutate(doc: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = doc
        for key in parents:
            node = node[int(key)] if key.isdigit() else node[key]
        del node[last]

    return mutate


# (mutation, substrings every expected message must contain)
BAD_CASES: dict[str, tuple[Mutation, list[str]]] = {
    "phase2 lifetime out of range": (
        _set("sites.2.tunnels", [{}, {"phase2": {"lifetime_seconds": 99999}}]),
        ["sites.yaml: sites[2].tunnels[1].phase2.lifetime_seconds = 99999: must be 900-3,600"],
    ),
    "missing customer gateway": (
        _delete("sites.0.customer_gateway"),
        ["sites[0].customer_gateway = <missing>: is required"],
    ),
    "unknown key": (
        _set("sites.1.colour", "red"),
        ["sites[1].colour = 'red': is not a known key here; known keys: customer_gateway"],
    ),
    "ASN of the wrong type": (
        _set("sites.0.customer_gateway.bgp_asn", "65001"),
        ["sites[0].customer_gateway.bgp_asn = '65001': must be of type integer"],
    ),
    "account number unquoted": (
        _set("hub.account", 111111111111),
        ["hub.account = 111111111111: must be of type string (quote it in YAML)"],
    ),
    "bad site name": (
        _set("sites.0.name", "Paris_1"),
        ["sites[0].name = 'Paris_1': 1-48 characters of a-z, 0-9 and '-'"],
    ),
    "unknown cipher": (
        _set("defaults", {"tunnel": {"phase1": {"encryption_algorithms": ["DES"]}}}),
        ["defaults.tunnel.phase1.encryption_algorithms[0] = 'DES': must be one of ['AES128'"],
    ),
    "unsupported phase 1 DH group": (
        _set("sites.1.tunnels", [{"phase1": {"dh_group_numbers": [5]}}]),
        ["sites[1].tunnels[0].phase1.dh_group_numbers = 5: is not one of"],
    ),
    "phase 2 not below phase 1": (
        _set("sites.0.tunnels", [{"phase1": {"lifetime_seconds": 3600}}]),
        [
            "sites[0].tunnels[0].phase2.lifetime_seconds = 3600: "
            "must be less than phase1_lifetime_seconds (3600)"
        ],
    ),
    "rekey margin over half of phase 2": (
        _set("defaults", {"tunnel": {"rekey_margin_time_seconds": 2000}}),
        ["defaults.tunnel.rekey_margin_time_seconds = 2000: must be at most half"],
    ),
    "startup start with IKEv1": (
        _set("sites.0.tunnels", [{}, {"startup_action": "start", "ike_versions": ["ikev1"]}]),
        ["sites[0].tunnels[1].startup_action = 'start': 'start' (AWS initiates) needs"],
    ),
    "reserved inside CIDR": (
        _set("sites.0.tunnels", [{"inside_cidr": "169.254.169.252/30"}]),
        ["sites[0].tunnels[0].inside_cidr = '169.254.169.252/30': is reserved by AWS"],
    ),
    "inside CIDR not a /30": (
        _set("sites.0.tunnels", [{"inside_cidr": "169.254.10.0/29"}]),
        ["sites[0].tunnels[0].inside_cidr = '169.254.10.0/29': must be a /30"],
    ),
    "same inside CIDR on both tunnels": (
        _set(
            "sites.0.tunnels",
            [{"inside_cidr": "169.254.10.0/30"}, {"inside_cidr": "169.254.10.0/30"}],
        ),
        ["sites[0].tunnels[1].inside_cidr = '169.254.10.0/30': is already used by tunnel1"],
    ),
    "customer gateway IP not an address": (
        _set("sites.2.customer_gateway.ip_address", "gateway.example"),
        ["sites[2].customer_gateway.ip_address = 'gateway.example': must be an IPv4 or IPv6"],
    ),
    "ASN reserved by AWS": (
        _set("sites.0.customer_gateway.bgp_asn", 7224),
        ["sites[0].customer_gateway.bgp_asn = 7224: is reserved by AWS"],
    ),
    "static routing without prefixes": (
        _set("sites.1.routing", "static"),
        ["sites[1].static_routes = []: static routing needs at least one on-premises prefix"],
    ),
    "static routes with BGP routing": (
        _set("sites.1.static_routes", ["10.0.0.1/16"]),
        ["sites[1].static_routes = ['10.0.0.1/16']: must be empty with BGP routing"],
    ),
    "unknown route table": (
        _set("sites.0.propagate_to", ["shared", "inspection"]),
        ["sites[0].propagate_to[1] = 'inspection': must name one of hub.route_tables"],
    ),
    "Amazon-side ASN out of range": (
        _set("hub.transit_gateway.amazon_side_asn", 65535),
        ["hub.transit_gateway.amazon_side_asn = 65535: must be a private ASN in 64,512-65,534"],
    ),
    "route table id with a new Transit Gateway": (
        _set("hub.route_tables", [{"name": "branches", "id": "tgw-rtb-0123456789abcdef0"}]),
        ["hub.route_tables[0].id = 'tgw-rtb-0123456789abcdef0': an existing route table needs"],
    ),
    "three tunnels": (
        _set("sites.0.tunnels", [{}, {}, {}]),
        ["sites[0].tunnels = <list>: must have at most 2 item(s)"],
    ),
    "log retention not a CloudWatch value": (
        _set("monitoring", {"log_retention_days": 100}),
        ["monitoring.log_retention_days = 100: must be one of [1, 3, 5"],
    ),
    "wrong version": (_set("version", 2), ["version = 2: must be 1"]),
    "sites not a list": (_set("sites", {"a": 1}), ["sites = <mapping>: must be of type array"]),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_value_is_named_with_path_and_value(case: str) -> None:
    mutate, expected = BAD_CASES[case]
    doc = document()
    mutate(doc)
    messages = problems_of(doc)
    for fragment in expected:
        assert any(fragment in message for message in messages), (fragment, messages)


def test_static_prefix_with_host_bits_under_static_routing() -> None:
    doc = document(site(1, routing="static", static_routes=["10.0.0.1/16"]))
    assert problems_of(doc) == [
        "sites.yaml: sites[0].static_routes = '10.0.0.1/16': must be a CIDR with no host bits "
        "set, e.g. 10.20.0.0/16"
    ]


def test_all_problems_are_reported_at_once() -> None:
    doc = document()
    for mutate, _ in (BAD_CASES["phase2 lifetime out of range"], BAD_CASES["unknown key"]):
        mutate(doc)
    BAD_CASES["ASN reserved by AWS"][0](doc)
    messages = problems_of(doc)
    assert [m.split(" = ")[0] for m in messages] == [
        "sites.yaml: sites[1].colour",
        "sites.yaml: sites[0].customer_gateway.bgp_asn",
        "sites.yaml: sites[2].tunnels[1].phase2.lifetime_seconds",
        "sites.yaml: sites[2].tunnels[1].phase2.lifetime_seconds",
    ]


def test_a_bad_default_is_reported_once_not_per_site() -> None:
    doc = document(defaults={"tunnel": {"phase2": {"lifetime_seconds": 10}}})
    messages = problems_of(doc)
    assert messages == [
        "sites.yaml: defaults.tunnel.phase2.lifetime_seconds = 10: must be 900-3,600",
        "sites.yaml: defaults.tunnel.rekey_margin_time_seconds = 270: must be at most half of "
        "phase2_lifetime_seconds (5)",
    ]


def test_yaml_syntax_error_names_line(tmp_path: Path) -> None:
    path = tmp_path / "sites.yaml"
    path.write_text("version: 1\nhub: [\n")
    with pytest.raises(SitesFileError) as caught:
        load_sites_file(path)
    assert str(path) in str(caught.value)
    assert "is not valid YAML" in str(caught.value)


def test_duplicate_yaml_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sites.yaml"
    path.write_text("version: 1\nversion: 1\n")
    with pytest.raises(SitesFileError) as caught:
        load_sites_file(path)
    assert (
        "sites.yaml: line 2, column 1 = <yaml>: is not valid YAML: key 'version' appears "
        "twice" in str(caught.value)
    )


def test_missing_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(SitesFileError, match=r"nope.yaml: \(file\) = .*: cannot be read"):
        load_sites_file(path)


def test_loading_does_not_touch_the_document() -> None:
    doc = document()
    before = copy.deepcopy(doc)
    parse(doc)
    assert doc == before


# ---------------------------------------------------------------- issue 9: empty files, secrets

PSK = "Sup3rS3cretPsk.value_42"


@pytest.mark.parametrize("text", ["", "\n", "# only a comment\n", "---\n"])
def test_an_empty_file_says_what_is_expected(tmp_path: Path, text: str) -> None:
    path = tmp_path / "sites.yaml"
    path.write_text(text)
    with pytest.raises(SitesFileError) as caught:
        load_sites_file(path)
    (problem,) = caught.value.problems
    assert problem.field == "(file)"
    assert repr(problem.value) == "<empty>"
    for expected in ("version: 1", "hub:", "sites:", "docs/sites-file.md"):
        assert expected in problem.allowed


def test_a_file_that_is_not_a_mapping_says_what_is_expected(tmp_path: Path) -> None:
    path = tmp_path / "sites.yaml"
    path.write_text("- name: paris\n")
    with pytest.raises(SitesFileError) as caught:
        load_sites_file(path)
    assert "(file) = <list>: is not a mapping: a sites file is a YAML mapping" in str(caught.value)


@pytest.mark.parametrize(
    "where",
    [
        "sites.1.tunnels.0.pre_shared_key",
        "sites.1.tunnels.0.psk",
        "sites.0.pre_shared_key",
        "sites.0.customer_gateway.password",
        "hub.api_token",
        "defaults.tunnel.secret",
        "sites.2.tunnels.1.PreSharedKey",
    ],
)
def test_a_value_under_a_secret_looking_key_is_never_echoed(where: str) -> None:
    doc = document()
    for number in range(3):
        doc["sites"][number]["tunnels"] = [{}, {}]
    _set(where, PSK)(doc)
    with pytest.raises(SitesFileError) as caught:
        parse(doc)
    message = str(caught.value)
    assert PSK not in message
    path = "".join(
        f"[{part}]" if part.isdigit() else (f".{part}" if i else part)
        for i, part in enumerate(where.split("."))
    )
    assert f"{path} = <redacted, {len(PSK)} characters>: is not a known key here" in message


def test_a_secret_in_a_list_or_a_wrong_type_is_not_echoed_either() -> None:
    doc = document()
    _set("sites.1.tunnels", [{"pre_shared_key": [PSK, PSK]}])(doc)
    _set("hub.tags", {"password": 12345678})(doc)
    with pytest.raises(SitesFileError) as caught:
        parse(doc)
    message = str(caught.value)
    assert PSK not in message
    assert "12345678" not in message


def test_a_yaml_error_does_not_quote_the_line_it_is_on(tmp_path: Path) -> None:
    path = tmp_path / "sites.yaml"
    path.write_text(f"version: 1\nsites:\n  - pre_shared_key: {PSK}\n    psk: [{PSK}\n")
    with pytest.raises(SitesFileError) as caught:
        load_sites_file(path)
    assert "is not valid YAML" in str(caught.value)
    assert PSK not in str(caught.value)


def test_a_key_written_with_no_value_is_refused_not_defaulted() -> None:
    doc = document()
    _set("sites.0.route_table", None)(doc)
    assert problems_of(doc) == [
        "sites.yaml: sites[0].route_table = None: has no value; give one, or leave the key out "
        "for its default"
    ]
