"""The doctor sample in docs/guides/doctor.md and after-deploy.md, re-run from a scenario.

``python -m tests.doctor.sample`` builds the scenario on moto's server, runs ``s2svpn doctor`` as
a user would, and writes its output between the ``doctor-sample`` markers of both files;
tests/doctor/test_sample.py checks the files hold what a run prints (ids aside).
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from tests.doctor.live import REGION, REPO, doctor, moto_server, server_env
from tests.doctor.scenarios import SCENARIOS

SCENARIO = "workload-subnet-on-main-table-without-route"
FILES = (REPO / "docs" / "guides" / "doctor.md", REPO / "docs" / "guides" / "after-deploy.md")
START, END = "<!-- doctor-sample:start -->", "<!-- doctor-sample:end -->"
#: AWS resource ids (prefix + 8 or 17 hex digits): random on every run.
IDS = re.compile(
    r"\b(vpn|vpc|subnet|rtb|acl|eni|sg|tgw-rtb|tgw-attach|tgw|igw|vgw)-[0-9a-f]{8,17}\b"
)


def render() -> str:
    scenario = next(s for s in SCENARIOS if s.name == SCENARIO)
    with moto_server() as url, tempfile.TemporaryDirectory() as tmp:
        net = scenario.build(url)
        scenario.mutate(net)
        args = ("--vpn-id", net.vpn, "--region", REGION)
        env = server_env(Path(tmp), url) | {"COLUMNS": "110"}
        run = doctor(Path(tmp), *args, env=env)
    output = "\n".join(line.rstrip() for line in run.stdout.rstrip().splitlines())
    return f"$ s2svpn doctor {' '.join(args)}\n{output}\nexit code: {run.returncode}"


def block(text: str) -> str:
    return f"{START}\n```text\n{text}\n```\n{END}"


def current(path: Path) -> str:
    content = path.read_text(encoding="utf-8")
    start, end = content.index(START), content.index(END) + len(END)
    return content[start:end]


def normalize(text: str) -> str:
    return IDS.sub(lambda m: f"{m[1]}-ID", text)


def write(text: str) -> None:
    for path in FILES:
        content = path.read_text(encoding="utf-8")
        path.write_text(content.replace(current(path), block(text)), encoding="utf-8")


if __name__ == "__main__":
    write(render())
