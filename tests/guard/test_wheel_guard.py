"""``s2svpn guard`` installed from the wheel (fresh venv), run as a subprocess on two real
synthesized assemblies: the issue's "done when", as a user's pipeline runs it."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from tests.guard.apps import BASELINE, VpnApp
from tests.wheel import WheelEnv

pytestmark = pytest.mark.xdist_group("wheel")

Assembly = Callable[[VpnApp], Path]


def test_wheel_guard_blocks_the_four_cases_and_passes_safe_changes(
    wheel_env: WheelEnv, assembly: Assembly, tmp_path: Path
) -> None:
    base = assembly(BASELINE)
    where = wheel_env.run(
        str(wheel_env.bin("python")),
        "-c",
        "import site_to_site_vpn; print(site_to_site_vpn.__file__)",
        cwd=tmp_path,
    )
    assert where.stdout.startswith(str(wheel_env.venv)), where

    def guard(current: Path, *extra: str) -> tuple[int, dict[str, object]]:
        done = wheel_env.run(
            str(wheel_env.bin("s2svpn")),
            "guard",
            "--baseline",
            str(base),
            "--current",
            str(current),
            "--json",
            *extra,
            cwd=tmp_path,
        )
        assert "Traceback" not in done.stderr, done.stderr
        report: dict[str, object] = json.loads(done.stdout)
        return done.returncode, report

    cases = {
        "static": (replace(BASELINE, static_routes=("10.20.0.0/16",)), "BranchVpn232A6C20"),
        "cgw-ip": (
            replace(BASELINE, customer_gateway_ip="203.0.113.20"),
            "BranchVpnCustomerGateway",
        ),
        "tgw-asn": (replace(BASELINE, amazon_side_asn=64513), "Hub"),
        "moved": (replace(BASELINE, vpn_construct_id="OfficeVpn"), "BranchVpn232A6C20"),
    }
    for name, (spec, named) in cases.items():
        code, report = guard(assembly(spec))
        assert code == 1, name
        blocked = report["blocked"]
        assert isinstance(blocked, list)
        assert any(item.startswith(f"VpnStack/{named}") for item in blocked), (name, blocked)

    code, _ = guard(base)
    assert code == 0
    code, _ = guard(assembly(replace(BASELINE, tags=(("CostCenter", "network-42"),))))
    assert code == 0
    code, report = guard(assembly(cases["static"][0]), "--allow", "VpnStack/BranchVpn/Resource")
    assert code == 0, report


def test_wheel_guard_usage_error_is_one_line(wheel_env: WheelEnv, tmp_path: Path) -> None:
    done = wheel_env.run(
        str(wheel_env.bin("s2svpn")),
        "guard",
        "--baseline",
        "nope",
        "--current",
        "nope",
        cwd=tmp_path,
    )
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if not line.startswith("b'!!")]
    assert lines == ["s2svpn guard: nope: not a directory (expected cdk.out or *.template.json)"]
