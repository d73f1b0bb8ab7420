"""AWS algorithm names map to the right strongSwan keywords, strongest first."""

from __future__ import annotations

import pytest

from site_to_site_vpn.core.tunnel_options import DhGroup, EncryptionAlgorithm, IntegrityAlgorithm
from site_to_site_vpn.customer_side import algorithms as alg


@pytest.mark.parametrize(
    ("aws", "keyword"),
    [
        ("AES256-GCM-16", "aes256gcm16"),
        ("AES128-GCM-16", "aes128gcm16"),
        ("AES256", "aes256"),
        ("AES128", "aes128"),
    ],
)
def test_encryption_keywords(aws: str, keyword: str) -> None:
    assert alg.ENCRYPTION[aws] == keyword


@pytest.mark.parametrize(
    ("aws", "integrity", "prf"),
    [
        ("SHA1", "sha1", "prfsha1"),
        ("SHA2-256", "sha256", "prfsha256"),
        ("SHA2-384", "sha384", "prfsha384"),
        ("SHA2-512", "sha512", "prfsha512"),
    ],
)
def test_integrity_and_prf_keywords(aws: str, integrity: str, prf: str) -> None:
    assert (alg.INTEGRITY[aws], alg.PRF[aws]) == (integrity, prf)


@pytest.mark.parametrize(
    ("group", "keyword"),
    [
        (2, "modp1024"),
        (5, "modp1536"),
        (14, "modp2048"),
        (15, "modp3072"),
        (16, "modp4096"),
        (17, "modp6144"),
        (18, "modp8192"),
        (19, "ecp256"),
        (20, "ecp384"),
        (21, "ecp521"),
        (22, "modp1024s160"),
        (23, "modp2048s224"),
        (24, "modp2048s256"),
    ],
)
def test_dh_group_keywords(group: int, keyword: str) -> None:
    assert alg.DH_GROUPS[group] == keyword


def test_every_value_aws_accepts_is_mapped() -> None:
    assert {int(g) for g in DhGroup} == set(alg.DH_GROUPS)
    assert {a.value for a in EncryptionAlgorithm} == set(alg.ENCRYPTION)
    assert {a.value for a in IntegrityAlgorithm} == set(alg.INTEGRITY)


def test_strongest_first_orders_by_strength_not_by_input() -> None:
    assert alg.strongest_first(["AES128", "AES256-GCM-16", "AES256"], alg.ENCRYPTION) == (
        "AES256-GCM-16",
        "AES256",
        "AES128",
    )
    assert alg.strongest_first([14, 19, 21, 20], alg.DH_GROUPS) == (21, 20, 19, 14)
    assert alg.strongest_first(["SHA1", "SHA2-512", "SHA2-256"], alg.INTEGRITY) == (
        "SHA2-512",
        "SHA2-256",
        "SHA1",
    )


def test_weak_groups_come_last() -> None:
    order = list(alg.DH_GROUPS)
    assert order[-3:] == [5, 22, 2]


def test_unknown_algorithm_is_refused() -> None:
    with pytest.raises(alg.UnknownAlgorithmError, match="3DES"):
        alg.strongest_first(["3DES", "AES128"], alg.ENCRYPTION)
