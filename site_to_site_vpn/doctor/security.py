"""Check 7: do any security group and the network ACLs of the VPCs admit the on-premises prefixes?

Security groups are stateful and allow-only: a prefix is admitted when any inbound rule's CIDR
overlaps it (Amazon VPC User Guide "Security group rules"). Network ACLs are stateless and ordered:
the lowest-numbered rule matching the traffic decides, both inbound and for the return traffic
outbound (Amazon VPC User Guide "Network ACL rules"; EC2 API Reference "NetworkAclEntry":
RuleNumber, RuleAction allow | deny, Egress, CidrBlock, Ipv6CidrBlock). "At all": any protocol or
port counts; whether the right ports are open is the application's business.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from site_to_site_vpn.doctor.context import DoctorContext, IpNetwork
from site_to_site_vpn.doctor.model import CheckResult, failed, passed, unknown

SG_TITLE = "Security groups admit on-premises prefixes"
ACL_TITLE = "Network ACLs admit on-premises prefixes (both ways)"


def _overlaps(prefix: IpNetwork, text: str | None) -> bool:
    if not text:
        return False
    other = ipaddress.ip_network(text, strict=False)
    return other.version == prefix.version and prefix.overlaps(other)


def _prefixes(ctx: DoctorContext, check: str, title: str) -> list[IpNetwork] | CheckResult:
    prefixes = ctx.onprem_prefixes()
    if not prefixes:
        return unknown(
            check,
            title,
            "no on-premises prefix known",
            "pass --onprem-prefix CIDR, or make the device advertise its networks",
        )
    if not ctx.vpc_ids:
        return unknown(check, title, "no VPC found behind the VPN's gateway")
    return prefixes


def _admits(group: dict[str, Any], prefix: IpNetwork) -> bool:
    for permission in group.get("IpPermissions", []):
        ranges = [r.get("CidrIp") for r in permission.get("IpRanges", [])]
        ranges += [r.get("CidrIpv6") for r in permission.get("Ipv6Ranges", [])]
        if any(_overlaps(prefix, cidr) for cidr in ranges):
            return True
    return False


def check_security_groups(ctx: DoctorContext) -> list[CheckResult]:
    title = SG_TITLE
    prefixes = _prefixes(ctx, "security-groups", title)
    if isinstance(prefixes, CheckResult):
        return [prefixes]
    problems, good = [], []
    for vpc_id in ctx.vpc_ids:
        groups = ctx.paged(
            ctx.ec2,
            "DescribeSecurityGroups",
            "SecurityGroups",
            Filters=[{"Name": "vpc-id", "Values": [vpc_id]}],
        )
        for prefix in prefixes:
            admitting = [g["GroupId"] for g in groups if _admits(g, prefix)]
            if admitting:
                good.append(f"{vpc_id} {prefix}: {', '.join(admitting[:3])}")
            else:
                problems.append(f"no security group in {vpc_id} admits {prefix}")
    if problems:
        return [
            failed(
                "security-groups",
                title,
                "; ".join(problems),
                "add inbound rules for the on-premises prefixes to the security groups of the "
                "instances they must reach (rules naming prefix lists are not evaluated here)",
            )
        ]
    return [passed("security-groups", title, "; ".join(good))]


def _decision(acl: dict[str, Any], prefix: IpNetwork, *, egress: bool) -> str:
    """allow or deny: the lowest-numbered rule in that direction overlapping the prefix."""
    entries = sorted(
        (e for e in acl.get("Entries", []) if bool(e.get("Egress")) == egress),
        key=lambda e: int(e.get("RuleNumber", 32767)),
    )
    for entry in entries:
        if _overlaps(prefix, entry.get("CidrBlock") or entry.get("Ipv6CidrBlock")):
            return str(entry.get("RuleAction", "deny"))
    return "deny"


def check_network_acls(ctx: DoctorContext) -> list[CheckResult]:
    title = ACL_TITLE
    prefixes = _prefixes(ctx, "network-acls", title)
    if isinstance(prefixes, CheckResult):
        return [prefixes]
    problems, good = [], []
    for vpc_id in ctx.vpc_ids:
        acls = ctx.paged(
            ctx.ec2,
            "DescribeNetworkAcls",
            "NetworkAcls",
            Filters=[{"Name": "vpc-id", "Values": [vpc_id]}],
        )
        for prefix in prefixes:
            admitting, denying = [], []
            for acl in acls:
                inbound = _decision(acl, prefix, egress=False)
                outbound = _decision(acl, prefix, egress=True)
                if inbound == outbound == "allow":
                    admitting.append(acl["NetworkAclId"])
                else:
                    denying.append(f"{acl['NetworkAclId']} (in {inbound}, out {outbound})")
            if admitting:
                note = f"; denied by {', '.join(denying)}" if denying else ""
                good.append(f"{vpc_id} {prefix}: {', '.join(admitting[:3])}{note}")
            else:
                problems.append(
                    f"no network ACL of {vpc_id} admits {prefix} both ways: {', '.join(denying)}"
                )
    if problems:
        return [
            failed(
                "network-acls",
                title,
                "; ".join(problems),
                "allow the on-premises prefixes in the network ACL, inbound and outbound (return "
                "traffic), before any deny rule with a lower number",
            )
        ]
    return [passed("network-acls", title, "; ".join(good))]
