"""Check the built sdist and wheel in a folder: metadata a user and PyPI read, every data file.

``make dist`` builds both into dist/ and runs ``twine check --strict`` and then this script;
``tests/release/test_distribution.py`` runs the same checks on a fresh build.

    python -m tools.check_dist dist
"""

from __future__ import annotations

import email
import sys
import tarfile
import zipfile
from email.message import Message
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

#: Files the package loads at run time: without them a command fails only after install.
DATA_FILES = (
    "site_to_site_vpn/py.typed",
    "site_to_site_vpn/sites/sites.schema.json",
    "site_to_site_vpn/cost/prices.json",
    "site_to_site_vpn/guard/create_only.json",
)
#: What `pip install cdk-site-to-site-vpn` alone pulls (the core).
CORE_REQUIREMENTS = ("aws-cdk-lib", "constructs")
EXTRAS = ("sites", "cli", "compliance", "all")
CLASSIFIERS = ("Typing :: Typed", "Framework :: AWS CDK", "Framework :: AWS CDK :: 2")


def version() -> str:
    """The version written once, in site_to_site_vpn/_version.py."""
    namespace: dict[str, str] = {}
    exec((REPO / "site_to_site_vpn" / "_version.py").read_text(), namespace)
    return namespace["__version__"]


def wheel_metadata(wheel: Path) -> tuple[Message, list[str]]:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        (meta,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        return email.message_from_bytes(archive.read(meta)), names


def sdist_names(sdist: Path) -> list[str]:
    with tarfile.open(sdist) as archive:
        return [name.partition("/")[2] for name in archive.getnames()]


def problems(folder: Path) -> list[str]:
    """Everything wrong with the sdist and the wheel in ``folder`` (empty: fine)."""
    found: list[str] = []
    wheels = sorted(folder.glob("cdk_site_to_site_vpn-*.whl"))
    sdists = sorted(folder.glob("cdk_site_to_site_vpn-*.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        return [f"{folder}: expected one wheel and one sdist, found {wheels + sdists}"]
    meta, names = wheel_metadata(wheels[0])
    if meta["Version"] != version():
        found.append(f"wheel version {meta['Version']} != _version.py {version()}")
    if meta["License-Expression"] != "Apache-2.0":
        found.append(f"License-Expression is {meta['License-Expression']!r}")
    if not any(n.endswith(".dist-info/licenses/LICENSE") for n in names):
        found.append("the wheel carries no LICENSE")
    classifiers = meta.get_all("Classifier") or []
    found += [f"classifier {c!r} missing" for c in CLASSIFIERS if c not in classifiers]
    found += [
        f"a license classifier beside the SPDX expression: {c}"
        for c in classifiers
        if c.startswith("License ::")
    ]
    if not meta.get_all("Project-URL"):
        found.append("no Project-URL")
    if not meta["Keywords"]:
        found.append("no Keywords")
    requires = meta.get_all("Requires-Dist") or []
    core = sorted(
        r.split(">")[0].split("<")[0].split("=")[0].strip() for r in requires if "extra ==" not in r
    )
    if core != sorted(CORE_REQUIREMENTS):
        found.append(f"core requirements {core}, expected {sorted(CORE_REQUIREMENTS)}")
    provided = meta.get_all("Provides-Extra") or []
    found += [f"extra {e!r} missing" for e in EXTRAS if e not in provided]
    sdist = sdist_names(sdists[0])
    for data in DATA_FILES:
        if data not in names:
            found.append(f"the wheel lacks {data}")
        if data not in sdist:
            found.append(f"the sdist lacks {data}")
    found += [
        f"the sdist lacks {n}" for n in ("LICENSE", "README.md", "CHANGELOG.md") if n not in sdist
    ]
    return found


def main(argv: list[str]) -> int:
    folder = Path(argv[0] if argv else "dist")
    found = problems(folder)
    for problem in found:
        print(f"check_dist: {problem}", file=sys.stderr)
    if not found:
        print(f"check_dist: {folder}: sdist and wheel {version()} complete")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
