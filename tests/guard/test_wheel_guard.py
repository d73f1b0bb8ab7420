"""``s2svpn guard`` installed from the wheel (fresh venv), run as a subprocess on two real
synthesized assemblies: the issue's "done when", as a user's pipeline runs it."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from tests.guard.apps import BASELINE, VpnApp
from tests.wheel import WheelEnv

pytestmark = [pytest.mark.xdist_group("wheel"), pytest.mark.slow]

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


# --- the README's testing example, as a user runs it (issue 20's "done when") -----------------

USER_APP = """\
import aws_cdk as cdk

from site_to_site_vpn import (
    CustomerGatewayProps,
    SiteToSiteVpn,
    ExistingTransitGateway,
    TunnelOptions,
)

STACK_NAME = "BranchVpn"
CUSTOMER_GATEWAY_IP = "203.0.113.10"


def build_vpn_stack(app):
    stack = cdk.Stack(
        app, STACK_NAME, env=cdk.Environment(account="111111111111", region="eu-west-1")
    )
    SiteToSiteVpn(
        stack,
        "Office",
        customer_gateway=CustomerGatewayProps(ip_address=CUSTOMER_GATEWAY_IP, bgp_asn=65010),
        transit_gateway=ExistingTransitGateway(
            transit_gateway_id="tgw-0123456789abcdef0", amazon_side_asn=64512
        ),
        tunnel1=TunnelOptions(tunnel_inside_cidr="169.254.20.0/30"),
        tunnel2=TunnelOptions(tunnel_inside_cidr="169.254.20.4/30"),
    )
    return stack
"""

USER_MAIN = """\
import aws_cdk as cdk

from network import build_vpn_stack

app = cdk.App()
build_vpn_stack(app)
app.synth()
"""


def _readme_testing_block() -> str:
    from tests.readme.test_readme import DOC_EXAMPLES, EXAMPLES  # noqa: PLC0415

    examples = [*EXAMPLES, *DOC_EXAMPLES]
    blocks = [str(e.parsed) for e in examples if "assert_no_replacements(" in str(e.parsed)]
    assert len(blocks) == 1, "the docs have one testing example (docs/guides/changing-safely.md)"
    assert "project_app()" in blocks[0]
    return blocks[0]


def test_readme_testing_example_in_a_users_own_app(wheel_env: WheelEnv, tmp_path: Path) -> None:
    """A ``cdk init``-style app (its cdk.json holds the recommended flags tools/feature_flags.py
    writes), the wheel, the CDK CLI's ``cdk synth`` for the baseline, and the README's test file
    under pytest: unchanged passes; a changed customer-gateway IP and a renamed stack fail."""
    from tests.wheel import REPO  # noqa: PLC0415
    from tools.feature_flags import recommended_flags  # noqa: PLC0415

    pip = wheel_env.run(
        str(wheel_env.bin("python")), "-m", "pip", "install", "-q", "pytest==9.2.0", cwd=tmp_path
    )
    assert pip.returncode == 0, pip.stderr
    app = tmp_path / "my-network"
    (app / "tests").mkdir(parents=True)
    cdk_json = {
        "app": "python app.py",
        "versionReporting": False,
        "context": {"cli-telemetry": False, **recommended_flags()},
    }
    (app / "cdk.json").write_text(json.dumps(cdk_json, indent=2))
    (app / "network.py").write_text(USER_APP)
    (app / "app.py").write_text(USER_MAIN)
    test_file = "from network import build_vpn_stack\n\n" + _readme_testing_block()
    (app / "tests" / "test_network.py").write_text(test_file)
    cdk = str(REPO / "node_modules" / ".bin" / "cdk")
    synth = wheel_env.run(cdk, "synth", "--quiet", "--no-notices", "-o", "baseline.out", cwd=app)
    assert synth.returncode == 0, synth.stderr[-3000:]

    def user_test() -> subprocess.CompletedProcess[str]:
        return wheel_env.run(
            str(wheel_env.bin("python")),
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-k",
            "test_no_vpn_is_replaced",
            "--rootdir",
            str(app),
            str(app / "tests" / "test_network.py"),
            cwd=app,
        )

    unchanged = user_test()
    assert unchanged.returncode == 0, unchanged.stdout[-3000:]
    (app / "network.py").write_text(USER_APP.replace("203.0.113.10", "203.0.113.20"))
    changed_ip = user_test()
    assert changed_ip.returncode == 1, changed_ip.stdout[-3000:]
    assert "create-only IpAddress" in changed_ip.stdout
    (app / "network.py").write_text(USER_APP.replace('"BranchVpn"', '"BranchVpnV2"'))
    renamed = user_test()
    assert renamed.returncode == 1, renamed.stdout[-3000:]
    assert "stack BranchVpnV2 is not in the baseline (it has: BranchVpn)" in renamed.stdout


def test_template_pairs_through_the_installed_s2svpn(wheel_env: WheelEnv, tmp_path: Path) -> None:
    from tests.guard.pairs import run_pairs, score  # noqa: PLC0415

    outcomes = run_pairs([str(wheel_env.bin("s2svpn"))], tmp_path, wheel_env.env())
    wrong = [(o.pair.name, o.pair.expected, o.got, o.detail) for o in outcomes if not o.right]
    assert not wrong, f"{score(outcomes)}: {wrong}"
