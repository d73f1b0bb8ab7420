"""No PSK value ever reaches cdk.out, except where a user explicitly opted in to a literal."""

from __future__ import annotations

import json
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_secretsmanager as secretsmanager

from site_to_site_vpn import PreSharedKey, TunnelOptions
from tests.support import TEST_ENV, build_vpn, new_app

LITERAL = "Opt1n.literal_psk_value"


def synth_to_disk(app: cdk.App) -> dict[Path, str]:
    outdir = Path(app.synth().directory)
    return {p: p.read_text(errors="replace") for p in outdir.rglob("*") if p.is_file()}


def test_default_vpn_has_no_psk_anywhere() -> None:
    app = new_app()
    build_vpn(cdk.Stack(app, "Default", env=TEST_ENV))
    files = synth_to_disk(app)
    assert files
    assert not any('PreSharedKey"' in text for text in files.values())


def test_own_secret_is_referenced_not_copied() -> None:
    app = new_app()
    stack = cdk.Stack(app, "FromSecret", env=TEST_ENV)
    secret = secretsmanager.Secret.from_secret_name_v2(stack, "Psk", "branch-7/tunnel-psks")
    build_vpn(
        stack,
        tunnel1=TunnelOptions(pre_shared_key=PreSharedKey.from_secret(secret, json_field="t1")),
        tunnel2=TunnelOptions(pre_shared_key=PreSharedKey.from_secret(secret, json_field="t2")),
    )
    files = synth_to_disk(app)
    template = next(text for path, text in files.items() if path.name.endswith(".template.json"))
    assert template.count("{{resolve:secretsmanager:") == 2
    vpn = next(
        r
        for r in json.loads(template)["Resources"].values()
        if r["Type"] == "AWS::EC2::VPNConnection"
    )
    for spec in vpn["Properties"]["VpnTunnelOptionsSpecifications"]:
        # A dynamic reference, assembled with Fn::Join because the ARN holds the partition.
        assert json.dumps(spec["PreSharedKey"]).count("{{resolve:secretsmanager:") == 1


def test_literal_psk_appears_only_in_the_vpn_connection_it_was_given_to() -> None:
    app = new_app()
    stack = cdk.Stack(app, "Literal", env=TEST_ENV)
    build_vpn(
        stack,
        allow_plaintext_pre_shared_keys=True,
        tunnel2=TunnelOptions(pre_shared_key=PreSharedKey.unsafe_plain_text(LITERAL)),
    )
    files = synth_to_disk(app)
    holders = sorted(p.name for p, text in files.items() if LITERAL in text)
    assert holders == ["Literal.template.json"], holders
    template = files[next(p for p in files if p.name == "Literal.template.json")]
    assert template.count(LITERAL) == 1
    warnings = [t for p, t in files.items() if p.name == "manifest.json"]
    assert LITERAL not in "".join(warnings)
