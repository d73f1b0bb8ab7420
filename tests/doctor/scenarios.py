"""The doctor's scenario corpus: networks on moto's server, each with the verdict AWS's rule gives.

Every scenario starts from a healthy network and changes one thing; the AWS page named by
``page`` states the rule that decides its verdict. Moto is a tool, not an oracle: where it lacks
what the doctor reads, its backend objects are patched in this process (the server runs in a
thread of it) to look as AWS describes them:

- Transit Gateway routes: moto creates no propagated routes and drops the attachment of a static
  one from SearchTransitGatewayRoutes; routes are written into the route table's backend object
  in the shape of EC2 API Reference "TransitGatewayRoute" (Type static | propagated, State
  active | blackhole, TransitGatewayAttachments[].ResourceType vpc | vpn | direct-connect-gateway).
- Attachment associations: moto associates every attachment with the default table; the
  attachment's backend object is pointed at the table the scenario associates it with.
- VPC routes: moto reports every route ``Origin: CreateRoute`` and ``State: active``; a route's
  backend object gets ``EnableVgwRoutePropagation`` (VGW route propagation) or ``blackhole``.
- Cross-account: a spoke VPC is created with an assumed role's credentials (moto keeps one
  backend per account) and its attachment's ``ResourceOwnerId`` is set to the spoke account.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3
from moto.backends import get_backend
from moto.ec2.models.route_tables import Route

HUB = "123456789012"
SPOKE = "222222222222"
REGION = "us-east-1"
ONPREM = "10.30.0.0/16"
ONPREM6 = "2001:db8:30::/48"
SPOKE_ROLE = f"arn:aws:iam::{SPOKE}:role/S2sVpnDoctorReadOnly"

# -- AWS pages whose rules decide the verdicts ----------------------------------------------------
TGW_ROUTING = "https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html"
TGW_NACLS = "https://docs.aws.amazon.com/vpc/latest/tgw/tgw-nacls.html"
TGW_TABLES = "https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html"
VPC_PRIORITY = "https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html"
SUBNET_TABLES = "https://docs.aws.amazon.com/vpc/latest/userguide/subnet-route-tables.html"
NACL_RULES = "https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html"
NACL_EPHEMERAL = (
    "https://docs.aws.amazon.com/vpc/latest/userguide/custom-network-acl.html#nacl-ephemeral-ports"
)
SG_RULES = "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html"
PREFIX_LISTS = "https://docs.aws.amazon.com/vpc/latest/userguide/managed-prefix-lists.html"
VPN_PRIORITY = "https://docs.aws.amazon.com/vpn/latest/s2svpn/vpn-route-priority.html"
RAM_TGW = "https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-share.html"
RA_CODES = "https://docs.aws.amazon.com/vpc/latest/reachability/explanation-codes.html"


def _override(name: str) -> property:
    """Let one moto Route object report a value AWS would (propagated origin, blackhole)."""
    original = getattr(Route, name)

    def get(self: Route) -> Any:
        return self.__dict__.get(f"_aws_{name}") or original.fget(self)

    return property(get)


Route.origin = _override("origin")  # type: ignore[method-assign,assignment]
Route.state = _override("state")  # type: ignore[method-assign,assignment]


def client(url: str, service: str, **credentials: str) -> Any:
    keys = credentials or {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    return boto3.client(service, region_name=REGION, endpoint_url=url, **keys)


class _Associated(str):
    """moto 5.2.5 serializes a subnet's IPv6 association state as the repr of a dict; AWS says
    ``Ipv6CidrBlockState.State: associated`` (EC2 API Reference "SubnetIpv6CidrBlockAssociation").
    A string that still answers moto's own ``["State"]`` lookup."""

    def __getitem__(self, key: Any) -> str:
        return str(self) if key == "State" else str.__getitem__(self, key)


@dataclass
class Net:
    """One network on the server, and the handles the scenario mutations use."""

    url: str
    ec2: Any
    vpc: str = ""
    subnet: str = ""
    #: The Transit Gateway attachment's own subnet (AWS recommends a dedicated one per zone).
    tgw_subnet: str = ""
    sg: str = ""
    eni: str = ""
    main_table: str = ""
    tgw: str = ""
    vgw: str = ""
    vpn: str = ""
    vpn_attachment: str = ""
    vpc_attachment: str = ""
    vpn_table: str = ""
    vpc_table: str = ""
    account: str = HUB
    spoke_ec2: Any = None

    @property
    def backend(self) -> Any:
        return get_backend("ec2")[HUB][REGION]

    def static_vpn(self, prefix: str) -> None:
        """moto keeps neither Options nor Routes of a VPN: set them as DescribeVpnConnections
        returns them (EC2 API Reference "VpnConnection": Options.StaticRoutesOnly, Routes[])."""
        vpn = self.backend.vpn_connections[self.vpn]
        vpn.options = {"staticRoutesOnly": True}
        vpn.routes = [{"destinationCidrBlock": prefix, "source": "Static", "state": "available"}]

    def vpc_backend(self) -> Any:
        return get_backend("ec2")[self.account][REGION]

    @property
    def owner_ec2(self) -> Any:
        """The client of the account that owns the VPC."""
        return self.spoke_ec2 or self.ec2

    # -- patches of moto's state, each shaped like AWS's API reference ------------------------

    def tgw_route(self, table: str, cidr: str, attachment: str | None = None, *,
                  kind: str = "static", resource_type: str = "vpc", resource_id: str = "",
                  state: str = "active") -> None:  # fmt: skip
        route: dict[str, Any] = {"destinationCidrBlock": cidr, "state": state, "type": kind}
        if attachment:
            route["transitGatewayAttachments"] = [
                {
                    "resourceId": resource_id or attachment,
                    "resourceType": resource_type,
                    "transitGatewayAttachmentId": attachment,
                }
            ]
        # moto keys routes by destination; AWS may hold several for one (static, propagated)
        self.backend.transit_gateways_route_tables[table].routes[f"{cidr} {attachment}"] = route

    def drop_tgw_route(self, table: str, cidr: str) -> None:
        routes = self.backend.transit_gateways_route_tables[table].routes
        for key in [k for k, r in routes.items() if r["destinationCidrBlock"] == cidr]:
            del routes[key]

    def associate(self, attachment: str, table: str | None) -> None:
        backend = self.backend
        chosen = backend.transit_gateways_route_tables[table] if table else None
        backend.transit_gateway_attachments[attachment].transit_gateway_route_table = chosen

    def vpc_route(self, table: str, cidr: str, *, origin: str = "", state: str = "",
                  **target: str) -> None:  # fmt: skip
        ec2 = self.owner_ec2
        key = "DestinationIpv6CidrBlock" if ":" in cidr else "DestinationCidrBlock"
        ec2.create_route(RouteTableId=table, **{key: cidr}, **target)
        route = next(
            r
            for r in self.vpc_backend().route_tables[table].routes
            if cidr in (r.destination_cidr_block, r.destination_ipv6_cidr_block)
        )
        route.__dict__["_aws_origin"] = origin
        route.__dict__["_aws_state"] = state
        if self.spoke_ec2 and target.get("TransitGatewayId"):
            # a Transit Gateway shared through RAM: the spoke's backend does not know it
            route.transit_gateway = self.backend.transit_gateways[target["TransitGatewayId"]]

    def drop_vpc_route(self, table: str, cidr: str) -> None:
        self.owner_ec2.delete_route(RouteTableId=table, DestinationCidrBlock=cidr)

    def table(self, *subnets: str, cidr: str | None = None) -> str:
        """A new route table, associated with ``subnets``, routing ``cidr`` to the gateway."""
        ec2 = self.owner_ec2
        table = ec2.create_route_table(VpcId=self.vpc)["RouteTable"]["RouteTableId"]
        for subnet in subnets:
            ec2.associate_route_table(RouteTableId=table, SubnetId=subnet)
        if cidr:
            self.vpc_route(table, cidr, **self.gateway_target())
        return str(table)

    def gateway_target(self) -> dict[str, str]:
        return {"TransitGatewayId": self.tgw} if self.tgw else {"GatewayId": self.vgw}

    def acl(
        self, subnet: str, *entries: tuple[int, str, str, bool, str, tuple[int, int] | None]
    ) -> str:
        """A custom network ACL on the subnet: (number, protocol, action, egress, cidr, ports)."""
        ec2 = self.owner_ec2
        acl = ec2.create_network_acl(VpcId=self.vpc)["NetworkAcl"]["NetworkAclId"]
        for number, protocol, action, egress, cidr, ports in entries:
            extra: dict[str, Any] = (
                {"PortRange": {"From": ports[0], "To": ports[1]}} if ports else {}
            )
            key = "Ipv6CidrBlock" if ":" in cidr else "CidrBlock"
            ec2.create_network_acl_entry(
                NetworkAclId=acl, RuleNumber=number, Protocol=protocol, RuleAction=action,
                Egress=egress, **{key: cidr}, **extra,
            )  # fmt: skip
        current = ec2.describe_network_acls(
            Filters=[{"Name": "association.subnet-id", "Values": [subnet]}]
        )["NetworkAcls"][0]
        association = next(
            a["NetworkAclAssociationId"] for a in current["Associations"] if a["SubnetId"] == subnet
        )
        ec2.replace_network_acl_association(AssociationId=association, NetworkAclId=acl)
        return str(acl)

    def group(self, *permissions: dict[str, Any]) -> str:
        ec2 = self.owner_ec2
        name = f"g{len(ec2.describe_security_groups()['SecurityGroups'])}"
        group = ec2.create_security_group(GroupName=name, Description=name, VpcId=self.vpc)[
            "GroupId"
        ]
        if permissions:
            ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=list(permissions))
        return str(group)

    def interface(self, subnet: str, *groups: str) -> str:
        eni = self.owner_ec2.create_network_interface(SubnetId=subnet, Groups=list(groups))
        return str(eni["NetworkInterface"]["NetworkInterfaceId"])

    def subnet_in(self, cidr: str) -> str:
        subnet = self.owner_ec2.create_subnet(
            VpcId=self.vpc, CidrBlock=cidr, AvailabilityZone=f"{REGION}a"
        )
        return str(subnet["Subnet"]["SubnetId"])


def tcp(cidr: str = ONPREM, ports: tuple[int, int] = (443, 443)) -> dict[str, Any]:
    key, item = ("Ipv6Ranges", "CidrIpv6") if ":" in cidr else ("IpRanges", "CidrIp")
    return {"IpProtocol": "tcp", "FromPort": ports[0], "ToPort": ports[1], key: [{item: cidr}]}


def _workload(net: Net, subnet_cidr: str, prefix: str) -> None:
    ec2 = net.owner_ec2
    net.subnet = net.subnet_in(subnet_cidr)
    net.sg = net.group(tcp(prefix))
    net.eni = net.interface(net.subnet, net.sg)
    net.main_table = ec2.describe_route_tables(
        Filters=[
            {"Name": "vpc-id", "Values": [net.vpc]},
            {"Name": "association.main", "Values": ["true"]},
        ]
    )["RouteTables"][0]["RouteTableId"]


def build_tgw(
    url: str, *, bgp: bool = False, spoke: bool = False, ipv6: bool = False,
    shared_subnet: bool = False,
) -> Net:  # fmt: skip
    """Healthy: a VPC behind a Transit Gateway, separate tables for the VPN and VPC attachments,
    the attachment in its own subnet (or, ``shared_subnet``, in the workload's)."""
    ec2 = client(url, "ec2")
    net = Net(url=url, ec2=ec2)
    if spoke:
        sts = client(url, "sts")
        creds = sts.assume_role(RoleArn=SPOKE_ROLE, RoleSessionName="scenario")["Credentials"]
        net.spoke_ec2 = client(
            url, "ec2", aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"], aws_session_token=creds["SessionToken"],
        )  # fmt: skip
        net.account = SPOKE
    owner = net.owner_ec2
    net.vpc = owner.create_vpc(CidrBlock="10.0.0.0/16", AmazonProvidedIpv6CidrBlock=ipv6)["Vpc"][
        "VpcId"
    ]
    prefix = ONPREM6 if ipv6 else ONPREM
    _workload(net, "10.0.1.0/24", prefix)
    net.tgw_subnet = net.subnet if shared_subnet else net.subnet_in("10.0.0.0/28")
    net.tgw = ec2.create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
    net.vpc_attachment = ec2.create_transit_gateway_vpc_attachment(
        TransitGatewayId=net.tgw, VpcId=net.vpc, SubnetIds=[net.tgw_subnet]
    )["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
    cgw = ec2.create_customer_gateway(Type="ipsec.1", PublicIp="203.0.113.10", BgpAsn=65010)[
        "CustomerGateway"
    ]["CustomerGatewayId"]
    net.vpn = ec2.create_vpn_connection(
        Type="ipsec.1", CustomerGatewayId=cgw, TransitGatewayId=net.tgw
    )["VpnConnection"]["VpnConnectionId"]
    net.vpn_attachment = ec2.describe_transit_gateway_attachments(
        Filters=[{"Name": "resource-id", "Values": [net.vpn]}]
    )["TransitGatewayAttachments"][0]["TransitGatewayAttachmentId"]
    new_table = ec2.create_transit_gateway_route_table
    net.vpn_table = new_table(TransitGatewayId=net.tgw)["TransitGatewayRouteTable"][
        "TransitGatewayRouteTableId"
    ]
    net.vpc_table = new_table(TransitGatewayId=net.tgw)["TransitGatewayRouteTable"][
        "TransitGatewayRouteTableId"
    ]
    net.associate(net.vpn_attachment, net.vpn_table)
    net.associate(net.vpc_attachment, net.vpc_table)
    vpc_cidrs = ["10.0.0.0/16"]
    if ipv6:
        vpc = owner.describe_vpcs(VpcIds=[net.vpc])["Vpcs"][0]
        vpc6 = vpc["Ipv6CidrBlockAssociationSet"][0]["Ipv6CidrBlock"]
        subnet6 = vpc6.replace("/56", "/64")
        owner.associate_subnet_cidr_block(SubnetId=net.subnet, Ipv6CidrBlock=subnet6)
        subnet = net.vpc_backend().get_subnet(net.subnet)
        for association in subnet.ipv6_cidr_block_associations.values():
            association["ipv6CidrBlockState"] = _Associated("associated")
        vpc_cidrs.append(vpc6)
        default_acl = owner.describe_network_acls(
            Filters=[
                {"Name": "vpc-id", "Values": [net.vpc]},
                {"Name": "default", "Values": ["true"]},
            ]
        )["NetworkAcls"][0]["NetworkAclId"]
        for egress in (False, True):
            owner.create_network_acl_entry(
                NetworkAclId=default_acl, RuleNumber=101, Protocol="-1", RuleAction="allow",
                Egress=egress, Ipv6CidrBlock="::/0",
            )  # fmt: skip
    for cidr in vpc_cidrs:
        net.tgw_route(
            net.vpn_table, cidr, net.vpc_attachment, kind="propagated", resource_id=net.vpc
        )
    net.tgw_route(
        net.vpc_table, prefix, net.vpn_attachment, kind="propagated" if bgp else "static",
        resource_type="vpn", resource_id=net.vpn,
    )  # fmt: skip
    if not bgp:
        net.static_vpn(prefix)
    if spoke:
        net.backend.transit_gateway_attachments[net.vpc_attachment].resource_owner_id = SPOKE
    net.vpc_route(net.main_table, prefix, TransitGatewayId=net.tgw)
    return net


def build_vgw(url: str, *, propagated: bool = False) -> Net:
    """Healthy: a VPC with a virtual private gateway; the main table routes the prefix to it."""
    ec2 = client(url, "ec2")
    net = Net(url=url, ec2=ec2)
    net.vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    _workload(net, "10.0.1.0/24", ONPREM)
    net.vgw = ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]
    ec2.attach_vpn_gateway(VpnGatewayId=net.vgw, VpcId=net.vpc)
    cgw = ec2.create_customer_gateway(Type="ipsec.1", PublicIp="203.0.113.20", BgpAsn=65020)[
        "CustomerGateway"
    ]["CustomerGatewayId"]
    net.vpn = ec2.create_vpn_connection(
        Type="ipsec.1", CustomerGatewayId=cgw, VpnGatewayId=net.vgw
    )["VpnConnection"]["VpnConnectionId"]
    if not propagated:
        net.static_vpn(ONPREM)
    origin = "EnableVgwRoutePropagation" if propagated else ""
    net.vpc_route(net.main_table, ONPREM, origin=origin, GatewayId=net.vgw)
    return net


@dataclass(frozen=True)
class Scenario:
    """One network, the CLI arguments, and the verdict AWS's rule gives."""

    name: str
    #: The AWS page whose rule decides the verdict.
    page: str
    build: Callable[[str], Net]
    mutate: Callable[[Net], None] = lambda net: None
    #: Extra CLI arguments; ``{account}``-style fields are formatted with the Net's attributes.
    args: tuple[str, ...] = ()
    #: Expected exit code of ``s2svpn doctor``.
    exit_code: int = 0
    #: Expected status of the path results ("pass", "fail", "warn", "unknown").
    status: str = "pass"
    #: Expected explanation code of the (first) deciding path result, if any.
    code: str = ""
    #: Net attribute whose id the deciding hop must name (e.g. "main_table").
    names: str = ""
    #: Text the deciding result's detail or action must contain.
    says: tuple[str, ...] = field(default=())
    #: Pass the on-premises prefix explicitly (static VPNs: moto keeps no VPN static routes).
    prefix: str | None = ONPREM


def _set(**changes: Any) -> Callable[[Net], None]:
    def apply(net: Net) -> None:
        for key, value in changes.items():
            setattr(net, key, value)

    return apply


# -- the mutations ---------------------------------------------------------------------------------


def no_return_in_vpn_table(net: Net) -> None:
    net.drop_tgw_route(net.vpn_table, "10.0.0.0/16")


def no_onprem_in_vpc_table(net: Net) -> None:
    net.drop_tgw_route(net.vpc_table, ONPREM)


def route_only_in_unused_table(net: Net) -> None:
    net.drop_vpc_route(net.main_table, ONPREM)
    net.table(cidr=ONPREM)  # associated with no subnet


def workload_on_main_without_route(net: Net) -> None:
    net.drop_vpc_route(net.main_table, ONPREM)
    web = net.subnet_in("10.0.2.0/24")
    net.table(web, cidr=ONPREM)  # only the subnet without workloads has the route


def explicit_table_without_route(net: Net) -> None:
    net.table(net.subnet)  # the subnet leaves the main table (which has the route)


def explicit_table_with_route(net: Net) -> None:
    net.drop_vpc_route(net.main_table, ONPREM)
    net.table(net.subnet, cidr=ONPREM)


def only_unused_group_allows(net: Net) -> None:
    ec2 = net.owner_ec2
    closed = net.group()
    ec2.modify_network_interface_attribute(NetworkInterfaceId=net.eni, Groups=[closed])
    # net.sg (which admits the prefix) is now attached to nothing


def subnet_acl_denies(net: Net) -> None:
    net.acl(
        net.subnet,
        (100, "-1", "deny", False, ONPREM, None),
        (100, "-1", "allow", True, "0.0.0.0/0", None),
    )


def deny_on_return_ports(net: Net) -> None:
    net.acl(
        net.subnet,
        (100, "6", "allow", False, ONPREM, (443, 443)),
        (100, "6", "deny", True, ONPREM, (1024, 65535)),
        (200, "-1", "allow", True, "0.0.0.0/0", None),
    )


def return_ports_partly_denied(net: Net) -> None:
    net.acl(
        net.subnet,
        (100, "-1", "allow", False, "0.0.0.0/0", None),
        (90, "6", "allow", True, ONPREM, (32768, 65535)),
    )


def healthy_custom_acl(net: Net) -> None:
    net.acl(
        net.subnet,
        (100, "6", "allow", False, ONPREM, (443, 443)),
        (100, "6", "allow", True, ONPREM, (1024, 65535)),
    )


def blackhole_inside_onprem(net: Net) -> None:
    net.tgw_route(net.vpc_table, "10.30.5.0/24", kind="static", state="blackhole")


def blackhole_inside_vpc(net: Net) -> None:
    net.tgw_route(net.vpn_table, "10.0.1.0/24", kind="static", state="blackhole")


def blackhole_vpc_route(net: Net) -> None:
    net.drop_vpc_route(net.main_table, ONPREM)
    net.vpc_route(net.main_table, ONPREM, state="blackhole", TransitGatewayId=net.tgw)


def prefix_list_group(net: Net) -> None:
    ec2 = net.owner_ec2
    prefix_list = ec2.create_managed_prefix_list(
        PrefixListName="onprem", MaxEntries=5, AddressFamily="IPv4",
        Entries=[{"Cidr": "10.30.0.0/16"}, {"Cidr": "10.31.0.0/16"}],
    )["PrefixList"]["PrefixListId"]  # fmt: skip
    group = net.group({"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
                       "PrefixListIds": [{"PrefixListId": prefix_list}]})  # fmt: skip
    ec2.modify_network_interface_attribute(NetworkInterfaceId=net.eni, Groups=[group])
    # the only rule admitting the prefix is the prefix-list one
    ec2.revoke_security_group_ingress(GroupId=net.sg, IpPermissions=[tcp()])


def group_reference_only(net: Net) -> None:
    ec2 = net.owner_ec2
    peer = net.group()
    group = net.group({"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": peer}]})
    ec2.modify_network_interface_attribute(NetworkInterfaceId=net.eni, Groups=[group])


def spoke_without_route(net: Net) -> None:
    net.drop_vpc_route(net.main_table, ONPREM)


def acl_denies_ssh(net: Net) -> None:
    """The VPC's (default) network ACL: rule 50 denies TCP 22 from on-premises, 100 allows all."""
    ec2 = net.owner_ec2
    open_tcp = net.group(tcp(ONPREM, (0, 65535)))
    ec2.modify_network_interface_attribute(NetworkInterfaceId=net.eni, Groups=[open_tcp])
    default_acl = ec2.describe_network_acls(
        Filters=[{"Name": "vpc-id", "Values": [net.vpc]}, {"Name": "default", "Values": ["true"]}]
    )["NetworkAcls"][0]["NetworkAclId"]
    ec2.create_network_acl_entry(
        NetworkAclId=default_acl, RuleNumber=50, Protocol="6", RuleAction="deny", Egress=False,
        CidrBlock=ONPREM, PortRange={"From": 22, "To": 22},
    )  # fmt: skip


def acl_and_group_disjoint(net: Net) -> None:
    net.acl(
        net.subnet,
        (100, "6", "allow", False, ONPREM, (22, 22)),
        (100, "-1", "allow", True, "0.0.0.0/0", None),
    )


def static_beats_propagated_tgw(net: Net) -> None:
    """A VPC propagating the same prefix as the static route to the VPN: the static one wins."""
    other = net.ec2.create_vpc(CidrBlock="10.50.0.0/16")["Vpc"]["VpcId"]
    net.tgw_route(net.vpc_table, ONPREM, "tgw-attach-0123456789abcdef0", kind="propagated",
                  resource_type="vpc", resource_id=other)  # fmt: skip


def propagated_loses_to_static_elsewhere(net: Net) -> None:
    """The VPN's propagated route and a static one to another VPC: the static one wins."""
    other = net.ec2.create_vpc(CidrBlock="10.50.0.0/16")["Vpc"]["VpcId"]
    net.tgw_route(net.vpc_table, ONPREM, "tgw-attach-0123456789abcdef0", kind="static",
                  resource_type="vpc", resource_id=other)  # fmt: skip


def static_beats_propagated_vgw(net: Net) -> None:
    igw = net.ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    net.ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=net.vpc)
    # In the table the subnet uses: 10.30.0.0/16 static to an internet gateway and propagated
    # by the VGW (moto keys routes by destination: the propagated twin is added beside it).
    table = net.table(net.subnet)
    net.vpc_route(table, ONPREM, GatewayId=igw)
    backend = net.backend
    twin = Route(backend.route_tables[table], ONPREM, None, gateway=backend.vpn_gateways[net.vgw])  # type: ignore[abstract]
    twin.__dict__["_aws_origin"] = "EnableVgwRoutePropagation"
    backend.route_tables[table]._routes["propagated-twin"] = twin


def summary_route(net: Net) -> None:
    net.drop_tgw_route(net.vpc_table, ONPREM)
    net.tgw_route(net.vpc_table, "10.16.0.0/12", net.vpn_attachment, kind="propagated",
                  resource_type="vpn", resource_id=net.vpn)  # fmt: skip
    net.drop_vpc_route(net.main_table, ONPREM)
    net.vpc_route(net.main_table, "10.16.0.0/12", TransitGatewayId=net.tgw)


def more_specific_elsewhere(net: Net) -> None:
    igw = net.ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    net.ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=net.vpc)
    net.vpc_route(net.main_table, "10.30.5.0/24", GatewayId=igw)


def dx_and_vpn_propagate(net: Net) -> None:
    net.tgw_route(net.vpc_table, ONPREM, "tgw-attach-0dc0000000000000d", kind="propagated",
                  resource_type="direct-connect-gateway", resource_id="dxgw-example")  # fmt: skip


def unassociated_vpn_attachment(net: Net) -> None:
    net.associate(net.vpn_attachment, None)


def second_closed_interface(net: Net) -> None:
    net.interface(net.subnet, net.group())


def udp_not_admitted(net: Net) -> None:
    pass


def ipv6_group_missing(net: Net) -> None:
    ec2 = net.owner_ec2
    ec2.modify_network_interface_attribute(NetworkInterfaceId=net.eni, Groups=[net.group(tcp())])


def propagation_without_listed_route(net: Net) -> None:
    """Route propagation on, the static VPN's route not listed by the response."""
    net.drop_vpc_route(net.main_table, ONPREM)
    table = net.backend.route_tables[net.main_table]
    table.propagating_vgws = [{"gatewayId": net.vgw}]  # EC2 API Reference "PropagatingVgw"


def pending_vpc_attachment(net: Net) -> None:
    net.backend.transit_gateway_attachments[net.vpc_attachment].state = "pendingAcceptance"


def tgw_subnet_denies_return(net: Net) -> None:
    """The attachment subnet's inbound rules judge instance -> Transit Gateway traffic by its
    source (the workload): deny it."""
    net.acl(
        net.tgw_subnet,
        (100, "-1", "deny", False, "10.0.1.0/24", None),
        (200, "-1", "allow", False, "0.0.0.0/0", None),
        (100, "-1", "allow", True, "0.0.0.0/0", None),
    )


def tgw_subnet_denies_toward_workload(net: Net) -> None:
    """The attachment subnet's outbound rules judge Transit Gateway -> instance traffic by its
    destination: deny TCP to the workload subnet."""
    net.acl(
        net.tgw_subnet,
        (100, "6", "deny", True, "10.0.1.0/24", None),
        (200, "-1", "allow", True, "0.0.0.0/0", None),
        (100, "-1", "allow", False, "0.0.0.0/0", None),
    )


def shared_subnet_inbound_deny(net: Net) -> None:
    """Attachment and instances share a subnet: Transit Gateway -> instance traffic is not
    evaluated; instance -> Transit Gateway is judged outbound by the destination (on-premises) and
    inbound by the source (the instance)."""
    net.acl(
        net.subnet,
        (100, "-1", "deny", False, ONPREM, None),
        (200, "-1", "allow", False, "10.0.0.0/16", None),
        (100, "-1", "allow", True, "0.0.0.0/0", None),
    )


SCENARIOS: tuple[Scenario, ...] = (
    # -- healthy networks that must exit 0 --
    Scenario("tgw-static-healthy", TGW_TABLES, build_tgw),
    Scenario(
        "tgw-bgp-healthy-learned-prefix", TGW_ROUTING, lambda u: build_tgw(u, bgp=True), prefix=None
    ),
    Scenario("vgw-static-healthy", VPN_PRIORITY, build_vgw),
    Scenario("vgw-propagated-healthy", VPN_PRIORITY, lambda u: build_vgw(u, propagated=True)),
    Scenario(
        "explicit-association-with-route", SUBNET_TABLES, build_tgw, explicit_table_with_route
    ),
    Scenario("custom-acl-allows-both-ways", NACL_EPHEMERAL, build_tgw, healthy_custom_acl),
    Scenario("prefix-list-group-rule", PREFIX_LISTS, build_tgw, prefix_list_group),
    Scenario("acl-denies-only-tcp-22-default-flow", NACL_RULES, build_tgw, acl_denies_ssh),
    Scenario("static-beats-propagated-tgw", TGW_ROUTING, build_tgw, static_beats_propagated_tgw),
    Scenario("summary-route-covers-prefix", TGW_ROUTING, build_tgw, summary_route),
    Scenario(
        "ipv6-prefix-healthy", VPC_PRIORITY, lambda u: build_tgw(u, ipv6=True), prefix=ONPREM6
    ),
    Scenario(
        "cross-account-with-role",
        RAM_TGW,
        lambda u: build_tgw(u, spoke=True),
        args=("--assume-role", f"{SPOKE}={SPOKE_ROLE}"),
    ),
    Scenario(
        "dx-and-vpn-propagate-same-prefix",
        TGW_ROUTING,
        lambda u: build_tgw(u, bgp=True),
        dx_and_vpn_propagate,
        says=("Direct Connect",),
    ),
    Scenario(
        "target-open-interface",
        SG_RULES,
        build_tgw,
        second_closed_interface,
        args=("--target", "{eni}"),
    ),
    Scenario(
        "vgw-propagation-on-static-routes-not-listed",
        VPN_PRIORITY,
        build_vgw,
        propagation_without_listed_route,
    ),
    Scenario(
        "shared-subnet-acl-not-evaluated-from-the-tgw",
        TGW_NACLS,
        lambda u: build_tgw(u, shared_subnet=True),
        shared_subnet_inbound_deny,
    ),
    # -- a flag, exit 0 --
    Scenario(
        "static-vpn-route-takes-traffic-off-dx",
        TGW_ROUTING,
        build_tgw,
        dx_and_vpn_propagate,
        status="warn",
        code="TGW_RTB_HIGHER_PRIORITY_ROUTE",
        names="vpc_table",
        says=("off Direct Connect",),
    ),
    # -- cannot be judged: UNKNOWN with the next step --
    Scenario(
        "cross-account-without-role",
        RAM_TGW,
        lambda u: build_tgw(u, spoke=True),
        status="unknown",
        code="UNKNOWN_RESOURCE",
        names="vpc",
        says=(f"--assume-role {SPOKE}=arn:aws:iam::{SPOKE}:role/",),
    ),
    # -- traffic cannot flow: exit 1, the blocking component named --
    Scenario(
        "no-return-path-in-vpn-attachment-table",
        TGW_TABLES,
        build_tgw,
        no_return_in_vpn_table,
        (),
        1,
        "fail",
        "NO_ROUTE_TO_DESTINATION",
        "vpn_table",
    ),
    Scenario(
        "no-onprem-route-in-vpc-attachment-table",
        TGW_TABLES,
        build_tgw,
        no_onprem_in_vpc_table,
        (),
        1,
        "fail",
        "NO_ROUTE_TO_DESTINATION",
        "vpc_table",
    ),
    Scenario(
        "route-only-in-table-no-subnet-uses",
        SUBNET_TABLES,
        build_tgw,
        route_only_in_unused_table,
        (),
        1,
        "fail",
        "NO_ROUTE_TO_DESTINATION",
        "main_table",
        ("main table",),
    ),
    Scenario(
        "workload-subnet-on-main-table-without-route",
        SUBNET_TABLES,
        build_tgw,
        workload_on_main_without_route,
        (),
        1,
        "fail",
        "NO_ROUTE_TO_DESTINATION",
        "main_table",
    ),
    Scenario(
        "explicit-association-overrides-main",
        SUBNET_TABLES,
        build_tgw,
        explicit_table_without_route,
        (),
        1,
        "fail",
        "NO_ROUTE_TO_DESTINATION",
        says=("explicitly associated",),
    ),
    Scenario(
        "only-an-unused-group-allows",
        SG_RULES,
        build_tgw,
        only_unused_group_allows,
        (),
        1,
        "fail",
        "SG_HAS_NO_RULES",
        "eni",
    ),
    Scenario(
        "subnet-own-acl-denies",
        NACL_RULES,
        build_tgw,
        subnet_acl_denies,
        (),
        1,
        "fail",
        "SUBNET_ACL_RESTRICTION",
    ),
    Scenario(
        "deny-on-return-ephemeral-ports",
        NACL_EPHEMERAL,
        build_tgw,
        deny_on_return_ports,
        (),
        1,
        "fail",
        "SUBNET_ACL_RESTRICTION",
        says=("1024-65535",),
    ),
    Scenario(
        "return-ports-only-32768-up",
        NACL_EPHEMERAL,
        build_tgw,
        return_ports_partly_denied,
        (),
        1,
        "fail",
        "SUBNET_ACL_RESTRICTION",
        says=("1024-32767",),
    ),
    Scenario(
        "blackhole-inside-onprem-prefix",
        TGW_ROUTING,
        build_tgw,
        blackhole_inside_onprem,
        (),
        1,
        "fail",
        "TGW_RTB_BAD_STATE_ROUTE",
        "vpc_table",
        ("10.30.5.0/24",),
    ),
    Scenario(
        "blackhole-inside-vpc-cidr",
        TGW_ROUTING,
        build_tgw,
        blackhole_inside_vpc,
        (),
        1,
        "fail",
        "TGW_RTB_BAD_STATE_ROUTE",
        "vpn_table",
    ),
    Scenario(
        "blackhole-vpc-route",
        VPC_PRIORITY,
        build_tgw,
        blackhole_vpc_route,
        (),
        1,
        "fail",
        "BAD_STATE_ROUTE",
        "main_table",
    ),
    Scenario(
        "group-reference-never-admits-onprem",
        SG_RULES,
        build_tgw,
        group_reference_only,
        (),
        1,
        "fail",
        "ENI_SG_RULES_MISMATCH",
        "eni",
        ("security group reference",),
    ),
    Scenario(
        "cross-account-with-role-no-route",
        RAM_TGW,
        lambda u: build_tgw(u, spoke=True),
        spoke_without_route,
        ("--assume-role", f"{SPOKE}={SPOKE_ROLE}"),
        1,
        "fail",
        "NO_ROUTE_TO_DESTINATION",
        "main_table",
    ),
    Scenario(
        "cross-account-without-role-vpn-table-lacks-spoke",
        RAM_TGW,
        lambda u: build_tgw(u, spoke=True),
        no_return_in_vpn_table,
        (),
        1,
        "fail",
        "NO_ROUTE_TO_DESTINATION",
        "vpn_table",
    ),
    Scenario(
        "vpc-attachment-pending-acceptance",
        TGW_TABLES,
        build_tgw,
        pending_vpc_attachment,
        (),
        1,
        "fail",
        "BAD_STATE_ATTACHMENT",
        "vpc_attachment",
    ),
    Scenario(
        "tgw-subnet-acl-denies-the-return-traffic",
        TGW_NACLS,
        build_tgw,
        tgw_subnet_denies_return,
        (),
        1,
        "fail",
        "SUBNET_ACL_RESTRICTION",
        says=("the Transit Gateway subnet",),
    ),
    Scenario(
        "tgw-subnet-acl-denies-toward-the-workload",
        TGW_NACLS,
        build_tgw,
        tgw_subnet_denies_toward_workload,
        (),
        1,
        "fail",
        "SUBNET_ACL_RESTRICTION",
        says=("outbound",),
    ),
    Scenario(
        "acl-denies-tcp-22-flow-to-22",
        NACL_RULES,
        build_tgw,
        acl_denies_ssh,
        ("--port", "22"),
        1,
        "fail",
        "SUBNET_ACL_RESTRICTION",
        says=("rule 50",),
    ),
    Scenario(
        "acl-and-group-admit-disjoint-ports",
        NACL_RULES,
        build_tgw,
        acl_and_group_disjoint,
        (),
        1,
        "fail",
        "ENI_SG_RULES_MISMATCH",
        "eni",
    ),
    Scenario(
        "static-beats-propagated-vgw",
        VPN_PRIORITY,
        lambda u: build_vgw(u, propagated=True),
        static_beats_propagated_vgw,
        (),
        1,
        "fail",
        "HIGHER_PRIORITY_ROUTE",
        says=("igw-",),
    ),
    Scenario(
        "vpn-propagated-loses-to-static-route",
        TGW_ROUTING,
        lambda u: build_tgw(u, bgp=True),
        propagated_loses_to_static_elsewhere,
        (),
        1,
        "fail",
        "TGW_RTB_HIGHER_PRIORITY_ROUTE",
        "vpc_table",
    ),
    Scenario(
        "more-specific-route-elsewhere",
        VPC_PRIORITY,
        build_tgw,
        more_specific_elsewhere,
        (),
        1,
        "fail",
        "MORE_SPECIFIC_ROUTE",
        "main_table",
        ("10.30.5.0/24",),
    ),
    Scenario(
        "vpn-attachment-associated-with-no-table",
        TGW_TABLES,
        build_tgw,
        unassociated_vpn_attachment,
        (),
        1,
        "fail",
        "TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION",
    ),
    Scenario(
        "default-flow-reaches-a-closed-interface",
        SG_RULES,
        build_tgw,
        second_closed_interface,
        (),
        1,
        "fail",
        "SG_HAS_NO_RULES",
    ),
    Scenario(
        "udp-flow-group-admits-tcp-only",
        SG_RULES,
        build_tgw,
        udp_not_admitted,
        ("--protocol", "udp"),
        1,
        "fail",
        "ENI_SG_RULES_MISMATCH",
        "eni",
    ),
    Scenario(
        "ipv6-prefix-group-admits-ipv4-only",
        SG_RULES,
        lambda u: build_tgw(u, ipv6=True),
        ipv6_group_missing,
        (),
        1,
        "fail",
        "ENI_SG_RULES_MISMATCH",
        "eni",
        prefix=ONPREM6,
    ),
    Scenario(
        "ipv6-prefix-on-a-virtual-private-gateway",
        VPN_PRIORITY,
        build_vgw,
        args=(),
        exit_code=1,
        status="fail",
        code="PROTOCOL_RESTRICTION",
        names="vgw",
        prefix=ONPREM6,
    ),
)
