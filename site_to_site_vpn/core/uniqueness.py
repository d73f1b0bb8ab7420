"""The rules that span VPNs, each written once: the constructs (per app), the sites file (per
file) and the lock file report them with these functions, whatever found the clash.

- Tunnel inside CIDRs are unique per gateway: AWS Site-to-Site VPN User Guide, "Tunnel options
  for your Site-to-Site VPN connection" ("must be unique across all AWS Site-to-Site VPN
  connections that use the same virtual private gateway" / transit gateway).
- A VPN name is unique in its stack: it is the construct id of a site, the Name tag, the log group
  path and the metric namespace of its VPN.
- The customer side's ASN differs from the Amazon side's, or the BGP session never comes up (the
  literal rule is ``constructs.rules.asn_clash_problems``, which skips deploy-time tokens).
"""

from __future__ import annotations

from site_to_site_vpn.core.errors import Problem


def inside_cidr_taken(field: str, cidr: str, holder: str) -> Problem:
    """``cidr`` is already the inside CIDR of ``holder`` (a tunnel, a site, a reservation)."""
    return Problem(
        field,
        cidr,
        f"is already used by {holder}; tunnel inside CIDRs must be unique per gateway "
        "(Transit Gateway or Virtual Private Gateway)",
    )


def vpn_name_taken(field: str, name: str, holder: str) -> Problem:
    """``name`` is already the name of ``holder`` in the same stack (or sites file)."""
    return Problem(
        field,
        name,
        f"is also the name of {holder}; VPN names must be unique in a stack (each is a construct "
        "id, the Name tag, the log group path and the metric namespace)",
    )
