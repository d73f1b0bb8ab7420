"""``s2svpn render`` run as a user runs it: files from a template and facts, keys never printed."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from tests.support import FIXTURE, PSKS, run_cli

TUNNEL_ARGS = (
    "--tunnel1-outside-ip",
    "192.0.2.10",
    "--tunnel2-outside-ip",
    "192.0.2.20",
)


def render(out: Path, *extra: str, template: Path = FIXTURE) -> tuple[int, str]:
    result = run_cli(
        "render",
        "--template",
        str(template),
        "--onprem-prefix",
        "172.16.0.0/16",
        "--out",
        str(out),
        *extra,
    )
    return result.returncode, result.stdout + result.stderr


def test_render_from_the_command_line_writes_private_files(tmp_path: Path) -> None:
    code, printed = render(
        tmp_path / "cgw", *TUNNEL_ARGS, "--tunnel1-psk", PSKS[0], "--tunnel2-psk", PSKS[1]
    )
    assert code == 0, printed
    assert not any(psk in printed for psk in PSKS)
    written = sorted(Path(line).name for line in printed.split())
    assert written == [
        "frr.conf",
        "interfaces.sh",
        "nftables.conf",
        "strongswan.conf",
        "swanctl.conf",
    ]
    swanctl = (tmp_path / "cgw" / "swanctl.conf").read_text()
    assert all(psk in swanctl for psk in PSKS)
    # The fixture's customer gateway (198.51.100.10, ASN 65010) and gateway (default 64512).
    frr = (tmp_path / "cgw" / "frr.conf").read_text()
    assert "router bgp 65010" in frr
    assert "remote-as 64512" in frr
    for path in (tmp_path / "cgw").iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_render_from_a_facts_file(tmp_path: Path) -> None:
    facts = tmp_path / "facts.json"
    facts.write_text(
        json.dumps(
            {
                "cgw_outside_ip": "198.51.100.77",
                "customer_asn": 65077,
                "tunnels": [
                    {"outside_ip": "192.0.2.10", "psk": PSKS[0]},
                    {"outside_ip": "192.0.2.20", "psk": PSKS[1]},
                ],
            }
        )
    )
    code, printed = render(tmp_path / "cgw", "--facts", str(facts))
    assert code == 0, printed
    assert "router bgp 65077" in (tmp_path / "cgw" / "frr.conf").read_text()
    assert "198.51.100.77" in (tmp_path / "cgw" / "swanctl.conf").read_text()


def test_command_line_wins_over_the_facts_file(tmp_path: Path) -> None:
    facts = tmp_path / "facts.json"
    tunnels = [{"outside_ip": "192.0.2.10", "psk": PSKS[0]}, {"outside_ip": "192.0.2.20"}]
    facts.write_text(json.dumps({"tunnels": tunnels}))
    code, printed = render(
        tmp_path / "cgw",
        "--facts",
        str(facts),
        "--tunnel2-psk",
        PSKS[1],
        "--tunnel1-outside-ip",
        "192.0.2.99",
    )
    assert code == 0, printed
    swanctl = (tmp_path / "cgw" / "swanctl.conf").read_text()
    assert "192.0.2.99" in swanctl
    assert PSKS[1] in swanctl


def test_every_bad_input_in_one_line_and_no_key_echoed(tmp_path: Path) -> None:
    bad_psk = "0starts_with_zero"  # AWS: "cannot start with zero (0)"
    code, printed = render(
        tmp_path / "cgw",
        "--tunnel1-outside-ip",
        "not-an-ip",
        "--tunnel1-psk",
        bad_psk,
    )
    assert code == 2
    assert len(printed.strip().splitlines()) == 1
    assert bad_psk not in printed
    for field in ("tunnel1.outside_ip", "tunnel1.psk", "tunnel2.outside_ip", "tunnel2.psk"):
        assert field in printed
    assert not (tmp_path / "cgw").exists()


def test_inside_cidr_left_to_aws_must_be_given(tmp_path: Path) -> None:
    template = json.loads(FIXTURE.read_text())
    for spec in template["Resources"]["VpnConnection"]["Properties"][
        "VpnTunnelOptionsSpecifications"
    ]:
        spec.pop("TunnelInsideCidr", None)
    path = tmp_path / "t.template.json"
    path.write_text(json.dumps(template))
    keys = ("--tunnel1-psk", PSKS[0], "--tunnel2-psk", PSKS[1])
    code, printed = render(tmp_path / "a", *TUNNEL_ARGS, *keys, template=path)
    assert code == 2
    assert "--tunnel1-inside-cidr" in printed
    assert len(printed.strip().splitlines()) == 1
    cidrs = ("--tunnel1-inside-cidr", "169.254.10.0/30", "--tunnel2-inside-cidr", "169.254.11.0/30")
    code, printed = render(tmp_path / "b", *TUNNEL_ARGS, *keys, *cidrs, template=path)
    assert code == 0, printed
    assert "169.254.11.2/30" in (tmp_path / "b" / "interfaces.sh").read_text()


@pytest.mark.parametrize(
    ("template_text", "expected"),
    [
        (None, "cannot read the template"),
        ("{not json", "is not JSON"),
        ('{"Resources": {}}', "holds 0 VPN connections"),
    ],
)
def test_unusable_template_is_one_line(
    tmp_path: Path, template_text: str | None, expected: str
) -> None:
    path = tmp_path / "x.template.json"
    if template_text is not None:
        path.write_text(template_text)
    code, printed = render(tmp_path / "cgw", *TUNNEL_ARGS, template=path)
    assert code == 2
    assert expected in printed
    assert len(printed.strip().splitlines()) == 1
