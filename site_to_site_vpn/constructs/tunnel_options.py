"""IKE/IPsec options of one VPN tunnel, as typed immutable values with secure defaults.

Every algorithm and DH-group list is written out in the template, because AWS treats an omitted list
as "allow everything", SHA1 and the 1024-bit DH group 2 included.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

from aws_cdk import aws_logs as logs

from site_to_site_vpn.constructs.pre_shared_key import PreSharedKey
from site_to_site_vpn.constructs.rules import (
    inside_cidr_problems,
    inside_ipv6_cidr_problems,
    is_token,
)
from site_to_site_vpn.constructs.scope_facts import stack_facts
from site_to_site_vpn.core.errors import Problem
from site_to_site_vpn.core.tunnel_options import (
    AWS_DEFAULT_DPD_TIMEOUT,
    AWS_DEFAULT_PHASE1_LIFETIME,
    AWS_DEFAULT_PHASE2_LIFETIME,
    AWS_DEFAULT_REKEY_FUZZ,
    AWS_DEFAULT_REKEY_MARGIN,
    AWS_DEFAULT_REPLAY_WINDOW,
    AWS_DEFAULT_STARTUP_ACTION,
    DPD_TIMEOUT_MIN,
    PHASE1_DH_GROUPS,
    PHASE1_LIFETIME_RANGE,
    PHASE2_DH_GROUPS,
    PHASE2_LIFETIME_RANGE,
    REKEY_FUZZ_RANGE,
    REKEY_MARGIN_MIN,
    REPLAY_WINDOW_RANGE,
    STRONG_DH_GROUPS,
    DhGroup,
    DpdTimeoutAction,
    EncryptionAlgorithm,
    IkeVersion,
    IntegrityAlgorithm,
    StartupAction,
)

__all__ = [
    "LogOutputFormat",
    "TunnelLogOptions",
    "TunnelOptions",
    "log_group_arn",
    "validate_tunnel_options",
]


class LogOutputFormat(Enum):
    """Format of tunnel and BGP log records in CloudWatch Logs."""

    JSON = "json"
    TEXT = "text"


#: Plain ARNs and names already known (a group created by VpnLogging, or asked before): each
#: ``format_arn`` or attribute read costs jsii round trips, and several constructs ask.
_LOG_GROUP_ARNS: weakref.WeakKeyDictionary[logs.ILogGroup, str] = weakref.WeakKeyDictionary()
_LOG_GROUP_NAMES: weakref.WeakKeyDictionary[logs.ILogGroup, str] = weakref.WeakKeyDictionary()


def remember_log_group(group: logs.ILogGroup, *, name: str, arn: str) -> None:
    """Record the name and plain ARN of a group whose name the caller built."""
    _LOG_GROUP_NAMES[group] = name
    _LOG_GROUP_ARNS[group] = arn


def log_group_name_of(group: logs.ILogGroup) -> str:
    """``group.log_group_name``, read once."""
    name = _LOG_GROUP_NAMES.get(group)
    if name is None:
        name = _LOG_GROUP_NAMES[group] = group.log_group_name
    return name


def log_group_arn(group: logs.ILogGroup) -> str:
    """The log group's plain ARN: ``GetAtt Arn`` ends in ``:*`` (a stream wildcard), which is an
    IAM resource pattern, not the group's identifier that log delivery expects."""
    arn = _LOG_GROUP_ARNS.get(group)
    if arn is None:
        arn = _LOG_GROUP_ARNS[group] = stack_facts(group).arn(
            "logs", "log-group", log_group_name_of(group)
        )
    return arn


@dataclass(frozen=True)
class TunnelLogOptions:
    """CloudWatch Logs destinations of one tunnel. Filled in by the VPN's logging."""

    tunnel_log_group: logs.ILogGroup | None = None
    bgp_log_group: logs.ILogGroup | None = None
    output_format: LogOutputFormat = LogOutputFormat.JSON

    def to_cfn(self) -> dict[str, Any]:
        options: dict[str, Any] = {"LogEnabled": self.tunnel_log_group is not None}
        if self.tunnel_log_group is not None:
            options["LogGroupArn"] = log_group_arn(self.tunnel_log_group)
            options["LogOutputFormat"] = self.output_format.value
        if self.bgp_log_group is not None:
            options["BgpLogEnabled"] = True
            options["BgpLogGroupArn"] = log_group_arn(self.bgp_log_group)
            options["BgpLogOutputFormat"] = self.output_format.value
        return {"CloudwatchLogOptions": options}


@dataclass(frozen=True)
class TunnelOptions:
    """Options of one tunnel (``VpnTunnelOptionsSpecification``). Defaults are the secure profile.

    Use :meth:`secure` (the default) or :meth:`compatible` as a starting point and
    :func:`dataclasses.replace` (or :meth:`with_`) to change single fields.
    """

    #: IKE versions accepted. @default IKEv2 only: IKEv1 lacks IKEv2's DoS protection and
    #: AWS can only initiate (``StartupAction.START``) over IKEv2.
    ike_versions: tuple[IkeVersion, ...] = (IkeVersion.IKEV2,)
    #: Phase 1 ciphers. @default AES256-GCM-16 and AES256: 256-bit only, GCM first, CBC for
    #: devices without GCM in IKE.
    phase1_encryption_algorithms: tuple[EncryptionAlgorithm, ...] = (
        EncryptionAlgorithm.AES256_GCM_16,
        EncryptionAlgorithm.AES256,
    )
    #: Phase 2 (ESP) ciphers. @default AES256-GCM-16 and AES256, as phase 1.
    phase2_encryption_algorithms: tuple[EncryptionAlgorithm, ...] = (
        EncryptionAlgorithm.AES256_GCM_16,
        EncryptionAlgorithm.AES256,
    )
    #: Phase 1 integrity / PRF. @default SHA2-512, SHA2-384, SHA2-256: SHA1 is deprecated
    #: (RFC 8247).
    phase1_integrity_algorithms: tuple[IntegrityAlgorithm, ...] = (
        IntegrityAlgorithm.SHA2_512,
        IntegrityAlgorithm.SHA2_384,
        IntegrityAlgorithm.SHA2_256,
    )
    #: Phase 2 integrity. @default SHA2-512, SHA2-384, SHA2-256, as phase 1.
    phase2_integrity_algorithms: tuple[IntegrityAlgorithm, ...] = (
        IntegrityAlgorithm.SHA2_512,
        IntegrityAlgorithm.SHA2_384,
        IntegrityAlgorithm.SHA2_256,
    )
    #: Phase 1 DH groups. @default 14-21: 2048-bit MODP or stronger and the NIST ECP curves;
    #: excludes 2, 5 and 22-24, which RFC 8247 marks MUST NOT / SHOULD NOT.
    phase1_dh_group_numbers: tuple[DhGroup, ...] = STRONG_DH_GROUPS
    #: Phase 2 (PFS) DH groups. @default 14-21, as phase 1.
    phase2_dh_group_numbers: tuple[DhGroup, ...] = STRONG_DH_GROUPS
    #: IKE SA lifetime in seconds, 900-28,800. @default 28,800 (AWS's default).
    phase1_lifetime_seconds: int = AWS_DEFAULT_PHASE1_LIFETIME
    #: IPsec SA lifetime in seconds, 900-3,600 and below phase 1. @default 3,600 (AWS's default).
    phase2_lifetime_seconds: int = AWS_DEFAULT_PHASE2_LIFETIME
    #: Seconds before phase 2 expiry at which AWS rekeys, 60 to half of phase 2.
    #: @default 270 (AWS's current default).
    rekey_margin_time_seconds: int = AWS_DEFAULT_REKEY_MARGIN
    #: Random spread of the rekey time in percent, 0-100. @default 100 (AWS's default).
    rekey_fuzz_percentage: int = AWS_DEFAULT_REKEY_FUZZ
    #: IKE replay window in packets, 64-2,048. @default 1,024 (AWS's default).
    replay_window_size: int = AWS_DEFAULT_REPLAY_WINDOW
    #: Seconds without DPD replies before the timeout action, at least 30. @default 30 (AWS's).
    dpd_timeout_seconds: int = AWS_DEFAULT_DPD_TIMEOUT
    #: What AWS does on DPD timeout. @default RESTART: AWS renegotiates at once instead of
    #: waiting for the customer gateway to notice (AWS's own default is ``clear``).
    dpd_timeout_action: DpdTimeoutAction = DpdTimeoutAction.RESTART
    #: Who initiates. @default ADD (AWS's default): the customer gateway initiates, which also
    #: works behind NAT; ``START`` needs IKEv2 only.
    startup_action: StartupAction = AWS_DEFAULT_STARTUP_ACTION
    #: Let the customer decide when AWS replaces the tunnel endpoint during maintenance.
    #: @default False (AWS's default).
    enable_tunnel_lifecycle_control: bool = False
    #: The tunnel's inside /30 in 169.254.0.0/16. @default AWS picks one.
    tunnel_inside_cidr: str | None = None
    #: The tunnel's inside /126 in fd00::/8, for IPv6 inside addresses. @default AWS picks one.
    tunnel_inside_ipv6_cidr: str | None = None
    #: The PSK. @default AWS generates one (kept in Secrets Manager by the VPN's default storage).
    pre_shared_key: PreSharedKey | None = None

    @staticmethod
    def secure() -> TunnelOptions:
        """The default profile: IKEv2, AES-256 (GCM first), SHA-2, DH 14-21."""
        return TunnelOptions()

    @staticmethod
    def compatible() -> TunnelOptions:
        """For older devices: adds IKEv1, AES-128 and DH 23/24, still without SHA1 or DH 2/5/22."""
        return TunnelOptions(
            ike_versions=(IkeVersion.IKEV2, IkeVersion.IKEV1),
            phase1_encryption_algorithms=tuple(EncryptionAlgorithm),
            phase2_encryption_algorithms=tuple(EncryptionAlgorithm),
            phase1_dh_group_numbers=(*STRONG_DH_GROUPS, DhGroup.GROUP_23, DhGroup.GROUP_24),
            phase2_dh_group_numbers=(*STRONG_DH_GROUPS, DhGroup.GROUP_23, DhGroup.GROUP_24),
        )

    def with_(self, **changes: Any) -> TunnelOptions:
        """A copy with some fields changed (``dataclasses.replace``)."""
        return replace(self, **changes)

    def to_cfn(self, log_options: TunnelLogOptions | None = None) -> dict[str, Any]:
        """The ``VpnTunnelOptionsSpecification`` in CloudFormation's own property names."""

        def values(items: Sequence[Enum | int]) -> list[dict[str, Any]]:
            return [{"Value": item.value if isinstance(item, Enum) else item} for item in items]

        spec: dict[str, Any] = {
            "IKEVersions": values(self.ike_versions),
            "Phase1EncryptionAlgorithms": values(self.phase1_encryption_algorithms),
            "Phase2EncryptionAlgorithms": values(self.phase2_encryption_algorithms),
            "Phase1IntegrityAlgorithms": values(self.phase1_integrity_algorithms),
            "Phase2IntegrityAlgorithms": values(self.phase2_integrity_algorithms),
            "Phase1DHGroupNumbers": [{"Value": int(g)} for g in self.phase1_dh_group_numbers],
            "Phase2DHGroupNumbers": [{"Value": int(g)} for g in self.phase2_dh_group_numbers],
            "Phase1LifetimeSeconds": self.phase1_lifetime_seconds,
            "Phase2LifetimeSeconds": self.phase2_lifetime_seconds,
            "RekeyMarginTimeSeconds": self.rekey_margin_time_seconds,
            "RekeyFuzzPercentage": self.rekey_fuzz_percentage,
            "ReplayWindowSize": self.replay_window_size,
            "DPDTimeoutSeconds": self.dpd_timeout_seconds,
            "DPDTimeoutAction": self.dpd_timeout_action.value,
            "StartupAction": self.startup_action.value,
            "EnableTunnelLifecycleControl": self.enable_tunnel_lifecycle_control,
        }
        if self.tunnel_inside_cidr is not None:
            spec["TunnelInsideCidr"] = self.tunnel_inside_cidr
        if self.tunnel_inside_ipv6_cidr is not None:
            spec["TunnelInsideIpv6Cidr"] = self.tunnel_inside_ipv6_cidr
        if self.pre_shared_key is not None:
            spec["PreSharedKey"] = self.pre_shared_key.to_cfn()
        if log_options is not None:
            spec["LogOptions"] = log_options.to_cfn()
        return spec


def _enum_list_problems(field: str, items: Any, allowed: Sequence[Enum]) -> list[Problem]:
    allowed_values = [a.value for a in allowed]
    if not isinstance(items, tuple | list) or not items:
        return [Problem(field, items, f"must be a non-empty list of {allowed_values}")]
    problems = []
    for item in items:
        value = item.value if isinstance(item, Enum) else item
        if value not in allowed_values:
            problems.append(Problem(field, value, f"is not one of {allowed_values}"))
    if len({i.value if isinstance(i, Enum) else i for i in items}) != len(items):
        problems.append(Problem(field, [getattr(i, "value", i) for i in items], "has duplicates"))
    return problems


def _int_range_problems(field: str, value: Any, low: int, high: int | None) -> list[Problem]:
    if is_token(value):
        return []
    if isinstance(value, bool) or not isinstance(value, int):
        return [Problem(field, value, "must be an integer")]
    if value < low or (high is not None and value > high):
        bound = f"{low:,}-{high:,}" if high is not None else f"at least {low:,}"
        return [Problem(field, value, f"must be {bound}")]
    return []


def validate_tunnel_options(options: TunnelOptions, prefix: str = "") -> list[Problem]:
    """Every AWS rule for one tunnel's options, single-field and cross-field."""
    o = options
    problems = [
        *_enum_list_problems("ike_versions", o.ike_versions, list(IkeVersion)),
        *_enum_list_problems(
            "phase1_encryption_algorithms",
            o.phase1_encryption_algorithms,
            list(EncryptionAlgorithm),
        ),
        *_enum_list_problems(
            "phase2_encryption_algorithms",
            o.phase2_encryption_algorithms,
            list(EncryptionAlgorithm),
        ),
        *_enum_list_problems(
            "phase1_integrity_algorithms", o.phase1_integrity_algorithms, list(IntegrityAlgorithm)
        ),
        *_enum_list_problems(
            "phase2_integrity_algorithms", o.phase2_integrity_algorithms, list(IntegrityAlgorithm)
        ),
        *_enum_list_problems(
            "phase1_dh_group_numbers", o.phase1_dh_group_numbers, sorted(PHASE1_DH_GROUPS)
        ),
        *_enum_list_problems(
            "phase2_dh_group_numbers", o.phase2_dh_group_numbers, sorted(PHASE2_DH_GROUPS)
        ),
        *_int_range_problems(
            "phase1_lifetime_seconds", o.phase1_lifetime_seconds, *PHASE1_LIFETIME_RANGE
        ),
        *_int_range_problems(
            "phase2_lifetime_seconds", o.phase2_lifetime_seconds, *PHASE2_LIFETIME_RANGE
        ),
        *_int_range_problems(
            "rekey_margin_time_seconds", o.rekey_margin_time_seconds, REKEY_MARGIN_MIN, None
        ),
        *_int_range_problems("rekey_fuzz_percentage", o.rekey_fuzz_percentage, *REKEY_FUZZ_RANGE),
        *_int_range_problems("replay_window_size", o.replay_window_size, *REPLAY_WINDOW_RANGE),
        *_int_range_problems("dpd_timeout_seconds", o.dpd_timeout_seconds, DPD_TIMEOUT_MIN, None),
    ]
    for name, value, kind in (
        ("dpd_timeout_action", o.dpd_timeout_action, DpdTimeoutAction),
        ("startup_action", o.startup_action, StartupAction),
    ):
        if not isinstance(value, kind):
            problems.append(Problem(name, value, f"must be one of {[m.value for m in kind]}"))
    if not isinstance(o.enable_tunnel_lifecycle_control, bool):
        problems.append(
            Problem(
                "enable_tunnel_lifecycle_control",
                o.enable_tunnel_lifecycle_control,
                "must be True or False",
            )
        )
    problems += _cross_field_problems(o)
    if o.tunnel_inside_cidr is not None:
        problems += inside_cidr_problems("tunnel_inside_cidr", o.tunnel_inside_cidr)
    if o.tunnel_inside_ipv6_cidr is not None:
        problems += inside_ipv6_cidr_problems("tunnel_inside_ipv6_cidr", o.tunnel_inside_ipv6_cidr)
    if o.pre_shared_key is not None:
        problems += o.pre_shared_key.problems("pre_shared_key")
    return [p.nested(prefix) for p in problems]


def _is_literal_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and not is_token(value)


def _cross_field_problems(o: TunnelOptions) -> list[Problem]:
    problems = []
    p1, p2, margin = (
        o.phase1_lifetime_seconds,
        o.phase2_lifetime_seconds,
        o.rekey_margin_time_seconds,
    )
    if _is_literal_int(p1) and _is_literal_int(p2) and p2 >= p1:
        problems.append(
            Problem(
                "phase2_lifetime_seconds", p2, f"must be less than phase1_lifetime_seconds ({p1})"
            )
        )
    if _is_literal_int(p2) and _is_literal_int(margin) and margin > p2 // 2:
        problems.append(
            Problem(
                "rekey_margin_time_seconds",
                margin,
                f"must be at most half of phase2_lifetime_seconds ({p2 // 2})",
            )
        )
    if o.startup_action is StartupAction.START and tuple(o.ike_versions) != (IkeVersion.IKEV2,):
        problems.append(
            Problem(
                "startup_action",
                o.startup_action.value,
                "'start' (AWS initiates) needs ike_versions to be IKEv2 only",
            )
        )
    return problems
