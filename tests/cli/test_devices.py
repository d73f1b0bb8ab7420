"""``s2svpn render --device NAME`` for every registered device on the templates the issue names:
every site of examples/sites.yaml, a ``TunnelOptions.compatible()`` site, a concentrator site and
an IPv6-outside site. Each exits 0 with files, or refuses in one line naming the device (exit 2).
The registry is iterated, so devices added at merge are covered too."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_to_site_vpn.customer_side.devices import DEVICES
from tests.cli.render_support import (
    PSKS,
    SITES_STACK,
    readme_examples_template,
    run_s2svpn,
    site_names,
    sites_template,
    write_template,
)

pytestmark = pytest.mark.slow

SITES = [(SITES_STACK, name) for name in ("paris", "lyon", "berlin", "madrid", "oslo")]
README_SITES = [
    ("ReadmeExamples", "Branch"),
    ("ReadmeExamples", "Shop01"),
    ("ReadmeExamples", "V6Branch"),
]
#: What each vendor device refuses on these templates, and why (docs/guides/devices.md):
#: the library's secure and compatible profiles allow DH groups 17 and 18, which IOS-XE and Junos
#: do not offer in IKE.
#: Devices that must render every one of these sites.
RENDERS_ALL = {"strongswan"}
REFUSES = {"cisco-ios-xe": "phase 1 DH group 17, 18", "junos": "phase 1 DH group 17, 18"}


def test_the_example_sites_are_the_ones_covered() -> None:
    assert sorted(name for _, name in SITES) == sorted(site_names())


@pytest.mark.parametrize("device", list(DEVICES))
@pytest.mark.parametrize(("stack", "site"), SITES + README_SITES)
def test_render_device_exits_0_or_refuses_in_one_line(
    tmp_path: Path, device: str, stack: str, site: str
) -> None:
    template = sites_template() if stack == SITES_STACK else readme_examples_template()
    path = write_template(tmp_path, stack, template)
    v6 = site == "V6Branch"
    peers = ("2001:db8:ff::1", "2001:db8:ff::2") if v6 else ("192.0.2.10", "192.0.2.20")
    result = run_s2svpn(
        "render", "--template", str(path), "--site", site, "--device", device,
        "--tunnel1-outside-ip", peers[0], "--tunnel2-outside-ip", peers[1],
        "--tunnel1-psk", PSKS[0], "--tunnel2-psk", PSKS[1], "--amazon-side-asn", "64512",
        "--onprem-prefix", "172.16.0.0/16", "--remote-prefix", "10.0.0.0/16",
        "--out", "cgw", cwd=tmp_path,
    )  # fmt: skip
    printed = result.stdout + result.stderr
    assert not any(psk in printed for psk in PSKS)
    refused = result.returncode == 2
    if device in REFUSES or refused:
        # A device added at merge may refuse too, but only this way: one line, naming itself.
        assert refused, printed
        assert device not in RENDERS_ALL, printed
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert f"{device} cannot " in result.stderr
        assert device not in REFUSES or f"{device} cannot do {REFUSES[device]}" in result.stderr
        assert not (tmp_path / "cgw").exists()
        return
    assert result.returncode == 0, printed
    written = [Path(line) for line in result.stdout.split()]
    assert written
    assert all((tmp_path / p).stat().st_size > 0 for p in written)
