"""Where a tunnel's pre-shared key comes from, without ever putting a secret in a template."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Final

from aws_cdk import aws_secretsmanager as secretsmanager

from site_to_site_vpn.errors import Problem, is_token

#: AWS's PSK rule: 8-64 characters of letters, digits, ``.`` and ``_``; must not start with ``0``.
PSK_PATTERN: Final = re.compile(r"^[A-Za-z1-9._][A-Za-z0-9._]{7,63}$")
PSK_RULE: Final = (
    "must be 8-64 characters of A-Z, a-z, 0-9, '.' and '_', and must not start with '0'"
)


class PreSharedKey(ABC):
    """A tunnel's PSK. Leave it unset to let AWS generate one and keep it in Secrets Manager."""

    @staticmethod
    def from_secret(
        secret: secretsmanager.ISecret, *, json_field: str | None = None
    ) -> PreSharedKey:
        """Your own secret, referenced dynamically: CloudFormation resolves it, the template never
        holds the value.

        :param json_field: key inside a JSON secret; @default the whole secret string.
        """
        return SecretPreSharedKey(secret=secret, json_field=json_field)

    @staticmethod
    def unsafe_plain_text(value: str) -> PreSharedKey:
        """A literal PSK. It ends up in the template and in cdk.out, so the VPN construct refuses it
        unless ``allow_plaintext_pre_shared_keys=True`` and then warns at synth."""
        return PlainTextPreSharedKey(value=value)

    @property
    @abstractmethod
    def is_plain_text(self) -> bool:
        """True when the value would be written into the template."""

    @abstractmethod
    def to_cfn(self) -> str:
        """The ``PreSharedKey`` property value: a dynamic reference or the literal."""

    def problems(self, field_name: str) -> list[Problem]:
        """Problems with the PSK itself (only literals can be checked)."""
        return []


@dataclass(frozen=True)
class SecretPreSharedKey(PreSharedKey):
    """PSK stored in a customer-managed Secrets Manager secret."""

    secret: secretsmanager.ISecret
    json_field: str | None = None

    @property
    def is_plain_text(self) -> bool:
        return False

    def to_cfn(self) -> str:
        if self.json_field is None:
            return self.secret.secret_value.unsafe_unwrap()
        return self.secret.secret_value_from_json(self.json_field).unsafe_unwrap()


@dataclass(frozen=True)
class PlainTextPreSharedKey(PreSharedKey):
    """A literal PSK. ``repr`` hides it so it never lands in a log or an error message."""

    value: str = field(repr=False)

    @property
    def is_plain_text(self) -> bool:
        return True

    def to_cfn(self) -> str:
        return self.value

    def problems(self, field_name: str) -> list[Problem]:
        if is_token(self.value) or PSK_PATTERN.fullmatch(self.value):
            return []
        return [Problem(field_name, self.value, PSK_RULE, secret=True)]
