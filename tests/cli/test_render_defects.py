"""Issue 23's render defects, reproduced as a user meets them: the CLI as a subprocess on
templates synthesized from the README's examples, from the user's own directory."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from tests.cli.render_support import (
    PSKS,
    SITES_STACK,
    json_blocks,
    readme_examples_template,
    run_s2svpn,
    shell_commands,
    site_names,
    sites_template,
    write_template,
)
from tests.support import REPO

pytestmark = pytest.mark.slow

TUNNELS = ("--tunnel1-outside-ip", "192.0.2.10", "--tunnel2-outside-ip", "192.0.2.20")
KEYS = ("--tunnel1-psk", PSKS[0], "--tunnel2-psk", PSKS[1])


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    return result.stderr


def render_branch(tmp_path: Path, *extra: str, out: str = "cgw") -> Path:
    """Render the README's ``Branch`` VPN with ``extra`` options; the output directory."""
    path = write_template(tmp_path, "ReadmeExamples", readme_examples_template())
    result = run_s2svpn(
        "render", "--template", str(path), "--site", "Branch", *TUNNELS, *KEYS,
        "--onprem-prefix", "172.16.0.0/16", *extra, "--out", out, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return tmp_path / out


def test_customer_gateway_props_getatt_gives_ip_and_asn(tmp_path: Path) -> None:
    """``Fn::GetAtt [<gateway>, CustomerGatewayId]`` is followed to the gateway's literals."""
    out = render_branch(tmp_path)  # no --cgw-outside-ip, no --customer-asn
    frr = (out / "frr.conf").read_text()
    assert "router bgp 65010" in frr
    assert "remote-as 64512" in frr  # the hub in the same template
    assert "local_addrs = 203.0.113.10" in (out / "swanctl.conf").read_text()


def test_the_guides_render_command_runs_as_written(tmp_path: Path) -> None:
    """The sites app's render command of docs/guides/customer-side.md (moved from the README)."""
    readme = (REPO / "docs" / "guides" / "customer-side.md").read_text(encoding="utf-8")
    commands = [c for c in shell_commands(readme) if SITES_STACK in " ".join(c)]
    assert commands, "the customer-side guide's render command for the sites app is gone"
    write_template(tmp_path, SITES_STACK, sites_template())
    (facts,) = [b for b in json_blocks(readme) if "tunnels" in b]
    for tunnel, psk in zip(facts["tunnels"], PSKS, strict=True):
        assert tunnel["psk"] == "..."  # the user's key goes here
        tunnel["psk"] = psk
    (tmp_path / "facts.json").write_text(json.dumps(facts))
    for argv in commands:
        result = run_s2svpn(*argv, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert not any(psk in result.stdout + result.stderr for psk in PSKS)
        assert "router bgp 65010" in (tmp_path / "cgw-config" / "frr.conf").read_text()


def test_several_vpns_one_line_listing_the_sites(tmp_path: Path) -> None:
    path = write_template(tmp_path, SITES_STACK, sites_template())
    result = run_s2svpn(
        "render", "--template", str(path), *TUNNELS, *KEYS, "--amazon-side-asn", "64512",
        "--onprem-prefix", "172.16.0.0/16", "--out", "cgw", cwd=tmp_path,
    )  # fmt: skip
    line = one_line(result)
    assert "--site" in line
    for name in site_names():
        assert name in line
    result = run_s2svpn(
        "render", "--template", str(path), "--site", "nowhere", *TUNNELS, *KEYS,
        "--onprem-prefix", "172.16.0.0/16", "--out", "cgw", cwd=tmp_path,
    )  # fmt: skip
    assert "paris" in one_line(result)


def test_imported_transit_gateway_asks_for_the_amazon_side_asn(tmp_path: Path) -> None:
    path = write_template(tmp_path, SITES_STACK, sites_template())
    common = (
        "render",
        "--template",
        str(path),
        *TUNNELS,
        *KEYS,
        "--onprem-prefix",
        "172.16.0.0/16",
    )
    line = one_line(run_s2svpn(*common, "--site", "paris", "--out", "a", cwd=tmp_path))
    assert "--amazon-side-asn" in line
    assert "SsmParameterValue" in line
    # A static VPN speaks no BGP: no ASN needed.
    static = run_s2svpn(
        *common, "--site", "berlin", "--remote-prefix", "10.0.0.0/16", "--out", "b", cwd=tmp_path
    )
    assert static.returncode == 0, static.stderr
    given = run_s2svpn(
        *common, "--site", "lyon", "--amazon-side-asn", "64600", "--out", "c", cwd=tmp_path
    )
    assert given.returncode == 0, given.stderr
    assert "remote-as 64600" in (tmp_path / "c" / "frr.conf").read_text()


def test_local_address_behind_nat(tmp_path: Path) -> None:
    path = write_template(tmp_path, "ReadmeExamples", readme_examples_template())
    common = ("render", "--template", str(path), "--site", "Branch", *TUNNELS, *KEYS)
    result = run_s2svpn(
        *common, "--onprem-prefix", "172.16.0.0/16", "--local-address", "10.9.0.5",
        "--out", "cgw", cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    swanctl = (tmp_path / "cgw" / "swanctl.conf").read_text()
    assert swanctl.count("local_addrs = 10.9.0.5") == 2
    assert swanctl.count("id = 203.0.113.10") == 2  # the public address stays the IKE identity
    mixed = run_s2svpn(*common, "--local-address", "fd00::5", "--out", "x", cwd=tmp_path)
    assert "fd00::5" in one_line(mixed)


def test_dx_backup_makes_both_tunnels_less_preferred(tmp_path: Path) -> None:
    frr = (render_branch(tmp_path, "--path-preference", "dx-backup") / "frr.conf").read_text()
    blocks = frr.split("route-map ")
    t1_in = next(b for b in blocks if b.startswith("AWS-TUNNEL-1-IN"))
    t2_in = next(b for b in blocks if b.startswith("AWS-TUNNEL-2-IN"))
    t1_out = next(b for b in blocks if b.startswith("AWS-TUNNEL-1-OUT"))
    assert "set local-preference 50" in t1_in
    assert "set local-preference 40" in t2_in
    assert "set as-path prepend 65010 65010" in t1_out
    assert "maximum-paths" not in frr


def _netns_available() -> bool:
    return os.geteuid() == 0 and shutil.which("ip") is not None


@pytest.mark.skipif(not _netns_available(), reason="needs root and iproute2 for a namespace")
def test_interfaces_sh_twice_in_a_namespace(tmp_path: Path) -> None:
    """Run the file twice in a throwaway namespace: exit 0 both times, the same state after."""
    out = render_branch(tmp_path, "--remote-prefix", "10.0.0.0/16", "--dataplane", "libipsec")
    script = out / "interfaces.sh"
    namespace = f"s2svpn-idem-{uuid.uuid4().hex[:8]}"
    subprocess.run(["ip", "netns", "add", namespace], check=True)
    try:

        def in_ns(*argv: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                ["ip", "netns", "exec", namespace, *argv],
                capture_output=True,
                text=True,
                check=False,
                timeout=30,
            )

        for name in ("tun1", "tun2"):  # charon's TUNs, which the libipsec data plane creates
            assert in_ns("ip", "tuntap", "add", name, "mode", "tun").returncode == 0

        def state() -> tuple[str, ...]:
            return tuple(
                in_ns("ip", *cmd).stdout
                for cmd in (
                    ("-br", "addr"),
                    ("-d", "link"),
                    ("rule",),
                    ("route", "show", "table", "all"),
                )
            )

        first = in_ns("sh", str(script))
        assert first.returncode == 0, first.stderr
        after_first = state()
        second = in_ns("sh", str(script))
        assert second.returncode == 0, second.stderr
        assert state() == after_first
        assert "169.254.10.2/30" in after_first[0]
        assert "mtu 1400" in after_first[1]
    finally:
        subprocess.run(["ip", "netns", "del", namespace], check=False)


def test_interfaces_sh_xfrm_commands_are_idempotent_forms(tmp_path: Path) -> None:
    """The xfrm variant cannot run here (no xfrm interfaces in this kernel): each command is
    checked to be a create-if-missing or replace form."""
    out = render_branch(tmp_path, "--remote-prefix", "10.0.0.0/16")
    commands = [
        line for line in (out / "interfaces.sh").read_text().splitlines() if line.startswith("ip ")
    ]
    assert commands
    for command in commands:
        idempotent = (
            ("ip link show " in command and "|| ip link add" in command)
            or command.startswith(("ip addr replace", "ip route replace", "ip link set"))
            or (command.startswith("ip rule del") and command.endswith("|| true"))
        )
        added_after_delete = command.startswith("ip rule add") and any(
            c.startswith("ip rule del") and command.split("priority ")[1].split()[0] in c
            for c in commands
        )
        assert idempotent or added_after_delete, command
