"""The facts handler answers CloudFormation before its invocation runs out of time.

CloudFormation invokes a custom resource's function asynchronously and then only waits for the
answer PUT to ``ResponseURL`` ("Using AWS Lambda with CloudFormation", AWS Lambda Developer Guide;
"Custom resource response objects", AWS CloudFormation User Guide: ``Status`` FAILED needs a
``Reason``). A function that times out first leaves the stack waiting for ``ServiceTimeout``.

Here EC2 hangs (an object whose call never returns, and a real boto3 client talking to a socket
that accepts and never answers), the Lambda context says 5 s are left, and a local HTTP server on
127.0.0.1 stands in for the pre-signed S3 URL: the FAILED answer with its reason must have
arrived there before the invocation's end. No figure of speed is asserted, only "before the
deadline", which is the contract.
"""

from __future__ import annotations

import http.server
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from site_to_site_vpn.constructs.vpn_lookups import _PROVIDER_ACKNOWLEDGEMENTS
from site_to_site_vpn.handlers import vpn_facts
from site_to_site_vpn.handlers.vpn_facts import Deadline, ec2_client, handler

LEFT_MILLIS = 5000


@dataclass
class Context:
    """The Lambda context's ``get_remaining_time_in_millis``, counting down from ``millis``."""

    millis: int
    started: float = field(default_factory=time.monotonic)

    @property
    def ends_at(self) -> float:
        return self.started + self.millis / 1000

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.ends_at - time.monotonic()) * 1000))


@dataclass
class Received:
    body: dict[str, Any]
    at: float


@dataclass
class ResponseUrl:
    url: str
    received: list[Received]


@pytest.fixture
def response_url() -> Iterator[ResponseUrl]:
    """A PUT-accepting server on 127.0.0.1 that records each body and when it arrived."""
    received: list[Received] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_PUT(self) -> None:
            length = int(self.headers["Content-Length"])
            body = json.loads(self.rfile.read(length))
            received.append(Received(body, time.monotonic()))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield ResponseUrl(f"http://127.0.0.1:{server.server_port}/answer?sig=1", received)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def hung_socket() -> Iterator[str]:
    """An endpoint that accepts connections and never answers: EC2 hanging mid-request."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for connection in accepted:
            connection.close()
        listener.close()


def create_event(url: str, *, transit_gateway: bool = True) -> dict[str, Any]:
    properties = {"ServiceToken": "arn:aws:lambda:us-east-1:111111111111:function:f"}
    properties["VpnConnectionId"] = "vpn-0123456789abcdef0"
    if transit_gateway:
        properties["TransitGatewayId"] = "tgw-0123456789abcdef0"
    return {
        "RequestType": "Create",
        "ResponseURL": url,
        "StackId": "arn:aws:cloudformation:us-east-1:111111111111:stack/TestStack/0a1b2c3d",
        "RequestId": "5d478078-13e9-baf0-464a-7ef285ecc786",
        "LogicalResourceId": "VpnFacts",
        "ResourceType": "Custom::SiteToSiteVpnFacts",
        "ResourceProperties": properties,
    }


class HangingEc2:
    """An EC2 client whose calls never return (until the test ends)."""

    def __init__(self) -> None:
        self.released = threading.Event()
        self.calls = 0

    def describe_vpn_connections(self, **_: Any) -> Any:
        self.calls += 1
        self.released.wait(60)
        raise AssertionError("the handler should have answered long before")

    describe_transit_gateway_attachments = describe_vpn_connections


def _the_failed_answer(response_url: ResponseUrl, context: Context) -> dict[str, Any]:
    (answer,) = response_url.received
    assert answer.at < context.ends_at, "the answer arrived after the invocation's end"
    assert answer.body["Status"] == "FAILED"
    assert answer.body["RequestId"] == "5d478078-13e9-baf0-464a-7ef285ecc786"
    assert answer.body["PhysicalResourceId"] == "vpn-0123456789abcdef0"
    reason: str = answer.body["Reason"]
    assert reason.startswith("DeadlineExceededError: ")
    return answer.body


def test_a_hanging_client_gets_a_failed_answer_sent_in_time(response_url: ResponseUrl) -> None:
    ec2 = HangingEc2()
    context = Context(LEFT_MILLIS)
    try:
        handler(create_event(response_url.url), context, ec2=ec2)
    finally:
        ec2.released.set()
    assert ec2.calls == 1
    body = _the_failed_answer(response_url, context)
    assert "EC2 did not answer before this invocation's deadline" in body["Reason"]
    assert f"{vpn_facts.RESPONSE_MARGIN_SECONDS:g} s kept to send this answer" in body["Reason"]


@pytest.mark.slow
def test_real_boto3_against_a_hung_endpoint_gets_a_failed_answer_in_time(
    response_url: ResponseUrl, hung_socket: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The client the function builds itself (``ec2_client``), as in Lambda: the endpoint from
    the environment, as a user points boto3 elsewhere."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_EC2", hung_socket)
    _fake_aws_environment(monkeypatch)
    context = Context(LEFT_MILLIS)
    handler(create_event(response_url.url), context)
    _the_failed_answer(response_url, context)


def _fake_aws_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A region and dummy keys, as the Lambda runtime provides (nothing reaches AWS)."""
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")


def test_every_attempt_is_bounded_by_the_time_left(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_aws_environment(monkeypatch)
    now = [100.0]
    deadline = Deadline(at=102.0, answer_by=105.0, clock=lambda: now[0])
    client = ec2_client(deadline)
    config = client.meta.config
    assert config.read_timeout == pytest.approx(2.0)
    assert config.connect_timeout == pytest.approx(2.0)
    assert config.retries == {"mode": "standard", "total_max_attempts": 3}
    # No attempt, first or retry, starts after the deadline.
    now[0] = 102.5
    with pytest.raises(vpn_facts.DeadlineExceededError, match="another EC2 attempt"):
        client.describe_vpn_connections(VpnConnectionIds=["vpn-0123456789abcdef0"])


def test_the_wait_for_the_attachment_stops_before_the_deadline() -> None:
    """A new VPN's attachment that never shows up: the handler waits between look-ups only while
    a wait and another call fit, then answers FAILED with how many calls it made."""
    now = [0.0]
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    class NoAttachment:
        def describe_vpn_connections(self, **_: Any) -> Any:
            tunnels = [
                {"OutsideIpAddress": "192.0.2.10", "TunnelInsideCidr": "169.254.10.0/30"},
                {"OutsideIpAddress": "192.0.2.20", "TunnelInsideCidr": "169.254.10.4/30"},
            ]
            return {"VpnConnections": [{"Options": {"TunnelOptions": tunnels}}]}

        def describe_transit_gateway_attachments(self, **_: Any) -> Any:
            return {"TransitGatewayAttachments": []}

    answers: list[dict[str, Any]] = []
    context = type("Ctx", (), {"get_remaining_time_in_millis": lambda self: 20_000})()
    handler(
        create_event("unused"),
        context,
        ec2=NoAttachment(),
        send=lambda _event, body: answers.append(body),
        sleep=sleep,
        clock=lambda: now[0],
    )
    (body,) = answers
    assert body["Status"] == "FAILED"
    # 20 s left less the 3 s margin: calls at 0, 6, 12 s; a wait at 12 s would end at 18 s > 17.
    assert sleeps == [vpn_facts.ATTACHMENT_DELAY_SECONDS] * 2
    assert "after 3 DescribeTransitGatewayAttachments calls" in body["Reason"]
    assert now[0] < 17.0


def test_no_context_means_the_functions_own_timeout() -> None:
    deadline = Deadline.of(None, clock=lambda: 0.0)
    assert deadline.answer_by == vpn_facts.FUNCTION_TIMEOUT_SECONDS
    assert deadline.at == vpn_facts.FUNCTION_TIMEOUT_SECONDS - vpn_facts.RESPONSE_MARGIN_SECONDS


def test_delete_answers_without_calling_ec2(response_url: ResponseUrl) -> None:
    ec2 = HangingEc2()
    event = {**create_event(response_url.url), "RequestType": "Delete"}
    event["PhysicalResourceId"] = "vpn-0123456789abcdef0"
    handler(event, Context(LEFT_MILLIS), ec2=ec2)
    assert ec2.calls == 0
    (answer,) = response_url.received
    assert answer.body["Status"] == "SUCCESS"


def test_the_dead_letter_acknowledgement_says_what_aws_says() -> None:
    """ "CloudFormation invokes your Lambda function asynchronously with an event that includes a
    callback URL" ("Using AWS Lambda with CloudFormation"): not synchronously."""
    reasons = dict(_PROVIDER_ACKNOWLEDGEMENTS)
    reason = reasons["NIST.800.53.R5::NIST.800.53.R5-LambdaDLQ"]
    assert "asynchronously" in reason
    assert "synchronously by" not in reason
    assert "Using AWS Lambda with CloudFormation" in reason
