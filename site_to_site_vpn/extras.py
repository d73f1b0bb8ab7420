"""Optional parts of the distribution and the one-line hint for a missing one.

``pip install cdk-site-to-site-vpn`` brings aws-cdk-lib and constructs: every construct. The sites
file, the ``s2svpn`` commands and the cdk-nag checks are extras (pyproject.toml
``[project.optional-dependencies]``): importing them without their extra raises
:class:`MissingExtraError`, whose message names the ``pip install`` to run.
"""

from __future__ import annotations

import importlib.util

DISTRIBUTION = "cdk-site-to-site-vpn"

#: Extra -> the top-level modules it brings (pyproject.toml's optional-dependencies). The cli extra
#: carries the sites file's packages too: its commands read sites files.
MODULES_OF_EXTRA: dict[str, tuple[str, ...]] = {
    "sites": ("pydantic", "pydantic_core", "yaml"),
    "cli": ("boto3", "botocore", "rich", "pydantic", "pydantic_core", "yaml"),
    "compliance": ("cdk_nag",),
}


def install_command(extra: str) -> str:
    """The command a user runs to add ``extra``."""
    return f"pip install '{DISTRIBUTION}[{extra}]'"


class MissingExtraError(ModuleNotFoundError):
    """A feature was used without the extra that carries its packages."""

    def __init__(self, feature: str, extra: str, module: str) -> None:
        super().__init__(
            f"{feature} needs the '{extra}' extra ({module} is not installed): "
            f"{install_command(extra)}",
            name=module,
        )
        self.extra = extra


def require_extra(feature: str, extra: str) -> None:
    """Raise :class:`MissingExtraError` unless every module ``extra`` brings is importable."""
    for module in MODULES_OF_EXTRA[extra]:
        if importlib.util.find_spec(module) is None:
            raise MissingExtraError(feature, extra, module)


def extra_for(error: ModuleNotFoundError) -> str | None:
    """The extra that would have provided the module ``error`` is about (None: not ours)."""
    if isinstance(error, MissingExtraError):
        return error.extra
    top = (error.name or "").partition(".")[0]
    return next((extra for extra, modules in MODULES_OF_EXTRA.items() if top in modules), None)
