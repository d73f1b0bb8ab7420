"""AWS's own analyzer as a second opinion: one VPC Reachability Analyzer analysis (opt-in, charged).

Calls (EC2 API Reference): ``CreateNetworkInsightsPath`` (Source: the VPN's Transit Gateway
attachment or virtual private gateway; Destination: an ``eni-``/``i-`` id, or DestinationIp;
Protocol tcp | udp; DestinationPort), ``StartNetworkInsightsAnalysis``,
``DescribeNetworkInsightsAnalyses`` (Status running | succeeded | failed; NetworkPathFound;
Explanations[].ExplanationCode, Component.Id), then ``DeleteNetworkInsightsAnalysis`` and
``DeleteNetworkInsightsPath`` for what this run created. An existing path (``nip-...``, e.g. the
one the construct's ``reachability_targets`` creates) is analyzed and kept.

Charge: Amazon VPC pricing (https://aws.amazon.com/vpc/pricing/), "Reachability Analyzer": USD
0.10 per analysis at the time of writing; the CLI states it and asks before running.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

from site_to_site_vpn.doctor.context import ApiUnavailableError, DoctorContext
from site_to_site_vpn.doctor.model import CheckResult, Status, passed, unknown

CHECK: Final = "reachability"
PRICE_PER_ANALYSIS_USD: Final = 0.10
PRICING_PAGE: Final = "https://aws.amazon.com/vpc/pricing/"
CHARGE_NOTICE: Final = (
    f"--reachability runs 1 VPC Reachability Analyzer analysis, which AWS charges "
    f"(USD {PRICE_PER_ANALYSIS_USD:.2f} per analysis at the time of writing; see {PRICING_PAGE})."
)
CODES_PAGE: Final = "https://docs.aws.amazon.com/vpc/latest/reachability/explanation-codes.html"


@dataclass(frozen=True)
class Analysis:
    """What AWS concluded about one path."""

    path_id: str
    analysis_id: str
    status: str
    path_found: bool | None
    #: (explanation code, component id), in AWS's order.
    explanations: tuple[tuple[str, str], ...] = ()
    message: str = ""
    #: Ids this run created and deleted again.
    deleted: tuple[str, ...] = field(default=())


def path_source(ctx: DoctorContext) -> str:
    """The VPN's side of the path: its Transit Gateway attachment, else its gateway."""
    if ctx.transit_gateway_id and ctx.vpn_attachment:
        return str(ctx.vpn_attachment["TransitGatewayAttachmentId"])
    if ctx.vpn_gateway_id:
        return ctx.vpn_gateway_id
    raise ApiUnavailableError("CreateNetworkInsightsPath", "the VPN has no gateway to start from")


def _create_path(ctx: DoctorContext, target: str) -> str:
    params: dict[str, Any] = {
        "Source": path_source(ctx),
        "Protocol": "udp" if ctx.flow.protocol == "udp" else "tcp",
    }
    if target.startswith(("eni-", "i-")):
        params["Destination"] = target
    else:
        params["DestinationIp"] = target
    if ctx.flow.port is not None:
        params["DestinationPort"] = ctx.flow.port
    response = ctx.call(ctx.ec2, "CreateNetworkInsightsPath", **params)
    return str(response["NetworkInsightsPath"]["NetworkInsightsPathId"])


def analyze(
    ctx: DoctorContext,
    target: str,
    *,
    timeout_s: float = 600.0,
    poll_s: float = 5.0,
    sleep: Callable[[float], None] = time.sleep,
) -> Analysis:
    """Create (or reuse a ``nip-``) path, analyze it, wait, delete what was created."""
    created_path = None if target.startswith("nip-") else _create_path(ctx, target)
    path_id = created_path or target
    analysis_id = ""
    deleted: list[str] = []
    try:
        started = ctx.call(ctx.ec2, "StartNetworkInsightsAnalysis", NetworkInsightsPathId=path_id)[
            "NetworkInsightsAnalysis"
        ]
        analysis_id = str(started["NetworkInsightsAnalysisId"])
        waited, current = 0.0, started
        while current.get("Status") == "running" and waited < timeout_s:
            sleep(poll_s)
            waited += poll_s
            [current] = ctx.call(
                ctx.ec2,
                "DescribeNetworkInsightsAnalyses",
                NetworkInsightsAnalysisIds=[analysis_id],
            )["NetworkInsightsAnalyses"]
        explanations = tuple(
            (str(e.get("ExplanationCode", "?")), str((e.get("Component") or {}).get("Id", "")))
            for e in current.get("Explanations", [])
        )
        status = str(current.get("Status", "?"))
        if status == "running":
            status = f"still running after {int(timeout_s)} s"
        found = current.get("NetworkPathFound")
        message = str(current.get("StatusMessage", ""))
    finally:
        if analysis_id and created_path:
            _delete(ctx, "DeleteNetworkInsightsAnalysis", analysis_id, deleted,
                    NetworkInsightsAnalysisId=analysis_id)  # fmt: skip
        if created_path:
            _delete(ctx, "DeleteNetworkInsightsPath", created_path, deleted,
                    NetworkInsightsPathId=created_path)  # fmt: skip
    return Analysis(path_id, analysis_id, status, found, explanations, message, tuple(deleted))


def _delete(
    ctx: DoctorContext, operation: str, id_: str, deleted: list[str], **params: Any
) -> None:
    try:
        ctx.call(ctx.ec2, operation, **params)
        deleted.append(id_)
    except ApiUnavailableError:
        pass  # reported by its absence from ``deleted``


def result(analysis: Analysis, doctor: Status | None) -> CheckResult:
    """AWS's verdict beside the doctor's, saying plainly when they disagree."""
    title = f"Reachability Analyzer {analysis.analysis_id or analysis.path_id}"
    codes = ", ".join(f"{c} ({i})" if i else c for c, i in analysis.explanations)
    cleanup = f"; deleted {', '.join(analysis.deleted)}" if analysis.deleted else ""
    if analysis.status != "succeeded" or analysis.path_found is None:
        detail = f"analysis {analysis.status}: {analysis.message or 'no verdict'}{cleanup}"
        return unknown(CHECK, title, detail)
    aws = "reachable" if analysis.path_found else f"not reachable: {codes or 'no code given'}"
    detail = f"AWS: {aws}{cleanup}"
    if doctor in (Status.PASS, Status.WARN, Status.FAIL):
        ours = "reachable" if doctor is not Status.FAIL else "not reachable"
        agree = (doctor is not Status.FAIL) == analysis.path_found
        detail += f"; the doctor: {ours}" + ("" if agree else " - THEY DISAGREE")
        if not agree:
            return CheckResult(
                CHECK, title, Status.FAIL if not analysis.path_found else Status.WARN, detail,
                "AWS's analyzer and the doctor disagree: read the explanation codes "
                f"({CODES_PAGE}) and the path check's hops, and report the case",
                code=analysis.explanations[0][0] if analysis.explanations else "",
                rule=CODES_PAGE,
            )  # fmt: skip
    if analysis.path_found:
        return passed(CHECK, title, detail)
    return CheckResult(
        CHECK, title, Status.FAIL, detail,
        "fix the component the first explanation code names", rule=CODES_PAGE,
        code=analysis.explanations[0][0] if analysis.explanations else "",
    )  # fmt: skip
