"""Tunnel-option names, ranges and AWS's defaults: what both the constructs and the customer
side need to agree on, without CDK.

Source: "VpnTunnelOptionsSpecification" (Amazon EC2 API Reference) for the valid values, ranges
and the defaults AWS applies when a key is left out.
"""

from __future__ import annotations

from enum import Enum, IntEnum
from typing import Final


class IkeVersion(Enum):
    """IKE protocol versions a tunnel accepts."""

    IKEV1 = "ikev1"
    IKEV2 = "ikev2"


class EncryptionAlgorithm(Enum):
    """Phase 1 and phase 2 ciphers AWS supports."""

    AES128 = "AES128"
    AES256 = "AES256"
    AES128_GCM_16 = "AES128-GCM-16"
    AES256_GCM_16 = "AES256-GCM-16"


class IntegrityAlgorithm(Enum):
    """Phase 1 and phase 2 integrity algorithms AWS supports."""

    SHA1 = "SHA1"
    SHA2_256 = "SHA2-256"
    SHA2_384 = "SHA2-384"
    SHA2_512 = "SHA2-512"


class DhGroup(IntEnum):
    """Diffie-Hellman groups by IANA number (2: 1024-bit MODP, 14: 2048-bit MODP, 19-21: ECP)."""

    GROUP_2 = 2
    GROUP_5 = 5
    GROUP_14 = 14
    GROUP_15 = 15
    GROUP_16 = 16
    GROUP_17 = 17
    GROUP_18 = 18
    GROUP_19 = 19
    GROUP_20 = 20
    GROUP_21 = 21
    GROUP_22 = 22
    GROUP_23 = 23
    GROUP_24 = 24


class DpdTimeoutAction(Enum):
    """What AWS does when dead peer detection times out."""

    CLEAR = "clear"
    NONE = "none"
    RESTART = "restart"


class StartupAction(Enum):
    """Who starts IKE: ``ADD`` waits for the customer gateway, ``START`` lets AWS initiate."""

    ADD = "add"
    START = "start"


PHASE1_DH_GROUPS: Final = frozenset(g for g in DhGroup if g is not DhGroup.GROUP_5)
PHASE2_DH_GROUPS: Final = frozenset(DhGroup)
#: RFC 8247 says MUST NOT / SHOULD NOT for these: 1024-bit and 1536-bit MODP and the small-subgroup
#: MODP groups 22-24.
WEAK_DH_GROUPS: Final = frozenset(
    {DhGroup.GROUP_2, DhGroup.GROUP_5, DhGroup.GROUP_22, DhGroup.GROUP_23, DhGroup.GROUP_24}
)
STRONG_DH_GROUPS: Final = tuple(sorted(PHASE2_DH_GROUPS - WEAK_DH_GROUPS))

PHASE1_LIFETIME_RANGE: Final = (900, 28_800)
PHASE2_LIFETIME_RANGE: Final = (900, 3_600)
REKEY_MARGIN_MIN: Final = 60
REKEY_FUZZ_RANGE: Final = (0, 100)
REPLAY_WINDOW_RANGE: Final = (64, 2_048)
DPD_TIMEOUT_MIN: Final = 30

#: What AWS applies when the template leaves a key out. For the algorithm lists that is every
#: value AWS supports, SHA1 and DH group 2 included.
AWS_DEFAULT_IKE_VERSIONS: Final = tuple(v.value for v in IkeVersion)
AWS_DEFAULT_ENCRYPTION: Final = tuple(a.value for a in EncryptionAlgorithm)
AWS_DEFAULT_INTEGRITY: Final = tuple(a.value for a in IntegrityAlgorithm)
AWS_DEFAULT_PHASE1_DH: Final = tuple(sorted(int(g) for g in PHASE1_DH_GROUPS))
AWS_DEFAULT_PHASE2_DH: Final = tuple(sorted(int(g) for g in PHASE2_DH_GROUPS))
AWS_DEFAULT_PHASE1_LIFETIME: Final = 28_800
AWS_DEFAULT_PHASE2_LIFETIME: Final = 3_600
AWS_DEFAULT_REKEY_MARGIN: Final = 270
AWS_DEFAULT_REKEY_FUZZ: Final = 100
AWS_DEFAULT_REPLAY_WINDOW: Final = 1_024
AWS_DEFAULT_DPD_TIMEOUT: Final = 30
AWS_DEFAULT_DPD_TIMEOUT_ACTION: Final = DpdTimeoutAction.CLEAR
AWS_DEFAULT_STARTUP_ACTION: Final = StartupAction.ADD
