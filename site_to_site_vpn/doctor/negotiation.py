"""Check 3: what each tunnel negotiated (GetActiveVpnTunnelStatus) against what was intended.

Negotiated fields: EC2 API Reference "ActiveVpnTunnelStatus" (phase1/phase2 encryption and
integrity algorithm, phase1/phase2 DH group, ikeVersion, provisioningStatus available | pending |
failed, provisioningStatusReason). Intended: the tunnel's options in DescribeVpnConnections
("TunnelOption": Phase1EncryptionAlgorithms, ..., IkeVersions, each a list of {Value}), or the
template's VpnTunnelOptionsSpecifications when the doctor found the VPN through its stack. An
empty list means AWS's default: every value allowed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from site_to_site_vpn.doctor.context import DoctorContext
from site_to_site_vpn.doctor.model import CheckResult, failed, passed, unknown

#: (negotiated field, intended list in DescribeVpnConnections, label); the template spells the
#: IKE list ``IKEVersions``.
FIELDS: Final = (
    ("Phase1EncryptionAlgorithm", "Phase1EncryptionAlgorithms", "phase 1 encryption"),
    ("Phase2EncryptionAlgorithm", "Phase2EncryptionAlgorithms", "phase 2 encryption"),
    ("Phase1IntegrityAlgorithm", "Phase1IntegrityAlgorithms", "phase 1 integrity"),
    ("Phase2IntegrityAlgorithm", "Phase2IntegrityAlgorithms", "phase 2 integrity"),
    ("Phase1DHGroup", "Phase1DHGroupNumbers", "phase 1 DH group"),
    ("Phase2DHGroup", "Phase2DHGroupNumbers", "phase 2 DH group"),
    ("IkeVersion", "IkeVersions", "IKE version"),
)
TEMPLATE_KEYS: Final = {"IkeVersions": "IKEVersions"}

#: Weak choices AWS's defaults still allow (/work/shared/notes/aws-site-to-site-vpn.md: SHA1, DH
#: groups 2, 5 and 22 (1024-bit), IKEv1).
WEAK: Final = frozenset({"SHA1", "2", "5", "22", "IKEV1"})


def _norm(value: Any) -> str:
    """``aes256-gcm-16`` and ``AES256-GCM-16`` compare equal; 14 and "14" too."""
    return str(value).upper().replace("_", "-").strip()


def _values(items: Iterable[Any]) -> set[str]:
    return {_norm(i["Value"] if isinstance(i, dict) else i) for i in items}


def _intended(ctx: DoctorContext, index: int) -> dict[str, set[str]]:
    """Allowed values per negotiated field; a field missing means every value is allowed."""
    allowed: dict[str, set[str]] = {}
    described = ctx.tunnel_options[index] if index < len(ctx.tunnel_options) else {}
    template = ctx.intended_tunnels[index] if index < len(ctx.intended_tunnels) else {}
    for field, api_key, _ in FIELDS:
        cfn_key = TEMPLATE_KEYS.get(api_key, api_key)
        values = _values(described.get(api_key, [])) or _values(template.get(cfn_key, []))
        if values:
            allowed[field] = values
    return allowed


def check_negotiated(ctx: DoctorContext) -> list[CheckResult]:
    tunnels = [t for t in ctx.tunnel_options if t.get("OutsideIpAddress")]
    if not tunnels:
        return [unknown("negotiation", "Negotiated parameters", "no tunnel outside IPs known")]
    results = []
    for index, tunnel in enumerate(tunnels):
        ip = tunnel["OutsideIpAddress"]
        title = f"Tunnel {index + 1} ({ip}) negotiated"
        response = ctx.call(
            ctx.ec2,
            "GetActiveVpnTunnelStatus",
            VpnConnectionId=ctx.vpn_id,
            VpnTunnelOutsideIpAddress=ip,
        )
        status = response.get("ActiveVpnTunnelStatus", {})
        provisioning = status.get("ProvisioningStatus")
        if provisioning == "failed":
            results.append(
                failed(
                    "negotiation",
                    title,
                    f"provisioning failed: {status.get('ProvisioningStatusReason', '?')}",
                    "fix the reason AWS gives, then modify the tunnel options again",
                )
            )
            continue
        negotiated = {f: status.get(f) for f, *_ in FIELDS if status.get(f) is not None}
        if not negotiated:
            results.append(
                unknown("negotiation", title, "nothing negotiated (the tunnel is not established)")
            )
            continue
        allowed = _intended(ctx, index)
        outside = [
            f"{label} {negotiated[f]} (intended {', '.join(sorted(allowed[f]))})"
            for f, _, label in FIELDS
            if f in negotiated and f in allowed and _norm(negotiated[f]) not in allowed[f]
        ]
        shown = ", ".join(f"{label} {negotiated[f]}" for f, _, label in FIELDS if f in negotiated)
        if outside:
            results.append(
                failed(
                    "negotiation",
                    title,
                    "weaker than intended: " + "; ".join(outside),
                    "restrict the customer gateway's IKE/IPsec proposals to the intended "
                    "algorithms (AWS accepted them, so the tunnel options allow more than meant)",
                )
            )
            continue
        weak = sorted(
            label
            for f, _, label in FIELDS
            if f in negotiated and f not in allowed and _norm(negotiated[f]) in WEAK
        )
        note = f"; weak but allowed by AWS's defaults: {', '.join(weak)}" if weak else ""
        results.append(passed("negotiation", title, shown + note))
    return results
