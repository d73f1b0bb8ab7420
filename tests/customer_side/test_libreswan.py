"""libreswan + BIRD 2 files: parsed back, checked by libreswan's and BIRD's own parsers."""

from __future__ import annotations

import dataclasses
import ipaddress
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from lab.pluto import LIBRESWAN_PREFIX
from site_to_site_vpn.customer_side import Dataplane, DeployFacts, PathPreference, RenderedConfig
from site_to_site_vpn.customer_side import algorithms as alg
from site_to_site_vpn.customer_side.libreswan import (
    KEYWORDS,
    LibreswanCannotError,
    render_libreswan,
)
from tests.customer_side.spec_edits import set_both as _set_both
from tests.customer_side.spec_edits import values as _values
from tests.support import PSKS, make_facts

CUSTOMER_ASN = 65010
ALGPARSE = LIBRESWAN_PREFIX / "usr/libexec/ipsec/algparse"
ADDCONN = LIBRESWAN_PREFIX / "usr/libexec/ipsec/addconn"


def _render(props: dict[str, Any], facts: DeployFacts) -> RenderedConfig:
    return render_libreswan(vpn_properties=props, customer_asn=CUSTOMER_ASN, facts=facts)


def parse_conns(text: str) -> dict[str, dict[str, str]]:
    """ipsec.conf(5) read back: ``conn NAME`` sections of indented ``key=value`` lines."""
    conns: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            words = line.split()
            current = conns.setdefault(words[1], {}) if words[0] == "conn" else None
            continue
        key, _, value = line.strip().partition("=")
        if current is not None:
            assert key not in current, f"{key} given twice"
            current[key] = value
    return conns


def test_conns_carry_the_templates_options(props: dict[str, Any], facts: DeployFacts) -> None:
    _set_both(
        props,
        Phase1EncryptionAlgorithms=_values("AES128", "AES256-GCM-16"),
        Phase1IntegrityAlgorithms=_values("SHA2-256", "SHA2-512"),
        Phase1DHGroupNumbers=_values(14, 20),
        Phase2EncryptionAlgorithms=_values("AES128-GCM-16", "AES256"),
        Phase2IntegrityAlgorithms=_values("SHA2-384"),
        Phase2DHGroupNumbers=_values(19, 21, 5),
        Phase1LifetimeSeconds=7200,
        Phase2LifetimeSeconds=1800,
        RekeyMarginTimeSeconds=300,
        RekeyFuzzPercentage=40,
        ReplayWindowSize=512,
        DPDTimeoutSeconds=45,
    )
    conns = parse_conns(_render(props, facts).files["ipsec.conf"])
    assert sorted(conns) == ["aws-tunnel-1", "aws-tunnel-2"]
    for number, (name, conn) in enumerate(sorted(conns.items()), start=1):
        assert conn["ike"] == (
            "aes_gcm256-sha2_512+sha2_256;dh20+modp2048,aes128-sha2_512+sha2_256;dh20+modp2048"
        )
        assert conn["esp"] == (
            "aes_gcm128-null;dh21+dh19+modp1536,aes256-sha2_384;dh21+dh19+modp1536"
        )
        assert (conn["ikelifetime"], conn["salifetime"]) == ("7200s", "1800s")
        assert (conn["rekeymargin"], conn["rekeyfuzz"]) == ("300s", "40%")
        assert conn["replay-window"] == "512"
        assert (conn["dpddelay"], conn["dpdaction"]) == ("10", "restart")
        assert conn["retransmit-timeout"] == "45s"  # IKEv2 liveness; pluto ignores dpdtimeout
        assert conn["ipsec-interface"] == str(number)
        assert conn["ikev2"] == "yes"
        assert conn["left"] == conn["leftid"] == "198.51.100.10"
        assert conn["right"] == conn["rightid"] == f"192.0.2.{number}0", name
        assert (conn["leftsubnet"], conn["rightsubnet"]) == ("0.0.0.0/0", "0.0.0.0/0")
        assert conn["authby"] == "secret"
        assert conn["auto"] == "start"


def test_ikev1_only_lists_each_combination_strongest_first(
    props: dict[str, Any], facts: DeployFacts
) -> None:
    _set_both(
        props,
        IKEVersions=_values("ikev1"),
        Phase1EncryptionAlgorithms=_values("AES128", "AES256"),
        Phase1IntegrityAlgorithms=_values("SHA2-256"),
        Phase1DHGroupNumbers=_values(14, 19),
    )
    conn = parse_conns(_render(props, facts).files["ipsec.conf"])["aws-tunnel-1"]
    assert conn["ikev2"] == "no"
    assert conn["dpdtimeout"] == "30"
    assert conn["ike"] == (
        "aes256-sha2_256;dh19,aes256-sha2_256;modp2048,aes128-sha2_256;dh19,aes128-sha2_256;modp2048"
    )


def test_psks_only_in_ipsec_secrets_written_0600(
    props: dict[str, Any], facts: DeployFacts, tmp_path: Path
) -> None:
    rendered = _render(props, facts)
    secrets = rendered.files["ipsec.secrets"]
    assert f'198.51.100.10 192.0.2.10 : PSK "{PSKS[0]}"' in secrets
    assert f'198.51.100.10 192.0.2.20 : PSK "{PSKS[1]}"' in secrets
    for name, text in rendered.files.items():
        if name != "ipsec.secrets":
            assert not any(psk in text for psk in PSKS), name
    assert not any(psk in repr(rendered) for psk in PSKS)
    for path in rendered.write(tmp_path / "out"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


@pytest.mark.parametrize(
    ("key", "value", "what"),
    [
        ("Phase1DHGroupNumbers", 22, "phase 1 DH group 22"),
        ("Phase1DHGroupNumbers", 2, "phase 1 DH group 2"),
        ("Phase2DHGroupNumbers", 24, "phase 2 DH group 24"),
    ],
)
def test_an_algorithm_libreswan_lacks_is_a_one_line_refusal(
    props: dict[str, Any], facts: DeployFacts, key: str, value: int, what: str
) -> None:
    _set_both(props, **{key: _values(20, value)})
    with pytest.raises(LibreswanCannotError) as refused:
        _render(props, facts)
    message = str(refused.value)
    assert "\n" not in message
    assert message.startswith(f"libreswan cannot do {what} ")


def test_the_userspace_strongswan_dataplane_is_refused(props: dict[str, Any]) -> None:
    with pytest.raises(LibreswanCannotError, match="no userspace ESP"):
        _render(props, make_facts(dataplane=Dataplane.LIBIPSEC))


def test_every_aws_algorithm_has_one_cited_row() -> None:
    assert set(KEYWORDS) == {*alg.ENCRYPTION, *alg.INTEGRITY, *alg.DH_GROUPS}
    assert all("libreswan 4.10" in row.source for row in KEYWORDS.values())
    assert {k for k, row in KEYWORDS.items() if row.libreswan is None} == {2, 22, 23, 24}


def test_interfaces_are_ipsec_n_with_the_aws_mtu_and_mss(
    props: dict[str, Any], facts: DeployFacts
) -> None:
    files = _render(props, facts).files
    script = files["interfaces.sh"]
    assert "ip link add ipsec1 type xfrm if_id 1" in script
    assert "ip link set ipsec2 mtu 1446 up" in script
    assert "ip addr replace 169.254.11.2/30 dev ipsec2" in script
    assert '{ "ipsec1", "ipsec2" }' in files["nftables.conf"]
    assert "maxseg size set 1379" in files["nftables.conf"]


FAKE_IP = r"""#!{python}
# A stand-in for iproute2 that keeps links, addresses and rules in a JSON file and fails as
# `ip` does on duplicates, so running a script twice shows whether it is idempotent.
import json, sys
from pathlib import Path
state_path = Path(sys.argv[0]).with_name("state.json")
state = json.loads(state_path.read_text()) if state_path.exists() else {{}}
args = sys.argv[1:]
def fail(why):
    print("RTNETLINK answers: " + why, file=sys.stderr); sys.exit(2)
links, addrs = state.setdefault("links", {{}}), state.setdefault("addrs", {{}})
rules, routes = state.setdefault("rules", {{}}), state.setdefault("routes", {{}})
if args[:2] == ["link", "show"]:
    sys.exit(0 if args[2] in links else 1)
elif args[:2] == ["link", "add"]:
    if args[2] in links: fail("File exists")
    links[args[2]] = {{"up": False, "mtu": 1500}}
elif args[:2] == ["link", "set"]:
    if args[2] not in links: fail("Cannot find device")
    links[args[2]].update(mtu=int(args[4]) if "mtu" in args else links[args[2]]["mtu"],
                          up="up" in args)
elif args[:2] in (["addr", "add"], ["addr", "replace"]):
    dev = args[args.index("dev") + 1]
    if dev not in links: fail("Cannot find device")
    if args[1] == "add" and args[2] in addrs.get(dev, []): fail("File exists")
    addrs.setdefault(dev, [])
    if args[2] not in addrs[dev]: addrs[dev].append(args[2])
elif args[:2] == ["rule", "del"]:
    if rules.pop(args[3], None) is None: fail("No such file or directory")
elif args[:2] == ["rule", "add"]:
    if args[3] in rules: fail("File exists")
    rules[args[3]] = " ".join(args[4:])
elif args[:2] == ["route", "replace"]:
    routes[args[2]] = " ".join(args[3:])
else:
    fail("unexpected " + " ".join(args))
state_path.write_text(json.dumps(state, sort_keys=True))
"""


@pytest.mark.slow
def test_interfaces_sh_runs_twice_to_the_same_state(props: dict[str, Any], tmp_path: Path) -> None:
    facts = make_facts(remote=("10.0.0.0/16",))
    script = tmp_path / "interfaces.sh"
    script.write_text(_render(props, facts).files["interfaces.sh"])
    fake = tmp_path / "bin" / "ip"
    fake.parent.mkdir()
    fake.write_text(FAKE_IP.format(python=sys.executable))
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{fake.parent}:{os.environ['PATH']}"}
    states = []
    for _ in range(2):
        run = subprocess.run(
            ["sh", str(script)], check=False, env=env, capture_output=True, text=True
        )
        assert run.returncode == 0, run.stderr
        states.append((tmp_path / "bin" / "state.json").read_text())
    assert states[0] == states[1]
    assert '"ipsec1": {"mtu": 1446, "up": true}' in states[1]
    assert "169.254.10.2/30" in states[1]


def _bird(props: dict[str, Any], path: PathPreference, *, static: bool = False) -> str:
    if static:
        props["StaticRoutesOnly"] = True
    return _render(props, make_facts(path=path, remote=("10.0.0.0/16",))).files["bird.conf"]


def _filter(text: str, name: str) -> str:
    found = re.search(rf"^filter {name} \{{\n(.*?)^\}}", text, re.M | re.S)
    assert found, name
    return found[1]


@pytest.mark.parametrize(
    ("path", "local_prefs", "prepends"),
    [
        (PathPreference.PRIMARY_SECONDARY, (None, 50), (0, 2)),
        (PathPreference.ACTIVE_ACTIVE, (None, None), (0, 0)),
        (PathPreference.DX_BACKUP, (50, 40), (2, 3)),
    ],
)
def test_bird_filters_prefer_and_end_in_reject(
    props: dict[str, Any],
    path: PathPreference,
    local_prefs: tuple[int | None, int | None],
    prepends: tuple[int, int],
) -> None:
    text = _bird(props, path)
    assert "define AWS_PREFIXES = [ 10.0.0.0/16 ];" in text
    assert "define ONPREM_PREFIXES = [ 172.16.0.0/16 ];" in text
    for number, local_pref, prepend in zip((1, 2), local_prefs, prepends, strict=True):
        into = _filter(text, f"aws_tunnel_{number}_in")
        out = _filter(text, f"aws_tunnel_{number}_out")
        assert into.strip().endswith("reject;")
        assert out.strip().endswith("reject;")
        assert "if net ~ AWS_PREFIXES then" in into
        assert "if net ~ ONPREM_PREFIXES" in out
        found = re.findall(r"bgp_local_pref = (\d+);", into)
        assert found == ([] if local_pref is None else [str(local_pref)])
        assert out.count(f"bgp_path.prepend({CUSTOMER_ASN});") == prepend
        assert f"local 169.254.1{number - 1}.2 as {CUSTOMER_ASN};" in text
        assert f"neighbor 169.254.1{number - 1}.1 as 64512;" in text
    assert ("merge paths on;" in text) is (path is PathPreference.ACTIVE_ACTIVE)
    assert "hold time 30;" in text
    assert "keepalive time 10;" in text
    assert text.count("graceful restart off;") == 2  # found live: else failover waits for DPD
    assert text.count("error wait time 5, 60;") == 2  # found live: else 60 s before reconnecting


def test_bird_static_variant_routes_over_both_tunnels(props: dict[str, Any]) -> None:
    text = _bird(props, PathPreference.PRIMARY_SECONDARY, static=True)
    assert "protocol bgp" not in text
    assert 'route 10.0.0.0/16 via "ipsec1";' in text
    assert 'route 10.0.0.0/16 via "ipsec2";' in text
    assert re.findall(r"preference (\d+);", text) == ["200", "190"]
    equal = _bird(props, PathPreference.ACTIVE_ACTIVE, static=True)
    assert 'route 10.0.0.0/16 via "ipsec1" via "ipsec2";' in equal


CASES = [
    (path, static)
    for path in PathPreference
    for static in (False, True)
    if not (static and path is PathPreference.DX_BACKUP)
]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("bird") is None, reason="BIRD 2 not installed (.ci/run does)")
@pytest.mark.parametrize(("path", "static"), CASES)
def test_bird_parses_every_variant(
    props: dict[str, Any], tmp_path: Path, path: PathPreference, static: bool
) -> None:
    conf = tmp_path / "bird.conf"
    conf.write_text(_bird(props, path, static=static))
    parsed = subprocess.run(
        ["bird", "-p", "-c", str(conf)], check=False, capture_output=True, text=True
    )
    assert parsed.returncode == 0, parsed.stderr


def _algparse(proposal: str) -> str:
    run = subprocess.run(
        [str(ALGPARSE), "-v2", proposal], check=False, capture_output=True, text=True
    )
    return run.stdout + run.stderr


def _checkconfig(rendered: RenderedConfig, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """libreswan's ``addconn --checkconfig`` on the rendered files, written to ``tmp_path``."""
    rendered.write(tmp_path)
    return subprocess.run(
        [str(ADDCONN), "--config", str(tmp_path / "ipsec.conf"), "--checkconfig"],
        check=False,
        capture_output=True,
        text=True,
    )


@pytest.mark.slow
@pytest.mark.skipif(not ALGPARSE.exists(), reason=f"libreswan not unpacked in {LIBRESWAN_PREFIX}")
def test_libreswans_own_parsers_accept_the_files(
    props: dict[str, Any], facts: DeployFacts, tmp_path: Path
) -> None:
    for spec in props["VpnTunnelOptionsSpecifications"]:  # everything AWS allows ...
        for key in [k for k in spec if k.startswith(("Phase1", "Phase2")) and "Algorithm" in k]:
            del spec[key]
        spec["Phase1DHGroupNumbers"] = _values(*(g for g in alg.DH_GROUPS if KEYWORDS[g].libreswan))
        spec["Phase2DHGroupNumbers"] = spec["Phase1DHGroupNumbers"]
    rendered = _render(props, facts)
    conn = parse_conns(rendered.files["ipsec.conf"])["aws-tunnel-1"]
    for kind in ("ike", "esp"):
        out = _algparse(f"{kind}={conn[kind]}")
        assert "ERROR" not in out, out
    for name, row in KEYWORDS.items():  # ... and exactly the rows marked unsupported fail
        if isinstance(name, int):
            keyword = row.libreswan or ("modp1024" if name == 2 else f"dh{name}")
            proposal = f"ike=aes256-sha2_256;{keyword}"
        elif name in alg.ENCRYPTION:
            proposal = f"ike={row.libreswan}-sha2_256;dh19"
        else:
            proposal = f"ike=aes256-{row.libreswan};dh19"
        out = _algparse(proposal)
        assert ("ERROR" in out) is (row.libreswan is None), (name, out)
    check = _checkconfig(rendered, tmp_path)
    assert check.returncode == 0, check.stderr
    assert "warning" not in check.stderr, check.stderr


def test_ipv6_outside_addresses(props: dict[str, Any], tmp_path: Path) -> None:
    props["OutsideIpAddressType"] = "Ipv6"
    v6 = DeployFacts(
        tunnels=tuple(  # type: ignore[arg-type]
            dataclasses.replace(t, outside_ip=ipaddress.ip_address(f"2001:db8:a::{n}0"))
            for n, t in enumerate(make_facts().tunnels, start=1)
        ),
        cgw_outside_ip=ipaddress.ip_address("2001:db8:5::10"),
        amazon_side_asn=64512,
        onprem_prefixes=(ipaddress.IPv4Network("172.16.0.0/16"),),
    )
    rendered = _render(props, v6)
    conn = parse_conns(rendered.files["ipsec.conf"])["aws-tunnel-2"]
    assert (conn["left"], conn["right"]) == ("2001:db8:5::10", "2001:db8:a::20")
    assert "ip link set ipsec1 mtu 1426 up" in rendered.files["interfaces.sh"]
    assert "router id 169.254.10.2;" in rendered.files["bird.conf"]
    if ADDCONN.exists():
        check = _checkconfig(rendered, tmp_path)
        assert check.returncode == 0, check.stderr
