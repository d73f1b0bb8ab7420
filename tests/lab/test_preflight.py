"""``make lab`` on a machine without strongSwan/FRR names the Debian packages to install instead
of failing deep inside with "charon in aws1 did not open .../charon.vici"."""

from __future__ import annotations

import pytest

import lab.__main__ as lab_main


def test_missing_programs_are_named_as_debian_packages_each_once() -> None:
    assert lab_main.missing_packages(lambda _: False) == [
        "strongswan-charon",
        "strongswan-swanctl",
        "libcharon-extra-plugins",
        "libstrongswan-standard-plugins",
        "frr",
        "iperf3",
        "nftables",
        "iproute2",
        "iputils-ping",
    ]
    assert lab_main.missing_packages(lambda _: True) == []
    only_frr = lab_main.missing_packages(lambda p: "frr" not in p)
    assert only_frr == ["frr"]


def test_preflight_says_what_to_install_and_to_be_root() -> None:
    message = lab_main.preflight(is_root=False, missing=["strongswan-charon", "frr"])
    assert message is not None
    assert "apt-get install -y --no-install-recommends strongswan-charon frr" in message
    assert "run it as root" in message
    assert lab_main.preflight(is_root=True, missing=[]) is None


def test_main_stops_before_building_anything(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(lab_main, "missing_packages", lambda: ["frr"])
    monkeypatch.setattr(lab_main, "run", lambda **_: pytest.fail("the lab was started"))
    assert lab_main.main([]) == 2
    err = capsys.readouterr().err
    assert "lab cannot start" in err
    assert "apt-get install -y --no-install-recommends frr" in err
