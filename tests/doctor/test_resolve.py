"""Finding the VPN by stack (+ construct path) and by sites-file site, on recorded CloudFormation
responses (moto ignores AWS::EC2::VPNConnection in stacks, so it has no physical id to give)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from site_to_site_vpn.doctor.resolve import ResolveError, from_stack, site_stack

REPO = Path(__file__).resolve().parents[2]
STACK = "ExampleNetwork-Sites-001"


def _vpn(path: str | None, **props: Any) -> dict[str, Any]:
    resource: dict[str, Any] = {"Type": "AWS::EC2::VPNConnection", "Properties": props}
    if path:
        resource["Metadata"] = {"aws:cdk:path": path}
    return resource


def _cfn(resources: dict[str, Any], physical: dict[str, str]) -> tuple[Any, Stubber]:
    client = boto3.client(
        "cloudformation",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    stubber = Stubber(client)
    # GetTemplate / ListStackResources as the CloudFormation API Reference shapes them
    # (TemplateBody; StackResourceSummaries[].LogicalResourceId, PhysicalResourceId).
    stubber.add_response(
        "get_template",
        {"TemplateBody": json.dumps({"Resources": resources})},
        {"StackName": STACK, "TemplateStage": "Original"},
    )
    stubber.add_response(
        "list_stack_resources",
        {
            "StackResourceSummaries": [
                {
                    "LogicalResourceId": lid,
                    "PhysicalResourceId": pid,
                    "ResourceType": "AWS::EC2::VPNConnection",
                    "LastUpdatedTimestamp": "2026-11-27T09:00:00Z",
                    "ResourceStatus": "CREATE_COMPLETE",
                }
                for lid, pid in physical.items()
            ]
        },
        {"StackName": STACK},
    )
    return client, stubber


TWO = {
    "parisVpnConnection36AE2716": _vpn(
        f"{STACK}/paris/VpnConnection",
        VpnTunnelOptionsSpecifications=[{"IKEVersions": [{"Value": "ikev2"}]}],
    ),
    "lyonVpnConnection8FE6C6B3": _vpn(f"{STACK}/lyon/VpnConnection"),
}
IDS = {"parisVpnConnection36AE2716": "vpn-0aaa", "lyonVpnConnection8FE6C6B3": "vpn-0bbb"}


def test_construct_path_from_metadata() -> None:
    client, stubber = _cfn(TWO, IDS)
    with stubber:
        located = from_stack(client, STACK, "paris")
    assert located.vpn_id == "vpn-0aaa"
    assert located.intended_tunnels == ({"IKEVersions": [{"Value": "ikev2"}]},)


def test_construct_path_from_the_logical_id_without_metadata() -> None:
    """Apps synthesized without path metadata: the logical id starts with the path's ids."""
    bare = {lid: _vpn(None) for lid in TWO}
    client, stubber = _cfn(bare, IDS)
    with stubber:
        assert from_stack(client, STACK, f"{STACK}/lyon").vpn_id == "vpn-0bbb"


def test_one_vpn_needs_no_path() -> None:
    client, stubber = _cfn({"parisVpnConnection36AE2716": _vpn(None)}, IDS)
    with stubber:
        assert from_stack(client, STACK).vpn_id == "vpn-0aaa"


def test_two_vpns_without_path_name_both() -> None:
    client, stubber = _cfn(TWO, IDS)
    with stubber, pytest.raises(ResolveError, match=r"2 VPN connections.*--construct-path"):
        from_stack(client, STACK)


def test_not_deployed_vpn_is_refused() -> None:
    client, stubber = _cfn(TWO, {"lyonVpnConnection8FE6C6B3": "vpn-0bbb"})
    with stubber, pytest.raises(ResolveError, match="not deployed"):
        from_stack(client, STACK, "paris")


def test_missing_stack_is_one_line() -> None:
    client = boto3.client(
        "cloudformation",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    stubber = Stubber(client)
    stubber.add_client_error(
        "get_template",
        service_error_code="ValidationError",
        service_message=f"Stack with id {STACK} does not exist",
    )
    with stubber, pytest.raises(ResolveError, match=f"stack {STACK}: Stack with id"):
        from_stack(client, STACK, "paris")


def test_site_name_gives_its_stack_and_region() -> None:
    stack, region = site_stack(str(REPO / "examples" / "sites.yaml"), "berlin")
    assert (stack, region) == (STACK, "us-east-1")


def test_unknown_site_lists_the_sites() -> None:
    with pytest.raises(ResolveError, match=r"no site 'rome'.*paris"):
        site_stack(str(REPO / "examples" / "sites.yaml"), "rome")
