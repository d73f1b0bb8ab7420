"""Read a deployed VPN connection's deploy-time facts with boto3.

Outside IPs and inside CIDRs come from EC2 ``DescribeVpnConnections``; the customer gateway's IP
and ASN from ``DescribeCustomerGateways``; PSKs from the tunnel options when AWS returns them
(``PreSharedKeyStorage: Standard``) or else from the Secrets Manager secret named by the
connection's ``PreSharedKeyArn`` (``PreSharedKeyStorage: SecretsManager``).

The layout of AWS's secret is not documented where we could check, so :func:`psks_from_secret`
accepts, in this order: a JSON object with one key per tunnel (the tunnel's outside IP, or a key
such as ``tunnel1``, ``Tunnel1PreSharedKey``, ``tunnel1_psk``), a JSON object with one
``PreSharedKey``/``psk`` for both tunnels, a JSON list of ``{OutsideIpAddress, PreSharedKey}``
objects, or a plain string used for both tunnels. Anything else is an error naming the keys seen,
never the values.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from site_to_site_vpn.customer_side.facts import OutsideAddress, TunnelFacts


class FetchError(RuntimeError):
    """AWS did not return what the renderer needs."""


@dataclass(frozen=True)
class Deployed:
    """What AWS reports for a deployed VPN connection and its customer gateway."""

    tunnels: tuple[TunnelFacts, TunnelFacts]
    cgw_outside_ip: OutsideAddress
    customer_asn: int
    #: The connection's ``Name`` tag (a sites file's site name), to find it in a template.
    name: str | None = None
    #: The gateway's Amazon-side ASN as AWS reports it; None when AWS did not say.
    amazon_side_asn: int | None = None


def _norm(key: str) -> str:
    return "".join(c for c in key.lower() if c.isalnum())


def _psk_for(number: int, outside_ip: str, secret: Mapping[str, Any]) -> str | None:
    keys = {_norm(k): v for k, v in secret.items() if isinstance(v, str)}
    for candidate in (
        outside_ip,
        f"tunnel{number}presharedkey",
        f"tunnel{number}psk",
        f"tunnel{number}",
        f"psk{number}",
        "presharedkey",
        "psk",
    ):
        if _norm(candidate) in keys:
            return keys[_norm(candidate)]
    return None


def psks_from_secret(secret_string: str, outside_ips: Sequence[str]) -> list[str]:
    """One PSK per tunnel (in ``outside_ips`` order) from a Secrets Manager secret string."""
    try:
        parsed: Any = json.loads(secret_string)
    except json.JSONDecodeError:
        return [secret_string] * len(outside_ips)
    if isinstance(parsed, list):
        by_ip = {
            str(item.get("OutsideIpAddress")): item.get("PreSharedKey")
            for item in parsed
            if isinstance(item, dict)
        }
        parsed = {ip: psk for ip, psk in by_ip.items() if isinstance(psk, str)}
    if isinstance(parsed, str):
        return [parsed] * len(outside_ips)
    if isinstance(parsed, dict):
        found = [_psk_for(n, ip, parsed) for n, ip in enumerate(outside_ips, start=1)]
        if all(psk is not None for psk in found):
            return [psk for psk in found if psk is not None]
        raise FetchError(f"no PSK per tunnel in the secret; its keys are {sorted(parsed)}")
    raise FetchError("the PSK secret is neither a string nor a JSON object")


def _tunnels(connection: Mapping[str, Any], secretsmanager: Any) -> tuple[TunnelFacts, ...]:
    vpn_id = connection.get("VpnConnectionId")
    options = connection.get("Options", {}).get("TunnelOptions", [])
    if len(options) != 2:
        raise FetchError(f"{vpn_id}: AWS returned {len(options)} tunnels, expected 2")
    ips = [str(o["OutsideIpAddress"]) for o in options]
    psks: list[str | None] = [o.get("PreSharedKey") for o in options]
    if any(psk is None for psk in psks):
        arn = connection.get("PreSharedKeyArn")
        if arn is None:
            raise FetchError(f"{vpn_id}: no PSK in the tunnel options and no PreSharedKeyArn")
        secret = secretsmanager.get_secret_value(SecretId=arn)["SecretString"]
        psks = list(psks_from_secret(secret, ips))
    return tuple(
        TunnelFacts(
            outside_ip=ipaddress.ip_address(ip),
            psk=str(psk),
            inside_cidr=(
                ipaddress.IPv4Network(o["TunnelInsideCidr"]) if o.get("TunnelInsideCidr") else None
            ),
        )
        for ip, psk, o in zip(ips, psks, options, strict=True)
    )


def _gateway_asn(ec2: Any, connection: Mapping[str, Any]) -> int | None:
    """``AmazonSideAsn`` of the VPN's Transit Gateway (``DescribeTransitGateways``) or virtual
    private gateway (``DescribeVpnGateways``); None when the caller may not read it."""
    from botocore.exceptions import ClientError  # noqa: PLC0415 - only fetch talks to AWS

    try:
        if connection.get("TransitGatewayId"):
            found = ec2.describe_transit_gateways(
                TransitGatewayIds=[connection["TransitGatewayId"]]
            ).get("TransitGateways", [])
            asn = found[0].get("Options", {}).get("AmazonSideAsn") if found else None
        elif connection.get("VpnGatewayId"):
            found = ec2.describe_vpn_gateways(VpnGatewayIds=[connection["VpnGatewayId"]]).get(
                "VpnGateways", []
            )
            asn = found[0].get("AmazonSideAsn") if found else None
        else:
            return None
    except ClientError:
        return None
    return int(asn) if asn is not None else None


def fetch(*, ec2: Any, secretsmanager: Any, vpn_connection_id: str) -> Deployed:
    """Both tunnels' facts (in AWS's tunnel order) and the customer gateway's IP and ASN."""
    connections = ec2.describe_vpn_connections(VpnConnectionIds=[vpn_connection_id]).get(
        "VpnConnections", []
    )
    if len(connections) != 1:
        raise FetchError(f"{vpn_connection_id}: expected exactly one VPN connection")
    connection = connections[0]
    gateway = ec2.describe_customer_gateways(CustomerGatewayIds=[connection["CustomerGatewayId"]])[
        "CustomerGateways"
    ][0]
    first, second = _tunnels(connection, secretsmanager)
    return Deployed(
        tunnels=(first, second),
        cgw_outside_ip=ipaddress.ip_address(gateway["IpAddress"]),
        customer_asn=int(gateway.get("BgpAsnExtended") or gateway["BgpAsn"]),
        name=next(
            (str(t["Value"]) for t in connection.get("Tags", []) if t.get("Key") == "Name"), None
        ),
        amazon_side_asn=_gateway_asn(ec2, connection),
    )
