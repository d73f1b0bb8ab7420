"""Tunnel and BGP log groups: names, retention, KMS, removal policy, both tunnels' LogOptions."""

from __future__ import annotations

import json
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs

from site_to_site_vpn import (
    CustomerGatewayProps,
    SiteToSiteVpn,
    VpnLoggingOptions,
)
from site_to_site_vpn.constructs.vpn_lookups import LOOKUP_LOG_GROUP_ID
from tests.support import (
    TGW,
    bgp_vpn_template,
    build_vpn,
    logical_id_containing,
    new_stack,
    only_resource,
    plain_log_group_arn,
    resources_of_type,
    static_vpn_template,
    synth,
)

PREFIX = "/aws/vendedlogs/site-to-site-vpn"

# One worker per module, so the module-scoped synth runs once.
pytestmark = pytest.mark.xdist_group("monitoring-logging")


def _creation(template: dict[str, Any], vpn: str) -> dict[str, str]:
    """``Ref`` of the VPN's CreationId parameter: its generated name makes each creation's log
    group names unique (tests/core/test_log_group_recreation.py)."""
    creation_id = logical_id_containing(template, "AWS::SSM::Parameter", f"{vpn}LoggingCreationId")
    return {"Ref": creation_id}


def _name(template: dict[str, Any], vpn: str, kind: str, vpn_name: str) -> dict[str, Any]:
    """A created group's name: ``<prefix>/<vpn_name>/<creation>/<kind>``."""
    return {"Fn::Join": ["", [f"{PREFIX}/{vpn_name}/", _creation(template, vpn), f"/{kind}"]]}


def _arn(template: dict[str, Any], vpn: str, kind: str, vpn_name: str) -> dict[str, Any]:
    """A log group ARN as the key policy spells it (no ``:*``)."""
    return {
        "Fn::Join": [
            "",
            [
                # Partition literal: apps run under the recommended flags (enablePartitionLiterals).
                f"arn:aws:logs:us-east-1:111111111111:log-group:{PREFIX}/{vpn_name}/",
                _creation(template, vpn),
                f"/{kind}",
            ],
        ]
    }


def _log_statements(key: dict[str, Any]) -> list[dict[str, Any]]:
    """The key policy's statements that let CloudWatch Logs use the key."""
    statements: list[dict[str, Any]] = key["Properties"]["KeyPolicy"]["Statement"]
    return [s for s in statements if s.get("Principal", {}).get("Service", "").startswith("logs.")]


def _vpn_group_arns(statement: dict[str, Any]) -> list[Any]:
    """The statement's log group ARNs but the facts provider's own group (named
    ``.../deploy-time-lookups``, one per stack, in the same statement)."""
    arns: list[Any] = statement["Condition"]["ArnEquals"]["kms:EncryptionContext:aws:logs:arn"]
    return [arn for arn in arns if "deploy-time-lookups" not in json.dumps(arn)]


def _vpn_log_groups(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The VPNs' log groups: the stack's lookup provider has its own (vpn_lookups.py)."""
    groups = resources_of_type(template, "AWS::Logs::LogGroup")
    return {k: v for k, v in groups.items() if not k.startswith(LOOKUP_LOG_GROUP_ID)}


def _only(resources: dict[str, dict[str, Any]]) -> dict[str, Any]:
    assert len(resources) == 1, sorted(resources)
    return next(iter(resources.values()))


def _log_options(template: dict[str, Any]) -> list[dict[str, Any]]:
    vpn = only_resource(template, "AWS::EC2::VPNConnection")
    specs = vpn["Properties"]["VpnTunnelOptionsSpecifications"]
    assert len(specs) == 2
    return [spec.get("LogOptions") for spec in specs]


@pytest.fixture(scope="module")
def bgp() -> dict[str, Any]:
    return bgp_vpn_template()[1]


@pytest.fixture(scope="module")
def static() -> dict[str, Any]:
    return static_vpn_template()[1]


def test_bgp_vpn_gets_a_tunnel_and_a_bgp_log_group(bgp: dict[str, Any]) -> None:
    groups = _vpn_log_groups(bgp)
    key_id = logical_id_containing(bgp, "AWS::KMS::Key", "SiteToSiteVpnMonitoringKey")
    assert [g["Properties"]["LogGroupName"] for g in groups.values()] == [
        _name(bgp, "Vpn", "tunnel", "branch"),
        _name(bgp, "Vpn", "bgp", "branch"),
    ]
    for group in groups.values():
        assert group["Properties"]["RetentionInDays"] == 365
        assert group["Properties"]["KmsKeyId"] == {"Fn::GetAtt": [key_id, "Arn"]}
        assert group["DeletionPolicy"] == "Retain"
        assert group["UpdateReplacePolicy"] == "Retain"


def test_both_tunnels_log_to_both_groups_in_json(bgp: dict[str, Any]) -> None:
    tunnel = logical_id_containing(bgp, "AWS::Logs::LogGroup", "TunnelLogGroup")
    bgp_group = logical_id_containing(bgp, "AWS::Logs::LogGroup", "BgpLogGroup")
    expected = {
        "CloudwatchLogOptions": {
            "LogEnabled": True,
            "LogGroupArn": plain_log_group_arn(tunnel),
            "LogOutputFormat": "json",
            "BgpLogEnabled": True,
            "BgpLogGroupArn": plain_log_group_arn(bgp_group),
            "BgpLogOutputFormat": "json",
        }
    }
    assert _log_options(bgp) == [expected, expected]


def test_stack_key_rotates_is_retained_and_lets_logs_use_it_for_exactly_these_groups(
    bgp: dict[str, Any],
) -> None:
    key = only_resource(bgp, "AWS::KMS::Key")
    assert key["Properties"]["EnableKeyRotation"] is True
    assert key["DeletionPolicy"] == "Retain"
    [statement] = _log_statements(key)
    assert statement["Principal"] == {"Service": "logs.us-east-1.amazonaws.com"}
    assert statement["Effect"] == "Allow"
    assert list(statement["Condition"]) == ["ArnEquals"]
    assert list(statement["Condition"]["ArnEquals"]) == ["kms:EncryptionContext:aws:logs:arn"]
    assert _vpn_group_arns(statement) == [
        _arn(bgp, "Vpn", "tunnel", "branch"),
        _arn(bgp, "Vpn", "bgp", "branch"),
    ]
    assert "kms:GenerateDataKey*" in statement["Action"]
    assert "kms:Decrypt" in statement["Action"]


def test_static_vpn_logs_tunnel_activity_only(static: dict[str, Any]) -> None:
    group = _only(_vpn_log_groups(static))
    assert group["Properties"]["LogGroupName"] == _name(static, "Vpn", "tunnel", "store")
    for options in _log_options(static):
        cw = options["CloudwatchLogOptions"]
        assert cw["LogEnabled"] is True
        assert "BgpLogEnabled" not in cw
        assert "BgpLogGroupArn" not in cw
    [statement] = _log_statements(only_resource(static, "AWS::KMS::Key"))
    assert _vpn_group_arns(statement) == [_arn(static, "Vpn", "tunnel", "store")]


def test_retention_and_removal_policy_are_configurable() -> None:
    _, template = bgp_vpn_template(
        logging=VpnLoggingOptions(
            retention=logs.RetentionDays.THREE_MONTHS, removal_policy=cdk.RemovalPolicy.DESTROY
        )
    )
    for group in _vpn_log_groups(template).values():
        assert group["Properties"]["RetentionInDays"] == 90
        assert group["DeletionPolicy"] == "Delete"


def test_a_passed_key_encrypts_the_groups_and_gets_the_logs_statement() -> None:
    stack = new_stack()
    key = kms.Key(stack, "OwnKey", enable_key_rotation=True)
    build_vpn(stack, vpn_name="branch", logging=VpnLoggingOptions(encryption_key=key))
    template = synth(stack)
    own = logical_id_containing(template, "AWS::KMS::Key", "OwnKey")
    for group in _vpn_log_groups(template).values():
        assert group["Properties"]["KmsKeyId"] == {"Fn::GetAtt": [own, "Arn"]}
    assert len(_log_statements(template["Resources"][own])) == 1


def test_existing_log_groups_are_used_and_none_is_created() -> None:
    stack = new_stack()
    tunnel = logs.LogGroup.from_log_group_name(stack, "Tunnel", "/shared/vpn/tunnel")
    bgp = logs.LogGroup.from_log_group_name(stack, "Bgp", "/shared/vpn/bgp")
    build_vpn(
        stack,
        vpn_name="branch",
        logging=VpnLoggingOptions(tunnel_log_group=tunnel, bgp_log_group=bgp),
    )
    template = synth(stack)
    assert _vpn_log_groups(template) == {}
    cw = _log_options(template)[0]["CloudwatchLogOptions"]
    assert "/shared/vpn/tunnel" in str(cw["LogGroupArn"])
    assert "/shared/vpn/bgp" in str(cw["BgpLogGroupArn"])
    filters = resources_of_type(template, "AWS::Logs::MetricFilter").values()
    assert {f["Properties"]["LogGroupName"] for f in filters} == {
        "/shared/vpn/tunnel",
        "/shared/vpn/bgp",
    }


def test_logging_can_be_turned_off() -> None:
    _, template = bgp_vpn_template(logging=VpnLoggingOptions.disabled())
    assert _vpn_log_groups(template) == {}
    assert resources_of_type(template, "AWS::Logs::MetricFilter") == {}
    assert _log_options(template) == [None, None]
    alarms = resources_of_type(template, "AWS::CloudWatch::Alarm").values()
    assert {a["Properties"]["MetricName"] for a in alarms} == {"TunnelState"}


def test_vpns_of_a_stack_share_one_key_and_one_statement_naming_each_group() -> None:
    """One statement for every group of the key (and the facts provider's group), however many
    VPNs: a statement per VPN cost jsii round trips per site and grew the key policy per site."""
    stack = new_stack()
    build_vpn(stack, vpn_name="branch")
    SiteToSiteVpn(
        stack,
        "Depot",
        customer_gateway=CustomerGatewayProps(ip_address="203.0.113.20", bgp_asn=65020),
        transit_gateway=TGW,
        vpn_name="depot",
    )
    template = synth(stack)
    key = only_resource(template, "AWS::KMS::Key")
    [statement] = _log_statements(key)
    assert statement["Sid"] == "CloudWatchLogsUseKey"
    assert _vpn_group_arns(statement) == [
        _arn(template, "Vpn", "tunnel", "branch"),
        _arn(template, "Vpn", "bgp", "branch"),
        _arn(template, "Depot", "tunnel", "depot"),
        _arn(template, "Depot", "bgp", "depot"),
    ]
    arns = statement["Condition"]["ArnEquals"]["kms:EncryptionContext:aws:logs:arn"]
    assert len(arns) == 5  # + the facts provider's group, once for the stack
