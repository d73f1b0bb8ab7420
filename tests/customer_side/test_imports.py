"""The CDK-free layers import without aws_cdk or jsii: run in a fresh interpreter, since this
test process has loaded CDK long before."""

from __future__ import annotations

import subprocess
import sys

import pytest

import site_to_site_vpn

CDK_FREE = (
    "site_to_site_vpn",
    "site_to_site_vpn.core",
    "site_to_site_vpn.core.asn",
    "site_to_site_vpn.core.cidr",
    "site_to_site_vpn.core.psk",
    "site_to_site_vpn.core.tunnel_options",
    "site_to_site_vpn.customer_side",
    "site_to_site_vpn.cli",
)


def loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    return {name.split(".")[0] for name in result.stdout.split()}


@pytest.mark.parametrize("module", CDK_FREE)
def test_module_imports_without_cdk(module: str) -> None:
    loaded = loaded_after(f"import {module}")
    assert not loaded & {"aws_cdk", "jsii", "constructs", "boto3", "botocore"}


def test_cli_help_loads_no_cdk() -> None:
    loaded = loaded_after(
        "import contextlib, io\n"
        "from site_to_site_vpn.cli import main\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['--help'])"
    )
    assert not loaded & {"aws_cdk", "jsii", "constructs", "boto3", "botocore"}


def test_root_still_exports_the_public_api_lazily() -> None:
    loaded = loaded_after(
        "import site_to_site_vpn as s\n"
        "assert 'aws_cdk' not in __import__('sys').modules\n"
        "assert sorted(s.__all__) == sorted(s._EXPORTS)\n"
        "print(s.SiteToSiteVpn.__module__)"
    )
    assert "aws_cdk" in loaded


def test_unknown_root_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'NoSuchThing'"):
        site_to_site_vpn.NoSuchThing  # noqa: B018
