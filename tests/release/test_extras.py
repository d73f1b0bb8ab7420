"""Extras: a feature used without its extra says which ``pip install`` to run, in one line."""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path

import pytest

import site_to_site_vpn.cli as cli
from site_to_site_vpn.cli import main
from site_to_site_vpn.extras import MissingExtraError, extra_for, install_command, require_extra

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = str(REPO / "examples" / "sites.yaml")


def test_install_command_names_the_distribution_and_the_extra() -> None:
    assert install_command("cli") == "pip install 'cdk-site-to-site-vpn[cli]'"


def test_missing_module_maps_to_its_extra() -> None:
    assert extra_for(ModuleNotFoundError("x", name="rich.console")) == "cli"
    assert extra_for(ModuleNotFoundError("x", name="yaml")) == "sites"
    assert extra_for(ModuleNotFoundError("x", name="cdk_nag")) == "compliance"
    assert extra_for(ModuleNotFoundError("x", name="somethingelse")) is None


def test_require_extra_raises_with_the_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(MissingExtraError) as raised:
        require_extra("apply_compliance_checks", "compliance")
    assert raised.value.name == "cdk_nag"
    assert str(raised.value).endswith("pip install 'cdk-site-to-site-vpn[compliance]'")


@pytest.mark.parametrize("blocked", ["rich", "boto3", "pydantic", "yaml"])
def test_cost_without_the_cli_extra_is_one_line_and_exit_2(
    blocked: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Checked before the command runs: no synth, no half-done work, before any import fails."""
    monkeypatch.setattr(importlib.util, "find_spec", _hide(blocked))
    code = main(["cost", EXAMPLE])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1, err
    assert err.startswith("s2svpn cost: ")
    assert err.rstrip().endswith("pip install 'cdk-site-to-site-vpn[cli]'")


def _hide(blocked: str) -> object:
    real = importlib.util.find_spec

    def find_spec(name: str, package: str | None = None) -> object:
        return None if name == blocked else real(name, package)

    return find_spec


def test_a_missing_module_inside_a_command_is_one_line_too(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def needs_nag(_: object) -> int:
        raise ModuleNotFoundError("No module named 'cdk_nag'", name="cdk_nag")

    monkeypatch.setattr(cli, "build_parser", lambda: _parser_running(needs_nag))
    assert main(["cost", EXAMPLE]) == 2
    err = capsys.readouterr().err
    assert (
        err
        == "s2svpn cost: cdk_nag is not installed: pip install 'cdk-site-to-site-vpn[compliance]'\n"
    )


def test_an_unrelated_missing_module_is_not_masked(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_: object) -> int:
        raise ModuleNotFoundError("No module named 'nothere'", name="nothere")

    monkeypatch.setattr(cli, "build_parser", lambda: _parser_running(broken))
    with pytest.raises(ModuleNotFoundError):
        main(["cost", EXAMPLE])


def _parser_running(handler: object) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("cost").add_argument("file")
    parser.set_defaults(func=handler)
    return parser
