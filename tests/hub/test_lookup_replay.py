"""The REAL facts handler (``site_to_site_vpn.handlers.vpn_facts.handler``) run as CloudFormation
runs it: fed the ``Custom::SiteToSiteVpnFacts`` properties exactly as synthesized (references
replaced by ids that exist), answering through a captured ``send``, waiting through a recorded
``sleep``.

Moto's in-process EC2 (a tool, not an oracle) holds two VPNs on one Transit Gateway and a second,
empty Transit Gateway, and answers ``DescribeTransitGatewayAttachments``. Moto 5.2.5 drops
``Options.TunnelOptions`` from ``DescribeVpnConnections``, so that call is answered by botocore's
``Stubber`` on a real boto3 EC2 client, with responses shaped as AWS documents them (the Stubber
also refuses parameters or responses that do not fit botocore's EC2 model).

AWS documentation used as the oracle:
- "VpnConnection - Amazon Elastic Compute Cloud" (EC2 API Reference): ``VpnConnections[]`` carry
  ``Options.TunnelOptions[]`` (``OutsideIpAddress``, ``TunnelInsideCidr``,
  ``TunnelInsideIpv6Cidr``, ``PreSharedKey``) and ``CustomerGatewayConfiguration`` (the native
  XML, with the pre-shared keys) while the VPN is pending or available.
- "DescribeTransitGatewayAttachments - Amazon Elastic Compute Cloud": filters ``resource-id``,
  ``resource-type`` (vpc | vpn | ...), ``transit-gateway-id``; attachment states available |
  deleted | deleting | failed | failing | initiatingRequest | modifying | pendingAcceptance |
  pending | rollingBack | rejected | rejecting.
- "Create request for CloudFormation custom resources" (and its Update/Delete pages): the event
  fields; Update and Delete carry ``PhysicalResourceId``, Update ``OldResourceProperties``.
- "Custom resource response objects - AWS CloudFormation": ``Status`` SUCCESS | FAILED,
  ``Reason`` required if FAILED, ``PhysicalResourceId`` non-empty (a different one on Update
  means replacement), the body at most 4096 bytes, PUT to the presigned URL.
"""

from __future__ import annotations

import copy
import http.server
import json
import logging
import threading
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from site_to_site_vpn import CustomerGatewayProps
from site_to_site_vpn.constructs.vpn_lookups import FACTS_RESOURCE_TYPE, PROVIDER_ID
from site_to_site_vpn.handlers import vpn_facts
from site_to_site_vpn.handlers.vpn_facts import handler, respond
from tests.support import PSKS, build_hub, build_vpn, new_app, new_stack, synth
from tests.support import construct_logical_id as logical_id

REGION = "us-east-1"
FUNCTION_ARN = "arn:aws:lambda:us-east-1:111111111111:function:TestStack-FactsProvider"
STACK_ID = "arn:aws:cloudformation:us-east-1:111111111111:stack/TestStack/0a1b2c3d"
RESPONSE_URL = "https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/x?sig=1"
#: Documentation addresses (RFC 5737) and inside CIDRs as AWS allows them (a /30 of
#: 169.254.0.0/16, a /126 of fd00::/8).
OUTSIDE = ("192.0.2.10", "192.0.2.20")
INSIDE_V4 = ("169.254.10.0/30", "169.254.10.4/30")
INSIDE_V6 = ("fd00:0:0:10::/126", "fd00:0:0:10::4/126")
#: The customer gateway configuration DescribeVpnConnections returns holds the pre-shared keys.
CGW_CONFIGURATION = "".join(
    f"<ipsec_tunnel><ike><pre_shared_key>{psk}</pre_shared_key></ike></ipsec_tunnel>"
    for psk in PSKS
)

# One worker builds the module's shared template (`pytest -n 2 --dist loadgroup`).
pytestmark = pytest.mark.xdist_group("hub-replay")


# --- The template and moto's EC2 ------------------------------------------------------------


@dataclass(frozen=True)
class Synthesized:
    facts: Mapping[str, Mapping[str, Any]]  # "a"/"b": the facts resource of VPN a/b
    facts_ids: Mapping[str, str]
    hub: str
    vpns: Mapping[str, str]  # "a"/"b": the VPN connection's logical id
    function: str
    timeout: int


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
    resources = template["Resources"]
    facts_ids = {name: logical_id(stack, vpn.facts.resource) for name, vpn in vpns.items()}
    function = logical_id(stack, stack.node.find_child(PROVIDER_ID).node.find_child("Function"))
    return Synthesized(
        facts={name: resources[i] for name, i in facts_ids.items()},
        facts_ids=facts_ids,
        hub=logical_id(stack, hub.transit_gateway),
        vpns={name: logical_id(stack, vpn.vpn_connection) for name, vpn in vpns.items()},
        function=function,
        timeout=int(resources[function]["Properties"]["Timeout"]),
    )


@dataclass(frozen=True)
class Ec2World:
    """Moto's EC2 with one Transit Gateway carrying two VPNs, and a second, empty one."""

    tgw: str
    other_tgw: str
    vpns: Mapping[str, str]
    attachments: Mapping[str, str]


@pytest.fixture(scope="module")
def world() -> Iterator[Ec2World]:
    """The handler only reads, so one moto EC2 serves the module."""
    with mock_aws():
        ec2 = boto3.client("ec2", region_name=REGION)
        tgw = ec2.create_transit_gateway(Options={"AmazonSideAsn": 64512})["TransitGateway"]
        other = ec2.create_transit_gateway(Options={"AmazonSideAsn": 64600})["TransitGateway"]
        vpn_ids = {}
        for name, ip, asn in (("a", "203.0.113.10", 65010), ("b", "203.0.113.20", 65020)):
            cgw = ec2.create_customer_gateway(Type="ipsec.1", PublicIp=ip, BgpAsn=asn)
            vpn = ec2.create_vpn_connection(
                Type="ipsec.1",
                CustomerGatewayId=cgw["CustomerGateway"]["CustomerGatewayId"],
                TransitGatewayId=tgw["TransitGatewayId"],
            )
            vpn_ids[name] = vpn["VpnConnection"]["VpnConnectionId"]
        by_vpn = {
            a["ResourceId"]: a["TransitGatewayAttachmentId"]
            for a in ec2.describe_transit_gateway_attachments()["TransitGatewayAttachments"]
        }
        yield Ec2World(
            tgw=tgw["TransitGatewayId"],
            other_tgw=other["TransitGatewayId"],
            vpns=vpn_ids,
            attachments={name: by_vpn[vpn_id] for name, vpn_id in vpn_ids.items()},
        )


def evaluate(value: Any, values: Mapping[str, str]) -> Any:
    """``value`` with each ``Ref``/``Fn::GetAtt`` replaced as CloudFormation would (strict)."""
    if isinstance(value, list):
        return [evaluate(v, values) for v in value]
    if not isinstance(value, dict):
        return value
    if set(value) == {"Ref"}:
        return values[value["Ref"]]
    if set(value) == {"Fn::GetAtt"}:
        return values[".".join(value["Fn::GetAtt"])]
    return {k: evaluate(v, values) for k, v in value.items()}


def resource_properties(
    synthesized: Synthesized, world: Ec2World, name: str, *, tgw: str | None = None
) -> dict[str, Any]:
    """VPN ``name``'s facts properties as CloudFormation sends them (``ResourceProperties``)."""
    values = {
        synthesized.hub: tgw or world.tgw,
        f"{synthesized.function}.Arn": FUNCTION_ARN,
        **{f"{synthesized.vpns[n]}.VpnConnectionId": world.vpns[n] for n in ("a", "b")},
    }
    resource = synthesized.facts[name]
    assert resource["Type"] == FACTS_RESOURCE_TYPE
    properties: dict[str, Any] = evaluate(resource["Properties"], values)
    return properties


def cfn_event(
    request_type: str,
    properties: Mapping[str, Any],
    *,
    logical_id: str = "VpnAFacts",
    physical_id: str | None = None,
    old: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "RequestType": request_type,
        "ServiceToken": properties.get("ServiceToken", FUNCTION_ARN),
        "ResponseURL": RESPONSE_URL,
        "StackId": STACK_ID,
        "RequestId": f"{request_type.lower()}-0001",
        "ResourceType": FACTS_RESOURCE_TYPE,
        "LogicalResourceId": logical_id,
        "ResourceProperties": dict(properties),
    }
    if physical_id is not None:
        event["PhysicalResourceId"] = physical_id
    if old is not None:
        event["OldResourceProperties"] = dict(old)
    return event


# --- Running the handler --------------------------------------------------------------------


@dataclass
class Answer:
    body: dict[str, Any]
    sent: str  # the body as JSON, as respond() would PUT it
    sleeps: list[float]


def run(event: dict[str, Any], ec2: Any) -> Answer:
    bodies: list[dict[str, Any]] = []
    sleeps: list[float] = []

    def send(answered: dict[str, Any], body: dict[str, Any]) -> None:
        assert answered is event
        bodies.append(body)

    handler(event, None, ec2=ec2, send=send, sleep=sleeps.append)
    (body,) = bodies  # exactly one answer, whatever happened
    sent = json.dumps(body)
    assert len(sent.encode()) <= 4096
    assert set(body) == {
        "Status",
        "Reason",
        "PhysicalResourceId",
        "StackId",
        "RequestId",
        "LogicalResourceId",
        "NoEcho",
        "Data",
    }
    assert body["Status"] in ("SUCCESS", "FAILED")
    assert isinstance(body["PhysicalResourceId"], str)
    assert body["PhysicalResourceId"]
    # Copied verbatim from the request.
    for key in ("StackId", "RequestId", "LogicalResourceId"):
        assert body[key] == event[key]
    return Answer(body=body, sent=sent, sleeps=sleeps)


def _tunnel(index: int, *, ipv6: bool = False) -> dict[str, Any]:
    inside = {"TunnelInsideIpv6Cidr": INSIDE_V6[index]} if ipv6 else {}
    inside = inside or {"TunnelInsideCidr": INSIDE_V4[index]}
    return {"OutsideIpAddress": OUTSIDE[index], **inside, "PreSharedKey": PSKS[index]}


def described(vpn_id: str, tunnels: list[dict[str, Any]], *, ipv6: bool = False) -> dict[str, Any]:
    """A DescribeVpnConnections response as the EC2 API reference documents it."""
    return {
        "VpnConnections": [
            {
                "VpnConnectionId": vpn_id,
                "State": "available",
                "Type": "ipsec.1",
                "CustomerGatewayId": "cgw-0123456789abcdef0",
                "CustomerGatewayConfiguration": CGW_CONFIGURATION,
                "Category": "VPN",
                "Options": {
                    "StaticRoutesOnly": False,
                    "TunnelInsideIpVersion": "ipv6" if ipv6 else "ipv4",
                    "TunnelOptions": tunnels,
                },
            }
        ]
    }


@dataclass
class SplitEc2:
    """The EC2 client as the handler uses it: moto answers the attachments, a stubbed real client
    answers DescribeVpnConnections. Every call is recorded with its parameters."""

    attachments: Any
    connections: Any
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        for client in (self.attachments, self.connections):
            client.meta.events.register("provide-client-params.ec2.*", self._record)

    def _record(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        self.calls.append((model.name, copy.deepcopy(params)))

    def describe_vpn_connections(self, **params: Any) -> Any:
        return self.connections.describe_vpn_connections(**params)

    def describe_transit_gateway_attachments(self, **params: Any) -> Any:
        return self.attachments.describe_transit_gateway_attachments(**params)

    def named(self, operation: str) -> list[dict[str, Any]]:
        return [params for name, params in self.calls if name == operation]


@pytest.fixture
def ec2(world: Ec2World) -> Iterator[tuple[SplitEc2, Stubber]]:
    """moto for the attachments, a Stubber (responses queued by the test) for the tunnels."""
    stubbed = boto3.client("ec2", region_name=REGION)
    split = SplitEc2(attachments=boto3.client("ec2", region_name=REGION), connections=stubbed)
    with Stubber(stubbed) as stubber:
        yield split, stubber
        stubber.assert_no_pending_responses()


def _filters(vpn_id: str, tgw: str) -> dict[str, Any]:
    return {
        "Filters": [
            {"Name": "resource-id", "Values": [vpn_id]},
            {"Name": "transit-gateway-id", "Values": [tgw]},
            {"Name": "resource-type", "Values": ["vpn"]},
        ]
    }


def _assert_one_line_failure(answer: Answer, *fragments: str) -> None:
    assert answer.body["Status"] == "FAILED"
    reason = answer.body["Reason"]
    assert reason
    assert "\n" not in reason
    for fragment in fragments:
        assert fragment in reason
    assert answer.body["Data"] == {}


# --- Against moto's EC2 ---------------------------------------------------------------------


@pytest.mark.parametrize("request_type", ["Create", "Update"])
@pytest.mark.parametrize("name", ["a", "b"])
def test_each_vpn_gets_its_own_attachment(
    synthesized: Synthesized,
    world: Ec2World,
    ec2: tuple[SplitEc2, Stubber],
    name: str,
    request_type: str,
) -> None:
    split, stubber = ec2
    vpn_id = world.vpns[name]
    stubber.add_response(
        "describe_vpn_connections",
        described(vpn_id, [_tunnel(0), _tunnel(1)]),
        expected_params={"VpnConnectionIds": [vpn_id]},
    )
    properties = resource_properties(synthesized, world, name)
    update = request_type == "Update"
    event = cfn_event(
        request_type,
        properties,
        physical_id=vpn_id if update else None,
        old=properties if update else None,
    )
    answer = run(event, split)

    assert answer.body["Status"] == "SUCCESS", answer.body["Reason"]
    assert answer.body["PhysicalResourceId"] == vpn_id
    assert answer.body["Data"] == {
        "TransitGatewayAttachmentId": world.attachments[name],
        "Tunnel1OutsideIpAddress": OUTSIDE[0],
        "Tunnel2OutsideIpAddress": OUTSIDE[1],
        "Tunnel1InsideCidr": INSIDE_V4[0],
        "Tunnel2InsideCidr": INSIDE_V4[1],
        # The five joined by "|", in PACKED_FIELDS' order: what the constructs read.
        "Packed": "|".join(
            (OUTSIDE[0], INSIDE_V4[0], OUTSIDE[1], INSIDE_V4[1], world.attachments[name])
        ),
    }
    other = "b" if name == "a" else "a"
    assert world.attachments[other] != world.attachments[name]
    assert split.named("DescribeTransitGatewayAttachments") == [_filters(vpn_id, world.tgw)]
    assert answer.sleeps == []


def test_the_wrong_transit_gateway_fails_after_the_retries(
    synthesized: Synthesized, world: Ec2World, ec2: tuple[SplitEc2, Stubber]
) -> None:
    """The transit-gateway-id filter holds: no attachment (a FAILED answer), not a wrong one."""
    split, stubber = ec2
    vpn_id = world.vpns["a"]
    stubber.add_response(
        "describe_vpn_connections",
        described(vpn_id, [_tunnel(0), _tunnel(1)]),
        expected_params={"VpnConnectionIds": [vpn_id]},
    )
    properties = resource_properties(synthesized, world, "a", tgw=world.other_tgw)
    answer = run(cfn_event("Create", properties), split)

    _assert_one_line_failure(answer, vpn_id, world.other_tgw)
    assert world.attachments["a"] not in answer.sent
    calls = split.named("DescribeTransitGatewayAttachments")
    assert calls == [_filters(vpn_id, world.other_tgw)] * vpn_facts.ATTACHMENT_ATTEMPTS
    # A pause between two calls, none after the last one...
    assert answer.sleeps == [vpn_facts.ATTACHMENT_DELAY_SECONDS] * (len(calls) - 1)
    # ...and all of them well within the function's timeout, or CloudFormation hears nothing.
    assert sum(answer.sleeps) + 30 <= synthesized.timeout
    # CloudFormation deletes a failed resource by the physical id it was given.
    assert answer.body["PhysicalResourceId"] == vpn_id


@pytest.mark.parametrize("client", ["recorded", "none"])
def test_delete_calls_no_ec2_api_and_keeps_the_physical_id(
    synthesized: Synthesized,
    world: Ec2World,
    ec2: tuple[SplitEc2, Stubber],
    monkeypatch: pytest.MonkeyPatch,
    client: str,
) -> None:
    split, _ = ec2

    def no_client(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("Delete created an EC2 client")

    monkeypatch.setattr(boto3, "client", no_client)
    # The physical id CloudFormation holds is the old VPN's, whatever the properties say now.
    event = cfn_event(
        "Delete", resource_properties(synthesized, world, "b"), physical_id=world.vpns["a"]
    )
    answer = run(event, split if client == "recorded" else None)

    assert split.calls == []
    assert answer.sleeps == []
    assert answer.body["Status"] == "SUCCESS"
    assert answer.body["PhysicalResourceId"] == world.vpns["a"]
    assert answer.body["Data"] == {}


def test_update_to_a_new_vpn_returns_the_new_physical_id(
    synthesized: Synthesized, world: Ec2World, ec2: tuple[SplitEc2, Stubber]
) -> None:
    """A replaced VPN has a new id: a new physical id makes CloudFormation delete the old
    facts, whose Delete reads nothing."""
    split, stubber = ec2
    new_id = world.vpns["b"]
    stubber.add_response(
        "describe_vpn_connections",
        described(new_id, [_tunnel(0), _tunnel(1)]),
        expected_params={"VpnConnectionIds": [new_id]},
    )
    event = cfn_event(
        "Update",
        resource_properties(synthesized, world, "b"),
        physical_id=world.vpns["a"],
        old=resource_properties(synthesized, world, "a"),
    )
    answer = run(event, split)

    assert answer.body["Status"] == "SUCCESS", answer.body["Reason"]
    assert answer.body["PhysicalResourceId"] == new_id
    assert answer.body["Data"]["TransitGatewayAttachmentId"] == world.attachments["b"]
    assert split.named("DescribeTransitGatewayAttachments") == [_filters(new_id, world.tgw)]


# --- Tunnels, with the Stubber ----------------------------------------------------------------


def _answer_from(
    responses: list[tuple[str, dict[str, Any], dict[str, Any]]],
    properties: dict[str, Any],
    *,
    error: tuple[str, str, str] | None = None,
) -> Answer:
    """Run a Create whose EC2 calls get ``responses`` (then ``error``) in order, all consumed."""
    client = boto3.client(
        "ec2", region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing"
    )
    with Stubber(client) as stubber:
        for operation, response, params in responses:
            stubber.add_response(operation, response, expected_params=params)
        if error is not None:
            operation, code, message = error
            stubber.add_client_error(operation, service_error_code=code, service_message=message)
        answer = run(cfn_event("Create", properties), client)
        stubber.assert_no_pending_responses()
    return answer


VPN_ID = "vpn-0123456789abcdef0"
TGW_ID = "tgw-0123456789abcdef0"
ON_VGW = {"ServiceToken": FUNCTION_ARN, "VpnConnectionId": VPN_ID}
ON_TGW = {**ON_VGW, "TransitGatewayId": TGW_ID}
ASK = {"VpnConnectionIds": [VPN_ID]}


def test_tunnels_come_in_ec2s_list_order() -> None:
    """No sorting: tunnel N of the answer is the Nth EC2 lists, with its own inside CIDR, which
    is what tells the template's tunnel1 from tunnel2."""
    answer = _answer_from(
        [("describe_vpn_connections", described(VPN_ID, [_tunnel(1), _tunnel(0)]), ASK)], ON_VGW
    )
    assert answer.body["Status"] == "SUCCESS", answer.body["Reason"]
    assert answer.body["Data"] == {
        "Tunnel1OutsideIpAddress": OUTSIDE[1],
        "Tunnel1InsideCidr": INSIDE_V4[1],
        "Tunnel2OutsideIpAddress": OUTSIDE[0],
        "Tunnel2InsideCidr": INSIDE_V4[0],
        # No Transit Gateway: the attachment field of the packed value is empty.
        "Packed": f"{OUTSIDE[1]}|{INSIDE_V4[1]}|{OUTSIDE[0]}|{INSIDE_V4[0]}|",
    }


def test_ipv6_inside_tunnels_report_their_ipv6_inside_cidr() -> None:
    tunnels = [_tunnel(0, ipv6=True), _tunnel(1, ipv6=True)]
    answer = _answer_from(
        [("describe_vpn_connections", described(VPN_ID, tunnels, ipv6=True), ASK)], ON_VGW
    )
    assert answer.body["Status"] == "SUCCESS", answer.body["Reason"]
    assert (answer.body["Data"]["Tunnel1InsideCidr"], answer.body["Data"]["Tunnel2InsideCidr"]) == (
        INSIDE_V6
    )


@pytest.mark.parametrize("count", [0, 1])
def test_fewer_than_two_tunnels_fail(count: int) -> None:
    tunnels = [_tunnel(i) for i in range(count)]
    answer = _answer_from([("describe_vpn_connections", described(VPN_ID, tunnels), ASK)], ON_TGW)
    _assert_one_line_failure(answer, VPN_ID, f"{count} tunnels")


def test_a_vpn_ec2_does_not_list_fails() -> None:
    answer = _answer_from([("describe_vpn_connections", {"VpnConnections": []}, ASK)], ON_VGW)
    _assert_one_line_failure(answer, VPN_ID)


def test_an_ec2_error_fails_in_one_line() -> None:
    answer = _answer_from(
        [],
        ON_VGW,
        error=(
            "describe_vpn_connections",
            "InvalidVpnConnectionID.NotFound",
            f"The vpnConnection ID '{VPN_ID}' does not exist",
        ),
    )
    _assert_one_line_failure(answer, "InvalidVpnConnectionID.NotFound")


def test_the_attachment_may_trail_the_vpn_and_gone_attachments_do_not_count() -> None:
    """A new VPN's attachment can appear a little later; a deleted one of an earlier VPN with the
    same filters is not this VPN's."""
    filters = _filters(VPN_ID, TGW_ID)
    gone = {
        "TransitGatewayAttachments": [
            {"TransitGatewayAttachmentId": "tgw-attach-0old0000000000000", "State": "deleted"}
        ]
    }
    live = {
        "TransitGatewayAttachments": [
            {"TransitGatewayAttachmentId": "tgw-attach-0new0000000000000", "State": "pending"}
        ]
    }
    answer = _answer_from(
        [
            ("describe_vpn_connections", described(VPN_ID, [_tunnel(0), _tunnel(1)]), ASK),
            ("describe_transit_gateway_attachments", {"TransitGatewayAttachments": []}, filters),
            ("describe_transit_gateway_attachments", gone, filters),
            ("describe_transit_gateway_attachments", live, filters),
        ],
        ON_TGW,
    )
    assert answer.body["Status"] == "SUCCESS", answer.body["Reason"]
    assert answer.body["Data"]["TransitGatewayAttachmentId"] == "tgw-attach-0new0000000000000"
    assert answer.sleeps == [vpn_facts.ATTACHMENT_DELAY_SECONDS] * 2


SECRET_MARKERS = (*PSKS, "pre_shared_key", "PreSharedKey", "CustomerGatewayConfiguration")


@pytest.mark.parametrize("tunnels", [2, 1], ids=["success", "failure"])
def test_pre_shared_keys_never_leave(
    tunnels: int, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    """DescribeVpnConnections returns the keys (the customer gateway configuration and each
    tunnel's PreSharedKey): none reaches CloudFormation (Data or Reason), stdout or a log."""
    caplog.set_level(logging.DEBUG)
    answer = _answer_from(
        [
            (
                "describe_vpn_connections",
                described(VPN_ID, [_tunnel(i) for i in range(tunnels)]),
                ASK,
            )
        ],
        ON_VGW,
    )
    assert answer.body["Status"] == ("SUCCESS" if tunnels == 2 else "FAILED")
    printed = capsys.readouterr()
    for marker in SECRET_MARKERS:
        assert marker not in answer.sent
        assert marker not in printed.out + printed.err
        assert marker not in caplog.text


# --- respond(): the PUT to the presigned URL ------------------------------------------------


BODY = {"Status": "SUCCESS", "Reason": "", "PhysicalResourceId": VPN_ID, "Data": {"A": "b"}}


def test_respond_puts_the_body_with_an_empty_content_type(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The presigned S3 URL is signed for no content type: any other one is refused."""
    sent: list[tuple[urllib.request.Request, float]] = []

    class Response:
        def __enter__(self) -> Response:
            return self

        def __exit__(self, *_: object) -> None:
            return None

        def read(self) -> bytes:
            return b""

    def urlopen(request: urllib.request.Request, timeout: float) -> Response:
        sent.append((request, timeout))
        return Response()

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    respond({"ResponseURL": RESPONSE_URL}, BODY)
    ((request, timeout),) = sent
    assert request.get_method() == "PUT"
    assert request.full_url == RESPONSE_URL
    assert request.get_header("Content-type") == ""
    assert isinstance(request.data, bytes)
    assert json.loads(request.data) == BODY
    assert request.get_header("Content-length") == str(len(request.data))
    assert timeout > 0


def test_respond_over_the_wire_sends_an_empty_content_type_header() -> None:
    """The same PUT through urllib to a loopback server: what the bytes really say."""
    seen: list[tuple[str, str, dict[str, str], bytes]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_PUT(self) -> None:
            length = int(self.headers["Content-Length"])
            headers = {k.lower(): v for k, v in self.headers.items()}
            seen.append((self.command, self.path, headers, self.rfile.read(length)))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_: Any) -> None:
            return None

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/bucket/key?X-Amz-Signature=abc"
        respond({"ResponseURL": url}, BODY)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
    ((method, path, headers, body),) = seen
    assert (method, path) == ("PUT", "/bucket/key?X-Amz-Signature=abc")
    assert headers["content-type"] == ""
    assert json.loads(body) == BODY
