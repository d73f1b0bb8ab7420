"""What a check returns: pass, fail or unknown, what was seen and what to do."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Status(Enum):
    PASS = "pass"
    FAIL = "fail"
    #: The check could not run (an API call refused or unsupported, nothing to check against).
    UNKNOWN = "unknown"
    #: Traffic flows, but not the way the user most likely meant (exit code stays 0).
    WARN = "warn"


@dataclass(frozen=True)
class Hop:
    """One component a flow crosses, and what it does to the flow."""

    #: ``to-aws`` (on-premises to the VPC) or ``back`` (the return traffic).
    direction: str
    #: ``tgw-route-table``, ``route-table``, ``network-acl``, ``security-group``...
    component: str
    #: The component's id (``tgw-rtb-...``, ``acl-...``, ``eni-...``).
    id: str
    status: Status
    detail: str
    #: A Reachability Analyzer explanation code naming the same kind of failure, if any.
    code: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "direction": self.direction,
            "component": self.component,
            "id": self.id,
            "status": self.status.value,
            "detail": self.detail,
            "code": self.code,
        }


@dataclass(frozen=True)
class CheckResult:
    """One line of the report."""

    #: Stable id of the check (``tunnels``, ``tgw-routes``...), for ``--json`` consumers.
    check: str
    #: What was checked, for people (``Tunnel 1 (3.5.1.10)``).
    title: str
    status: Status
    #: What was seen.
    detail: str
    #: What to do about it; empty when nothing is to be done.
    action: str = ""
    #: The Reachability Analyzer explanation code closest to the failure, if any.
    code: str = ""
    #: The AWS documentation page whose rule decided the verdict.
    rule: str = ""
    #: The hops of a flow, in the order traffic crosses them.
    hops: tuple[Hop, ...] = ()

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "check": self.check,
            "title": self.title,
            "status": self.status.value,
            "detail": self.detail,
            "action": self.action,
        }
        if self.code:
            data["code"] = self.code
        if self.rule:
            data["rule"] = self.rule
        if self.hops:
            data["hops"] = [h.to_json() for h in self.hops]
        return data


def passed(check: str, title: str, detail: str) -> CheckResult:
    return CheckResult(check, title, Status.PASS, detail)


def failed(check: str, title: str, detail: str, action: str) -> CheckResult:
    return CheckResult(check, title, Status.FAIL, detail, action)


def unknown(check: str, title: str, detail: str, action: str = "") -> CheckResult:
    return CheckResult(check, title, Status.UNKNOWN, detail, action)


@dataclass(frozen=True)
class Report:
    """Every check's results for one VPN, in the order they ran."""

    vpn_id: str
    region: str
    results: tuple[CheckResult, ...] = field(default=())

    @property
    def exit_code(self) -> int:
        """0 healthy (nothing failed), 1 a problem was found.

        A check that could not run does not make the VPN unhealthy; it is listed as unknown with
        its reason, and the summary counts it.
        """
        return 1 if any(r.status is Status.FAIL for r in self.results) else 0

    def counts(self) -> dict[str, int]:
        return {s.value: sum(1 for r in self.results if r.status is s) for s in Status}

    def to_json(self) -> dict[str, Any]:
        return {
            "vpn_id": self.vpn_id,
            "region": self.region,
            "healthy": self.exit_code == 0,
            "counts": self.counts(),
            "results": [r.to_json() for r in self.results],
        }
