"""Reachability targets: where AWS's Reachability Analyzer checks that on-premises traffic arrives.

One ``AWS::EC2::NetworkInsightsPath`` per site and target, from the VPN's Transit Gateway
attachment (or its virtual private gateway) to the target. No CDK import: the sites file, the
constructs and ``s2svpn doctor`` share these rules.

Allowed values are the CloudFormation registry schema's (``AWS::EC2::NetworkInsightsPath`` as
cfn-lint ships it, ``cfnlint/data/schemas``): ``Protocol`` ``tcp`` | ``udp`` (required);
``DestinationPort`` an integer 0-65535; ``DestinationIp`` and ``PathFilter.DestinationAddress``
an IPv4 address (pattern ``^([0-9]{1,3}.){3}[0-9]{1,3}$``, at most 15 characters, so no IPv6);
``Destination`` the id or ARN of a resource. "What is Reachability Analyzer?" / "Reachability
Analyzer supported resource types" (Amazon VPC Reachability Analyzer guide): sources and
destinations include Transit Gateway attachments, VPN gateways, instances and network
interfaces. An IP destination is given as the source filter's ``DestinationAddress`` (with the
port as ``DestinationPortRange``), since a path needs a destination resource or that filter.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from site_to_site_vpn.core.errors import Problem

#: ``Protocol`` values of the registry schema.
PROTOCOLS: Final = ("tcp", "udp")
#: @default protocol: TCP, what most services behind a VPN speak.
DEFAULT_PROTOCOL: Final = "tcp"
#: @default port: 443 (HTTPS), the most common service port; set the target's own.
DEFAULT_PORT: Final = 443
#: ``DestinationPort`` bounds of the registry schema.
MIN_PORT: Final = 0
MAX_PORT: Final = 65535
_ENI: Final = re.compile(r"^eni-[0-9a-f]{8}(?:[0-9a-f]{9})?$")
_INSTANCE: Final = re.compile(r"^i-[0-9a-f]{8}(?:[0-9a-f]{9})?$")
_ALLOWED_DESTINATION: Final = (
    "must be an IPv4 address (10.0.1.25), a network interface id (eni-0123456789abcdef0) or an "
    "instance id (i-0123456789abcdef0); Reachability Analyzer paths take no IPv6 address"
)


@dataclass(frozen=True)
class ReachabilityTarget:
    """A workload behind the gateway that on-premises must reach: what the path analyzes."""

    #: An IPv4 address, a network interface (``eni-...``) or an instance (``i-...``).
    destination: str
    #: ``tcp`` or ``udp``. @default ``tcp``
    protocol: str = DEFAULT_PROTOCOL
    #: Destination port, 0-65535. @default 443
    port: int = DEFAULT_PORT

    @property
    def is_address(self) -> bool:
        """An IP address rather than a resource id."""
        return _ipv4(self.destination)

    @property
    def label(self) -> str:
        """``10.0.1.25 tcp/443``: how outputs and messages name it."""
        return f"{self.destination} {self.protocol}/{self.port}"


def _ipv4(value: str) -> bool:
    try:
        return isinstance(ipaddress.ip_address(value), ipaddress.IPv4Address)
    except ValueError:
        return False


def reachability_target_problems(
    targets: Sequence[ReachabilityTarget], prefix: str = "reachability_targets"
) -> list[Problem]:
    """Every target's own rules, and no target twice, as ``<prefix>[i].<field>`` problems."""
    problems: list[Problem] = []
    seen: dict[tuple[str, str, int], int] = {}
    for index, target in enumerate(targets):
        where = f"{prefix}[{index}]"
        if not isinstance(target, ReachabilityTarget):
            problems.append(Problem(where, target, "must be a ReachabilityTarget"))
            continue
        destination = target.destination
        if not isinstance(destination, str) or not (
            _ipv4(destination) or _ENI.match(destination) or _INSTANCE.match(destination)
        ):
            problems.append(Problem(f"{where}.destination", destination, _ALLOWED_DESTINATION))
        if target.protocol not in PROTOCOLS:
            problems.append(Problem(f"{where}.protocol", target.protocol, "must be tcp or udp"))
        port = target.port
        if isinstance(port, bool) or not isinstance(port, int) or not MIN_PORT <= port <= MAX_PORT:
            problems.append(
                Problem(f"{where}.port", port, f"must be an integer from {MIN_PORT} to {MAX_PORT}")
            )
        key = (str(destination), str(target.protocol), port if isinstance(port, int) else -1)
        if key in seen:
            problems.append(
                Problem(f"{where}", target.label, f"is the same target as {prefix}[{seen[key]}]")
            )
        else:
            seen[key] = index
    return problems
