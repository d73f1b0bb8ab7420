"""An independent judge of the rendered vendor files, written from the vendors' documentation.

It does not import the renderers or their tables. For each device it holds a table of every
statement it knows (a pattern per statement, as the vendor's command reference spells it) and
the values each keyword may take; a line matching no statement is an *unknown keyword*. It reads
a file back with ciscoconfparse2 and recovers, in AWS's own terms, what the device would
negotiate and route, for the tests to compare with the template.

Sources (vendor documentation, by page title):
- Cisco: "Configuring Internet Key Exchange Version 2 and FlexVPN Site-to-Site" (IOS XE 17
  Security for VPNs with IPsec configuration guide): crypto ikev2 proposal/policy/keyring/profile,
  encryption aes-cbc-128|aes-cbc-192|aes-cbc-256|aes-gcm-128|aes-gcm-256, integrity/prf
  md5|sha1|sha256|sha384|sha512, group 1|2|5|14|15|16|19|20|21|24, lifetime 120-86400, dpd
  10-3600 2-60 on-demand|periodic; "IPsec Virtual Tunnel Interfaces" (tunnel mode ipsec ipv4 /
  ipsec ipv6, tunnel protection ipsec profile); Cisco IOS Security Command Reference (crypto ipsec
  transform-set esp-aes 128|192|256, esp-gcm 128|256, esp-sha-hmac|esp-sha256-hmac|
  esp-sha384-hmac|esp-sha512-hmac; set pfs group1..group24; set security-association lifetime
  seconds 120-2592000; replay window-size 64|128|256|512|1024; set transform-set up to 6);
  "IP Routing: BGP Configuration Guide" (router bgp, neighbor remote-as/timers/route-map,
  maximum-paths, ip prefix-list, route-map match/set local-preference/set as-path prepend);
  "ip tcp adjust-mss" 500-1460, "ip mtu" 68-9216.
- Juniper: Junos CLI Reference "proposal (Security IKE)" (authentication-method pre-shared-keys,
  encryption-algorithm aes-128-cbc|aes-192-cbc|aes-256-cbc|aes-128-gcm|aes-256-gcm,
  authentication-algorithm md5|sha1|sha-256|sha-384|sha-512, dh-group group1|2|5|14|15|16|19|20|
  21|24, lifetime-seconds 180-86400), "proposal (Security IPsec)" (protocol esp|ah,
  encryption-algorithm as IKE, authentication-algorithm hmac-md5-96|hmac-sha1-96|
  hmac-sha-256-128|hmac-sha-384|hmac-sha-512, lifetime-seconds 180-86400), "policy (Security IKE)"
  (proposals, pre-shared-key ascii-text), "gateway (Security IKE)" (address, ike-policy,
  dead-peer-detection interval 2-60 / threshold 1-5, external-interface, local-address,
  local-identity inet|inet6, version v1-only|v2-only), "policy (Security IPsec)"
  (perfect-forward-secrecy keys groupN, proposals), "vpn (Security)" (bind-interface, ike gateway,
  ike ipsec-policy, establish-tunnels immediately|on-traffic), "tcp-mss (Security Flow)"
  (ipsec-vpn mss 64-65535), "Security Zones" (host-inbound-traffic), "policy-statement",
  "prefix-list", "bgp" (group type external, peer-as, hold-time, multipath, neighbor
  local-address/import/export/description), "autonomous-system", "router-id", "static".
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from typing import Any

from ciscoconfparse2 import CiscoConfParse  # type: ignore[import-untyped]

# --- AWS terms, and strength (security bits, NIST SP 800-57 Part 1 Table 2) -----------------
AES_BITS = {"AES256-GCM-16": 256, "AES256": 256, "AES128-GCM-16": 128, "AES128": 128}
GROUP_BITS = {
    2: 80, 5: 100, 14: 112, 15: 128, 16: 152, 17: 176, 18: 200,
    19: 128, 20: 192, 21: 256, 22: 80, 23: 112, 24: 112,
}  # fmt: skip
HASH_BITS = {"SHA1": 80, "SHA2-256": 128, "SHA2-384": 192, "SHA2-512": 256}


class Unknown(AssertionError):
    """A statement or value the vendor's documentation does not have."""


@dataclass
class TunnelSeen:
    peer: str = ""
    source: str = ""
    inside: str = ""
    mtu: int = 0
    mss: int = 0
    ike_encryption: list[str] = field(default_factory=list)
    ike_integrity: list[str] = field(default_factory=list)
    ike_groups: list[int] = field(default_factory=list)
    esp_encryption: list[str] = field(default_factory=list)
    esp_integrity: list[str] = field(default_factory=list)
    pfs: int = 0
    ike_lifetime: int = 0
    esp_lifetime: int = 0
    dpd_seconds: int = 0
    psk_kept: bool = False


@dataclass
class Seen:
    tunnels: dict[int, TunnelSeen] = field(default_factory=dict)
    local_asn: int = 0
    neighbors: dict[str, int] = field(default_factory=dict)
    hold: dict[str, int] = field(default_factory=dict)
    accept: dict[str, set[str]] = field(default_factory=dict)
    announce: dict[str, set[str]] = field(default_factory=dict)
    local_pref: dict[str, int] = field(default_factory=dict)
    prepend: dict[str, int] = field(default_factory=dict)
    final_deny: dict[str, bool] = field(default_factory=dict)
    multipath: bool = False
    static: dict[str, dict[str, int]] = field(default_factory=dict)


def _one(table: dict[str, Any], value: str, what: str) -> Any:
    if value not in table:
        raise Unknown(f"{what} {value!r} is not a documented value")
    return table[value]


def _in_range(value: str, low: int, high: int, what: str) -> int:
    number = int(value)
    if not low <= number <= high:
        raise Unknown(f"{what} {number} outside the documented {low}-{high}")
    return number


# --- Cisco IOS-XE ---------------------------------------------------------------------------
IOS_IKE_ENC = {
    "aes-cbc-128": "AES128", "aes-cbc-256": "AES256",
    "aes-gcm-128": "AES128-GCM-16", "aes-gcm-256": "AES256-GCM-16",
    "aes-cbc-192": "AES192", "3des": "3DES",
}  # fmt: skip
IOS_HASH = {"sha1": "SHA1", "sha256": "SHA2-256", "sha384": "SHA2-384", "sha512": "SHA2-512"}
IOS_GROUPS = {str(g): g for g in (1, 2, 5, 14, 15, 16, 19, 20, 21, 24)}
IOS_ESP_ENC = {
    "esp-aes 128": "AES128", "esp-aes 256": "AES256", "esp-aes 192": "AES192",
    "esp-gcm 128": "AES128-GCM-16", "esp-gcm 256": "AES256-GCM-16",
}  # fmt: skip
IOS_ESP_AUTH = {
    "esp-sha-hmac": "SHA1", "esp-sha256-hmac": "SHA2-256",
    "esp-sha384-hmac": "SHA2-384", "esp-sha512-hmac": "SHA2-512",
}  # fmt: skip
IOS_PFS = {f"group{g}": g for g in (1, 2, 5, 14, 15, 16, 19, 20, 21, 24)}
IOS_REPLAY = {"64", "128", "256", "512", "1024"}
#: IOS-XE repeats a DPD probe five times at the retry interval.
IOS_DPD_RETRIES = 5

W = r"(\S+)"
#: Every statement the judge knows, by parent (None = top level): pattern -> handler name.
IOS_GRAMMAR: dict[str | None, list[str]] = {
    None: [
        rf"crypto ikev2 proposal {W}", rf"crypto ikev2 policy {W}", rf"crypto ikev2 keyring {W}",
        rf"crypto ikev2 profile {W}", rf"crypto ipsec transform-set {W} (.+)",
        rf"crypto ipsec profile {W}", r"interface Tunnel(\d+)",
        rf"ip prefix-list {W} seq \d+ (permit|deny) {W}", rf"route-map {W} (permit|deny) (\d+)",
        r"router bgp (\d+)", rf"ip route {W} {W} Tunnel(\d+) {W} (\d+)", r"end",
    ],
    "crypto ikev2 proposal": [r"encryption (.+)", r"integrity (.+)", r"prf (.+)", r"group (.+)"],
    "crypto ikev2 policy": [rf"match address local {W}", rf"proposal {W}"],
    "crypto ikev2 keyring": [rf"peer {W}"],
    "peer": [rf"address {W}", rf"pre-shared-key {W}"],
    "crypto ikev2 profile": [
        rf"match identity remote address {W}( 255\.255\.255\.255)?", rf"identity local address {W}",
        r"authentication (remote|local) pre-share", rf"keyring local {W}", r"lifetime (\d+)",
        r"dpd (\d+) (\d+) (on-demand|periodic)",
    ],
    "crypto ipsec transform-set": [r"mode (tunnel|transport)"],
    "crypto ipsec profile": [
        r"set transform-set (.+)", rf"set pfs {W}",
        r"set security-association lifetime seconds (\d+)",
        r"set security-association replay window-size (\d+)", rf"set ikev2-profile {W}",
    ],
    "interface": [
        r"description .*", rf"ip address {W} {W}", r"ip mtu (\d+)", r"ip tcp adjust-mss (\d+)",
        rf"tunnel source {W}", r"tunnel mode (ipsec ipv4|ipsec ipv6 v4-overlay)",
        rf"tunnel destination {W}", rf"tunnel protection ipsec profile {W}", r"no shutdown",
    ],
    "route-map": [rf"match ip address prefix-list {W}", r"set local-preference (\d+)",
                  r"set as-path prepend ([\d ]+)"],
    "router bgp": [
        rf"bgp router-id {W}", r"bgp log-neighbor-changes", rf"neighbor {W} remote-as (\d+)",
        rf"neighbor {W} description \S+", rf"neighbor {W} timers (\d+) (\d+)",
        r"address-family ipv4 unicast", r"exit-address-family",
    ],
    "address-family": [
        rf"network {W} mask {W}", rf"neighbor {W} activate",
        rf"neighbor {W} route-map {W} (in|out)",
        r"maximum-paths (\d+)",
    ],
}  # fmt: skip


def _context(text: str) -> str | None:
    for key in IOS_GRAMMAR:
        if key is not None and text.startswith(key):
            return key
    return None


def _check_ios_tree(obj: Any, parent: str | None) -> None:
    text = obj.text.strip()
    if not any(re.fullmatch(p, text) for p in IOS_GRAMMAR[parent]):
        raise Unknown(f"unknown IOS-XE statement {text!r} under {parent or 'the top level'}")
    for child in obj.children:
        _check_ios_tree(child, _context(text))


def _children(parse: CiscoConfParse, parent: str) -> dict[str, list[str]]:
    return {
        o.text: [c.text.strip() for c in o.children]
        for o in parse.find_parent_objects([rf"^{parent}"])
    } | {o.text: [] for o in parse.find_objects(rf"^{parent}") if not o.children}


def read_ios(text: str) -> Seen:
    """Check every statement against the grammar and recover what IOS-XE would do."""
    parse = CiscoConfParse(text.splitlines(), syntax="ios", ignore_blank_lines=True, loguru=False)
    for obj in parse.objs:
        if obj.indent == 0 and not obj.text.startswith("!"):
            _check_ios_tree(obj, None)
    seen = Seen()
    proposals = _children(parse, "crypto ikev2 proposal ")
    ike_enc, ike_int, ike_groups = [], [], []
    for body in proposals.values():
        for line in body:
            key, _, values = line.partition(" ")
            if key == "encryption":
                ike_enc += [_one(IOS_IKE_ENC, v, "IKEv2 encryption") for v in values.split()]
            elif key in ("integrity", "prf"):
                ike_int += [_one(IOS_HASH, v, f"IKEv2 {key}") for v in values.split()]
            elif key == "group":
                ike_groups += [_one(IOS_GROUPS, v, "IKEv2 group") for v in values.split()]
    transform_sets = {
        m.group(1): m.group(2)
        for o in parse.find_objects(r"^crypto ipsec transform-set ")
        if (m := re.fullmatch(r"crypto ipsec transform-set (\S+) (.+)", o.text))
    }
    profiles = _children(parse, "crypto ipsec profile ")
    ike_profiles = _children(parse, "crypto ikev2 profile ")
    keyrings = [c.text.strip() for o in parse.find_objects(r"^  pre-shared-key ") for c in [o]]
    for name, body in _children(parse, "interface Tunnel").items():
        number = int(name.removeprefix("interface Tunnel"))
        tunnel = TunnelSeen(
            ike_encryption=ike_enc, ike_integrity=sorted(set(ike_int)), ike_groups=ike_groups
        )
        for line in body:
            words = line.split()
            if line.startswith("ip address "):
                tunnel.inside = str(ipaddress.IPv4Interface(f"{words[2]}/{words[3]}"))
            elif line.startswith("ip mtu "):
                tunnel.mtu = _in_range(words[2], 68, 9216, "ip mtu")
            elif line.startswith("ip tcp adjust-mss "):
                tunnel.mss = _in_range(words[3], 500, 1460, "ip tcp adjust-mss")
            elif line.startswith("tunnel source "):
                tunnel.source = words[2]
            elif line.startswith("tunnel destination "):
                tunnel.peer = words[2]
            elif line.startswith("tunnel protection "):
                _read_ios_profile(tunnel, profiles[f"crypto ipsec profile {words[-1]}"],
                                  transform_sets, ike_profiles)  # fmt: skip
        tunnel.psk_kept = len(keyrings) >= number
        seen.tunnels[number] = tunnel
    _read_ios_bgp(parse, seen)
    return seen


def _read_ios_profile(
    tunnel: TunnelSeen,
    body: list[str],
    transform_sets: dict[str, str],
    ike_profiles: dict[str, list[str]],
) -> None:
    for line in body:
        words = line.split()
        if line.startswith("set transform-set "):
            if len(words) - 2 > 6:
                raise Unknown("more than 6 transform sets in one profile")
            for name in words[2:]:
                transforms = transform_sets[name]
                enc = next((v for k, v in IOS_ESP_ENC.items() if transforms.startswith(k)), None)
                if enc is None:
                    raise Unknown(f"transform set {transforms!r}")
                rest = transforms.split()[2:]
                tunnel.esp_encryption.append(enc)
                tunnel.esp_integrity += [_one(IOS_ESP_AUTH, r, "ESP integrity") for r in rest]
        elif line.startswith("set pfs "):
            tunnel.pfs = _one(IOS_PFS, words[2], "PFS group")
        elif "lifetime seconds" in line:
            tunnel.esp_lifetime = _in_range(words[-1], 120, 2_592_000, "SA lifetime")
        elif "replay window-size" in line:
            _one({v: v for v in IOS_REPLAY}, words[-1], "replay window")
        elif line.startswith("set ikev2-profile "):
            for ike_line in ike_profiles[f"crypto ikev2 profile {words[2]}"]:
                parts = ike_line.split()
                if parts[0] == "lifetime":
                    tunnel.ike_lifetime = _in_range(parts[1], 120, 86_400, "IKEv2 lifetime")
                elif parts[0] == "dpd":
                    interval = _in_range(parts[1], 10, 3600, "dpd interval")
                    retry = _in_range(parts[2], 2, 60, "dpd retry")
                    tunnel.dpd_seconds = interval + IOS_DPD_RETRIES * retry
    tunnel.esp_integrity = sorted(set(tunnel.esp_integrity))


def _prefix_lists(lines: list[str], pattern: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for line in lines:
        if m := re.fullmatch(pattern, line):
            found.setdefault(m.group(1), set()).add(m.group(2))
    return found


def _read_ios_bgp(parse: CiscoConfParse, seen: Seen) -> None:
    top = [o.text for o in parse.objs if o.indent == 0]
    lists = _prefix_lists(top, r"ip prefix-list (\S+) seq \d+ permit (\S+)")
    maps: dict[str, dict[str, Any]] = {}
    for head, body in _children(parse, "route-map ").items():
        name, action, _ = head.split()[1:]
        entry = maps.setdefault(name, {"lists": set(), "deny_last": False, "lp": None, "pp": 0})
        if action == "deny" and not body:
            entry["deny_last"] = True
        for line in body:
            words = line.split()
            if line.startswith("match ip address prefix-list "):
                entry["lists"] |= lists[words[-1]]
            elif line.startswith("set local-preference "):
                entry["lp"] = int(words[-1])
            elif line.startswith("set as-path prepend "):
                entry["pp"] = len(words) - 3
    for o in parse.find_objects(r"^ip route "):
        words = o.text.split()
        prefix = str(ipaddress.IPv4Network(f"{words[2]}/{words[3]}"))
        seen.static.setdefault(prefix, {})[words[5]] = int(words[6])
    for router in parse.find_objects(r"^router bgp "):
        seen.local_asn = int(router.text.split()[2])
        for line in (c.text.strip() for c in router.all_children):
            words = line.split()
            if re.fullmatch(r"neighbor \S+ remote-as \d+", line):
                seen.neighbors[words[1]] = int(words[3])
            elif re.fullmatch(r"neighbor \S+ timers \d+ \d+", line):
                seen.hold[words[1]] = int(words[4])
            elif re.fullmatch(r"neighbor \S+ route-map \S+ (in|out)", line):
                entry = maps[words[3]]
                if words[4] == "in":
                    seen.accept[words[1]] = entry["lists"]
                    seen.local_pref[words[1]] = entry["lp"] or 100
                else:
                    seen.announce[words[1]] = entry["lists"]
                    seen.prepend[words[1]] = entry["pp"]
                # IOS-XE route-maps deny what no entry permits (implicit deny).
                seen.final_deny[words[1]] = True
            elif line.startswith("maximum-paths "):
                seen.multipath = int(words[1]) >= 2


# --- Junos ---------------------------------------------------------------------------------
JUNOS_ENC = {
    "aes-128-cbc": "AES128", "aes-192-cbc": "AES192", "aes-256-cbc": "AES256",
    "aes-128-gcm": "AES128-GCM-16", "aes-256-gcm": "AES256-GCM-16",
}  # fmt: skip
JUNOS_IKE_AUTH = {"sha1": "SHA1", "sha-256": "SHA2-256", "sha-384": "SHA2-384",
                  "sha-512": "SHA2-512"}  # fmt: skip
JUNOS_ESP_AUTH = {"hmac-sha1-96": "SHA1", "hmac-sha-256-128": "SHA2-256",
                  "hmac-sha-384": "SHA2-384", "hmac-sha-512": "SHA2-512"}  # fmt: skip
JUNOS_GROUPS = {f"group{g}": g for g in (1, 2, 5, 14, 15, 16, 19, 20, 21, 24)}
N = r"(\S+)"
JUNOS_GRAMMAR = [
    rf"set security ike proposal {N} authentication-method pre-shared-keys",
    rf"set security ike proposal {N} encryption-algorithm {N}",
    rf"set security ike proposal {N} authentication-algorithm {N}",
    rf"set security ike proposal {N} dh-group {N}",
    rf"set security ike proposal {N} lifetime-seconds (\d+)",
    rf"set security ike policy {N} proposals \[ ([^\]]+) \]",
    rf'set security ike policy {N} pre-shared-key ascii-text "[A-Za-z0-9._]+"',
    rf"set security ike gateway {N} ike-policy {N}",
    rf"set security ike gateway {N} address {N}",
    rf"set security ike gateway {N} dead-peer-detection interval (\d+)",
    rf"set security ike gateway {N} dead-peer-detection threshold (\d+)",
    rf"set security ike gateway {N} external-interface {N}",
    rf"set security ike gateway {N} local-address {N}",
    rf"set security ike gateway {N} local-identity (inet|inet6) {N}",
    rf"set security ike gateway {N} version (v1-only|v2-only)",
    rf"set security ipsec proposal {N} protocol esp",
    rf"set security ipsec proposal {N} encryption-algorithm {N}",
    rf"set security ipsec proposal {N} authentication-algorithm {N}",
    rf"set security ipsec proposal {N} lifetime-seconds (\d+)",
    rf"set security ipsec policy {N} perfect-forward-secrecy keys {N}",
    rf"set security ipsec policy {N} proposals \[ ([^\]]+) \]",
    rf"set security ipsec vpn {N} bind-interface st0\.(\d+)",
    rf"set security ipsec vpn {N} ike gateway {N}",
    rf"set security ipsec vpn {N} ike ipsec-policy {N}",
    rf"set security ipsec vpn {N} establish-tunnels (immediately|on-traffic)",
    r"set interfaces st0 unit (\d+) family inet address (\S+)",
    r"set interfaces st0 unit (\d+) family inet mtu (\d+)",
    r"set security flow tcp-mss ipsec-vpn mss (\d+)",
    rf"set security zones security-zone {N} interfaces {N} host-inbound-traffic protocols bgp",
    rf"set security zones security-zone {N} interfaces {N} host-inbound-traffic "
    r"system-services ike",
    rf"set policy-options prefix-list {N} {N}",
    rf"set policy-options policy-statement {N} term {N} from prefix-list {N}",
    rf"set policy-options policy-statement {N} term {N} then local-preference (\d+)",
    rf'set policy-options policy-statement {N} term {N} then as-path-prepend "([\d ]+)"',
    rf"set policy-options policy-statement {N} term {N} then (accept|reject)",
    r"set routing-options autonomous-system (\d+)",
    rf"set routing-options router-id {N}",
    rf"set routing-options static route {N} qualified-next-hop {N} preference (\d+)",
    rf"set protocols bgp group {N} type external",
    rf"set protocols bgp group {N} peer-as (\d+)",
    rf"set protocols bgp group {N} hold-time (\d+)",
    rf"set protocols bgp group {N} multipath",
    rf"set protocols bgp group {N} neighbor {N} description \S+",
    rf"set protocols bgp group {N} neighbor {N} local-address {N}",
    rf"set protocols bgp group {N} neighbor {N} (import|export) {N}",
]


def read_junos(text: str) -> Seen:
    """Check every ``set`` line against the grammar and recover what Junos would do."""
    parse = CiscoConfParse(text.splitlines(), syntax="junos", loguru=False)
    lines = [o.text.strip() for o in parse.objs if o.text.strip() and not o.text.startswith("#")]
    for line in lines:
        if not any(re.fullmatch(p, line) for p in JUNOS_GRAMMAR):
            raise Unknown(f"unknown Junos statement {line!r}")

    def values(pattern: str) -> list[tuple[str, ...]]:
        return [m.groups() for line in lines if (m := re.fullmatch(pattern, line))]

    props: dict[str, dict[str, str]] = {}
    for kind in ("ike", "ipsec"):
        for name, key, value in values(rf"set security {kind} proposal (\S+) (\S+) (\S+)"):
            props.setdefault(name, {})[key] = value
    seen = Seen()
    units = {
        int(u): a for u, a in values(r"set interfaces st0 unit (\d+) family inet address (\S+)")
    }
    mtus = {
        int(u): int(m) for u, m in values(r"set interfaces st0 unit (\d+) family inet mtu (\d+)")
    }
    (mss,) = values(r"set security flow tcp-mss ipsec-vpn mss (\d+)")
    for vpn, unit in values(r"set security ipsec vpn (\S+) bind-interface st0\.(\d+)"):
        (gateway,) = values(rf"set security ipsec vpn {vpn} ike gateway (\S+)")
        (ipsec_policy,) = values(rf"set security ipsec vpn {vpn} ike ipsec-policy (\S+)")
        (ike_policy,) = values(rf"set security ike gateway {gateway[0]} ike-policy (\S+)")
        tunnel = TunnelSeen(inside=units[int(unit)], mtu=mtus[int(unit)], mss=int(mss[0]))
        (tunnel.peer,) = values(rf"set security ike gateway {gateway[0]} address (\S+)")[0]
        (tunnel.source,) = values(rf"set security ike gateway {gateway[0]} local-address (\S+)")[0]
        interval = int(
            values(rf"set security ike gateway {gateway[0]} dead-peer-detection interval (\d+)")[0][
                0
            ]
        )
        threshold = int(
            values(rf"set security ike gateway {gateway[0]} dead-peer-detection threshold (\d+)")[
                0
            ][0]
        )
        _in_range(str(interval), 2, 60, "dead-peer-detection interval")
        _in_range(str(threshold), 1, 5, "dead-peer-detection threshold")
        tunnel.dpd_seconds = interval * threshold
        tunnel.psk_kept = bool(
            values(rf'set security ike policy {ike_policy[0]} pre-shared-key ascii-text "(\S+)"')
        )
        (ike_names,) = values(rf"set security ike policy {ike_policy[0]} proposals \[ ([^\]]+) \]")[
            0
        ]
        for name in ike_names.split():
            p = props[name]
            tunnel.ike_encryption.append(
                _one(JUNOS_ENC, p["encryption-algorithm"], "IKE encryption")
            )
            tunnel.ike_groups.append(_one(JUNOS_GROUPS, p["dh-group"], "IKE dh-group"))
            if "authentication-algorithm" in p:
                tunnel.ike_integrity.append(
                    _one(JUNOS_IKE_AUTH, p["authentication-algorithm"], "IKE auth")
                )
            tunnel.ike_lifetime = _in_range(p["lifetime-seconds"], 180, 86_400, "IKE lifetime")
        (esp_names,) = values(
            rf"set security ipsec policy {ipsec_policy[0]} proposals \[ ([^\]]+) \]"
        )[0]
        for name in esp_names.split():
            p = props[name]
            tunnel.esp_encryption.append(
                _one(JUNOS_ENC, p["encryption-algorithm"], "ESP encryption")
            )
            if "authentication-algorithm" in p:
                tunnel.esp_integrity.append(
                    _one(JUNOS_ESP_AUTH, p["authentication-algorithm"], "ESP auth")
                )
            tunnel.esp_lifetime = _in_range(p["lifetime-seconds"], 180, 86_400, "IPsec lifetime")
        (pfs,) = values(
            rf"set security ipsec policy {ipsec_policy[0]} perfect-forward-secrecy keys (\S+)"
        )[0]
        tunnel.pfs = _one(JUNOS_GROUPS, pfs, "PFS group")
        tunnel.ike_integrity = sorted(set(tunnel.ike_integrity))
        tunnel.esp_integrity = sorted(set(tunnel.esp_integrity))
        seen.tunnels[int(unit)] = tunnel
    _read_junos_routing(values, seen)
    return seen


def _read_junos_routing(values: Any, seen: Seen) -> None:
    lists: dict[str, set[str]] = {}
    for name, prefix in values(r"set policy-options prefix-list (\S+) (\S+)"):
        lists.setdefault(name, set()).add(prefix)
    policies: dict[str, dict[str, Any]] = {}
    for name, _term, kind in values(
        r"set policy-options policy-statement (\S+) term (\S+) from prefix-list (\S+)"
    ):
        policies.setdefault(name, {"lists": set(), "lp": 100, "pp": 0, "terms": []})["lists"] |= (
            lists[kind]
        )
    for name, _, lp in values(
        r"set policy-options policy-statement (\S+) term (\S+) then local-preference (\d+)"
    ):
        policies[name]["lp"] = int(lp)
    for name, _, asns in values(
        r'set policy-options policy-statement (\S+) term (\S+) then as-path-prepend "([\d ]+)"'
    ):
        policies[name]["pp"] = len(asns.split())
    for name, term, action in values(
        r"set policy-options policy-statement (\S+) term (\S+) then (accept|reject)"
    ):
        policies.setdefault(name, {"lists": set(), "lp": 100, "pp": 0, "terms": []})[
            "terms"
        ].append((term, action))
    for (asn,) in values(r"set routing-options autonomous-system (\d+)"):
        seen.local_asn = int(asn)
    peer_as = {g: int(a) for g, a in values(r"set protocols bgp group (\S+) peer-as (\d+)")}
    hold = {g: int(h) for g, h in values(r"set protocols bgp group (\S+) hold-time (\d+)")}
    seen.multipath = bool(values(r"set protocols bgp group (\S+) (multipath)"))
    for group, neighbor, direction, name in values(
        r"set protocols bgp group (\S+) neighbor (\S+) (import|export) (\S+)"
    ):
        seen.neighbors[neighbor] = peer_as[group]
        seen.hold[neighbor] = hold[group]
        policy = policies[name]
        # Junos accepts by default: the last term must reject, after the accepting ones.
        seen.final_deny[neighbor] = bool(policy["terms"]) and policy["terms"][-1][1] == "reject"
        if direction == "import":
            seen.accept[neighbor], seen.local_pref[neighbor] = policy["lists"], policy["lp"]
        else:
            seen.announce[neighbor], seen.prepend[neighbor] = policy["lists"], policy["pp"]
    for prefix, hop, preference in values(
        r"set routing-options static route (\S+) qualified-next-hop (\S+) preference (\d+)"
    ):
        seen.static.setdefault(prefix, {})[hop] = int(preference)


READERS = {"cisco-ios-xe": read_ios, "junos": read_junos}
