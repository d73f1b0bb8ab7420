"""The customer-gateway devices ``s2svpn render --device`` serves, each a renderer loaded lazily.

Every renderer has the signature of :func:`site_to_site_vpn.customer_side.render.render`:
``(*, vpn_properties, customer_asn, facts) -> RenderedConfig``. A renderer is named by its import
path (``"module:function"``) so that ``s2svpn`` imports only the device asked for.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Protocol

if TYPE_CHECKING:
    from site_to_site_vpn.customer_side.facts import DeployFacts
    from site_to_site_vpn.customer_side.render import RenderedConfig


class Renderer(Protocol):
    """What every device's renderer is."""

    def __call__(
        self, *, vpn_properties: Mapping[str, Any], customer_asn: int, facts: DeployFacts
    ) -> RenderedConfig: ...


class DeviceCannotError(ValueError):
    """The template (or an option) asks for something the device cannot do: refused, never
    dropped. The message names the device and the thing, on one line."""

    def __init__(self, device: str, what: str) -> None:
        super().__init__(f"{device} cannot {what}")
        self.device = device


#: ``--device`` name to ``"module:function"``. strongswan is the default.
DEVICES: Final[Mapping[str, str]] = {
    "strongswan": "site_to_site_vpn.customer_side.render:render",
    "cisco-ios-xe": "site_to_site_vpn.customer_side.cisco_ios_xe:render_cisco_ios_xe",
    "junos": "site_to_site_vpn.customer_side.junos:render_junos",
    "libreswan": "site_to_site_vpn.customer_side.libreswan:render_libreswan",
    "panos": "site_to_site_vpn.customer_side.panos:render_panos",
    "fortios": "site_to_site_vpn.customer_side.fortios:render_fortios",
}
DEFAULT_DEVICE: Final = "strongswan"


@dataclass(frozen=True)
class UnknownDeviceError(ValueError):
    name: str

    def __str__(self) -> str:
        return f"unknown device {self.name!r}; one of {', '.join(DEVICES)}"


def renderer(name: str) -> Renderer:
    """The renderer of device ``name``, imported on first use."""
    try:
        target = DEVICES[name]
    except KeyError:
        raise UnknownDeviceError(name) from None
    module, _, function = target.partition(":")
    found: Renderer = getattr(importlib.import_module(module), function)
    return found
