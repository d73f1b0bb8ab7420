"""A Transit Gateway VPN in moto, recorded AWS responses for what moto lacks, and a fake catalog.

Recorded shapes follow the EC2 API Reference pages named next to each datum; botocore's Stubber
validates every stubbed response against the EC2 service model, so a misspelt field fails there.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from site_to_site_vpn.doctor import DoctorContext

REGION = "us-east-1"
ONPREM = "10.30.0.0/16"


def fake_classify(message: str, kind: str) -> Sequence[str]:
    """Stands in for site_to_site_vpn.logs.catalog.classify until branch i10 is merged."""
    if kind == "tunnel" and "pre-shared key mismatch" in message:
        return ("psk_mismatch",)
    if kind == "bgp" and "Hold Timer Expired" in message:
        return ("bgp_down",)
    return ()


class Routed:
    """One EC2 client whose named operations go to a Stubber-backed client, the rest to moto."""

    def __init__(self, default: Any, stubbed: Any, operations: set[str]) -> None:
        self._default = default
        self._stubbed = stubbed
        self._operations = operations

    def __getattr__(self, name: str) -> Any:
        target = self._stubbed if name in self._operations else self._default
        return getattr(target, name)


def stubbed_ec2() -> tuple[Any, Stubber]:
    client = boto3.client(
        "ec2",
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    return client, Stubber(client)


def telemetry(ip: str, status: str = "UP", routes: int = 3, message: str = "") -> dict[str, Any]:
    """One VgwTelemetry entry (EC2 API Reference "VgwTelemetry": AcceptedRouteCount,
    LastStatusChange, OutsideIpAddress, Status UP | DOWN, StatusMessage)."""
    return {
        "OutsideIpAddress": ip,
        "Status": status,
        "LastStatusChange": datetime(2026, 11, 27, 9, 0, tzinfo=UTC),
        "StatusMessage": message,
        "AcceptedRouteCount": routes,
    }


def tunnel_option(ip: str, **lists: list[Any]) -> dict[str, Any]:
    """One TunnelOption (EC2 API Reference "TunnelOption": OutsideIpAddress, Phase1...Algorithms
    as lists of {Value}, IkeVersions, LogOptions.CloudwatchLogOptions)."""
    option: dict[str, Any] = {"OutsideIpAddress": ip}
    for key, values in lists.items():
        option[key] = [{"Value": v} for v in values]
    return option


@dataclass
class Network:
    """What the moto fixture built."""

    ec2: Any
    logs: Any
    vpc_id: str
    route_table_id: str
    tgw_id: str
    tgw_route_table_id: str
    vpn: dict[str, Any]
    vpn_attachment_id: str
    security_group_id: str

    def context(self, vpn: dict[str, Any] | None = None, **kwargs: Any) -> DoctorContext:
        described = self.ec2.describe_vpn_connections(
            VpnConnectionIds=[self.vpn["VpnConnectionId"]]
        )["VpnConnections"][0]
        return DoctorContext(
            ec2=kwargs.pop("ec2", self.ec2),
            logs=self.logs,
            vpn={**described, **(vpn or {})},
            region=REGION,
            classify=kwargs.pop("classify", fake_classify),
            **kwargs,
        )


@pytest.fixture
def network(monkeypatch: pytest.MonkeyPatch) -> Iterator[Network]:
    """A VPC attached to a Transit Gateway with a static VPN (on-premises 10.30.0.0/16)."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        ec2 = boto3.client("ec2", region_name=REGION)
        logs = boto3.client("logs", region_name=REGION)
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
        route_table = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc]}])[
            "RouteTables"
        ][0]["RouteTableId"]
        tgw = ec2.create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
        vpc_attachment = ec2.create_transit_gateway_vpc_attachment(
            TransitGatewayId=tgw, VpcId=vpc, SubnetIds=[subnet]
        )["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
        # moto associates new attachments with the Transit Gateway's default route table, as
        # AWS does with default association on; the test uses that table.
        association = ec2.describe_transit_gateway_attachments(
            TransitGatewayAttachmentIds=[vpc_attachment]
        )["TransitGatewayAttachments"][0]["Association"]
        tgw_table = association["TransitGatewayRouteTableId"]
        cgw = ec2.create_customer_gateway(Type="ipsec.1", PublicIp="203.0.113.10", BgpAsn=65010)[
            "CustomerGateway"
        ]["CustomerGatewayId"]
        vpn = ec2.create_vpn_connection(
            Type="ipsec.1",
            CustomerGatewayId=cgw,
            TransitGatewayId=tgw,
            Options={"StaticRoutesOnly": True},
        )["VpnConnection"]
        attachment = ec2.describe_transit_gateway_attachments(
            Filters=[{"Name": "resource-id", "Values": [vpn["VpnConnectionId"]]}]
        )["TransitGatewayAttachments"][0]["TransitGatewayAttachmentId"]
        group = ec2.create_security_group(GroupName="app", Description="app servers", VpcId=vpc)[
            "GroupId"
        ]
        yield Network(
            ec2=ec2,
            logs=logs,
            vpc_id=vpc,
            route_table_id=route_table,
            tgw_id=tgw,
            tgw_route_table_id=tgw_table,
            vpn=vpn,
            vpn_attachment_id=attachment,
            security_group_id=group,
        )
