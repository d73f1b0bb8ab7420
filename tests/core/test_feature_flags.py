"""cdk.json carries exactly the feature flags ``cdk init`` writes for the pinned aws-cdk-lib."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support import REPO, recommended_flags
from tools import feature_flags


def test_cdk_json_is_current() -> None:
    assert feature_flags.main(["--check"]) == 0, "run `python -m tools.feature_flags`"


def test_the_own_app_example_cdk_json_is_current() -> None:
    own = REPO / "examples" / "own_app" / "cdk.json"
    assert feature_flags.main(["--check", "--path", str(own)]) == 0


def test_flags_come_from_the_installed_aws_cdk_lib() -> None:
    flags = feature_flags.recommended_flags()
    # aws-cdk-lib 2.275 recommends 89 context keys (what `cdk init app` writes).
    assert len(flags) == 89
    assert flags["@aws-cdk/aws-lambda:useCdkManagedLogGroup"] is True
    assert recommended_flags() == flags, "tests/support builds apps under another set"


def test_check_fails_on_a_stale_or_hand_edited_cdk_json(tmp_path: Path) -> None:
    config = json.loads((REPO / "cdk.json").read_text())
    del config["context"]["@aws-cdk/aws-lambda:useCdkManagedLogGroup"]
    config["context"]["@aws-cdk/core:checkSecretUsage"] = False
    stale = tmp_path / "cdk.json"
    stale.write_text(json.dumps(config, indent=2) + "\n")
    assert feature_flags.main(["--check", "--path", str(stale)]) == 1
    assert feature_flags.main(["--path", str(stale)]) == 0
    repaired = json.loads(stale.read_text())
    assert repaired == json.loads((REPO / "cdk.json").read_text())
    assert repaired["context"]["cli-telemetry"] is False
