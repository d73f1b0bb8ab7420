"""``--reachability``: AWS's Reachability Analyzer as a second opinion.

Moto does not implement Network Insights, so those calls (and only those) go to botocore's
Stubber, which checks every request and response against the EC2 service model. Shapes: EC2 API
Reference "CreateNetworkInsightsPath", "StartNetworkInsightsAnalysis",
"DescribeNetworkInsightsAnalyses" (Status running | succeeded | failed, NetworkPathFound,
Explanations[].ExplanationCode), "DeleteNetworkInsightsAnalysis", "DeleteNetworkInsightsPath".
"""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.stub import Stubber

from site_to_site_vpn.cli import main
from site_to_site_vpn.doctor import DoctorContext, Status
from site_to_site_vpn.doctor.context import FlowSpec
from site_to_site_vpn.doctor.reachability import CHARGE_NOTICE, analyze, result
from tests.doctor.conftest import REGION, Network, Routed, stubbed_ec2

ATTACHMENT = "tgw-attach-0123456789abcdef0"
ENI = "eni-0123456789abcdef0"
PATH = "nip-0123456789abcdef0"
ANALYSIS = "nia-0123456789abcdef0"
WHEN = datetime(2026, 12, 6, 3, 0, tzinfo=UTC)
RA_OPS = {
    "create_network_insights_path",
    "start_network_insights_analysis",
    "describe_network_insights_analyses",
    "delete_network_insights_analysis",
    "delete_network_insights_path",
    "describe_network_insights_paths",
}


def _analysis(
    status: str, found: bool | None = None, codes: tuple[str, ...] = ()
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "NetworkInsightsAnalysisId": ANALYSIS,
        "NetworkInsightsPathId": PATH,
        "StartDate": WHEN,
        "Status": status,
    }
    if found is not None:
        item["NetworkPathFound"] = found
    if codes:
        item["Explanations"] = [
            {"ExplanationCode": c, "Component": {"Id": "acl-0123456789abcdef0"}} for c in codes
        ]
    return item


def _expect_run(
    stubber: Stubber, *, create: bool, final: dict[str, Any], port: int | None = None
) -> None:
    if create:
        params: dict[str, Any] = {"Source": ATTACHMENT, "Destination": ENI, "Protocol": "tcp"}
        if port is not None:
            params["DestinationPort"] = port
        stubber.add_response(
            "create_network_insights_path",
            {"NetworkInsightsPath": {"NetworkInsightsPathId": PATH}},
            params,
        )
    stubber.add_response(
        "start_network_insights_analysis",
        {"NetworkInsightsAnalysis": _analysis("running")},
        {"NetworkInsightsPathId": PATH},
    )
    stubber.add_response(
        "describe_network_insights_analyses",
        {"NetworkInsightsAnalyses": [final]},
        {"NetworkInsightsAnalysisIds": [ANALYSIS]},
    )
    if create:
        stubber.add_response(
            "delete_network_insights_analysis",
            {"NetworkInsightsAnalysisId": ANALYSIS},
            {"NetworkInsightsAnalysisId": ANALYSIS},
        )
        stubber.add_response(
            "delete_network_insights_path",
            {"NetworkInsightsPathId": PATH},
            {"NetworkInsightsPathId": PATH},
        )


def _context(ec2: Any, port: int | None = None) -> DoctorContext:
    ctx = DoctorContext(
        ec2=ec2,
        logs=None,
        vpn={"VpnConnectionId": "vpn-0123456789abcdef0", "TransitGatewayId": "tgw-0aaa"},
        region=REGION,
        flow=FlowSpec(port=port),
    )
    ctx.__dict__["vpn_attachment"] = {"TransitGatewayAttachmentId": ATTACHMENT}
    return ctx


def test_created_path_is_analyzed_waited_for_and_deleted() -> None:
    client, stubber = stubbed_ec2()
    final = _analysis("succeeded", False, ("SUBNET_ACL_RESTRICTION",))
    _expect_run(stubber, create=True, final=final, port=443)
    waits: list[float] = []
    with stubber:
        analysis = analyze(_context(client, 443), ENI, sleep=waits.append)
        stubber.assert_no_pending_responses()
    assert waits == [5.0]
    assert analysis.path_found is False
    assert analysis.explanations == (("SUBNET_ACL_RESTRICTION", "acl-0123456789abcdef0"),)
    assert analysis.deleted == (ANALYSIS, PATH)
    agreed = result(analysis, Status.FAIL)
    assert agreed.status is Status.FAIL
    assert "SUBNET_ACL_RESTRICTION (acl-0123456789abcdef0)" in agreed.detail
    assert "DISAGREE" not in agreed.detail
    assert f"deleted {ANALYSIS}, {PATH}" in agreed.detail


def test_existing_path_is_analyzed_and_kept() -> None:
    client, stubber = stubbed_ec2()
    _expect_run(stubber, create=False, final=_analysis("succeeded", True))
    with stubber:
        analysis = analyze(_context(client), PATH, sleep=lambda _: None)
        stubber.assert_no_pending_responses()
    assert analysis.deleted == ()
    assert result(analysis, Status.PASS).status is Status.PASS


def test_disagreement_is_said_plainly() -> None:
    client, stubber = stubbed_ec2()
    _expect_run(stubber, create=True, final=_analysis("succeeded", True))
    with stubber:
        analysis = analyze(_context(client), ENI, sleep=lambda _: None)
    said = result(analysis, Status.FAIL)
    assert "THEY DISAGREE" in said.detail
    assert said.status is Status.WARN
    assert "disagree" in said.action


def test_what_was_created_is_deleted_when_the_analysis_fails() -> None:
    client, stubber = stubbed_ec2()
    stubber.add_response(
        "create_network_insights_path", {"NetworkInsightsPath": {"NetworkInsightsPathId": PATH}}
    )
    stubber.add_response(
        "start_network_insights_analysis", {"NetworkInsightsAnalysis": _analysis("running")}
    )
    stubber.add_client_error("describe_network_insights_analyses", "RequestLimitExceeded")
    stubber.add_response(
        "delete_network_insights_analysis", {"NetworkInsightsAnalysisId": ANALYSIS}
    )
    stubber.add_response("delete_network_insights_path", {"NetworkInsightsPathId": PATH})
    with stubber, pytest.raises(Exception, match="RequestLimitExceeded"):
        analyze(_context(client), ENI, sleep=lambda _: None)
    stubber.assert_no_pending_responses()


def test_charge_is_stated_and_scripts_must_accept_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code = main(["doctor", "--vpn-id", "vpn-1", "--region", REGION, "--reachability", ENI])
    assert code == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert CHARGE_NOTICE in line
    assert "USD 0.10 per analysis" in line
    assert line.endswith("Pass --yes to accept it")


def test_cli_prints_aws_verdict_beside_the_doctors(
    network: Network, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The fixture's TGW tables route nothing: the doctor says FAIL; AWS (stubbed) says
    reachable, so the report says they disagree."""
    client, stubber = stubbed_ec2()
    eni = network.ec2.create_network_interface(
        SubnetId=network.ec2.describe_subnets(
            Filters=[{"Name": "vpc-id", "Values": [network.vpc_id]}]
        )["Subnets"][0]["SubnetId"],
        Groups=[network.security_group_id],
    )["NetworkInterface"]["NetworkInterfaceId"]
    stubber.add_response(
        "create_network_insights_path",
        {"NetworkInsightsPath": {"NetworkInsightsPathId": PATH}},
        {"Source": network.vpn_attachment_id, "Destination": eni, "Protocol": "tcp"},
    )
    stubber.add_response(
        "start_network_insights_analysis", {"NetworkInsightsAnalysis": _analysis("succeeded", True)}
    )
    stubber.add_response(
        "delete_network_insights_analysis", {"NetworkInsightsAnalysisId": ANALYSIS}
    )
    stubber.add_response("delete_network_insights_path", {"NetworkInsightsPathId": PATH})
    routed = Routed(network.ec2, client, RA_OPS)
    real_session = __import__("boto3").session.Session(region_name=REGION)

    class Session:
        region_name = REGION

        def client(self, service: str, **kwargs: Any) -> Any:
            return (
                routed
                if service == "ec2" and not kwargs
                else real_session.client(service, **kwargs)
            )

        def get_credentials(self) -> object:
            return object()

    monkeypatch.setattr("site_to_site_vpn.cli.doctor._session", lambda region: Session())
    vpn_id = network.vpn["VpnConnectionId"]
    args = ["doctor", "--vpn-id", vpn_id, "--region", REGION, "--onprem-prefix", "10.30.0.0/16",
            "--reachability", eni, "--yes", "--json"]  # fmt: skip
    with stubber:
        code = main(args)
        stubber.assert_no_pending_responses()
    report = json.loads(capsys.readouterr().out)
    assert code == 1, json.dumps(report["results"], indent=1)
    by_check = {r["check"]: r for r in report["results"]}
    assert by_check["path"]["status"] == "fail"
    assert eni in by_check["path"]["title"] or eni in json.dumps(by_check["path"]["hops"])
    second = by_check["reachability"]
    assert "AWS: reachable" in second["detail"]
    assert "THEY DISAGREE" in second["detail"]
    assert f"deleted {ANALYSIS}, {PATH}" in second["detail"]
