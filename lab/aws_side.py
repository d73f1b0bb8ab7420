"""The simulated AWS side, configured from the synthesized template alone.

This module deliberately shares no code with ``site_to_site_vpn.customer_side``: it is the oracle
the renderer is checked against. If the renderer offered an algorithm the template does not
allow, or used the wrong inside addresses or ASNs, the lab's tunnels or BGP sessions would fail.
Like AWS, it accepts any combination of the allowed algorithms, answers by default
(``StartupAction: add``) and uses the first host of each inside /30.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

#: AWS tunnel-option names to strongSwan keywords (independent of the renderer's table).
_CIPHER: Final = {
    "AES128": "aes128",
    "AES256": "aes256",
    "AES128-GCM-16": "aes128gcm16",
    "AES256-GCM-16": "aes256gcm16",
}
_HASH: Final = {"SHA1": "sha1", "SHA2-256": "sha256", "SHA2-384": "sha384", "SHA2-512": "sha512"}
_GROUP: Final = {
    2: "modp1024",
    5: "modp1536",
    14: "modp2048",
    15: "modp3072",
    16: "modp4096",
    17: "modp6144",
    18: "modp8192",
    19: "ecp256",
    20: "ecp384",
    21: "ecp521",
    22: "modp1024s160",
    23: "modp2048s224",
    24: "modp2048s256",
}
#: How ``swanctl --list-sas`` names them, to check what was negotiated.
SHOWN_CIPHER: Final = {
    "AES128": "AES_CBC-128",
    "AES256": "AES_CBC-256",
    "AES128-GCM-16": "AES_GCM_16-128",
    "AES256-GCM-16": "AES_GCM_16-256",
}
SHOWN_PRF: Final = {n: f"PRF_HMAC_{n.replace('-', '_')}" for n in _HASH}
SHOWN_INTEGRITY: Final = {
    "SHA1": "HMAC_SHA1_96",
    "SHA2-256": "HMAC_SHA2_256_128",
    "SHA2-384": "HMAC_SHA2_384_192",
    "SHA2-512": "HMAC_SHA2_512_256",
}
SHOWN_GROUP: Final = {
    2: "MODP_1024",
    5: "MODP_1536",
    14: "MODP_2048",
    15: "MODP_3072",
    16: "MODP_4096",
    17: "MODP_6144",
    18: "MODP_8192",
    19: "ECP_256",
    20: "ECP_384",
    21: "ECP_521",
    22: "MODP_1024_160",
    23: "MODP_2048_224",
    24: "MODP_2048_256",
}
_ALL_CIPHERS: Final = tuple(_CIPHER)
_ALL_HASHES: Final = tuple(_HASH)
_P1_GROUPS: Final = (2, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24)
_P2_GROUPS: Final = (2, 5, *_P1_GROUPS[1:])
#: Security strength, for the oracle's "strongest allowed" choice: AEAD before CBC, bigger keys,
#: bigger hashes, and DH groups by security bits (ECP before MODP on a tie).
_CIPHER_RANK: Final = ("AES256-GCM-16", "AES128-GCM-16", "AES256", "AES128")
_HASH_RANK: Final = ("SHA2-512", "SHA2-384", "SHA2-256", "SHA1")
_GROUP_BITS: Final = {
    21: 256,
    18: 200,
    20: 192,
    17: 176,
    16: 152,
    19: 128,
    15: 128,
    24: 112,
    14: 112,
    23: 112,
    5: 96,
    22: 80,
    2: 80,
}
#: Used when the template leaves the inside CIDRs to AWS: the lab plays AWS and picks these.
LAB_INSIDE_CIDRS: Final = ("169.254.100.0/30", "169.254.100.4/30")
LAB_AMAZON_ASN: Final = 64_512


@dataclass(frozen=True)
class AwsTunnel:
    """What the AWS side enforces for one tunnel."""

    number: int
    phase1_ciphers: tuple[str, ...]
    phase1_hashes: tuple[str, ...]
    phase1_groups: tuple[int, ...]
    phase2_ciphers: tuple[str, ...]
    phase2_hashes: tuple[str, ...]
    phase2_groups: tuple[int, ...]
    ike_versions: tuple[str, ...]
    inside_cidr: ipaddress.IPv4Network
    inside_cidr_from_template: bool
    initiates: bool
    dpd_action: str
    phase1_lifetime: int
    phase2_lifetime: int
    replay_window: int

    @property
    def aws_ip(self) -> ipaddress.IPv4Address:
        return self.inside_cidr.network_address + 1

    @property
    def cgw_ip(self) -> ipaddress.IPv4Address:
        return self.inside_cidr.network_address + 2


@dataclass(frozen=True)
class AwsVpn:
    """The VPN connection as the lab's AWS side sees it in the template."""

    logical_id: str
    customer_asn: int
    amazon_asn: int
    static_routes_only: bool
    tunnels: tuple[AwsTunnel, AwsTunnel]


def _list(spec: Mapping[str, Any], key: str, default: tuple[Any, ...]) -> tuple[Any, ...]:
    if key not in spec:
        return default
    return tuple(item["Value"] for item in spec[key])


def _tunnel(number: int, spec: Mapping[str, Any]) -> AwsTunnel:
    cidr = spec.get("TunnelInsideCidr")
    return AwsTunnel(
        number=number,
        phase1_ciphers=_list(spec, "Phase1EncryptionAlgorithms", _ALL_CIPHERS),
        phase1_hashes=_list(spec, "Phase1IntegrityAlgorithms", _ALL_HASHES),
        phase1_groups=tuple(int(g) for g in _list(spec, "Phase1DHGroupNumbers", _P1_GROUPS)),
        phase2_ciphers=_list(spec, "Phase2EncryptionAlgorithms", _ALL_CIPHERS),
        phase2_hashes=_list(spec, "Phase2IntegrityAlgorithms", _ALL_HASHES),
        phase2_groups=tuple(int(g) for g in _list(spec, "Phase2DHGroupNumbers", _P2_GROUPS)),
        ike_versions=_list(spec, "IKEVersions", ("ikev1", "ikev2")),
        inside_cidr=ipaddress.IPv4Network(cidr or LAB_INSIDE_CIDRS[number - 1]),
        inside_cidr_from_template=cidr is not None,
        initiates=spec.get("StartupAction", "add") == "start",
        dpd_action=str(spec.get("DPDTimeoutAction", "clear")),
        phase1_lifetime=int(spec.get("Phase1LifetimeSeconds", 28_800)),
        phase2_lifetime=int(spec.get("Phase2LifetimeSeconds", 3_600)),
        replay_window=int(spec.get("ReplayWindowSize", 1_024)),
    )


def _best_cipher(ciphers: tuple[str, ...]) -> str:
    return min(ciphers, key=_CIPHER_RANK.index)


def _best_hash(hashes: tuple[str, ...]) -> str:
    return min(hashes, key=_HASH_RANK.index)


def strongest_ike(tunnel: AwsTunnel) -> tuple[str, ...]:
    """How ``swanctl --list-sas`` shows the strongest IKE proposal the template allows."""
    cipher, hash_ = _best_cipher(tunnel.phase1_ciphers), _best_hash(tunnel.phase1_hashes)
    group = min(tunnel.phase1_groups, key=lambda g: (-_GROUP_BITS[g], "ecp" not in _GROUP[g]))
    integrity = () if "GCM" in cipher else (SHOWN_INTEGRITY[hash_],)
    return (SHOWN_CIPHER[cipher], *integrity, SHOWN_PRF[hash_], SHOWN_GROUP[group])


def strongest_esp(tunnel: AwsTunnel) -> tuple[str, ...]:
    """The strongest ESP algorithms the template allows, as swanctl shows a fresh CHILD_SA."""
    cipher, hash_ = _best_cipher(tunnel.phase2_ciphers), _best_hash(tunnel.phase2_hashes)
    integrity = () if "GCM" in cipher else (SHOWN_INTEGRITY[hash_],)
    return (SHOWN_CIPHER[cipher], *integrity)


def _target(value: Any) -> str | None:
    if isinstance(value, dict) and "Ref" in value:
        return str(value["Ref"])
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        return str(value["Fn::GetAtt"][0])
    return None


def read_template(
    template: Mapping[str, Any], *, logical_id: str | None = None, amazon_asn: int | None = None
) -> AwsVpn:
    """The first (or the named) VPN connection of ``template`` as the AWS side enforces it.

    ``amazon_asn`` is used when the gateway is referenced by id rather than defined in the
    template; without either, the lab's documented default :data:`LAB_AMAZON_ASN`.
    """
    resources = template["Resources"]
    vpn_id = logical_id or next(
        k for k, r in resources.items() if r["Type"] == "AWS::EC2::VPNConnection"
    )
    props = resources[vpn_id]["Properties"]
    cgw = resources[_target(props["CustomerGatewayId"]) or ""]["Properties"]
    gateway_props = props
    concentrator_id = _target(props.get("VpnConcentratorId"))
    if concentrator_id is not None:
        # A concentrator site names the concentrator, which names the Transit Gateway.
        gateway_props = resources[concentrator_id]["Properties"]
    gateway_id = _target(gateway_props.get("TransitGatewayId")) or _target(
        gateway_props.get("VpnGatewayId")
    )
    if gateway_id is not None:
        amazon_asn = int(resources[gateway_id]["Properties"].get("AmazonSideAsn", 64_512))
    specs = list(props.get("VpnTunnelOptionsSpecifications", []))
    specs += [{}] * (2 - len(specs))
    static = props.get("StaticRoutesOnly", False)
    return AwsVpn(
        logical_id=vpn_id,
        customer_asn=int(cgw.get("BgpAsnExtended", cgw.get("BgpAsn", 65_000))),
        amazon_asn=amazon_asn or LAB_AMAZON_ASN,
        static_routes_only=static is True or str(static).lower() == "true",
        tunnels=(_tunnel(1, specs[0]), _tunnel(2, specs[1])),
    )


def _merged(
    ciphers: tuple[str, ...], hashes: tuple[str, ...], groups: tuple[int, ...], *, prf: bool
) -> list[str]:
    """At most two proposals (AEAD, classic) holding every allowed algorithm in template order.

    AWS accepts any combination of the allowed algorithms; one merged proposal per family lets
    strongSwan pick among them in the initiator's order.
    """
    group_kws = [_GROUP[g] for g in groups]
    proposals = []
    aead = [_CIPHER[c] for c in ciphers if "GCM" in c]
    classic = [_CIPHER[c] for c in ciphers if "GCM" not in c]
    if aead:
        prfs = [f"prf{_HASH[h]}" for h in hashes] if prf else []
        proposals.append("-".join([*aead, *prfs, *group_kws]))
    if classic:
        proposals.append("-".join([*classic, *(_HASH[h] for h in hashes), *group_kws]))
    return proposals


def _ike_proposals(tunnel: AwsTunnel) -> list[str]:
    return _merged(tunnel.phase1_ciphers, tunnel.phase1_hashes, tunnel.phase1_groups, prf=True)


def _esp_proposals(tunnel: AwsTunnel) -> list[str]:
    return _merged(tunnel.phase2_ciphers, tunnel.phase2_hashes, tunnel.phase2_groups, prf=False)


def swanctl_conf(tunnel: AwsTunnel, *, aws_ip: str, cgw_ip: str, psk: str, updown: str) -> str:
    """One AWS tunnel endpoint as a strongSwan responder."""
    version = (
        2 if tunnel.ike_versions == ("ikev2",) else 1 if tunnel.ike_versions == ("ikev1",) else 0
    )
    name = f"aws-tunnel-{tunnel.number}"
    return f"""connections {{
  {name} {{
    version = {version}
    local_addrs = {aws_ip}
    remote_addrs = {cgw_ip}
    proposals = {", ".join(_ike_proposals(tunnel))}
    rekey_time = {tunnel.phase1_lifetime}s
    dpd_delay = 10s
    mobike = no
    local {{
      auth = psk
      id = {aws_ip}
    }}
    remote {{
      auth = psk
      id = {cgw_ip}
    }}
    children {{
      {name} {{
        local_ts = 0.0.0.0/0
        remote_ts = 0.0.0.0/0
        esp_proposals = {", ".join(_esp_proposals(tunnel))}
        rekey_time = {tunnel.phase2_lifetime}s
        replay_window = {tunnel.replay_window}
        start_action = {"start" if tunnel.initiates else "none"}
        dpd_action = {tunnel.dpd_action}
        updown = {updown} tun{tunnel.number}
      }}
    }}
  }}
}}
secrets {{
  ike-cgw {{
    id = {cgw_ip}
    secret = "{psk}"
  }}
}}
"""


def frr_conf(vpn: AwsVpn, *, vpc_prefixes: list[str]) -> str:
    """The AWS side's BGP: neighbours on the customer's inside addresses, timers 10/30.

    ``maximum-paths 2`` models a Transit Gateway with VPN ECMP support, the case in which only
    the customer's AS-path prepend keeps tunnel 2 out of use.
    """
    lines = [
        "frr defaults traditional",
        "bgp route-map delay-timer 0",
        f"router bgp {vpn.amazon_asn}",
        " bgp router-id 192.0.2.1",
        " no bgp ebgp-requires-policy",
        " no bgp network import-check",
    ]
    for tunnel in vpn.tunnels:
        lines += [
            f" neighbor {tunnel.cgw_ip} remote-as {vpn.customer_asn}",
            f" neighbor {tunnel.cgw_ip} timers 10 30",
            f" neighbor {tunnel.cgw_ip} timers connect 5",
        ]
    lines += [" address-family ipv4 unicast", "  maximum-paths 2"]
    lines += [f"  network {prefix}" for prefix in vpc_prefixes]
    lines += [" exit-address-family", "exit", ""]
    return "\n".join(lines)
