"""The fetch command reads deploy-time facts with boto3 (stubbed offline) and never prints PSKs."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from site_to_site_vpn.cli import build_parser
from site_to_site_vpn.cli import fetch as fetch_command
from site_to_site_vpn.cli.errors import CliError
from site_to_site_vpn.customer_side.fetch import FetchError, fetch, psks_from_secret
from tests.support import FIXTURE, PSKS

VPN_ID = "vpn-0123456789abcdef0"
CGW_ID = "cgw-0123456789abcdef0"
ARN = "arn:aws:secretsmanager:us-east-1:111111111111:secret:vpn-psk-AbCdEf"
IPS = ("192.0.2.10", "192.0.2.20")


def _client(service: str) -> Any:
    return boto3.client(
        service,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # offline stub, not a credential
    )


def _connection(*, with_psks: bool) -> dict[str, Any]:
    options = []
    for ip, psk, cidr in zip(IPS, PSKS, ("169.254.10.0/30", "169.254.11.0/30"), strict=True):
        option = {"OutsideIpAddress": ip, "TunnelInsideCidr": cidr}
        if with_psks:
            option["PreSharedKey"] = psk
        options.append(option)
    connection: dict[str, Any] = {
        "VpnConnectionId": VPN_ID,
        "CustomerGatewayId": CGW_ID,
        "State": "available",
        "Type": "ipsec.1",
        "Options": {"StaticRoutesOnly": False, "TunnelOptions": options},
    }
    if not with_psks:
        connection["PreSharedKeyArn"] = ARN
    return connection


def _stubbed(*, with_psks: bool, secret: str | None = None) -> tuple[Any, Any, list[Stubber]]:
    ec2, sm = _client("ec2"), _client("secretsmanager")
    ec2_stub, sm_stub = Stubber(ec2), Stubber(sm)
    ec2_stub.add_response(
        "describe_vpn_connections",
        {"VpnConnections": [_connection(with_psks=with_psks)]},
        {"VpnConnectionIds": [VPN_ID]},
    )
    ec2_stub.add_response(
        "describe_customer_gateways",
        {
            "CustomerGateways": [
                {
                    "CustomerGatewayId": CGW_ID,
                    "IpAddress": "198.51.100.10",
                    "BgpAsn": "65010",
                    "State": "available",
                    "Type": "ipsec.1",
                }
            ]
        },
        {"CustomerGatewayIds": [CGW_ID]},
    )
    if secret is not None:
        sm_stub.add_response(
            "get_secret_value", {"ARN": ARN, "SecretString": secret}, {"SecretId": ARN}
        )
    ec2_stub.activate()
    sm_stub.activate()
    return ec2, sm, [ec2_stub, sm_stub]


def test_psks_from_tunnel_options_when_aws_returns_them() -> None:
    ec2, sm, stubs = _stubbed(with_psks=True)
    deployed = fetch(ec2=ec2, secretsmanager=sm, vpn_connection_id=VPN_ID)
    assert [str(t.outside_ip) for t in deployed.tunnels] == list(IPS)
    assert [t.psk for t in deployed.tunnels] == list(PSKS)
    assert str(deployed.tunnels[1].inside_cidr) == "169.254.11.0/30"
    assert (str(deployed.cgw_outside_ip), deployed.customer_asn) == ("198.51.100.10", 65010)
    for stub in stubs:
        stub.assert_no_pending_responses()


@pytest.mark.parametrize(
    "secret",
    [
        json.dumps({"Tunnel1PreSharedKey": PSKS[0], "Tunnel2PreSharedKey": PSKS[1]}),
        json.dumps({"tunnel1": PSKS[0], "tunnel2": PSKS[1]}),
        json.dumps({IPS[0]: PSKS[0], IPS[1]: PSKS[1]}),
        json.dumps(
            [{"OutsideIpAddress": ip, "PreSharedKey": p} for ip, p in zip(IPS, PSKS, strict=True)]
        ),
    ],
)
def test_psks_from_secrets_manager_json(secret: str) -> None:
    ec2, sm, stubs = _stubbed(with_psks=False, secret=secret)
    deployed = fetch(ec2=ec2, secretsmanager=sm, vpn_connection_id=VPN_ID)
    assert [t.psk for t in deployed.tunnels] == list(PSKS)
    for stub in stubs:
        stub.assert_no_pending_responses()


def test_one_psk_for_both_tunnels() -> None:
    assert psks_from_secret(PSKS[0], IPS) == [PSKS[0], PSKS[0]]
    assert psks_from_secret(json.dumps({"PreSharedKey": PSKS[1]}), IPS) == [PSKS[1]] * 2


def test_unrecognised_secret_names_keys_not_values() -> None:
    with pytest.raises(FetchError) as error:
        psks_from_secret(json.dumps({"something": PSKS[0]}), IPS)
    assert "something" in str(error.value)
    assert PSKS[0] not in str(error.value)


class _Session:
    def __init__(self, ec2: Any, sm: Any) -> None:
        self._clients = {"ec2": ec2, "secretsmanager": sm}

    def client(self, name: str) -> Any:
        return self._clients[name]


def test_command_writes_private_files_and_prints_no_psk(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = json.dumps({"tunnel1": PSKS[0], "tunnel2": PSKS[1]})
    ec2, sm, _ = _stubbed(with_psks=False, secret=secret)
    out = tmp_path / "cgw"
    code = fetch_command.run(
        build_parser().parse_args(
            [
                "fetch",
                "--vpn-connection-id",
                VPN_ID,
                "--template",
                str(FIXTURE),
                "--onprem-prefix",
                "172.16.0.0/16",
                "--out",
                str(out),
            ]
        ),
        session=_Session(ec2, sm),
    )
    assert code == 0
    printed = capsys.readouterr()
    assert not any(psk in printed.out + printed.err for psk in PSKS)
    swanctl = (out / "swanctl.conf").read_text()
    assert all(psk in swanctl for psk in PSKS)
    assert "neighbor 169.254.10.1 remote-as 64512" in (out / "frr.conf").read_text()
    for path in out.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize("device", ["cisco-ios-xe", "junos"])
def test_command_renders_a_vendor_device(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], device: str
) -> None:
    """``fetch --device`` writes the device's one file, the PSKs inside, none printed."""
    secret = json.dumps({"tunnel1": PSKS[0], "tunnel2": PSKS[1]})
    ec2, sm, _ = _stubbed(with_psks=False, secret=secret)
    out = tmp_path / "cgw"
    args = ["fetch", "--vpn-connection-id", VPN_ID, "--template", str(FIXTURE)]
    args += ["--onprem-prefix", "172.16.0.0/16", "--remote-prefix", "10.0.0.0/16"]
    args += ["--device", device, "--out", str(out)]
    code = fetch_command.run(build_parser().parse_args(args), session=_Session(ec2, sm))
    assert code == 0
    printed = capsys.readouterr()
    assert not any(psk in printed.out + printed.err for psk in PSKS)
    assert [p.name for p in out.iterdir()] == [f"{device}.conf"]
    text = (out / f"{device}.conf").read_text()
    assert all(psk in text for psk in PSKS)


def _two_vpn_template(tmp_path: Path) -> Path:
    """The fixture with a second VPN (other inside CIDRs) and its Transit Gateway imported from
    an SSM parameter, as in a sites stack: which VPN, and which ASN, only AWS can say."""
    template = json.loads(FIXTURE.read_text())
    resources = template["Resources"]
    del resources["TransitGateway"]
    template["Parameters"] = {"TgwId": {"Type": "AWS::SSM::Parameter::Value<String>"}}
    first = resources["VpnConnection"]["Properties"]
    first["TransitGatewayId"] = {"Ref": "TgwId"}
    first["Tags"] = [{"Key": "Name", "Value": "paris"}]
    second = json.loads(json.dumps(resources["VpnConnection"]))
    second["Properties"]["Tags"] = [{"Key": "Name", "Value": "lyon"}]
    for spec, cidr in zip(
        second["Properties"]["VpnTunnelOptionsSpecifications"],
        ("169.254.20.0/30", "169.254.21.0/30"),
        strict=True,
    ):
        spec["TunnelInsideCidr"] = cidr
    resources["LyonVpn"] = second
    path = tmp_path / "Sites.template.json"
    path.write_text(json.dumps(template))
    return path


@pytest.mark.parametrize(("asn_readable", "expected"), [(True, "64700"), (False, None)])
def test_fetch_finds_the_vpn_by_its_name_tag_and_the_asn_from_aws(
    tmp_path: Path, asn_readable: bool, expected: str | None
) -> None:
    """A template with several VPNs and an imported gateway: the connection's Name tag picks
    the VPN, DescribeTransitGateways gives the ASN; unreadable, the error asks for it."""
    ec2, sm = _client("ec2"), _client("secretsmanager")
    stub = Stubber(ec2)
    connection = _connection(with_psks=True)
    connection["TransitGatewayId"] = "tgw-0123456789abcdef0"
    connection["Tags"] = [{"Key": "Name", "Value": "paris"}]
    stub.add_response("describe_vpn_connections", {"VpnConnections": [connection]})
    stub.add_response(
        "describe_customer_gateways",
        {"CustomerGateways": [{"CustomerGatewayId": CGW_ID, "IpAddress": "198.51.100.10",
                               "BgpAsn": "65010", "State": "available", "Type": "ipsec.1"}]},
    )  # fmt: skip
    if asn_readable:
        stub.add_response(
            "describe_transit_gateways",
            {"TransitGateways": [{"TransitGatewayId": "tgw-0123456789abcdef0",
                                  "Options": {"AmazonSideAsn": 64700}}]},
        )  # fmt: skip
    else:
        stub.add_client_error("describe_transit_gateways", "UnauthorizedOperation")
    stub.activate()
    out = tmp_path / "cgw"
    args = ["fetch", "--vpn-connection-id", VPN_ID, "--template", str(_two_vpn_template(tmp_path))]
    args += ["--onprem-prefix", "172.16.0.0/16", "--out", str(out)]
    parsed = build_parser().parse_args(args)
    if expected is None:
        with pytest.raises(CliError) as error:
            fetch_command.run(parsed, session=_Session(ec2, sm))
        assert "--amazon-side-asn" in str(error.value)
        return
    assert fetch_command.run(parsed, session=_Session(ec2, sm)) == 0
    frr = (out / "frr.conf").read_text()
    assert f"neighbor 169.254.10.1 remote-as {expected}" in frr
    stub.assert_no_pending_responses()
