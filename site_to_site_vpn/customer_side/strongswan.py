"""swanctl.conf and strongswan.conf for the customer gateway's two AWS tunnels.

The customer side initiates (``start_action = start``) and restarts after a dead-peer detection
(``dpd_action = restart``, endless ``keyingtries``), so a tunnel AWS has cleared comes back without
waiting for traffic. Proposals list only what the template allows, strongest first.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from site_to_site_vpn.customer_side import algorithms as alg
from site_to_site_vpn.customer_side.facts import Dataplane, DeployFacts
from site_to_site_vpn.customer_side.template import TunnelPolicy
from site_to_site_vpn.customer_side.tunnels import Tunnel

#: How often the customer side probes a quiet tunnel; AWS declares a peer dead after DPDTimeout.
DPD_DELAY_SECONDS: Final = 10
#: IKEv2 retransmission backoff; with 4 retries the total wait is timeout * 13.19.
RETRANSMIT_BASE: Final = 1.5
RETRANSMIT_TRIES: Final = 4
_BACKOFF_SUM: Final = sum(RETRANSMIT_BASE**n for n in range(RETRANSMIT_TRIES + 1))

_CRYPTO_PLUGINS: Final = (
    "random nonce aes sha1 sha2 hmac gcm openssl pem pkcs1 pubkey x509 curve25519 gmp kdf"
)
_OTHER_PLUGINS: Final = "kernel-netlink socket-default vici updown"


def plugins(dataplane: Dataplane) -> str:
    """charon's plugin list; kernel-libipsec must come before kernel-netlink to handle ESP."""
    userspace = " kernel-libipsec" if dataplane is Dataplane.LIBIPSEC else ""
    return f"{_CRYPTO_PLUGINS}{userspace} {_OTHER_PLUGINS}"


def ike_version(policy: TunnelPolicy) -> int:
    """IKEv2 unless the template allows only IKEv1."""
    return 2 if "ikev2" in policy.ike_versions else 1


def _join(parts: Iterable[str]) -> str:
    return "-".join(parts)


def ike_proposals(policy: TunnelPolicy) -> list[str]:
    """IKE proposals: an AEAD one (GCM + PRF) and a classic one (CBC + integrity), strongest first.

    strongSwan cannot mix AEAD and non-AEAD ciphers in one IKEv2 proposal, and GCM is IKEv2-only.
    """
    encryption = alg.strongest_first(policy.phase1_encryption, alg.ENCRYPTION)
    integrity = alg.strongest_first(policy.phase1_integrity, alg.INTEGRITY)
    groups = [alg.DH_GROUPS[g] for g in alg.strongest_first(policy.phase1_dh_groups, alg.DH_GROUPS)]
    aead = [alg.ENCRYPTION[e] for e in encryption if e in alg.AEAD]
    classic = [alg.ENCRYPTION[e] for e in encryption if e not in alg.AEAD]
    proposals = []
    if aead and ike_version(policy) == 2:
        proposals.append(_join([*aead, *(alg.PRF[i] for i in integrity), *groups]))
    if classic:
        proposals.append(_join([*classic, *(alg.INTEGRITY[i] for i in integrity), *groups]))
    if not proposals:
        raise alg.UnknownAlgorithmError("the template allows no usable phase 1 proposal")
    return proposals


def esp_proposals(policy: TunnelPolicy) -> list[str]:
    """ESP proposals with the phase 2 DH groups, so rekeys use PFS as AWS requires."""
    encryption = alg.strongest_first(policy.phase2_encryption, alg.ENCRYPTION)
    integrity = alg.strongest_first(policy.phase2_integrity, alg.INTEGRITY)
    groups = [alg.DH_GROUPS[g] for g in alg.strongest_first(policy.phase2_dh_groups, alg.DH_GROUPS)]
    aead = [alg.ENCRYPTION[e] for e in encryption if e in alg.AEAD]
    classic = [alg.ENCRYPTION[e] for e in encryption if e not in alg.AEAD]
    proposals = []
    if aead:
        proposals.append(_join([*aead, *groups]))
    if classic:
        proposals.append(_join([*classic, *(alg.INTEGRITY[i] for i in integrity), *groups]))
    return proposals


def _rand(policy: TunnelPolicy) -> int:
    """AWS randomises its rekey margin by RekeyFuzzPercentage; do the same on this side."""
    return policy.rekey_margin * policy.rekey_fuzz_percent // 100


def _connection(tunnel: Tunnel, facts: DeployFacts) -> list[str]:
    policy = tunnel.policy
    child = [
        f"      {tunnel.name} {{",
        "        local_ts = 0.0.0.0/0",
        "        remote_ts = 0.0.0.0/0",
        f"        esp_proposals = {', '.join(esp_proposals(policy))}",
        f"        rekey_time = {policy.phase2_lifetime - policy.rekey_margin}s",
        f"        life_time = {policy.phase2_lifetime}s",
        f"        rand_time = {_rand(policy)}s",
        f"        replay_window = {policy.replay_window}",
        "        start_action = start",
        "        dpd_action = restart",
        "        close_action = start",
    ]
    if facts.dataplane is Dataplane.XFRM:
        child += [f"        if_id_in = {tunnel.number}", f"        if_id_out = {tunnel.number}"]
    if facts.updown is not None:
        child.append(f"        updown = {facts.updown} {tunnel.interface}")
    version = ike_version(policy)
    lines = [
        f"  {tunnel.name} {{",
        f"    # AWS tunnel {tunnel.number}: inside {tunnel.inside_cidr} "
        f"(AWS {tunnel.aws_inside_ip}, this gateway {tunnel.cgw_inside_ip}), "
        f"interface {tunnel.interface}",
        f"    version = {version}",
        f"    local_addrs = {facts.ike_local_address}",
        f"    remote_addrs = {tunnel.facts.outside_ip}",
        f"    proposals = {', '.join(ike_proposals(policy))}",
        f"    rekey_time = {policy.phase1_lifetime - policy.rekey_margin}s",
        f"    over_time = {policy.rekey_margin}s",
        f"    rand_time = {_rand(policy)}s",
        f"    dpd_delay = {DPD_DELAY_SECONDS}s",
        "    keyingtries = 0",
        "    mobike = no",
    ]
    if version == 1:
        lines.append(f"    dpd_timeout = {policy.dpd_timeout}s")
    lines += [
        "    local {",
        "      auth = psk",
        f"      id = {facts.cgw_outside_ip}",
        "    }",
        "    remote {",
        "      auth = psk",
        f"      id = {tunnel.facts.outside_ip}",
        "    }",
        "    children {",
        *child,
        "      }",
        "    }",
        "  }",
    ]
    return lines


def _quote(secret: str) -> str:
    # AWS PSKs are [A-Za-z0-9._] only; refuse anything that could break out of the quotes.
    if any(c in secret for c in '"\\\n'):
        raise ValueError("pre-shared key contains characters AWS does not allow")
    return f'"{secret}"'


def swanctl_conf(tunnels: Iterable[Tunnel], facts: DeployFacts) -> str:
    """One swanctl.conf holding the given tunnels and, in ``secrets`` only, their PSKs."""
    tunnels = list(tunnels)
    lines = ["# Generated by site_to_site_vpn.customer_side from the VPN's template.", ""]
    lines += ["connections {"]
    for tunnel in tunnels:
        lines += _connection(tunnel, facts)
    lines += ["}", "", "secrets {"]
    for tunnel in tunnels:
        lines += [
            f"  ike-{tunnel.name} {{",
            f"    id = {tunnel.facts.outside_ip}",
            f"    secret = {_quote(tunnel.facts.psk)}",
            "  }",
        ]
    lines += ["}", ""]
    return "\n".join(lines)


def strongswan_conf(tunnels: Iterable[Tunnel], facts: DeployFacts) -> str:
    """charon settings: plugins, route-based operation and DPD timing close to AWS's."""
    dpd_timeout = min(t.policy.dpd_timeout for t in tunnels)
    retransmit_timeout = max(1.0, round(dpd_timeout / _BACKOFF_SUM, 1))
    extra: list[str] = []
    if facts.dataplane is Dataplane.LIBIPSEC:
        extra = [
            "    kernel-netlink {",
            "      # libipsec installs a catch-all route in table 220 despite install_routes;",
            "      # restricting its rule to this mark leaves routing to BGP/static routes.",
            "      fwmark = 0x4242",
            "    }",
        ]
    lines = [
        "# charon settings for the AWS Site-to-Site VPN tunnels (generated).",
        "charon {",
        "  load_modular = no",
        f"  load = {plugins(facts.dataplane)}",
        "  # Route-based VPN: traffic follows routes over the tunnel interfaces, not policies.",
        "  install_routes = no",
        "  install_virtual_ip = no",
        "  make_before_break = yes",
        f"  # IKEv2 DPD gives up after about {dpd_timeout}s, the AWS DPD timeout.",
        f"  retransmit_timeout = {retransmit_timeout}",
        f"  retransmit_base = {RETRANSMIT_BASE}",
        f"  retransmit_tries = {RETRANSMIT_TRIES}",
        "  plugins {",
        *extra,
        "  }",
        "}",
        "",
    ]
    return "\n".join(lines)
