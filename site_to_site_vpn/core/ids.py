"""The one shape rule of every EC2 resource id this library takes: a prefix and 8 or 17 hex digits.

Amazon EC2 User Guide, "Resource IDs" (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html):
an id is the resource type's prefix, a hyphen and a unique string; resources created before
2016 carry 8 characters after the hyphen, later ones 17 (e.g. ``vgw-0123456789abcdef0``).
The same rule serves the constructs (created and imported resources), the sites file and the CLI.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Final

from site_to_site_vpn.core.errors import Problem


class Ec2IdKind(Enum):
    """The EC2 resource types whose ids this library takes, by id prefix."""

    TRANSIT_GATEWAY = "tgw"
    TRANSIT_GATEWAY_ATTACHMENT = "tgw-attach"
    TRANSIT_GATEWAY_ROUTE_TABLE = "tgw-rtb"
    VPN_GATEWAY = "vgw"
    CUSTOMER_GATEWAY = "cgw"
    VPN_CONNECTION = "vpn"
    VPN_CONCENTRATOR = "vcn"

    @property
    def pattern(self) -> re.Pattern[str]:
        return _PATTERNS[self]

    @property
    def example(self) -> str:
        return f"{self.value}-0123456789abcdef0"


_PATTERNS: Final = {
    kind: re.compile(rf"^{re.escape(kind.value)}-(?:[0-9a-f]{{8}}|[0-9a-f]{{17}})$")
    for kind in Ec2IdKind
}


def ec2_id_problems(field: str, value: object, kind: Ec2IdKind) -> list[Problem]:
    """``value`` must be an id of ``kind``: its prefix and 8 or 17 lowercase hex digits."""
    if isinstance(value, str) and kind.pattern.match(value):
        return []
    return [
        Problem(
            field,
            value,
            f"must be a {kind.name.lower().replace('_', ' ')} id: '{kind.value}-' and 8 or 17 "
            f"hex digits, e.g. {kind.example}",
        )
    ]
