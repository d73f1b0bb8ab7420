"""What a replacement, deletion or in-place update means for a running network, in words.

Sources (AWS documentation, the oracle):
- "AWS Site-to-Site VPN tunnel endpoint replacements" (Site-to-Site VPN User Guide): changing a
  VPN's target gateway or customer gateway makes both tunnels unavailable while new endpoints are
  provisioned; ModifyVpnTunnelOptions leaves "the modified tunnel unavailable during the update".
- "Delete a transit gateway in AWS Transit Gateway": a transit gateway cannot be deleted while it
  has attachments; a new one starts with none.
- "Understand update behaviors of stack resources" (CloudFormation User Guide): a replacement gets
  a new physical id; adding or removing a replacement property replaces even if the value is the
  same.
- The AWS::EC2::VPNConnection registry schema: ``replacementStrategy: delete_then_create``.
"""

from __future__ import annotations

from site_to_site_vpn.guard.table import TypeRule

VPN_CONNECTION = "AWS::EC2::VPNConnection"
CUSTOMER_GATEWAY = "AWS::EC2::CustomerGateway"
TRANSIT_GATEWAY = "AWS::EC2::TransitGateway"
VPN_CONCENTRATOR = "AWS::EC2::VPNConcentrator"
VPN_GATEWAY = "AWS::EC2::VPNGateway"

#: Replacing or deleting one of these stops traffic: the guard fails unless ``--allow`` names it.
#: The issue's four, plus the virtual private gateway (its replacement detaches it from the VPC
#: and moves every VPN on it to a new gateway, both tunnels down while that happens).
PROTECTED_TYPES = frozenset(
    {VPN_CONNECTION, CUSTOMER_GATEWAY, TRANSIT_GATEWAY, VPN_CONCENTRATOR, VPN_GATEWAY}
)

#: VPNConnection properties that update in place but move the VPN to another gateway.
VPN_GATEWAY_PROPERTIES = frozenset({"CustomerGatewayId", "TransitGatewayId", "VpnGatewayId"})
TUNNEL_OPTIONS = "VpnTunnelOptionsSpecifications"

_REPLACED = {
    VPN_CONNECTION: (
        "outage: the VPN gets new tunnel outside IPs and new pre-shared keys; every on-premises "
        "device must be reconfigured"
    ),
    CUSTOMER_GATEWAY: (
        "a new customer gateway: every VPN using it is moved to it, both tunnels are unavailable "
        "while AWS provisions new endpoints and then renegotiate"
    ),
    TRANSIT_GATEWAY: (
        "a new Transit Gateway with a new id: every attachment (VPCs, VPNs, peering, Direct "
        "Connect), route table and route of the old one is lost"
    ),
    VPN_CONCENTRATOR: (
        "a new VPN concentrator with a new Transit Gateway attachment: every VPN on it is cut "
        "off and its routes must be rebuilt"
    ),
    VPN_GATEWAY: (
        "a new virtual private gateway: it is re-attached to the VPC, route propagation is "
        "re-created and every VPN on it moves, both tunnels down meanwhile"
    ),
}

_DELETED = {
    VPN_CONNECTION: "outage: the VPN and both its tunnels are deleted; traffic to the site stops",
    CUSTOMER_GATEWAY: "the VPNs using this customer gateway lose it (they are deleted with it)",
    TRANSIT_GATEWAY: "every network attached to this Transit Gateway loses its routes through it",
    VPN_CONCENTRATOR: "every VPN on this concentrator loses its Transit Gateway attachment",
    VPN_GATEWAY: "every VPN on this virtual private gateway is cut off from the VPC",
}


def order_words(rule: TypeRule | None) -> str:
    if rule is not None and rule.deletes_first:
        return "the old resource is deleted before the new one exists (delete_then_create)"
    return "a new resource is created, then the old one is deleted"


def replaced(type_name: str, rule: TypeRule | None) -> str:
    words = _REPLACED.get(type_name, "replaced: new physical id")
    return f"{words}; {order_words(rule)}"


def deleted(type_name: str) -> str:
    return _DELETED.get(type_name, "deleted")


def moved(type_name: str) -> str:
    words = _REPLACED.get(type_name, "replaced: new physical id")
    return f"{words}; the new resource is created first, the old one deleted after the update"


def retained(type_name: str) -> str:
    return "removed from the stack but kept in AWS (DeletionPolicy Retain); no longer managed"


def tunnels_updated(tunnels: tuple[int, ...]) -> str:
    if len(tunnels) >= 2:
        return (
            "both tunnels are updated in one deployment and are unavailable during their "
            "updates: the VPN can go down; change one tunnel per deployment"
        )
    other = 2 if tunnels == (1,) else 1
    return (
        f"tunnel {tunnels[0]} is unavailable during the update; tunnel {other} carries the "
        "traffic meanwhile"
    )


def gateway_moved(properties: tuple[str, ...]) -> str:
    return (
        f"{', '.join(properties)} changes in place: both tunnels are unavailable while AWS "
        "provisions new tunnel endpoints"
    )
