"""AWS's filtering and route-selection rules as the path check applies them (no AWS calls).

Network ACLs: "Network ACL rules" (ascending rule number, first match wins, ``*`` denies the rest)
and "Ephemeral ports"; security groups: "Security group rules" (allow-only, union of the groups,
prefix lists, group references); routes: VPC "Route priority" and Transit Gateway "Route
evaluation order". Rule entries are shaped as EC2 API Reference "NetworkAclEntry",
"IpPermission" and "TransitGatewayRoute".
"""

from __future__ import annotations

import ipaddress
from typing import Any

from site_to_site_vpn.doctor import filtering as fl
from site_to_site_vpn.doctor.routing import select, tgw_candidates, vpc_candidates

ONPREM = ipaddress.ip_network("10.30.0.0/16")


def entry(number: int, action: str, cidr: str, *, egress: bool = False, protocol: str = "-1",
          ports: tuple[int, int] | None = None) -> dict[str, Any]:  # fmt: skip
    item: dict[str, Any] = {"RuleNumber": number, "RuleAction": action, "CidrBlock": cidr,
                            "Egress": egress, "Protocol": protocol}  # fmt: skip
    if ports:
        item["PortRange"] = {"From": ports[0], "To": ports[1]}
    return item


def acl(*entries: dict[str, Any]) -> dict[str, Any]:
    return {
        "NetworkAclId": "acl-1",
        "Entries": [
            *entries,
            entry(32767, "deny", "0.0.0.0/0"),
            entry(32767, "deny", "0.0.0.0/0", egress=True),
        ],
    }


def test_port_sets() -> None:
    assert fl.ports((5, 9), (1, 4), (20, 30)) == ((1, 9), (20, 30))
    assert fl.subtract(fl.ALL_PORTS, fl.ports((22, 22))) == ((0, 21), (23, 65535))
    assert fl.intersect(fl.ports((0, 100)), fl.ports((50, 200))) == ((50, 100),)
    assert fl.show(fl.ports((22, 22), (1024, 65535))) == "22, 1024-65535"


def test_lowest_rule_number_decides_each_port() -> None:
    rules = acl(entry(200, "allow", "0.0.0.0/0"), entry(100, "deny", "10.30.0.0/16", protocol="6",
                                                        ports=(22, 22)))  # fmt: skip
    decision = fl.acl_decision(rules, ONPREM, "6", fl.ALL_PORTS, egress=False)
    assert decision.allowed == ((0, 21), (23, 65535))
    assert decision.denied_by == ((100, ((22, 22),)),)
    assert "rule 100 denies 22" in decision.reason(fl.ports((22, 22)))


def test_a_deny_for_part_of_the_prefix_counts_an_allow_for_part_does_not() -> None:
    partial_deny = acl(entry(10, "deny", "10.30.5.0/24"), entry(20, "allow", "0.0.0.0/0"))
    assert fl.acl_decision(partial_deny, ONPREM, "6", fl.ALL_PORTS, egress=False).allowed == ()
    partial_allow = acl(entry(10, "allow", "10.30.5.0/24"))
    decision = fl.acl_decision(partial_allow, ONPREM, "6", fl.ALL_PORTS, egress=False)
    assert decision.allowed == ()
    assert decision.denied_by == ((32767, fl.ALL_PORTS),)


def test_directions_and_protocols_are_separate() -> None:
    rules = acl(entry(100, "allow", "0.0.0.0/0", protocol="17"))
    assert fl.acl_decision(rules, ONPREM, "17", fl.ALL_PORTS, egress=False).allowed == fl.ALL_PORTS
    assert fl.acl_decision(rules, ONPREM, "6", fl.ALL_PORTS, egress=False).allowed == ()
    assert fl.acl_decision(rules, ONPREM, "17", fl.ALL_PORTS, egress=True).allowed == ()


def test_security_groups_union_prefix_lists_and_references() -> None:
    groups: list[dict[str, Any]] = [
        {"GroupId": "sg-a", "IpPermissions": [
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
             "PrefixListIds": [{"PrefixListId": "pl-1"}]},
            {"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": "sg-peer"}]}]},
        {"GroupId": "sg-b", "IpPermissions": [
            {"IpProtocol": "6", "FromPort": 8443, "ToPort": 8443,
             "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}]},
    ]  # fmt: skip
    decision = fl.groups_admit(groups, ONPREM, "6", lambda pl: ["10.30.0.0/16"])
    assert decision.allowed == ((443, 443), (8443, 8443))
    assert "sg-peer" in decision.notes[0]
    assert fl.groups_admit(groups[:1], ONPREM, "6", lambda pl: []).allowed == ()
    assert fl.groups_admit(groups, ONPREM, "17", lambda pl: ["10.30.0.0/16"]).allowed == ()


def _tgw(
    cidr: str, kind: str, resource_type: str, attachment: str, state: str = "active"
) -> dict[str, Any]:
    return {
        "DestinationCidrBlock": cidr,
        "Type": kind,
        "State": state,
        "TransitGatewayAttachments": [
            {
                "TransitGatewayAttachmentId": attachment,
                "ResourceType": resource_type,
                "ResourceId": "x",
            }
        ],
    }


def test_tgw_order_longest_then_static_then_dx_then_vpn() -> None:
    routes = [
        _tgw("10.30.0.0/16", "propagated", "vpn", "tgw-attach-vpn"),
        _tgw("10.30.0.0/16", "propagated", "direct-connect-gateway", "tgw-attach-dx"),
        _tgw("10.0.0.0/8", "static", "vpc", "tgw-attach-vpc"),
        _tgw("10.30.5.0/24", "static", "vpn", "tgw-attach-vpn", state="blackhole"),
    ]
    sel = select(tgw_candidates(routes, lambda pl: []), ONPREM)
    assert sel.best is not None
    assert sel.best.target == "tgw-attach-dx"
    assert [c.target for c in sel.shadowed] == ["tgw-attach-vpn"]
    assert [c.target for c in sel.broader] == ["tgw-attach-vpc"]
    assert [(str(c.destination), c.active) for c in sel.inner] == [("10.30.5.0/24", False)]
    static = select(tgw_candidates([*routes, _tgw("10.30.0.0/16", "static", "vpn", "a-s")],
                                   lambda pl: []), ONPREM)  # fmt: skip
    assert static.best is not None
    assert static.best.target == "a-s"


def test_vpc_order_static_beats_propagated_and_prefix_lists_resolve() -> None:
    table = {"Routes": [
        {"DestinationCidrBlock": "10.30.0.0/16", "GatewayId": "vgw-1", "State": "active",
         "Origin": "EnableVgwRoutePropagation"},
        {"DestinationCidrBlock": "10.30.0.0/16", "GatewayId": "igw-1", "State": "active",
         "Origin": "CreateRoute"},
        {"DestinationPrefixListId": "pl-1", "TransitGatewayId": "tgw-1", "State": "active",
         "Origin": "CreateRoute"},
    ]}  # fmt: skip
    sel = select(vpc_candidates(table, lambda pl: ["10.30.0.0/16"]), ONPREM)
    assert sel.best is not None
    assert sel.best.target == "igw-1"
    assert [c.target for c in sel.shadowed] == ["tgw-1", "vgw-1"]
