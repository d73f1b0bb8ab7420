"""Deprecated path, kept while other branches merge: use ``site_to_site_vpn.core.errors`` (CDK-free)
and ``site_to_site_vpn.constructs.rules`` (``is_token`` and token-aware rules)."""

from site_to_site_vpn.constructs.rules import is_token, resource_id_problems
from site_to_site_vpn.core.errors import Problem, ValidationError, raise_if_any

__all__ = ["Problem", "ValidationError", "is_token", "raise_if_any", "resource_id_problems"]
