"""The path check: each on-premises prefix to each VPC behind the gateway, and back, hop by hop.

To the VPC: the VPN attachment's *associated* Transit Gateway route table must route the
destination to the VPC's attachment (Transit Gateway "Route tables": traffic is routed by the
table the attachment it arrives on is associated with); the destination subnet's network ACL
(inbound) and the security groups of the receiving network interfaces must admit it. Back: the
subnet's route table (its explicit association, else the VPC's main table; Amazon VPC User Guide
"Subnet route tables") must send the prefix to the gateway, the network ACL (outbound) must let
the return traffic out on the client's ephemeral ports, and the VPC attachment's associated table
must route the prefix to the VPN. A virtual private gateway delivers to the VPC it is attached to;
the subnets' tables must route the prefix to it (static or propagated).

Each failing hop names its component and a Reachability Analyzer explanation code
(https://docs.aws.amazon.com/vpc/latest/reachability/explanation-codes.html).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, Final

from site_to_site_vpn.doctor import filtering as fl
from site_to_site_vpn.doctor.context import ApiUnavailableError, DoctorContext, IpNetwork
from site_to_site_vpn.doctor.model import CheckResult, Hop, Status, unknown
from site_to_site_vpn.doctor.routing import (
    Candidate,
    Selection,
    select,
    tgw_candidates,
    vpc_candidates,
)

CHECK: Final = "path"
TITLE: Final = "Traffic path"

#: The AWS page whose rule a component follows.
PAGES: Final = {
    "tgw-route-table": "https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html",
    "tgw-attachment": "https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html",
    "route-table": "https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html",
    "subnet": "https://docs.aws.amazon.com/vpc/latest/userguide/subnet-route-tables.html",
    "network-acl": "https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html",
    "security-group": "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
    "vpn-gateway": "https://docs.aws.amazon.com/vpn/latest/s2svpn/vpn-route-priority.html",
    "account": "https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-share.html",
}
WORKLOAD_INTERFACE_TYPES: Final = frozenset({"", "interface", "efa", "efa-only", "trunk"})
ROLE_NEXT_STEP: Final = (
    "re-run with --assume-role {account}=arn:aws:iam::{account}:role/ROLE_NAME, a role in "
    "{account} that trusts this account and grants the read-only policy of docs/guides/doctor.md "
    "(ec2:DescribeRouteTables, DescribeSubnets, DescribeNetworkAcls, DescribeSecurityGroups, "
    "DescribeNetworkInterfaces, GetManagedPrefixListEntries)"
)


@dataclass(frozen=True)
class Step:
    """A hop and what to do when it fails."""

    hop: Hop
    action: str = ""


def _hop(
    direction: str, component: str, id_: str, status: Status, detail: str, *, code: str = "",
    action: str = "",
) -> Step:  # fmt: skip
    return Step(Hop(direction, component, id_, status, detail, code), action)


class View:
    """One account's reads, cached: route tables, subnets, ACLs, interfaces, groups, lists."""

    def __init__(self, ctx: DoctorContext, ec2: Any) -> None:
        self.ctx, self.ec2 = ctx, ec2
        self.tables = cache(self._by_vpc("DescribeRouteTables", "RouteTables"))
        self.subnets = cache(self._by_vpc("DescribeSubnets", "Subnets"))
        self.acls = cache(self._by_vpc("DescribeNetworkAcls", "NetworkAcls"))
        self.interfaces = cache(self._by_vpc("DescribeNetworkInterfaces", "NetworkInterfaces"))
        self.groups = cache(self._by_vpc("DescribeSecurityGroups", "SecurityGroups"))
        self.prefix_list_cidrs = cache(self._prefix_list_cidrs)
        self.tgw_routes = cache(self._tgw_routes)
        self.attachment_subnets = cache(self._attachment_subnets)

    def _attachment_subnets(self, attachment_id: str) -> tuple[str, ...]:
        """DescribeTransitGatewayVpcAttachments ``SubnetIds``; () when it cannot be read."""
        try:
            found = self.ctx.paged(
                self.ec2, "DescribeTransitGatewayVpcAttachments",
                "TransitGatewayVpcAttachments", TransitGatewayAttachmentIds=[attachment_id],
            )  # fmt: skip
        except ApiUnavailableError:
            return ()
        return tuple(s for a in found for s in a.get("SubnetIds", []))

    def _by_vpc(self, operation: str, key: str) -> Callable[[str], list[dict[str, Any]]]:
        def read(vpc_id: str) -> list[dict[str, Any]]:
            return self.ctx.paged(
                self.ec2, operation, key, Filters=[{"Name": "vpc-id", "Values": [vpc_id]}]
            )

        return read

    def _prefix_list_cidrs(self, prefix_list_id: str) -> tuple[str, ...]:
        entries = self.ctx.paged(
            self.ec2, "GetManagedPrefixListEntries", "Entries", PrefixListId=prefix_list_id
        )
        return tuple(str(e["Cidr"]) for e in entries if e.get("Cidr"))

    def _tgw_routes(self, table_id: str) -> tuple[Candidate, ...]:
        response = self.ctx.call(
            self.ec2,
            "SearchTransitGatewayRoutes",
            TransitGatewayRouteTableId=table_id,
            Filters=[{"Name": "state", "Values": ["active", "blackhole"]}],
        )  # MaxResults left to AWS's default (1,000; moto 5.2.5 fails on it)
        return tuple(tgw_candidates(response.get("Routes", []), self.prefix_list_cidrs))

    def table_of(self, vpc_id: str, subnet_id: str) -> tuple[dict[str, Any] | None, str]:
        """The subnet's route table and how: explicit association, else the main table."""
        tables = self.tables(vpc_id)
        for table in tables:
            if any(a.get("SubnetId") == subnet_id for a in table.get("Associations", [])):
                return table, "explicitly associated"
        for table in tables:
            if any(a.get("Main") for a in table.get("Associations", [])):
                return table, "the VPC's main table (no explicit association)"
        return None, "no route table"

    def acl_of(self, vpc_id: str, subnet_id: str) -> dict[str, Any] | None:
        acls = self.acls(vpc_id)
        for acl in acls:
            if any(a.get("SubnetId") == subnet_id for a in acl.get("Associations", [])):
                return acl
        return next((a for a in acls if a.get("IsDefault")), None)


@dataclass(frozen=True)
class Workload:
    """A destination subnet and the network interfaces that receive the traffic in it."""

    subnet_id: str
    #: The address range the flow goes to: the target's address, else the subnet's CIDR.
    destination: IpNetwork
    interfaces: tuple[dict[str, Any], ...]


def _subnet_cidr(subnet: dict[str, Any], version: int) -> IpNetwork | None:
    if version == 4:
        return ipaddress.ip_network(subnet["CidrBlock"]) if subnet.get("CidrBlock") else None
    for association in subnet.get("Ipv6CidrBlockAssociationSet", []):
        if association.get("Ipv6CidrBlockState", {}).get("State", "associated") == "associated":
            return ipaddress.ip_network(association["Ipv6CidrBlock"])
    return None


def _address(interface: dict[str, Any], version: int) -> IpNetwork | None:
    if version == 4 and interface.get("PrivateIpAddress"):
        return ipaddress.ip_network(interface["PrivateIpAddress"])
    for address in interface.get("Ipv6Addresses", []):
        return ipaddress.ip_network(address["Ipv6Address"])
    return None


def _is_workload(interface: dict[str, Any]) -> bool:
    kind = str(interface.get("InterfaceType") or "")
    return kind in WORKLOAD_INTERFACE_TYPES and not interface.get("RequesterManaged")


def _matches_target(interface: dict[str, Any], target: str) -> bool:
    if target.startswith("eni-"):
        return interface.get("NetworkInterfaceId") == target
    if target.startswith("i-"):
        return (interface.get("Attachment") or {}).get("InstanceId") == target
    addresses = [p.get("PrivateIpAddress") for p in interface.get("PrivateIpAddresses", [])]
    addresses += [interface.get("PrivateIpAddress")]
    addresses += [a.get("Ipv6Address") for a in interface.get("Ipv6Addresses", [])]
    return target in addresses


def workloads(view: View, vpc_id: str, target: str | None, version: int) -> list[Workload]:
    """Destinations in one VPC: the target's, or every subnet holding workload interfaces
    (every subnet when the VPC has none)."""
    subnets = {s["SubnetId"]: s for s in view.subnets(vpc_id)}
    interfaces = [i for i in view.interfaces(vpc_id) if _is_workload(i)]
    if target:
        chosen = [i for i in interfaces if _matches_target(i, target)]
        if not chosen and not target.startswith(("eni-", "i-")):
            address = ipaddress.ip_address(target)
            return [
                Workload(sid, ipaddress.ip_network(address), ())
                for sid, s in subnets.items()
                if (cidr := _subnet_cidr(s, address.version)) and address in cidr
            ]
        found = []
        for interface in chosen:
            address_net = _address(interface, version)
            if address_net is not None:
                found.append(Workload(interface["SubnetId"], address_net, (interface,)))
        return found
    by_subnet: dict[str, list[dict[str, Any]]] = {}
    for interface in interfaces:
        by_subnet.setdefault(str(interface.get("SubnetId")), []).append(interface)
    chosen_subnets = list(by_subnet) if by_subnet else list(subnets)
    found = []
    for subnet_id in sorted(chosen_subnets):
        subnet = subnets.get(subnet_id)
        cidr = _subnet_cidr(subnet, version) if subnet else None
        if cidr is not None:
            found.append(Workload(subnet_id, cidr, tuple(by_subnet.get(subnet_id, ()))))
    return found


@dataclass(frozen=True)
class Scope:
    """One flow's fixed parts: the reads of the VPC's account, the VPC, the prefix, the protocol."""

    ctx: DoctorContext
    view: View
    vpc_id: str
    prefix: IpNetwork
    #: IANA protocol number (``6``), as network ACLs spell it.
    protocol: str
    #: The Transit Gateway VPC attachment's subnets (none for a VGW).
    attachment_subnets: tuple[str, ...] = ()


def _wanted_ports(ctx: DoctorContext) -> fl.Ports:
    if ctx.flow.protocol in ("tcp", "udp") and ctx.flow.port is not None:
        return fl.ports((ctx.flow.port, ctx.flow.port))
    return fl.ALL_PORTS


def _protocol(ctx: DoctorContext, version: int) -> str:
    name = ctx.flow.protocol
    if name == "icmp" and version == 6:
        name = "icmpv6"
    return fl.protocol_number(name)


# -- hops ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RouteWant:
    """What a route must do for the flow, and the codes that name each way it fails."""

    accept: Callable[[Candidate], bool]
    label: str
    component: str
    no_route: str = "NO_ROUTE_TO_DESTINATION"
    bad_state: str = "BAD_STATE_ROUTE"
    more_specific: str = "MORE_SPECIFIC_ROUTE"
    higher_priority: str = "HIGHER_PRIORITY_ROUTE"


def tgw_want(accept: Callable[[Candidate], bool], label: str) -> RouteWant:
    """A Transit Gateway route table's want, with Reachability Analyzer's TGW_RTB_* codes."""
    return RouteWant(
        accept, label, "tgw-route-table", bad_state="TGW_RTB_BAD_STATE_ROUTE",
        more_specific="TGW_RTB_MORE_SPECIFIC_ROUTE",
        higher_priority="TGW_RTB_HIGHER_PRIORITY_ROUTE",
    )  # fmt: skip


def route_hop(
    direction: str, table_id: str, where: str, *, candidates: Iterable[Candidate],
    destination: IpNetwork, want: RouteWant, action: str,
) -> tuple[Step, Selection]:  # fmt: skip
    """Judge the route a table uses for ``destination`` (and any more specific part of it)."""
    sel = select(candidates, destination)
    best = sel.best

    def fail(code: str, why: str) -> tuple[Step, Selection]:
        step = _hop(
            direction,
            want.component,
            table_id,
            Status.FAIL,
            f"{where}: {why}",
            code=code,
            action=action,
        )
        return step, sel

    if best is None:
        return fail(want.no_route, f"no route to {destination}; it must go to {want.label}")
    if not best.active:
        return fail(want.bad_state, f"the route {best.describe()} drops traffic to {destination}")
    if not best.target:
        detail = f"{where}: the route to {best.destination} names no target (none returned)"
        return _hop(direction, want.component, table_id, Status.UNKNOWN, detail), sel
    if not want.accept(best):
        if any(want.accept(c) for c in sel.shadowed):
            code, why = want.higher_priority, "a higher-priority route to the same destination"
        elif any(want.accept(c) for c in sel.broader):
            code, why = want.more_specific, "a more specific route"
        else:
            code, why = want.no_route, "no route"
        return fail(code, f"{destination} goes by {best.describe()} ({why}), not to {want.label}")
    lost = [c for c in sel.inner if not c.active or not want.accept(c)]
    if lost:
        parts = "; ".join(c.describe() for c in lost)
        code = want.bad_state if any(not c.active for c in lost) else want.more_specific
        return fail(code, f"part of {destination} does not go to {want.label}: {parts}")
    return _hop(
        direction, want.component, table_id, Status.PASS, f"{where}: {best.describe()}"
    ), sel


@dataclass(frozen=True)
class AclCheck:
    """One network ACL evaluation: whose subnet, which direction, against which address."""

    direction: str
    subnet_id: str
    #: The address the rules are evaluated against (AWS: outbound rules use the destination,
    #: inbound rules the source).
    peer: IpNetwork
    egress: bool
    wanted: fl.Ports
    #: True: every wanted port must pass (return traffic); False: some port must.
    every_port: bool
    #: For people: "of the workload subnet", "of the Transit Gateway subnet".
    role: str


def _acl_hop(scope: Scope, check: AclCheck) -> tuple[Step, fl.Ports]:
    """A network ACL hop and the ports it lets through."""
    acl = scope.view.acl_of(scope.vpc_id, check.subnet_id)
    way = "outbound" if check.egress else "inbound"
    if acl is None:
        detail = f"no network ACL found for {check.subnet_id}"
        return _hop(check.direction, "network-acl", check.subnet_id, Status.UNKNOWN, detail), (
            check.wanted
        )
    decision = fl.acl_decision(acl, check.peer, scope.protocol, check.wanted, egress=check.egress)
    allowed = fl.intersect(decision.allowed, check.wanted)
    missing = fl.subtract(check.wanted, decision.allowed)
    acl_id = decision.acl_id
    where = f"{acl_id} ({way}, {check.role} {check.subnet_id}, {check.peer})"
    if missing if check.every_port else not allowed:
        denied = f"{scope.ctx.flow.protocol} {fl.show(missing)}"
        detail = f"{where} denies {denied}: {decision.reason(check.wanted)}"
        action = (
            f"allow {way} {scope.ctx.flow.protocol} {fl.show(check.wanted)} for {check.peer} in "
            f"{acl_id}, numbered below the deny"
        )
        step = _hop(check.direction, "network-acl", acl_id, Status.FAIL, detail,
                    code="SUBNET_ACL_RESTRICTION", action=action)  # fmt: skip
        return step, allowed
    detail = f"{where} allows {fl.show(allowed)}"
    return _hop(check.direction, "network-acl", acl_id, Status.PASS, detail), allowed


def _groups(scope: Scope, w: Workload, acl_ports: fl.Ports) -> list[Step]:
    if not w.interfaces:
        detail = (
            f"no workload network interface in {w.subnet_id}: security groups apply to "
            "interfaces, none receives the traffic yet (pass --target to name one)"
        )
        return [_hop("to-aws", "security-group", w.subnet_id, Status.UNKNOWN, detail)]
    by_id = {g["GroupId"]: g for g in scope.view.groups(scope.vpc_id)}
    wanted = _wanted_ports(scope.ctx)
    steps = []
    for interface in w.interfaces:
        eni = str(interface.get("NetworkInterfaceId"))
        groups = [by_id[g["GroupId"]] for g in interface.get("Groups", []) if g["GroupId"] in by_id]
        decision = fl.groups_admit(
            groups, scope.prefix, scope.protocol, scope.view.prefix_list_cidrs
        )
        admitted = fl.intersect(decision.allowed, wanted)
        through = fl.intersect(admitted, acl_ports)
        names = ", ".join(decision.group_ids) or "no group"
        if through:
            detail = f"{eni} ({names}) admits {fl.show(through)} from {scope.prefix}"
            steps.append(_hop("to-aws", "security-group", eni, Status.PASS, detail))
            continue
        no_rules = all(not g.get("IpPermissions") for g in groups)
        code = "SG_HAS_NO_RULES" if no_rules else "ENI_SG_RULES_MISMATCH"
        if admitted:
            why = (
                f"its groups ({names}) admit {fl.show(admitted)} but the network ACL admits "
                f"{fl.show(acl_ports)}: no port gets through both"
            )
        else:
            why = f"no inbound rule of {names} admits {scope.ctx.flow.label()} from {scope.prefix}"
        notes = "; ".join(decision.notes)
        detail = f"{eni}: {why}" + (f" ({notes})" if notes else "")
        action = (
            f"add an inbound rule for {scope.prefix} ({scope.ctx.flow.label()}) to a group of {eni}"
        )
        steps.append(
            _hop("to-aws", "security-group", eni, Status.FAIL, detail, code=code, action=action)
        )
    return steps


# -- flows --------------------------------------------------------------------------------------


def _result(title: str, steps: list[Step], extra: str = "") -> CheckResult:
    hops = tuple(s.hop for s in steps)
    order = (Status.FAIL, Status.UNKNOWN, Status.WARN)
    status = next((s for s in order if any(h.status is s for h in hops)), Status.PASS)
    deciding = [s for s in steps if s.hop.status is status] if status is not Status.PASS else []
    if deciding:
        detail = "; ".join(
            f"{s.hop.code + ': ' if s.hop.code else ''}{s.hop.detail}" for s in deciding
        )
        action = next((s.action for s in deciding if s.action), "")
        code = deciding[0].hop.code
        rule = PAGES.get(deciding[0].hop.component, "")
    else:
        detail = " -> ".join(h.detail for h in hops)
        action, code, rule = "", "", ""
    if extra:
        detail = f"{detail}; {extra}" if detail else extra
    return CheckResult(CHECK, title, status, detail, action, code=code, rule=rule, hops=hops)


def _title(ctx: DoctorContext, prefix: IpNetwork, vpc_id: str) -> str:
    return f"{prefix} <-> {vpc_id} ({ctx.flow.label()})"


def _vpc_steps(
    scope: Scope, gateway: str, into_vpc: Callable[[Workload], Step | None]
) -> list[Step] | str:
    """The VPC-side hops for every workload; a string when there is nothing to judge."""
    ctx, view, vpc_id, prefix = scope.ctx, scope.view, scope.vpc_id, scope.prefix
    found = workloads(view, vpc_id, ctx.flow.target, prefix.version)
    if not found:
        if ctx.flow.target:
            return f"the target {ctx.flow.target} is not in {vpc_id}"
        return f"no subnet of {vpc_id} has an IPv{prefix.version} CIDR"
    want = RouteWant(lambda c: c.target == gateway and c.active, gateway, "route-table")
    wanted = _wanted_ports(ctx)
    back_ports = fl.ports(ctx.flow.return_ports) if scope.protocol in fl.PORTED else fl.ALL_PORTS
    steps: list[Step] = []
    for w in found:
        first = into_vpc(w)
        if first is not None:
            steps.append(first)
        hub_subnet = attachment_subnet(scope, w)
        same = hub_subnet == w.subnet_id
        ports = wanted
        if hub_subnet and not same:
            check = AclCheck("to-aws", hub_subnet, w.destination, True, wanted, False,
                             "the Transit Gateway subnet")  # fmt: skip
            step, ports = _acl_hop(scope, check)
            steps.append(step)
        if same:
            detail = (
                f"{w.subnet_id} holds the Transit Gateway attachment: its network ACL is not "
                "evaluated for traffic from the Transit Gateway to its instances"
            )
            steps.append(_hop("to-aws", "network-acl", w.subnet_id, Status.PASS, detail))
        else:
            check = AclCheck("to-aws", w.subnet_id, prefix, False, ports, False,
                             "the workload subnet")  # fmt: skip
            step, inbound = _acl_hop(scope, check)
            steps.append(step)
            ports = fl.intersect(ports, inbound)
        steps.extend(_groups(scope, w, ports))
        table, how = view.table_of(vpc_id, w.subnet_id)
        if table is None:
            steps.append(_hop("back", "route-table", w.subnet_id, Status.FAIL, "no route table",
                              code="NO_ROUTE_TO_DESTINATION"))  # fmt: skip
        else:
            table_id = table["RouteTableId"]
            action = f"in {table_id} ({how} of {w.subnet_id}) route {prefix} to {gateway}"
            candidates = vpc_candidates(table, view.prefix_list_cidrs)
            candidates += _propagated_static_routes(ctx, table, gateway, candidates)
            step, _ = route_hop(
                "back", table_id, f"{table_id} ({how} of {w.subnet_id})",
                candidates=candidates, destination=prefix, want=want, action=action,
            )  # fmt: skip
            steps.append(step)
        steps.append(_acl_hop(scope, AclCheck("back", w.subnet_id, prefix, True, back_ports,
                                              True, "the workload subnet"))[0])  # fmt: skip
        if hub_subnet:
            role = (
                "the workload subnet, which holds the Transit Gateway attachment"
                if same
                else ("the Transit Gateway subnet")
            )
            steps.append(_acl_hop(scope, AclCheck("back", hub_subnet, w.destination, False,
                                                  back_ports, True, role))[0])  # fmt: skip
    return steps


def attachment_subnet(scope: Scope, w: Workload) -> str | None:
    """The Transit Gateway attachment's subnet in the workload's Availability Zone (its network
    ACL applies as "Network ACLs for transit gateways" says); None for a VGW or unknown."""
    subnets = scope.attachment_subnets
    if not subnets:
        return None
    if w.subnet_id in subnets:
        return w.subnet_id
    zones = {s["SubnetId"]: s.get("AvailabilityZone") for s in scope.view.subnets(scope.vpc_id)}
    return next((s for s in subnets if zones.get(s) == zones.get(w.subnet_id)), subnets[0])


def _propagated_static_routes(
    ctx: DoctorContext, table: dict[str, Any], gateway: str, listed: list[Candidate]
) -> list[Candidate]:
    """A table propagating the VGW carries the VPN's static routes as propagated routes (Site-to-
    Site VPN "Route tables and VPN route priority"); added when a response leaves them out."""
    if not any(v.get("GatewayId") == gateway for v in table.get("PropagatingVgws", [])):
        return []
    shown = {c.destination for c in listed if c.target == gateway}
    return [
        Candidate(network, 2, gateway, "propagated (the VPN's static route)", True)
        for network in map(ipaddress.ip_network, ctx.static_routes)
        if network not in shown
    ]


def _cross_account(ctx: DoctorContext, vpc_id: str, reason: str, account: str) -> Step:
    detail = (
        f"{vpc_id} is {reason}: DescribeRouteTables, DescribeNetworkAcls and "
        "DescribeSecurityGroups return only the caller's resources, so its subnets' routes, "
        "network ACLs and security groups cannot be read"
    )
    action = ROLE_NEXT_STEP.format(account=account)
    return _hop("to-aws", "account", vpc_id, Status.UNKNOWN, detail, code="UNKNOWN_RESOURCE",
                action=action)  # fmt: skip


def _tgw_paths(ctx: DoctorContext, prefixes: list[IpNetwork]) -> list[CheckResult]:
    attachment = ctx.vpn_attachment
    if attachment is None:
        return [unknown(CHECK, TITLE, "the VPN has no Transit Gateway attachment")]
    tgw = str(ctx.transit_gateway_id)
    hub = View(ctx, ctx.ec2)
    vpn_attachment = attachment["TransitGatewayAttachmentId"]
    vpn_table = _associated(attachment)
    results: list[CheckResult] = []
    if not ctx.vpc_attachments:
        return [unknown(CHECK, TITLE, f"no VPC is attached to {tgw}")]
    for vpc_attachment in ctx.vpc_attachments:
        vpc_id = str(vpc_attachment.get("ResourceId"))
        vpc_attachment_id = vpc_attachment["TransitGatewayAttachmentId"]
        vpc_table = _associated(vpc_attachment)
        owner = vpc_attachment.get("ResourceOwnerId")
        client, why = ctx.ec2_for(owner)
        state = vpc_attachment.get("State", "available")
        if state != "available":
            step = _hop(
                "to-aws", "tgw-attachment", vpc_attachment_id, Status.FAIL,
                f"the VPC attachment {vpc_attachment_id} of {vpc_id} is {state}",
                code="BAD_STATE_ATTACHMENT",
                action=f"make {vpc_attachment_id} available (accept it if pending acceptance)",
            )  # fmt: skip
            results.extend(_result(_title(ctx, p, vpc_id), [step]) for p in prefixes)
            continue
        into = tgw_want(
            lambda c, a=vpc_attachment_id: c.target == a and c.active,  # type: ignore[misc]
            f"{vpc_attachment_id} ({vpc_id})",
        )
        for prefix in prefixes:

            def tgw_in(w: Workload, into: RouteWant = into, vpc_id: str = vpc_id) -> Step:
                if vpn_table is None:
                    return _unassociated("to-aws", vpn_attachment, "the VPN attachment")
                action = (
                    f"in {vpn_table} (the table the VPN attachment is associated with) route "
                    f"{w.destination} to {into.label}: propagate the VPC attachment or add a "
                    "static route. A BGP VPN also advertises this table's routes on-premises"
                )
                where = f"{vpn_table} (associated with the VPN attachment {vpn_attachment})"
                step, _ = route_hop(
                    "to-aws", vpn_table, where, candidates=hub.tgw_routes(vpn_table),
                    destination=w.destination, want=into, action=action,
                )  # fmt: skip
                return step

            if client is None:
                steps = [_cross_account(ctx, vpc_id, why, str(owner))]
                if vpn_table is not None:
                    steps.append(_spoke_routes(hub, vpn_table, vpn_attachment, into))
            else:
                scope = Scope(
                    ctx, View(ctx, client), vpc_id, prefix, _protocol(ctx, prefix.version),
                    tuple(
                        vpc_attachment.get("SubnetIds")
                        or hub.attachment_subnets(vpc_attachment_id)
                    ),
                )  # fmt: skip
                found = _vpc_steps(scope, tgw, tgw_in)
                if isinstance(found, str):
                    if ctx.flow.target:
                        continue
                    results.append(unknown(CHECK, _title(ctx, prefix, vpc_id), found))
                    continue
                steps = found
            steps.append(_tgw_back(hub, vpc_table, vpc_attachment_id, vpn_attachment, prefix))
            results.append(_result(_title(ctx, prefix, vpc_id), steps))
    if not results and ctx.flow.target:
        return [unknown(CHECK, TITLE, f"the target {ctx.flow.target} is in no VPC attached "
                                      f"to {tgw} that this account can read")]  # fmt: skip
    return results


def _spoke_routes(hub: View, vpn_table: str, vpn_attachment: str, into: RouteWant) -> Step:
    """For a VPC the doctor cannot read: does the VPN's table route anything to its attachment?"""
    routes = [c for c in hub.tgw_routes(vpn_table) if into.accept(c)]
    where = f"{vpn_table} (associated with the VPN attachment {vpn_attachment})"
    if routes:
        detail = f"{where}: " + "; ".join(c.describe() for c in routes)
        return _hop("to-aws", "tgw-route-table", vpn_table, Status.PASS, detail)
    detail = f"{where}: no route to {into.label}"
    action = f"in {vpn_table} route the VPC's CIDRs to {into.label} (propagate its attachment)"
    return _hop("to-aws", "tgw-route-table", vpn_table, Status.FAIL, detail,
                code="NO_ROUTE_TO_DESTINATION", action=action)  # fmt: skip


def _associated(attachment: dict[str, Any]) -> str | None:
    association = attachment.get("Association") or {}
    if association.get("State") != "associated":
        return None
    table = association.get("TransitGatewayRouteTableId")
    return str(table) if table else None


def _unassociated(direction: str, attachment: str, what: str) -> Step:
    return _hop(
        direction, "tgw-attachment", attachment, Status.FAIL,
        f"{what} {attachment} is associated with no Transit Gateway route table: nothing routes "
        "the traffic it brings", code="TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION",
        action=f"associate {attachment} with a Transit Gateway route table",
    )  # fmt: skip


def _tgw_back(hub: View, vpc_table: str | None, vpc_attachment: str, vpn_attachment: str,
              prefix: IpNetwork) -> Step:  # fmt: skip
    """The VPC attachment's table must send the prefix to the VPN (or Direct Connect wins)."""
    if vpc_table is None:
        return _unassociated("back", vpc_attachment, "the VPC attachment")

    def to_vpn(c: Candidate) -> bool:
        return c.active and c.target == vpn_attachment

    def accept(c: Candidate) -> bool:
        return to_vpn(c) or (c.active and c.resource_type == "direct-connect-gateway")

    want = tgw_want(accept, f"the VPN attachment {vpn_attachment}")
    action = (
        f"in {vpc_table} (the table the VPC attachment is associated with) route {prefix} to "
        f"{vpn_attachment}: propagate the VPN attachment (BGP) or add a static route"
    )
    where = f"{vpc_table} (associated with the VPC attachment {vpc_attachment})"
    step, sel = route_hop(
        "back",
        vpc_table,
        where,
        candidates=hub.tgw_routes(vpc_table),
        destination=prefix,
        want=want,
        action=action,
    )
    best = sel.best
    if step.hop.status is not Status.PASS or best is None:
        return step
    direct = [
        c for c in (*sel.shadowed, *sel.broader) if c.resource_type == "direct-connect-gateway"
    ]
    if best.resource_type == "direct-connect-gateway":
        detail = (
            f"{where}: AWS returns {prefix} over Direct Connect ({best.describe()}); the "
            "Transit Gateway ranks Direct Connect-propagated routes above VPN-propagated ones, "
            "so the VPN carries it only if Direct Connect withdraws it"
        )
        return _hop("back", "tgw-route-table", vpc_table, Status.PASS, detail)
    if direct and best.origin == "static":
        detail = (
            f"{where}: the static route {best.describe()} takes {prefix} off Direct Connect "
            f"({', '.join(c.describe() for c in direct)}): static routes (and longer prefixes) "
            "win, so traffic leaves over the VPN while Direct Connect is up"
        )
        action = (
            f"if Direct Connect should carry {prefix}, delete the static route to "
            f"{vpn_attachment} in {vpc_table} and let the VPN propagate it as a backup"
        )
        return _hop("back", "tgw-route-table", vpc_table, Status.WARN, detail,
                    code="TGW_RTB_HIGHER_PRIORITY_ROUTE", action=action)  # fmt: skip
    return step


def _vgw_paths(ctx: DoctorContext, prefixes: list[IpNetwork]) -> list[CheckResult]:
    vgw = str(ctx.vpn_gateway_id)
    view = View(ctx, ctx.ec2)
    if not ctx.vgw_vpc_ids:
        return [unknown(CHECK, TITLE, f"no VPC is attached to {vgw}")]
    results = []
    for vpc_id in ctx.vgw_vpc_ids:
        for prefix in prefixes:
            title = _title(ctx, prefix, vpc_id)
            if prefix.version == 6:
                step = _hop("to-aws", "vpn-gateway", vgw, Status.FAIL,
                            f"{vgw} is a virtual private gateway, which does not support IPv6 "
                            "traffic", code="PROTOCOL_RESTRICTION",
                            action="carry IPv6 over a Transit Gateway VPN")  # fmt: skip
                results.append(_result(title, [step]))
                continue

            def vgw_in(w: Workload, vpc_id: str = vpc_id) -> Step:
                detail = f"{vgw} is attached to {vpc_id} and delivers to {w.destination}"
                return _hop("to-aws", "vpn-gateway", vgw, Status.PASS, detail)

            scope = Scope(ctx, view, vpc_id, prefix, _protocol(ctx, prefix.version))
            found = _vpc_steps(scope, vgw, vgw_in)
            if isinstance(found, str):
                if not ctx.flow.target:
                    results.append(unknown(CHECK, title, found))
                continue
            results.append(_result(title, found))
    return results or [unknown(CHECK, TITLE, f"the target {ctx.flow.target} is not behind {vgw}")]


# -- on-premises prefixes -----------------------------------------------------------------------


def _learn_tgw(ctx: DoctorContext) -> None:
    attachment = ctx.vpn_attachment
    if attachment is None or not ctx.transit_gateway_id:
        return
    hub = View(ctx, ctx.ec2)
    tables = ctx.paged(
        ctx.ec2, "DescribeTransitGatewayRouteTables", "TransitGatewayRouteTables",
        Filters=[{"Name": "transit-gateway-id", "Values": [ctx.transit_gateway_id]}],
    )  # fmt: skip
    for table in tables:
        for c in hub.tgw_routes(table["TransitGatewayRouteTableId"]):
            if c.target == attachment["TransitGatewayAttachmentId"]:
                ctx.learned_prefixes.add(str(c.destination))


def _learn_vgw(ctx: DoctorContext) -> None:
    view = View(ctx, ctx.ec2)
    for vpc_id in ctx.vgw_vpc_ids:
        for table in view.tables(vpc_id):
            for c in vpc_candidates(table, view.prefix_list_cidrs):
                if c.target == ctx.vpn_gateway_id:
                    ctx.learned_prefixes.add(str(c.destination))


def check_paths(ctx: DoctorContext) -> list[CheckResult]:
    if not ctx.given_prefixes and not ctx.static_routes:
        if ctx.transit_gateway_id:
            _learn_tgw(ctx)
        elif ctx.vpn_gateway_id:
            _learn_vgw(ctx)
    prefixes = ctx.onprem_prefixes()
    if not prefixes:
        return [
            unknown(
                CHECK, TITLE,
                "no on-premises prefix known (no static route, none learned over BGP)",
                "pass --onprem-prefix CIDR, or make the device advertise its networks",
            )
        ]  # fmt: skip
    if ctx.transit_gateway_id:
        return _tgw_paths(ctx, prefixes)
    if ctx.vpn_gateway_id:
        return _vgw_paths(ctx, prefixes)
    return [unknown(CHECK, TITLE, "the VPN has neither a Transit Gateway nor a virtual private "
                                  "gateway (a Cloud WAN VPN is not modelled)")]  # fmt: skip
