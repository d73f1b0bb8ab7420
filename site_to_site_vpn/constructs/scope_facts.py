"""Construct paths and stack facts, asked of jsii once per object.

Each ``construct.node.path`` or ``Stack.of(construct).region`` is a round trip to the Node kernel
(about 0.3 ms). The constructs read them for every VPN for validation messages and cross-VPN
claims, which at a thousand sites added seconds; these caches pay once per construct or stack.
Keys are the Python objects jsii hands back (the same instance for a construct created in Python),
held weakly so a test's many apps do not pile up.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

from aws_cdk import Stack
from constructs import Construct

from site_to_site_vpn.constructs.rules import is_token


@dataclass(frozen=True)
class StackFacts:
    """What the constructs read of their stack."""

    stack: Stack
    path: str
    root: Construct
    account: str
    region: str
    partition: str

    def arn(self, service: str, resource: str, resource_name: str) -> str:
        """``arn:<partition>:<service>:<region>:<account>:<resource>:<name>``: what
        ``Stack.format_arn`` with ``COLON_RESOURCE_NAME`` builds, without its round trips."""
        return (
            f"arn:{self.partition}:{service}:{self.region}:{self.account}:"
            f"{resource}:{resource_name}"
        )

    @property
    def literal_region(self) -> str | None:
        """The Region, or None for an environment-agnostic stack (a token)."""
        return None if is_token(self.region) else self.region


_PATHS: weakref.WeakKeyDictionary[Construct, str] = weakref.WeakKeyDictionary()
_STACKS: weakref.WeakKeyDictionary[Construct, Stack] = weakref.WeakKeyDictionary()
_STACK_FACTS: weakref.WeakKeyDictionary[Stack, StackFacts] = weakref.WeakKeyDictionary()


def path_of(construct: Construct) -> str:
    """``construct.node.path``, read once."""
    path = _PATHS.get(construct)
    if path is None:
        path = _PATHS[construct] = construct.node.path
    return path


def stack_of(construct: Construct) -> Stack:
    """``Stack.of(construct)``, read once."""
    stack = _STACKS.get(construct)
    if stack is None:
        stack = _STACKS[construct] = Stack.of(construct)
    return stack


def stack_facts(construct: Construct) -> StackFacts:
    """The facts of ``construct``'s stack, read once per stack."""
    stack = stack_of(construct)
    facts = _STACK_FACTS.get(stack)
    if facts is None:
        facts = _STACK_FACTS[stack] = StackFacts(
            stack=stack,
            path=path_of(stack),
            root=stack.node.root,
            account=stack.account,
            region=stack.region,
            partition=stack.partition,
        )
    return facts
