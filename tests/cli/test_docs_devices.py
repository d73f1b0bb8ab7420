"""Every ``s2svpn render`` command of docs/guides/devices.md runs as written, on the page's own
sites file synthesized, from the user's directory; the vendor files it writes pass the judge."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from site_to_site_vpn.stacks.sites_app import build_sites_app
from tests.cli.render_support import (
    PSKS,
    SITES_STACK,
    json_blocks,
    run_s2svpn,
    shell_commands,
    sites_template,
    write_template,
)
from tests.customer_side.judge_panos_fortios import judge_fortios, judge_panos
from tests.customer_side.vendor_judge import READERS
from tests.support import REPO, new_app, synth

pytestmark = pytest.mark.slow

PAGE = REPO / "docs" / "guides" / "devices.md"
JUDGES = {"panos": judge_panos, "fortios": judge_fortios}
LIBRESWAN_FILES = {"ipsec.conf", "ipsec.secrets", "bird.conf", "nftables.conf", "interfaces.sh"}


def test_every_render_command_of_the_devices_page_runs_as_written(tmp_path: Path) -> None:
    page = PAGE.read_text(encoding="utf-8")
    (sites_yaml,) = [b for b in re.findall(r"```yaml\n(.*?)```", page, re.DOTALL) if "sites:" in b]
    sites = tmp_path / "device-sites.yaml"
    sites.write_text(sites_yaml, encoding="utf-8")
    built = build_sites_app(new_app(), sites)
    for stack in built.site_stacks:
        write_template(tmp_path, stack.stack_name, synth(stack))
    (facts,) = [b for b in json_blocks(page) if "tunnels" in b]
    for tunnel, psk in zip(facts["tunnels"], PSKS, strict=True):
        assert tunnel["psk"] == "..."  # the user's key goes here
        tunnel["psk"] = psk
    (tmp_path / "facts.json").write_text(json.dumps(facts))
    commands = shell_commands(page)
    assert len(commands) >= 3
    for argv in commands:
        result = run_s2svpn(*argv, cwd=tmp_path)
        assert result.returncode == 0, f"{argv}: {result.stderr}"
        assert not any(psk in result.stdout + result.stderr for psk in PSKS)
        device = argv[argv.index("--device") + 1]
        written = [tmp_path / line for line in result.stdout.split()]
        if device == "libreswan":  # checked by libreswan's and BIRD's parsers in test_libreswan
            assert {w.name for w in written} == LIBRESWAN_FILES
            continue
        (conf,) = written
        assert conf.name == f"{device}.conf"
        if device in READERS:
            READERS[device](conf.read_text())  # no unknown keyword
        else:
            assert JUDGES[device](conf.read_text()) == []
    devices = {argv[argv.index("--device") + 1] for argv in commands}
    assert devices == {*READERS, *JUDGES, "libreswan"}  # one command per device at least


def test_the_refusal_shown_on_the_page_is_what_the_cli_prints(tmp_path: Path) -> None:
    page = PAGE.read_text(encoding="utf-8")
    (shown,) = [
        b for b in re.findall(r"```text\n(.*?)\n```", page, re.DOTALL) if "s2svpn render:" in b
    ]
    path = write_template(tmp_path, SITES_STACK, sites_template())
    result = run_s2svpn(
        "render", "--template", str(path), "--site", "paris", "--device", "cisco-ios-xe",
        "--amazon-side-asn", "64512", "--tunnel1-outside-ip", "192.0.2.10",
        "--tunnel2-outside-ip", "192.0.2.20", "--tunnel1-psk", PSKS[0], "--tunnel2-psk", PSKS[1],
        "--onprem-prefix", "172.16.0.0/16", "--remote-prefix", "10.0.0.0/16", "--out", "x",
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.strip() == shown.strip()
