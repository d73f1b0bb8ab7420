"""Constant template values handed to Node once per process and referenced afterwards.

A Python list or dict passed to a jsii call is rebuilt in Node on every call: each nested object
is wrapped, serialized and type-converted (about 1.8 ms for both tunnels' algorithm lists, the
largest part of a VPN's ``VpnTunnelOptionsSpecifications``). The same lists recur in every VPN of
an app, so each distinct one is sent once, as ``Token.as_any(value)`` (an ``Intrinsic`` that
resolves to the value itself), and later VPNs pass the reference. The synthesized template is
the same; only literal values (no tokens) may be shared, since one object serves every app.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from aws_cdk import IResolvable, Token


def shared_constant(value: list[Any] | dict[str, Any]) -> IResolvable:
    """``value`` as one Node object, created on first use of an equal value.

    :raises ValueError: ``value`` holds a token, which belongs to one app's resources.
    """
    encoded = json.dumps(value)
    if "Token[" in encoded:
        raise ValueError(f"a shared constant holds literal values only, not tokens: {encoded}")
    return _shared(encoded)


@functools.lru_cache(maxsize=256)
def _shared(encoded: str) -> IResolvable:
    return Token.as_any(json.loads(encoded))
