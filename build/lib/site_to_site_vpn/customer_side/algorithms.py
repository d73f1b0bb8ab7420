"""AWS tunnel-option algorithm names and their strongSwan keywords, strongest first.

The tables are ordered by security strength so that a rendered proposal lists the strongest choice
first; an initiator's first proposal is what a well-configured responder picks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final, TypeVar

#: Encryption algorithms (phase 1 and 2), strongest first. GCM entries are AEAD.
ENCRYPTION: Final[Mapping[str, str]] = {
    "AES256-GCM-16": "aes256gcm16",
    "AES128-GCM-16": "aes128gcm16",
    "AES256": "aes256",
    "AES128": "aes128",
}
AEAD: Final = frozenset({"AES256-GCM-16", "AES128-GCM-16"})

#: Integrity algorithms, strongest first; in IKE with AEAD they name the PRF instead.
INTEGRITY: Final[Mapping[str, str]] = {
    "SHA2-512": "sha512",
    "SHA2-384": "sha384",
    "SHA2-256": "sha256",
    "SHA1": "sha1",
}
PRF: Final[Mapping[str, str]] = {name: f"prf{kw}" for name, kw in INTEGRITY.items()}

#: Diffie-Hellman groups, strongest (by security bits, ECP before MODP on a tie) first.
DH_GROUPS: Final[Mapping[int, str]] = {
    21: "ecp521",
    18: "modp8192",
    20: "ecp384",
    17: "modp6144",
    16: "modp4096",
    19: "ecp256",
    15: "modp3072",
    24: "modp2048s256",
    14: "modp2048",
    23: "modp2048s224",
    5: "modp1536",
    22: "modp1024s160",
    2: "modp1024",
}

#: What AWS allows, and therefore offers, when the template leaves a list out.
AWS_DEFAULT_ENCRYPTION: Final = tuple(ENCRYPTION)
AWS_DEFAULT_INTEGRITY: Final = tuple(INTEGRITY)
AWS_DEFAULT_PHASE1_DH: Final = (2, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24)
AWS_DEFAULT_PHASE2_DH: Final = (2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24)
AWS_DEFAULT_IKE_VERSIONS: Final = ("ikev1", "ikev2")

K = TypeVar("K", str, int)


class UnknownAlgorithmError(ValueError):
    """The template names an algorithm this renderer cannot map; refusing beats guessing."""


def strongest_first(allowed: Iterable[K], table: Mapping[K, str]) -> tuple[K, ...]:
    """The allowed names in the table's strength order; unknown names are an error."""
    wanted = set(allowed)
    unknown = wanted - set(table)
    if unknown:
        raise UnknownAlgorithmError(f"no strongSwan mapping for {sorted(map(str, unknown))}")
    return tuple(name for name in table if name in wanted)
