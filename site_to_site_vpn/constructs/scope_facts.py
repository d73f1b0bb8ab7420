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

from aws_cdk import Stack, Stage
from constructs import IConstruct

from site_to_site_vpn.constructs.rules import is_token


@dataclass(frozen=True)
class StackFacts:
    """What the constructs read of their stack."""

    stack: Stack
    #: ``stack_name``: a literal, for names that say which stack a resource belongs to.
    name: str
    path: str
    root: IConstruct
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


_PATHS: weakref.WeakKeyDictionary[IConstruct, str] = weakref.WeakKeyDictionary()
_STACKS: weakref.WeakKeyDictionary[IConstruct, Stack] = weakref.WeakKeyDictionary()
_STACK_FACTS: weakref.WeakKeyDictionary[Stack, StackFacts] = weakref.WeakKeyDictionary()


def path_of(
    construct: IConstruct, *, scope: IConstruct | None = None, construct_id: str | None = None
) -> str:
    """``construct.node.path``, read once.

    Give the ``scope`` and ``construct_id`` a construct was just created with to build the path
    from its scope's (the constructs library joins them with ``/``, a ``/`` in an id becoming
    ``--``): known already, it costs no round trip.
    """
    path = _PATHS.get(construct)
    if path is None:
        if scope is not None and construct_id is not None:
            parent = path_of(scope)
            own = construct_id.replace("/", "--")
            path = f"{parent}/{own}" if parent else own
        else:
            path = construct.node.path
        _PATHS[construct] = path
    return path


def stack_of(construct: IConstruct, *, scope: IConstruct | None = None) -> Stack:
    """``Stack.of(construct)``, read once.

    Give the ``scope`` a construct was just created in to take the stack from there: known
    already, it costs no round trip.
    """
    stack = _STACKS.get(construct)
    if stack is None:
        if isinstance(construct, Stack):
            stack = construct
        elif scope is None or isinstance(scope, Stage):
            stack = Stack.of(construct)
        else:
            stack = stack_of(scope)
        _STACKS[construct] = stack
    return stack


def stack_facts(construct: IConstruct) -> StackFacts:
    """The facts of ``construct``'s stack, read once per stack."""
    stack = stack_of(construct)
    facts = _STACK_FACTS.get(stack)
    if facts is None:
        facts = _STACK_FACTS[stack] = StackFacts(
            stack=stack,
            name=stack.stack_name,
            path=path_of(stack),
            root=stack.node.root,
            account=stack.account,
            region=stack.region,
            partition=stack.partition,
        )
    return facts
