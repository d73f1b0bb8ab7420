"""Write cdk.json's feature flags from the installed aws-cdk-lib: exactly what ``cdk init`` writes.

``cdk init app --language python`` copies aws-cdk-lib's ``recommended-feature-flags.json`` into the
new app's cdk.json. The jsii wheel of aws-cdk-lib ships that file inside its bundled npm tarball
(``aws_cdk/_jsii/aws-cdk-lib@<version>.jsii.tgz``, member
``package/recommended-feature-flags.json``), so the flags come from the pinned library itself,
never picked by hand.

    python -m tools.feature_flags           # rewrite cdk.json
    python -m tools.feature_flags --check   # exit 1 when cdk.json is not current
"""

from __future__ import annotations

import argparse
import json
import sys
import tarfile
from importlib import metadata, util
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CDK_JSON = REPO / "cdk.json"
FLAGS_MEMBER = "package/recommended-feature-flags.json"
#: Context keys of ours that are not aws-cdk-lib feature flags; kept first, as they are.
FLAG_PREFIXES = ("@aws-cdk/", "@aws-cdk-containers/")


def is_feature_flag(key: str) -> bool:
    return key.startswith(FLAG_PREFIXES)


def recommended_flags() -> dict[str, Any]:
    """aws-cdk-lib's recommended flags, in the order the library lists them."""
    version = metadata.version("aws-cdk-lib")
    # Located without importing aws_cdk, which would start a Node process for nothing.
    spec = util.find_spec("aws_cdk")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("aws-cdk-lib is not installed")
    package = Path(next(iter(spec.submodule_search_locations)))
    path = package / "_jsii" / f"aws-cdk-lib@{version}.jsii.tgz"
    with tarfile.open(path) as archive:
        member = archive.extractfile(FLAGS_MEMBER)
        if member is None:  # pragma: no cover - a directory entry, never in a real wheel
            raise FileNotFoundError(f"{path}: {FLAGS_MEMBER}")
        flags: dict[str, Any] = json.load(member)
    return flags


def current_cdk_json(text: str) -> dict[str, Any]:
    """``text`` (a cdk.json) with its feature flags replaced by the recommended set."""
    config: dict[str, Any] = json.loads(text)
    context = config.get("context", {})
    ours = {key: value for key, value in context.items() if not is_feature_flag(key)}
    config["context"] = {**ours, **recommended_flags()}
    return config


def render(config: dict[str, Any]) -> str:
    return json.dumps(config, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if cdk.json is not current")
    parser.add_argument("--path", type=Path, default=CDK_JSON)
    args = parser.parse_args(argv)
    text = args.path.read_text()
    wanted = render(current_cdk_json(text))
    if args.check:
        if text != wanted:
            print(f"{args.path} is not current: run `python -m tools.feature_flags`")
            return 1
        return 0
    if text != wanted:
        args.path.write_text(wanted)
        print(f"{args.path}: {len(recommended_flags())} feature flags written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
