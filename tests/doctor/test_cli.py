"""``s2svpn doctor`` as a user runs it: a subprocess talking to moto's server on loopback through
AWS_ENDPOINT_URL with fake credentials, and the one-line exits when nothing can be checked."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest

from tests.doctor.live import REGION, clean_env, doctor, moto_server, server_env

pytestmark = pytest.mark.slow

ONPREM = "10.30.0.0/16"


@dataclass(frozen=True)
class Live:
    url: str
    broken_vpn: str
    healthy_vpn: str
    log_group: str


@pytest.fixture(scope="module")
def live() -> Iterator[Live]:
    with moto_server() as url:
        kwargs = {
            "region_name": REGION,
            "endpoint_url": url,
            "aws_access_key_id": "testing",
            "aws_secret_access_key": "testing",
        }
        ec2 = boto3.client("ec2", **kwargs)
        logs = boto3.client("logs", **kwargs)
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
        table = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc]}])[
            "RouteTables"
        ][0]["RouteTableId"]
        group = ec2.create_security_group(GroupName="app", Description="app", VpcId=vpc)["GroupId"]
        ec2.authorize_security_group_ingress(
            GroupId=group,
            IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": ONPREM}]}],
        )
        cgw = ec2.create_customer_gateway(Type="ipsec.1", PublicIp="203.0.113.10", BgpAsn=65010)[
            "CustomerGateway"
        ]["CustomerGatewayId"]
        # Transit Gateway VPN, and no VPC route to the Transit Gateway: a problem to find.
        tgw = ec2.create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
        ec2.create_transit_gateway_vpc_attachment(
            TransitGatewayId=tgw, VpcId=vpc, SubnetIds=[subnet]
        )
        broken = ec2.create_vpn_connection(
            Type="ipsec.1", CustomerGatewayId=cgw, TransitGatewayId=tgw
        )["VpnConnection"]["VpnConnectionId"]
        # Virtual private gateway VPN with a route to it: nothing moto can show is wrong.
        vgw = ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]
        ec2.attach_vpn_gateway(VpnGatewayId=vgw, VpcId=vpc)
        ec2.create_route(RouteTableId=table, DestinationCidrBlock=ONPREM, GatewayId=vgw)
        healthy = ec2.create_vpn_connection(
            Type="ipsec.1", CustomerGatewayId=cgw, VpnGatewayId=vgw
        )["VpnConnection"]["VpnConnectionId"]
        log_group = "/aws/vendedlogs/vpn/test"
        logs.create_log_group(logGroupName=log_group)
        logs.create_log_stream(logGroupName=log_group, logStreamName="tunnel")
        # A tunnel record as the Site-to-Site VPN User Guide's "Site-to-Site VPN logs" shows one.
        logs.put_log_events(
            logGroupName=log_group,
            logStreamName="tunnel",
            logEvents=[
                {
                    "timestamp": int(time.time() * 1000) - 5000,
                    "message": json.dumps(
                        {
                            "event_timestamp": int(time.time()) - 5,
                            "details": "AWS tunnel detected a pre-shared key mismatch with cgw: "
                            "203.0.113.10",
                            "dpd_enabled": True,
                            "nat_t_detected": False,
                            "ike_phase1_state": "down",
                            "ike_phase2_state": "down",
                        }
                    ),
                }
            ],
        )
        yield Live(url=url, broken_vpn=broken, healthy_vpn=healthy, log_group=log_group)


def _live_env(tmp: Path, live: Live) -> dict[str, str]:
    return server_env(tmp, live.url)


def test_problems_found_exit_1_with_every_check_named(tmp_path: Path, live: Live) -> None:
    run = doctor(
        tmp_path,
        "--vpn-id", live.broken_vpn, "--region", REGION, "--onprem-prefix", ONPREM,
        env=_live_env(tmp_path, live),
    )  # fmt: skip
    assert run.returncode == 1, run.stderr
    out = run.stdout
    assert live.broken_vpn in out
    for title in ("Tunnels", "Transit Gateway attachment", f"{ONPREM} <->", "Tunnel and BGP logs"):
        assert title in out, title
    assert "FAIL" in out
    assert "problems found" in out
    assert "Traceback" not in run.stderr


def test_json_lists_checks_in_order(tmp_path: Path, live: Live) -> None:
    run = doctor(
        tmp_path,
        "--vpn-id", live.broken_vpn, "--region", REGION, "--onprem-prefix", ONPREM,
        "--tunnel-log-group", live.log_group, "--json",
        env=_live_env(tmp_path, live),
    )  # fmt: skip
    assert run.returncode == 1, run.stderr
    report = json.loads(run.stdout)
    assert report["vpn_id"] == live.broken_vpn
    assert report["healthy"] is False
    checks = list(dict.fromkeys(r["check"] for r in report["results"]))
    assert checks == ["vpn-state", "tunnels", "negotiation", "tgw-attachment", "path", "logs"]
    by_check = {r["check"]: r for r in report["results"]}
    # moto associates both attachments with the default table, which routes nothing.
    path = by_check["path"]
    assert path["status"] == "fail"
    assert path["code"] == "NO_ROUTE_TO_DESTINATION"
    assert path["hops"][0]["component"] == "tgw-route-table"
    # moto implements neither call: unknown with the reason, never a crash.
    assert by_check["tgw-attachment"]["status"] == "unknown"
    # The library's catalog classifies the documented pre-shared key mismatch record.
    logs = by_check["logs"]
    assert logs["status"] == "fail"
    assert "1 x ike_failure" in logs["detail"]


def test_healthy_vpn_exits_0(tmp_path: Path, live: Live) -> None:
    run = doctor(
        tmp_path,
        "--vpn-id", live.healthy_vpn, "--region", REGION, "--onprem-prefix", ONPREM,
        env=_live_env(tmp_path, live),
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "healthy:" in run.stdout


def test_vpn_not_found_exits_2_naming_it(tmp_path: Path, live: Live) -> None:
    missing = "vpn-0123456789abcdef0"
    run = doctor(tmp_path, "--vpn-id", missing, "--region", REGION, env=_live_env(tmp_path, live))
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.strip().splitlines() == [
        f"s2svpn doctor: VPN connection {missing} not found in {REGION}"
    ]


def test_no_region_exits_2_in_one_line(tmp_path: Path) -> None:
    env = clean_env(tmp_path, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing")
    run = doctor(tmp_path, "--vpn-id", "vpn-0123456789abcdef0", env=env)
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [
        "s2svpn doctor: no AWS region: pass --region or set AWS_REGION"
    ]


def test_no_credentials_exits_2_in_one_line(tmp_path: Path) -> None:
    run = doctor(tmp_path, "--vpn-id", "vpn-0123456789abcdef0", "--region", REGION)
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [
        "s2svpn doctor: no AWS credentials found (environment, profile or instance role)"
    ]
