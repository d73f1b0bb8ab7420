"""``app.py`` reads ``-c sites=PATH`` and ``-c locked=true`` (as ``cdk synth`` passes context)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from tests.sites.conftest import document

REPO = Path(__file__).resolve().parents[2]


def test_locked_synth_of_a_new_sites_file_fails_naming_its_lock_file(tmp_path: Path) -> None:
    sites = tmp_path / "branches.yaml"
    sites.write_text(yaml.safe_dump(document()))
    context = {"sites": str(sites), "locked": "true"}
    env = {
        **os.environ,
        "CDK_OUTDIR": str(tmp_path / "cdk.out"),
        # How the CDK CLI hands `-c key=value` to the app.
        "CDK_CONTEXT_JSON": json.dumps(context),
    }
    result = subprocess.run(
        [sys.executable, "app.py"], cwd=REPO, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert f"3 invalid values in {tmp_path / 'branches.lock.json'}:" in result.stderr
    assert "new site site-0001: 169.254.0.8/30, 169.254.0.12/30 in shard 1" in result.stderr
    assert not (tmp_path / "branches.lock.json").exists()
