"""The published JSON Schema: valid Draft 2020-12, and its enums are exactly the core's."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from site_to_site_vpn import (
    DhGroup,
    DpdTimeoutAction,
    EncryptionAlgorithm,
    IkeVersion,
    IntegrityAlgorithm,
    StartupAction,
)
from site_to_site_vpn.sites import schema
from site_to_site_vpn.sites.tunnels import FILE_FIELDS

ROOT = Path(__file__).parents[2]


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(schema())


def test_example_file_points_editors_at_the_schema() -> None:
    first_line = (ROOT / "examples" / "sites.yaml").read_text().splitlines()[0]
    assert (
        first_line == "# yaml-language-server: $schema=../site_to_site_vpn/sites/sites.schema.json"
    )
    document = yaml.safe_load((ROOT / "examples" / "sites.yaml").read_text())
    assert list(Draft202012Validator(schema()).iter_errors(document)) == []


def _enum_at(*path: str) -> list[Any]:
    node: Any = schema()["$defs"]
    for key in path:
        node = node[key]
    return list(node["items"]["enum"] if "items" in node else node["enum"])


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        (("algorithms", "properties", "encryption_algorithms"), EncryptionAlgorithm),
        (("algorithms", "properties", "integrity_algorithms"), IntegrityAlgorithm),
        (("algorithms", "properties", "dh_group_numbers"), DhGroup),
        (("tunnel_defaults", "properties", "ike_versions"), IkeVersion),
        (("tunnel_defaults", "properties", "dpd_timeout_action"), DpdTimeoutAction),
        (("tunnel_defaults", "properties", "startup_action"), StartupAction),
        (("tunnel", "properties", "dpd_timeout_action"), DpdTimeoutAction),
        (("tunnel", "properties", "startup_action"), StartupAction),
    ],
)
def test_schema_enums_match_the_core(path: tuple[str, ...], kind: type[Enum]) -> None:
    assert _enum_at(*path) == [member.value for member in kind]


def test_every_tunnel_option_in_the_file_has_a_schema_property() -> None:
    properties = schema()["$defs"]["tunnel"]["properties"]
    algorithms = schema()["$defs"]["algorithms"]["properties"]
    for path, _ in FILE_FIELDS.values():
        head, _, rest = path.partition(".")
        assert head in properties, path
        if rest:
            assert rest in algorithms, path


def test_tunnel_defaults_and_tunnel_overrides_differ_only_by_inside_cidr() -> None:
    tunnel = set(schema()["$defs"]["tunnel"]["properties"])
    defaults = set(schema()["$defs"]["tunnel_defaults"]["properties"])
    assert tunnel - defaults == {"inside_cidr"}
    assert defaults <= tunnel
