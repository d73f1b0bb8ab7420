"""The lookups' SDK calls, exactly as synthesized, replayed with boto3 against moto's EC2.

The Custom::AWS resource's ``Create``/``Update`` JSON is read from the template, the VPN and
Transit Gateway references are replaced by ids that exist in moto's in-process EC2 (two VPNs on
one Transit Gateway), and the call runs as the provider would run it: service, action and
parameters as written, the response flattened to ``a.0.b`` keys and filtered by the output paths.

Moto 5.2.5 does not return ``Options.TunnelOptions`` from DescribeVpnConnections, so the outside-IP
output paths are checked against botocore's EC2 service model with a Stubber instead.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from botocore import xform_name
from botocore.stub import Stubber
from moto import mock_aws

from site_to_site_vpn import CustomerGatewayProps, SiteToSiteVpn
from tests.support import build_hub, build_vpn, new_app, new_stack, resolve_json, synth
from tests.support import construct_logical_id as logical_id

REGION = "us-east-1"

# One worker builds the module's shared template (`pytest -n 2 --dist loadgroup`).
pytestmark = pytest.mark.xdist_group("hub-replay")


@dataclass(frozen=True)
class Synthesized:
    resources: Mapping[str, Any]
    hub: str
    vpn_a: str
    vpn_b: str
    attachment_lookup: Mapping[str, str]
    outside_ip_lookup: Mapping[str, str]


def _lookup_id(stack: Any, vpn: SiteToSiteVpn, child: str) -> str:
    custom = vpn.node.find_child(child).node.find_child("Resource")
    return logical_id(stack, custom.node.find_child("Resource").node.default_child)


@pytest.fixture(scope="module")
def synthesized() -> Synthesized:
    stack = new_stack(new_app())
    hub = build_hub(stack, "onprem", "vpcs")
    vpns = {
        "a": build_vpn(stack, "VpnA", transit_gateway=hub),
        "b": build_vpn(
            stack,
            "VpnB",
            transit_gateway=hub,
            customer_gateway=CustomerGatewayProps(ip_address="203.0.113.20", bgp_asn=65020),
        ),
    }
    for vpn in vpns.values():
        hub.connect_vpn(
            vpn, associate_with=hub.route_table("onprem"), propagate_to=[hub.route_table("vpcs")]
        )
        vpn.add_tunnel_outside_ip_outputs()
    template = synth(stack)
    return Synthesized(
        resources=template["Resources"],
        hub=logical_id(stack, hub.transit_gateway),
        vpn_a=logical_id(stack, vpns["a"].vpn_connection),
        vpn_b=logical_id(stack, vpns["b"].vpn_connection),
        attachment_lookup={
            name: _lookup_id(stack, vpn, "TransitGatewayAttachmentLookup")
            for name, vpn in vpns.items()
        },
        outside_ip_lookup={
            name: _lookup_id(stack, vpn, "TunnelOutsideIpLookup") for name, vpn in vpns.items()
        },
    )


@dataclass(frozen=True)
class Ec2World:
    """Moto's EC2 with one Transit Gateway carrying two VPNs, and a second, empty one."""

    tgw: str
    other_tgw: str
    vpn_a: str
    vpn_b: str
    attachment_a: str
    attachment_b: str


@pytest.fixture(scope="module")
def world() -> Iterator[Ec2World]:
    """Read-only for the tests, so one moto EC2 serves the module."""
    with mock_aws():
        ec2 = boto3.client("ec2", region_name=REGION)
        tgw = ec2.create_transit_gateway(Options={"AmazonSideAsn": 64512})["TransitGateway"]
        other = ec2.create_transit_gateway(Options={"AmazonSideAsn": 64600})["TransitGateway"]
        vpn_ids = []
        for ip, asn in (("203.0.113.10", 65010), ("203.0.113.20", 65020)):
            cgw = ec2.create_customer_gateway(Type="ipsec.1", PublicIp=ip, BgpAsn=asn)
            vpn = ec2.create_vpn_connection(
                Type="ipsec.1",
                CustomerGatewayId=cgw["CustomerGateway"]["CustomerGatewayId"],
                TransitGatewayId=tgw["TransitGatewayId"],
            )
            vpn_ids.append(vpn["VpnConnection"]["VpnConnectionId"])
        attachments = {
            a["ResourceId"]: a["TransitGatewayAttachmentId"]
            for a in ec2.describe_transit_gateway_attachments()["TransitGatewayAttachments"]
        }
        yield Ec2World(
            tgw=tgw["TransitGatewayId"],
            other_tgw=other["TransitGatewayId"],
            vpn_a=vpn_ids[0],
            vpn_b=vpn_ids[1],
            attachment_a=attachments[vpn_ids[0]],
            attachment_b=attachments[vpn_ids[1]],
        )


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """The provider's flattening: nested keys and list indexes joined with dots."""
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return {prefix: value}
    flat: dict[str, Any] = {}
    for key, child in items:
        flat.update(flatten(child, f"{prefix}.{key}" if prefix else str(key)))
    return flat


@dataclass(frozen=True)
class Replayed:
    call: dict[str, Any]
    data: dict[str, Any]  # what reaches CloudFormation (filtered by the output paths)
    flat: dict[str, Any]  # the whole flattened response


def replay(
    resource: Mapping[str, Any],
    values: Mapping[str, str],
    *,
    key: str = "Create",
    client: Any = None,
) -> Replayed:
    call = resolve_json(resource["Properties"][key], values)
    service = call["service"].removeprefix("@aws-sdk/client-").lower()
    client = client or boto3.client(service, region_name=REGION)
    response = getattr(client, xform_name(call["action"]))(**call.get("parameters", {}))
    response.pop("ResponseMetadata", None)
    flat = flatten(response)
    data = {k: v for k, v in flat.items() if any(k.startswith(p) for p in call["outputPaths"])}
    return Replayed(call=call, data=data, flat=flat)


def _values(synthesized: Synthesized, world: Ec2World, *, tgw: str | None = None) -> dict[str, str]:
    return {
        synthesized.hub: tgw or world.tgw,
        f"{synthesized.vpn_a}.VpnConnectionId": world.vpn_a,
        f"{synthesized.vpn_b}.VpnConnectionId": world.vpn_b,
    }


@pytest.mark.parametrize("key", ["Create", "Update"])
def test_attachment_lookup_returns_that_vpns_attachment_not_the_others(
    synthesized: Synthesized, world: Ec2World, key: str
) -> None:
    resource = synthesized.resources[synthesized.attachment_lookup["a"]]
    replayed = replay(resource, _values(synthesized, world), key=key)
    assert replayed.call["service"] == "EC2"
    assert replayed.call["action"] == "describeTransitGatewayAttachments"
    assert replayed.data == {
        "TransitGatewayAttachments.0.TransitGatewayAttachmentId": world.attachment_a
    }
    assert world.attachment_b not in replayed.flat.values()
    physical_id_path = replayed.call["physicalResourceId"]["responsePath"]
    assert replayed.flat[physical_id_path] == world.attachment_a


def test_the_other_vpns_lookup_returns_its_own_attachment(
    synthesized: Synthesized, world: Ec2World
) -> None:
    resource = synthesized.resources[synthesized.attachment_lookup["b"]]
    replayed = replay(resource, _values(synthesized, world))
    assert replayed.data == {
        "TransitGatewayAttachments.0.TransitGatewayAttachmentId": world.attachment_b
    }
    assert world.attachment_a != world.attachment_b


def test_attachment_lookup_on_the_wrong_transit_gateway_finds_nothing(
    synthesized: Synthesized, world: Ec2World
) -> None:
    """The transit-gateway-id filter holds: no attachment (the deploy fails), not a wrong one."""
    resource = synthesized.resources[synthesized.attachment_lookup["a"]]
    replayed = replay(resource, _values(synthesized, world, tgw=world.other_tgw))
    assert not any(key.startswith("TransitGatewayAttachments.") for key in replayed.flat)
    assert replayed.data == {}


@pytest.mark.parametrize("key", ["Create", "Update"])
def test_outside_ip_lookup_asks_for_exactly_that_vpn(
    synthesized: Synthesized, world: Ec2World, key: str
) -> None:
    resource = synthesized.resources[synthesized.outside_ip_lookup["a"]]
    replayed = replay(resource, _values(synthesized, world), key=key)
    assert replayed.call["action"] == "describeVpnConnections"
    assert replayed.flat["VpnConnections.0.VpnConnectionId"] == world.vpn_a
    assert "VpnConnections.1.VpnConnectionId" not in replayed.flat
    assert replayed.call["physicalResourceId"] == {"id": world.vpn_a}


def test_outside_ip_output_paths_match_the_ec2_api_shape(
    synthesized: Synthesized, world: Ec2World
) -> None:
    """What moto cannot emulate, checked against botocore's EC2 model: the Stubber refuses
    parameters or a response that do not fit the DescribeVpnConnections shapes."""
    resource = synthesized.resources[synthesized.outside_ip_lookup["a"]]
    client = boto3.client("ec2", region_name=REGION)
    response = {
        "VpnConnections": [
            {
                "VpnConnectionId": world.vpn_a,
                "CustomerGatewayConfiguration": "<the PSKs would be here>",
                "Options": {
                    "TunnelOptions": [
                        {"OutsideIpAddress": "198.51.100.1", "TunnelInsideCidr": "169.254.10.0/30"},
                        {"OutsideIpAddress": "198.51.100.2", "TunnelInsideCidr": "169.254.10.4/30"},
                    ]
                },
            }
        ]
    }
    with Stubber(client) as stubber:
        stubber.add_response(
            "describe_vpn_connections",
            response,
            expected_params={"VpnConnectionIds": [world.vpn_a]},
        )
        replayed = replay(resource, _values(synthesized, world), client=client)
        stubber.assert_no_pending_responses()
    assert replayed.data == {
        "VpnConnections.0.Options.TunnelOptions.0.OutsideIpAddress": "198.51.100.1",
        "VpnConnections.0.Options.TunnelOptions.1.OutsideIpAddress": "198.51.100.2",
        "VpnConnections.0.Options.TunnelOptions.0.TunnelInsideCidr": "169.254.10.0/30",
        "VpnConnections.0.Options.TunnelOptions.1.TunnelInsideCidr": "169.254.10.4/30",
    }
    assert not any("CustomerGatewayConfiguration" in key for key in replayed.data)
