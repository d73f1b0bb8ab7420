"""Network ACLs and security groups as AWS evaluates them, for one flow (CDK-free, no AWS calls).

- Network ACLs (Amazon VPC User Guide, "Network ACL rules",
  https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html): stateless, per subnet; rules
  are evaluated in ascending rule number and the first rule that matches the traffic (protocol,
  CIDR, port range) decides; the ``*`` rule denies what nothing matched. Return traffic needs its
  own rule, on the client's ephemeral ports ("Ephemeral ports" on the custom network ACL page,
  https://docs.aws.amazon.com/vpc/latest/userguide/custom-network-acl.html#nacl-ephemeral-ports:
  1024-65535 covers every client).
- Security groups ("Security group rules",
  https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html): stateful, allow-only,
  on network interfaces; the rules of every group of the interface are aggregated. A rule's source
  is a CIDR, a managed prefix list (its entries' CIDRs) or another security group, which only
  matches traffic from interfaces in that group: never an on-premises address.

A flow's source is a whole on-premises prefix: an allow rule counts only when its CIDR covers the
prefix; a deny rule counts when it overlaps it (part of the prefix is denied).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
#: Inclusive port intervals, sorted and merged.
Ports = tuple[tuple[int, int], ...]

ALL_PORTS: Final[Ports] = ((0, 65535),)
NO_PORTS: Final[Ports] = ()
#: AWS's range for return traffic to "a variety of clients" (custom network ACL page).
EPHEMERAL_PORTS: Final[Ports] = ((1024, 65535),)

PROTOCOL_NUMBERS: Final = {"tcp": "6", "udp": "17", "icmp": "1", "icmpv6": "58", "all": "-1"}
PORTED: Final = frozenset({"6", "17"})


def protocol_number(name: str) -> str:
    """``tcp`` -> ``6``; numbers and ``-1`` stay as they are (the API spells it both ways)."""
    return PROTOCOL_NUMBERS.get(str(name).lower(), str(name))


def ports(*ranges: tuple[int, int]) -> Ports:
    """Merge ranges into sorted, disjoint intervals."""
    merged: list[tuple[int, int]] = []
    for low, high in sorted(r for r in ranges if r[0] <= r[1]):
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return tuple(merged)


def union(a: Ports, b: Ports) -> Ports:
    return ports(*a, *b)


def intersect(a: Ports, b: Ports) -> Ports:
    return ports(*((max(x, u), min(y, v)) for x, y in a for u, v in b if max(x, u) <= min(y, v)))


def subtract(a: Ports, b: Ports) -> Ports:
    result = list(a)
    for low, high in b:
        nxt: list[tuple[int, int]] = []
        for x, y in result:
            if high < x or low > y:
                nxt.append((x, y))
                continue
            if x < low:
                nxt.append((x, low - 1))
            if high < y:
                nxt.append((high + 1, y))
        result = nxt
    return ports(*result)


def show(p: Ports) -> str:
    if p == ALL_PORTS:
        return "all ports"
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in p) or "no port"


def _network(text: str | None) -> IpNetwork | None:
    return ipaddress.ip_network(text, strict=False) if text else None


def covers(rule: IpNetwork | None, prefix: IpNetwork) -> bool:
    return rule is not None and rule.version == prefix.version and prefix.subnet_of(rule)  # type: ignore[arg-type]


def overlaps(rule: IpNetwork | None, prefix: IpNetwork) -> bool:
    return rule is not None and rule.version == prefix.version and prefix.overlaps(rule)


@dataclass(frozen=True)
class AclDecision:
    """What one network ACL lets through in one direction, for one prefix and protocol."""

    acl_id: str
    allowed: Ports
    #: (rule number, ports it denied), lowest first: the rules that decided against the flow.
    denied_by: tuple[tuple[int, Ports], ...] = ()

    def reason(self, wanted: Ports) -> str:
        missing = subtract(wanted, self.allowed)
        rules = [f"rule {n} denies {show(intersect(p, missing))}" for n, p in self.denied_by]
        rules = [r for r in rules if not r.endswith("no port")]
        return "; ".join(rules) or f"no rule allows {show(missing)}"


def _entry_ports(entry: dict[str, Any], protocol: str) -> Ports:
    port_range = entry.get("PortRange")
    if protocol in PORTED and port_range:
        return ports((int(port_range.get("From", 0)), int(port_range.get("To", 65535))))
    return ALL_PORTS


def acl_decision(
    acl: dict[str, Any], peer: IpNetwork, protocol: str, wanted: Ports, *, egress: bool
) -> AclDecision:
    """Walk the ACL's rules of one direction in ascending number; first match wins per port."""
    entries = sorted(
        (e for e in acl.get("Entries", []) if bool(e.get("Egress")) == egress),
        key=lambda e: int(e.get("RuleNumber", 32767)),
    )
    remaining, allowed = wanted, NO_PORTS
    denied: list[tuple[int, Ports]] = []
    for entry in entries:
        if not remaining:
            break
        rule_protocol = protocol_number(str(entry.get("Protocol", "-1")))
        if rule_protocol not in ("-1", protocol):
            continue
        cidr = _network(entry.get("CidrBlock") or entry.get("Ipv6CidrBlock"))
        allow = entry.get("RuleAction") == "allow"
        if not (covers(cidr, peer) if allow else overlaps(cidr, peer)):
            continue
        matched = intersect(remaining, _entry_ports(entry, protocol))
        if not matched:
            continue
        remaining = subtract(remaining, matched)
        if allow:
            allowed = union(allowed, matched)
        else:
            denied.append((int(entry.get("RuleNumber", 32767)), matched))
    if remaining:
        denied.append((32767, remaining))  # the "*" rule: what no numbered rule matched
    return AclDecision(str(acl.get("NetworkAclId", "?")), allowed, tuple(denied))


@dataclass(frozen=True)
class GroupDecision:
    """What the security groups of one network interface admit inbound from a prefix."""

    allowed: Ports
    group_ids: tuple[str, ...]
    #: Rules that cannot admit an on-premises source (security group references), for the reason.
    notes: tuple[str, ...] = field(default=())


def _rule_ports(permission: dict[str, Any], protocol: str) -> Ports | None:
    rule_protocol = protocol_number(str(permission.get("IpProtocol", "-1")))
    if rule_protocol == "-1":
        return ALL_PORTS
    if rule_protocol != protocol:
        return None
    if protocol not in PORTED:
        return ALL_PORTS
    low, high = permission.get("FromPort", -1), permission.get("ToPort", -1)
    if low in (None, -1):
        return ALL_PORTS
    return ports((int(low), int(high)))


def groups_admit(
    groups: Sequence[dict[str, Any]],
    source: IpNetwork,
    protocol: str,
    prefix_list_cidrs: Callable[[str], Iterable[str]],
) -> GroupDecision:
    """The union of every inbound rule of the groups whose source covers ``source``."""
    allowed, notes = NO_PORTS, []
    for group in groups:
        for permission in group.get("IpPermissions", []):
            rule_ports = _rule_ports(permission, protocol)
            if rule_ports is None:
                continue
            sources = [r.get("CidrIp") for r in permission.get("IpRanges", [])]
            sources += [r.get("CidrIpv6") for r in permission.get("Ipv6Ranges", [])]
            for prefix_list in permission.get("PrefixListIds", []):
                sources += list(prefix_list_cidrs(str(prefix_list.get("PrefixListId"))))
            if any(covers(_network(s), source) for s in sources):
                allowed = union(allowed, rule_ports)
            for pair in permission.get("UserIdGroupPairs", []):
                notes.append(
                    f"{group.get('GroupId')} admits {pair.get('GroupId')}, a security group "
                    "reference, which never matches an on-premises source"
                )
    return GroupDecision(allowed, tuple(g.get("GroupId", "?") for g in groups), tuple(notes))
