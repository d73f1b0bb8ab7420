"""The scenario corpus through ``s2svpn doctor --json``, a subprocess against moto's server.

Each scenario (tests/doctor/scenarios.py) names the AWS page whose rule gives its verdict; the
test checks the exit code, the path results' status, the explanation code and the component the
deciding hop names.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.doctor.live import REGION, doctor, moto_server, server_env
from tests.doctor.scenarios import SCENARIOS, Net, Scenario

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with moto_server() as running:
        yield running


def run(tmp: Path, url: str, scenario: Scenario) -> tuple[Net, int, dict[str, Any], str]:
    net = scenario.build(url)
    scenario.mutate(net)
    args = ["--vpn-id", net.vpn, "--region", REGION, "--json"]
    if scenario.prefix:
        args += ["--onprem-prefix", scenario.prefix]
    args += [a.format(**vars(net)) for a in scenario.args]
    result = doctor(tmp, *args, env=server_env(tmp, url))
    assert "Traceback" not in result.stderr, result.stderr
    report = json.loads(result.stdout) if result.stdout else {}
    return net, result.returncode, report, result.stderr


def test_the_corpus_is_large_and_cites_aws() -> None:
    assert len(SCENARIOS) >= 30
    assert len({s.name for s in SCENARIOS}) == len(SCENARIOS)
    assert all(s.page.startswith("https://docs.aws.amazon.com/") for s in SCENARIOS)
    healthy = [s for s in SCENARIOS if s.exit_code == 0 and s.status == "pass"]
    assert {"tgw-static-healthy", "tgw-bgp-healthy-learned-prefix", "vgw-static-healthy"} <= {
        s.name for s in healthy
    }


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_scenario(tmp_path: Path, url: str, scenario: Scenario) -> None:
    net, code, report, stderr = run(tmp_path, url, scenario)
    paths = [r for r in report.get("results", []) if r["check"] == "path"]
    assert paths, (stderr, report)
    statuses = {r["status"] for r in paths}
    shown = json.dumps(paths, indent=1)
    assert code == scenario.exit_code, shown
    expected = {scenario.status}
    assert statuses == expected, shown
    if scenario.status == "pass":
        assert all(h["status"] == "pass" for r in paths for h in r["hops"]), shown
        return
    deciding = next(r for r in paths if r["status"] == scenario.status)
    if scenario.code:
        assert deciding["code"] == scenario.code, shown
    if scenario.names:
        assert getattr(net, scenario.names) in deciding["detail"], shown
        assert any(
            h["id"] == getattr(net, scenario.names) or getattr(net, scenario.names) in h["id"]
            for h in deciding["hops"]
            if h["status"] == scenario.status
        ), shown
    for text in scenario.says:
        assert text in deciding["detail"] + " " + deciding["action"], shown
    assert deciding["rule"].startswith("https://docs.aws.amazon.com/"), shown
