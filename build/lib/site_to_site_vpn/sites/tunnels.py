"""Tunnel options as written in a sites file (grouped by phase) and as the core's TunnelOptions.

The file groups phase 1 and phase 2 settings (``phase2.lifetime_seconds``); the core uses flat
names (``phase2_lifetime_seconds``). This module converts one way and maps problem fields back, so
the core's own validation reports errors at the path the user wrote.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from site_to_site_vpn.constructs.tunnel_options import (
    DhGroup,
    DpdTimeoutAction,
    EncryptionAlgorithm,
    IkeVersion,
    IntegrityAlgorithm,
    StartupAction,
    TunnelOptions,
)

PROFILES: Final[Mapping[str, Callable[[], TunnelOptions]]] = {
    "secure": TunnelOptions.secure,
    "compatible": TunnelOptions.compatible,
}


def _tuple_of(kind: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda values: tuple(kind(value) for value in values)


def _same(value: Any) -> Any:
    return value


#: TunnelOptions field -> (path in the file, converter from the file's value).
FILE_FIELDS: Final[Mapping[str, tuple[str, Callable[[Any], Any]]]] = {
    "ike_versions": ("ike_versions", _tuple_of(IkeVersion)),
    "phase1_encryption_algorithms": (
        "phase1.encryption_algorithms",
        _tuple_of(EncryptionAlgorithm),
    ),
    "phase2_encryption_algorithms": (
        "phase2.encryption_algorithms",
        _tuple_of(EncryptionAlgorithm),
    ),
    "phase1_integrity_algorithms": ("phase1.integrity_algorithms", _tuple_of(IntegrityAlgorithm)),
    "phase2_integrity_algorithms": ("phase2.integrity_algorithms", _tuple_of(IntegrityAlgorithm)),
    "phase1_dh_group_numbers": ("phase1.dh_group_numbers", _tuple_of(DhGroup)),
    "phase2_dh_group_numbers": ("phase2.dh_group_numbers", _tuple_of(DhGroup)),
    "phase1_lifetime_seconds": ("phase1.lifetime_seconds", _same),
    "phase2_lifetime_seconds": ("phase2.lifetime_seconds", _same),
    "rekey_margin_time_seconds": ("rekey_margin_time_seconds", _same),
    "rekey_fuzz_percentage": ("rekey_fuzz_percentage", _same),
    "replay_window_size": ("replay_window_size", _same),
    "dpd_timeout_seconds": ("dpd_timeout_seconds", _same),
    "dpd_timeout_action": ("dpd_timeout_action", DpdTimeoutAction),
    "startup_action": ("startup_action", StartupAction),
    "enable_tunnel_lifecycle_control": ("enable_tunnel_lifecycle_control", _same),
    "tunnel_inside_cidr": ("inside_cidr", _same),
}


def _lookup(document: Mapping[str, Any], dotted: str) -> tuple[bool, Any]:
    node: Any = document
    for key in dotted.split("."):
        if not isinstance(node, Mapping) or key not in node:
            return False, None
        node = node[key]
    return True, node


def changes_from_file(document: Mapping[str, Any]) -> dict[str, Any]:
    """The TunnelOptions fields a file's tunnel section sets (schema-valid input assumed)."""
    changes = {}
    for option, (path, convert) in FILE_FIELDS.items():
        present, value = _lookup(document, path)
        if present:
            changes[option] = convert(value)
    return changes


def tunnel_options(
    defaults: Mapping[str, Any], overrides: Mapping[str, Any] | None = None
) -> TunnelOptions:
    """Profile, then ``defaults.tunnel``, then the site's overrides for this tunnel."""
    overrides = overrides or {}
    profile = overrides.get("profile", defaults.get("profile", "secure"))
    base = PROFILES[profile]()
    return base.with_(**{**changes_from_file(defaults), **changes_from_file(overrides)})


def file_path_of(option_field: str) -> str:
    """Where a TunnelOptions field is in the file (``phase2_lifetime_seconds`` -> ``phase2.*``)."""
    return FILE_FIELDS[option_field][0] if option_field in FILE_FIELDS else option_field
