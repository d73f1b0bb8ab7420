"""docs/guides/devices.md: its Python runs as written (PAN-OS/FortiOS and libreswan) and its
sites-file snippet narrows every example site's DH groups to ones PAN-OS can do."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path
from typing import Any

import yaml

from site_to_site_vpn.sites.loader import load_sites_file
from tests.customer_side.judge_panos_fortios import PANOS_GROUPS
from tests.support import REPO

DOC = REPO / "docs" / "guides" / "devices.md"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", DOC.read_text(encoding="utf-8"), re.M | re.S)


def _run(block: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block, str(DOC), "exec"), {"__name__": "__doc_example__"})
    return out.getvalue()


def test_python_blocks_run_as_written() -> None:
    panos, libreswan = _blocks("python")
    assert "render_panos" in panos
    assert "render_libreswan" in libreswan
    printed = _run(panos)
    assert re.search(r"^panos\.conf \d+ lines$", printed, re.M)
    assert re.search(r"^fortios\.conf \d+ lines$", printed, re.M)
    assert "example.key_" not in printed
    written = _run(libreswan)
    for name in ("bird.conf", "interfaces.sh", "ipsec.conf", "ipsec.secrets", "nftables.conf"):
        assert repr(name) in written


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value


def test_sites_file_snippet_narrows_every_site_to_panos_groups(tmp_path: Path) -> None:
    # The page's other YAML block is the whole sites file of "Try it".
    (block,) = [b for b in _blocks("yaml") if "sites:" not in b]
    document = yaml.safe_load((REPO / "examples" / "sites.yaml").read_text(encoding="utf-8"))
    _merge(document, yaml.safe_load(block))
    path = tmp_path / "sites.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    (tmp_path / "sites.lock.json").write_text(
        (REPO / "examples" / "sites.lock.json").read_text(encoding="utf-8"), encoding="utf-8"
    )
    sites = load_sites_file(path).sites
    # oslo's own compatible profile overrides the defaults; every other site is narrowed.
    narrowed = [site for site in sites if site.name != "oslo"]
    assert len(narrowed) == 4
    for site in narrowed:
        for options in (site.tunnel1, site.tunnel2):
            groups = {*options.phase1_dh_group_numbers, *options.phase2_dh_group_numbers}
            assert groups <= PANOS_GROUPS, site.name
