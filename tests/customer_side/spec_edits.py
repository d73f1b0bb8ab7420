"""Edits of a VPN's template ``Properties`` the renderer tests share."""

from __future__ import annotations

from typing import Any


def values(*names: object) -> list[dict[str, object]]:
    """A CloudFormation list of ``{"Value": ...}`` items, as the tunnel options hold them."""
    return [{"Value": n} for n in names]


def set_both(props: dict[str, Any], **options: Any) -> None:
    """Set the same tunnel options on both tunnels."""
    for spec in props["VpnTunnelOptionsSpecifications"]:
        spec.update(options)
