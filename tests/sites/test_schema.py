"""The published JSON Schema: generated from the model, committed current, and what editors see
agrees with what the loader accepts."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from site_to_site_vpn import DhGroup, EncryptionAlgorithm, TunnelOptions
from site_to_site_vpn.sites import schema
from site_to_site_vpn.sites.document import (
    AlgorithmsDocument,
    TunnelDocument,
    schema_text,
)
from site_to_site_vpn.sites.tunnels import PHASES, changes_from_file, file_path_of
from tests.sites.conftest import document, problems_of, site

ROOT = Path(__file__).parents[2]
SCHEMA_PATH = ROOT / "site_to_site_vpn" / "sites" / "sites.schema.json"
#: TunnelOptions fields the sites file does not carry: keys are AWS's (never in a file), IPv6
#: inside addresses are not offered by the file format.
NOT_IN_THE_FILE = {"pre_shared_key", "tunnel_inside_ipv6_cidr"}


def test_committed_schema_is_the_one_the_model_generates() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), (
        "regenerate it: python -m site_to_site_vpn.sites.regenerate_schema"
    )
    assert schema() == json.loads(schema_text())


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(schema())


def test_example_file_points_editors_at_the_schema_and_is_valid_there() -> None:
    first_line = (ROOT / "examples" / "sites.yaml").read_text().splitlines()[0]
    assert (
        first_line == "# yaml-language-server: $schema=../site_to_site_vpn/sites/sites.schema.json"
    )
    example = yaml.safe_load((ROOT / "examples" / "sites.yaml").read_text())
    assert list(Draft202012Validator(schema()).iter_errors(example)) == []


@pytest.mark.parametrize(
    ("where", "value"),
    [
        ("hub.account", 111111111111),
        ("sites.0.customer_gateway.bgp_asn", "65001"),
        ("sites.0.route_table", None),
        ("sites.0.colour", "red"),
        ("sites.0.tags", {"aws:owner": "x"}),
        ("sites.0.tunnels", [{}, {}, {}]),
        ("defaults.tunnel.phase1", {"dh_group_numbers": ["14"]}),
        ("monitoring.log_retention_days", 100),
        ("hub.vpn_concentrators", [{"name": "Retail"}]),
    ],
)
def test_what_the_loader_refuses_for_structure_the_schema_refuses_too(
    where: str, value: Any
) -> None:
    doc = document(site(1))
    *parents, last = where.split(".")
    node: Any = doc
    for key in parents:
        node = node[int(key)] if key.isdigit() else node.setdefault(key, {})
    node[last] = value
    assert problems_of(doc)
    assert list(Draft202012Validator(schema()).iter_errors(doc)) != []


def test_schema_enums_are_the_cores() -> None:
    defs = schema()["$defs"]
    assert defs["EncryptionAlgorithm"]["enum"] == [m.value for m in EncryptionAlgorithm]
    assert defs["DhGroup"]["enum"] == [m.value for m in DhGroup]


def test_schema_documents_vpn_concentrators() -> None:
    hub = schema()["$defs"]["HubDocument"]["properties"]
    site_properties = schema()["$defs"]["SiteDocument"]["properties"]
    assert "vpn_concentrators" in hub
    assert "vpn_concentrator" in site_properties
    concentrator = schema()["$defs"]["VpnConcentratorDocument"]
    assert set(concentrator["properties"]) == {"name", "route_table", "propagate_to"}
    assert "BGP only" in concentrator["description"]


def test_every_tunnel_option_of_the_file_is_a_tunnel_options_field_and_back() -> None:
    """The file's tunnel keys map one to one onto TunnelOptions fields, by rule, both ways."""
    options = {f.name for f in dataclasses.fields(TunnelOptions)} - NOT_IN_THE_FILE
    file_keys = {
        (info.alias or name)
        for name, info in TunnelDocument.model_fields.items()
        if name not in {"profile", *PHASES}
    } | {f"{phase}.{key}" for phase in PHASES for key in AlgorithmsDocument.model_fields}
    assert {file_path_of(option) for option in options} == file_keys


def test_a_tunnel_section_sets_only_the_keys_written() -> None:
    written = TunnelDocument.model_validate(
        {"phase2": {"lifetime_seconds": 1800}, "inside_cidr": "169.254.10.0/30"}
    )
    assert changes_from_file(written) == {
        "phase2_lifetime_seconds": 1800,
        "tunnel_inside_cidr": "169.254.10.0/30",
    }
