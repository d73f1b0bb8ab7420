"""libreswan (pluto) + BIRD 2 customer-gateway files for one VPN connection.

Route-based: each tunnel is an XFRM interface ``ipsec1``/``ipsec2`` (``ipsec-interface=N``) with
0.0.0.0/0 selectors both ways, so BIRD (or its static routes) decides what crosses which tunnel.
The customer side initiates (``auto=start``) and restarts after dead-peer detection
(``dpdaction=restart``, ``keyingtries=%forever``). The PSKs are in ``ipsec.secrets`` only.

Proven live in the lab (``python -m lab``, libreswan 4.10 from Debian 12): see
docs/guides/devices.md (libreswan + BIRD 2) for what ran and what this machine's kernel could
not run.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from site_to_site_vpn.customer_side import algorithms as alg
from site_to_site_vpn.customer_side import bird, nftables
from site_to_site_vpn.customer_side.devices import DeviceCannotError
from site_to_site_vpn.customer_side.facts import Dataplane, DeployFacts
from site_to_site_vpn.customer_side.render import RenderedConfig, _backstop
from site_to_site_vpn.customer_side.strongswan import DPD_DELAY_SECONDS, ike_version
from site_to_site_vpn.customer_side.strongswan import _quote as quote
from site_to_site_vpn.customer_side.template import TunnelPolicy, vpn_policy
from site_to_site_vpn.customer_side.tunnels import Tunnel, resolve

DEVICE: Final = "libreswan"
#: The man page every keyword below is read from: ipsec.conf(5) of libreswan 4.10 (Debian 12's
#: package 4.10-2+deb12u1; online at https://libreswan.org/man/ipsec.conf.5.html).
MAN: Final = "ipsec.conf(5) libreswan 4.10"


@dataclass(frozen=True)
class Keyword:
    """One AWS tunnel-option value in libreswan's words; ``None`` when libreswan cannot do it."""

    libreswan: str | None
    source: str


#: AWS value -> libreswan keyword, one row per value, each with the man-page passage it rests on.
#: Order does not matter here: strength order comes from ``algorithms`` (one rule, written once).
KEYWORDS: Final[Mapping[str | int, Keyword]] = {
    "AES256-GCM-16": Keyword("aes_gcm256", f"{MAN}, ike: 'The default AES_GCM ICV is 16 bytes'"),
    "AES128-GCM-16": Keyword(
        "aes_gcm128", f"{MAN}, ike: 'aes_gcm without postfix ... 16 byte ICV'"
    ),
    "AES256": Keyword("aes256", f"{MAN}, ike: 'ike=aes256-sha2;dh19'"),
    "AES128": Keyword("aes128", f"{MAN}, ike: 'ike=aes128-md5;modp2048'"),
    "SHA2-512": Keyword("sha2_512", f"{MAN}, ike: 'ike=aes_gcm256-sha2' (sha2_512 family)"),
    "SHA2-384": Keyword("sha2_384", f"{MAN}, ike: 'ike=aes_gcm256-sha2' (sha2_384 family)"),
    "SHA2-256": Keyword("sha2_256", f"{MAN}, sha2-truncbug: 'default ... for sha2_256'"),
    "SHA1": Keyword("sha1", f"{MAN}, ike: 'ike=3des-sha1,aes-sha1'"),
    2: Keyword(None, f"{MAN}, ike: 'As of libreswan 4.x, modp1024(dh2) ... no longer compiled in'"),
    5: Keyword("modp1536", f"{MAN}, ike: 'SHA1 and MODP1536(dh5) are still allowed'"),
    14: Keyword("modp2048", f"{MAN}, ike: 'ike=aes128-md5;modp2048'"),
    15: Keyword("modp3072", f"{MAN}, ike: 'the dh keyword can be used instead of modp'"),
    16: Keyword("modp4096", f"{MAN}, ike: 'the dh keyword can be used instead of modp'"),
    17: Keyword("modp6144", f"{MAN}, ike: 'the dh keyword can be used instead of modp'"),
    18: Keyword("modp8192", f"{MAN}, ike: 'the dh keyword can be used instead of modp'"),
    19: Keyword("dh19", f"{MAN}, ike: 'groups 19,20 and 21 from RFC-5903 are supported'"),
    20: Keyword("dh20", f"{MAN}, ike: 'groups 19,20 and 21 from RFC-5903 are supported'"),
    21: Keyword("dh21", f"{MAN}, ike: 'groups 19,20 and 21 from RFC-5903 are supported'"),
    22: Keyword(None, f"{MAN}, ike: 'groups 22, 23 and 24 ... not compiled in by default'"),
    23: Keyword(None, f"{MAN}, ike: 'groups 22, 23 and 24 ... not compiled in by default'"),
    24: Keyword(None, f"{MAN}, ike: 'groups 22, 23 and 24 ... not compiled in by default'"),
}


#: What the lab ran (``python -m lab --stack libreswan-bird``) and what was only parsed.
PROVEN: Final = (
    "Proven live against a template-configured AWS side: pluto's IKE and CHILD SA negotiation "
    "(proposals, PSK, IDs) on both tunnels; BIRD's BGP, filters, primary/secondary and failover."
)
PARSED_ONLY: Final = (
    "Checked by parsing only (libreswan's addconn/algparse, bird -p): the ipsec-interface data "
    "plane, IKEv1, active-active, dx-backup and the static variant."
)


class LibreswanCannotError(DeviceCannotError, alg.UnknownAlgorithmError):
    """The template asks for something libreswan cannot do; one line naming it and the device
    (the registry's :class:`DeviceCannotError`)."""


def _keywords(names: Iterable[str | int], what: str) -> list[str]:
    found = []
    for name in names:
        keyword = KEYWORDS[name].libreswan
        if keyword is None:
            raise LibreswanCannotError(
                DEVICE,
                f"do {what} {name} ({KEYWORDS[name].source}); "
                "remove it from the template's allowed list",
            )
        found.append(keyword)
    return found


def _phase(policy: TunnelPolicy, phase: int) -> tuple[list[str], list[str], list[str], list[str]]:
    """(AEAD ciphers, classic ciphers, integrity, DH groups) of one phase, strongest first."""
    enc, integ, groups = (
        (policy.phase1_encryption, policy.phase1_integrity, policy.phase1_dh_groups)
        if phase == 1
        else (policy.phase2_encryption, policy.phase2_integrity, policy.phase2_dh_groups)
    )
    ordered = alg.strongest_first(enc, alg.ENCRYPTION)
    aead = _keywords([e for e in ordered if e in alg.AEAD], f"phase {phase} encryption")
    classic = _keywords([e for e in ordered if e not in alg.AEAD], f"phase {phase} encryption")
    integrity = _keywords(alg.strongest_first(integ, alg.INTEGRITY), f"phase {phase} integrity")
    dh = _keywords(alg.strongest_first(groups, alg.DH_GROUPS), f"phase {phase} DH group")
    return aead, classic, integrity, dh


def _proposal(ciphers: list[str], integrity: list[str], groups: list[str]) -> str:
    """IKEv2 form: '+' joins the alternatives inside one proposal (man page, ike=)."""
    return f"{'+'.join(ciphers)}-{'+'.join(integrity)};{'+'.join(groups)}"


def ike_proposals(policy: TunnelPolicy) -> list[str]:
    """``ike=`` proposals: AEAD (GCM with the hash as PRF) and classic, never mixed (man page).

    IKEv1 cannot combine alternatives with '+', and GCM is IKEv2-only there: the classic
    combinations are then listed one by one, strongest first.
    """
    aead, classic, integrity, groups = _phase(policy, 1)
    if ike_version(policy) == 1:
        return [f"{c}-{i};{g}" for c, i, g in itertools.product(classic, integrity, groups)]
    return [_proposal(ciphers, integrity, groups) for ciphers in (aead, classic) if ciphers]


def esp_proposals(policy: TunnelPolicy) -> list[str]:
    """``esp=`` proposals with the phase 2 groups, so rekeys use PFS; AEAD takes ``null``."""
    aead, classic, integrity, groups = _phase(policy, 2)
    proposals = []
    if aead:
        proposals.append(_proposal(aead, ["null"], groups))
    if classic:
        proposals.append(_proposal(classic, integrity, groups))
    return proposals


def _conn(tunnel: Tunnel, facts: DeployFacts) -> list[str]:
    policy = tunnel.policy
    lines = [
        f"conn {tunnel.name}",
        f"    # AWS tunnel {tunnel.number}: inside {tunnel.inside_cidr} (AWS "
        f"{tunnel.aws_inside_ip}, this gateway {tunnel.cgw_inside_ip}), interface "
        f"{tunnel.interface}",
        f"    ikev2={'yes' if ike_version(policy) == 2 else 'no'}",
        "    authby=secret",
        f"    left={facts.cgw_outside_ip}",
        f"    leftid={facts.cgw_outside_ip}",
        f"    right={tunnel.facts.outside_ip}",
        f"    rightid={tunnel.facts.outside_ip}",
        "    # Equal 0/0 selectors: routing is BIRD's job, over the ipsec-interface.",
        "    leftsubnet=0.0.0.0/0",
        "    rightsubnet=0.0.0.0/0",
        f"    ipsec-interface={tunnel.number}",
        f"    ike={','.join(ike_proposals(policy))}",
        f"    esp={','.join(esp_proposals(policy))}",
        "    pfs=yes",
        f"    ikelifetime={policy.phase1_lifetime}s",
        f"    salifetime={policy.phase2_lifetime}s",
        f"    rekeymargin={policy.rekey_margin}s",
        f"    rekeyfuzz={policy.rekey_fuzz_percent}%",
        f"    replay-window={policy.replay_window}",
        f"    dpddelay={DPD_DELAY_SECONDS}",
        # IKEv2 liveness gives up after retransmit-timeout; pluto ignores dpdtimeout there.
        (
            f"    retransmit-timeout={policy.dpd_timeout}s"
            if ike_version(policy) == 2
            else f"    dpdtimeout={policy.dpd_timeout}"
        ),
        "    dpdaction=restart",
        "    keyingtries=%forever",
        "    mobike=no",
        "    auto=start",
    ]
    if facts.updown is not None:
        lines.append(f'    leftupdown="{facts.updown} {tunnel.interface}"')
    return [*lines, ""]


def ipsec_conf(tunnels: Iterable[Tunnel], facts: DeployFacts) -> str:
    """ipsec.conf with one ``conn`` per tunnel; no secret in it."""
    lines = [
        "# libreswan for the AWS Site-to-Site VPN tunnels (generated from the VPN's template).",
        "# Keywords: ipsec.conf(5), libreswan 4.10. PSKs are in ipsec.secrets.",
        f"# {PROVEN}",
        f"# {PARSED_ONLY}",
        "config setup",
        "    uniqueids=yes",
        "",
    ]
    for tunnel in tunnels:
        lines += _conn(tunnel, facts)
    return "\n".join(lines)


def ipsec_secrets(tunnels: Iterable[Tunnel], facts: DeployFacts) -> str:
    """``ipsec.secrets(5)``: one PSK line per tunnel, selected by both IDs."""
    lines = ["# Pre-shared keys of the AWS tunnels (generated; keep mode 0600)."]
    lines += [
        f"{facts.cgw_outside_ip} {tunnel.facts.outside_ip} : PSK {quote(tunnel.facts.psk)}"
        for tunnel in tunnels
    ]
    return "\n".join([*lines, ""])


def interfaces_sh(tunnels: tuple[Tunnel, Tunnel], facts: DeployFacts) -> str:
    """Create ``ipsecN`` (XFRM if_id N, as pluto expects) with its inside address and MTU.

    Safe to run twice: each step checks or replaces instead of adding.
    """
    mtu = nftables.tunnel_mtu(Dataplane.XFRM, outside_ipv6=facts.outside_ipv6)
    lines = ["#!/bin/sh", "# Tunnel interfaces for libreswan's AWS tunnels (generated).", "set -e"]
    for tunnel in tunnels:
        name = tunnel.interface
        lines += [
            f"ip link show {name} >/dev/null 2>&1 || "
            f"ip link add {name} type xfrm if_id {tunnel.number}",
            f"ip addr replace {tunnel.cgw_inside_ip}/{tunnel.inside_cidr.prefixlen} dev {name}",
            f"ip link set {name} mtu {mtu} up",
        ]
    return "\n".join([*lines, *_backstop(tunnels, facts), ""])


def render_libreswan(
    *, vpn_properties: Mapping[str, Any], customer_asn: int, facts: DeployFacts
) -> RenderedConfig:
    """libreswan + BIRD 2 files for the VPN connection whose template ``Properties`` are given."""
    if facts.dataplane is not Dataplane.XFRM:
        raise LibreswanCannotError(
            DEVICE,
            f"use --dataplane {facts.dataplane.value}: it has no userspace ESP and needs the "
            "kernel's XFRM data plane (Dataplane.XFRM)",
        )
    policy = vpn_policy(vpn_properties)
    tunnels = tuple(
        dataclasses.replace(t, interface=f"ipsec{t.number}") for t in resolve(policy, facts)
    )
    pair = (tunnels[0], tunnels[1])
    return RenderedConfig(
        files={
            "ipsec.conf": ipsec_conf(pair, facts),
            "ipsec.secrets": ipsec_secrets(pair, facts),
            "interfaces.sh": interfaces_sh(pair, facts),
            "nftables.conf": nftables.mss_clamp_conf((t.interface for t in pair), Dataplane.XFRM),
            "bird.conf": bird.bird_conf(
                pair, facts, customer_asn, static_routes_only=policy.static_routes_only
            ),
        }
    )
