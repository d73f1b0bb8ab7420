"""Tunnel options as written in a sites file (grouped by phase) and as the core's TunnelOptions.

The file groups phase 1 and phase 2 settings (``phase2.lifetime_seconds``); the core uses flat
names (``phase2_lifetime_seconds``). The file's field names are the core's, so both directions
follow one rule (``<phase>.<name>`` <-> ``<phase>_<name>``, and the ``inside_cidr`` alias of
``tunnel_inside_cidr``); no list of fields is kept here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from site_to_site_vpn.constructs.tunnel_options import TunnelOptions
from site_to_site_vpn.sites.document import (
    AlgorithmsDocument,
    TunnelDefaultsDocument,
    TunnelDocument,
)

PROFILES: Final[Mapping[str, Callable[[], TunnelOptions]]] = {
    "secure": TunnelOptions.secure,
    "compatible": TunnelOptions.compatible,
}
#: Groups of the file whose fields the core names ``<group>_<field>``.
PHASES: Final = ("phase1", "phase2")


def changes_from_file(document: TunnelDefaultsDocument) -> dict[str, Any]:
    """The TunnelOptions fields a tunnel section sets (only the keys written in the file)."""
    changes: dict[str, Any] = {}
    for name in document.model_fields_set - {"profile"}:
        value = getattr(document, name)
        if isinstance(value, AlgorithmsDocument):
            changes.update({f"{name}_{key}": getattr(value, key) for key in value.model_fields_set})
        else:
            changes[name] = value
    return changes


def tunnel_options(
    defaults: TunnelDefaultsDocument, overrides: TunnelDocument | None = None
) -> TunnelOptions:
    """Profile, then ``defaults.tunnel``, then the site's overrides for this tunnel."""
    overrides = overrides or TunnelDocument.empty()
    profile = overrides.profile or defaults.profile or "secure"
    base = PROFILES[profile]()
    return base.with_(**{**changes_from_file(defaults), **changes_from_file(overrides)})


def file_path_of(option_field: str) -> str:
    """Where a TunnelOptions field is in the file (``phase2_lifetime_seconds`` -> ``phase2.*``)."""
    field = TunnelDocument.model_fields.get(option_field)
    if field is not None:
        return field.alias or option_field
    head, _, rest = option_field.partition("_")
    if head in PHASES and rest in AlgorithmsDocument.model_fields:
        return f"{head}.{rest}"
    return option_field
