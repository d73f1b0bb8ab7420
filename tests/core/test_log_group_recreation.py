"""Retained log groups never block re-creating a VPN (issue 9 item 7).

A VPN's groups are RETAIN: they outlive the VPN. With fixed names, a site removed and added back,
or a stack deleted and deployed again, failed with "already exists". Each creation now names its
groups after the generated name of a ``CreationId`` SSM parameter created with them.

CloudFormation cannot run here, so :class:`Account` plays the part of it that matters: a resource
keeps its physical name while it stays in the stack, a resource (re)created without a name gets a
new generated one (``CFN-<logical id>-<random>``, as for AWS::SSM::Parameter), a RETAIN resource
removed from the stack stays in the account, and creating a log group whose name exists fails.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import pytest

from site_to_site_vpn import CustomerGatewayProps, SiteToSiteVpn
from tests.support import TGW, new_app, new_stack, resources_of_type, synth

_SERIAL = itertools.count()
VPN_LOG_PREFIX = "/aws/vendedlogs/site-to-site-vpn/"
#: The facts provider's own group (DESTROY, one per stack) shares the prefix.
PROVIDER_GROUP_SUFFIX = "-deploy-time-lookups"


class AlreadyExistsError(Exception):
    pass


@dataclass
class Account:
    """Log groups in the account, and one stack's logical id -> physical name."""

    log_groups: set[str] = field(default_factory=set)
    stack: dict[str, str] = field(default_factory=dict)

    def _name(self, value: Any, physical: dict[str, str]) -> str:
        if isinstance(value, str):
            return value
        if "Fn::Join" in value:
            sep, parts = value["Fn::Join"]
            return str(sep).join(self._name(part, physical) for part in parts)
        if "Ref" in value:
            return physical[value["Ref"]]
        raise AssertionError(f"unexpected intrinsic {value}")

    def deploy(self, template: dict[str, Any]) -> dict[str, str]:
        """Create or update the stack; returns the log groups' names by logical id."""
        resources = template["Resources"]
        physical = dict(self.stack)
        for logical, resource in resources.items():  # unnamed resources first: groups use them
            if logical not in physical and resource["Type"] == "AWS::SSM::Parameter":
                assert "Name" not in resource["Properties"]
                physical[logical] = f"CFN-{logical}-{next(_SERIAL):012d}"
        for logical, resource in resources.items():
            if resource["Type"] != "AWS::Logs::LogGroup" or logical in physical:
                continue
            name = self._name(resource["Properties"]["LogGroupName"], physical)
            if name in self.log_groups:
                raise AlreadyExistsError(name)
            self.log_groups.add(name)
            physical[logical] = name
        for logical in set(physical) - set(resources):  # removed from the template
            self._remove(logical, physical, self._previous.get(logical, {}))
        self.stack = {k: v for k, v in physical.items() if k in resources}
        self._previous = dict(resources)
        # The VPNs' groups (the lookups' provider group is DESTROY and named per stack).
        return {
            k: v
            for k, v in self.stack.items()
            if resources[k]["Type"] == "AWS::Logs::LogGroup"
            and v.startswith(VPN_LOG_PREFIX)
            and not v.endswith(PROVIDER_GROUP_SUFFIX)
        }

    def delete_stack(self) -> None:
        for logical in list(self.stack):
            self._remove(logical, self.stack, self._previous.get(logical, {}))
        self.stack = {}
        self._previous = {}

    def _remove(self, logical: str, physical: dict[str, str], resource: dict[str, Any]) -> None:
        if resource.get("Type") == "AWS::Logs::LogGroup" and resource.get("DeletionPolicy") != (
            "Retain"
        ):
            self.log_groups.discard(physical[logical])

    _previous: dict[str, Any] = field(default_factory=dict)


def _sites_template(*names: str, flags: bool = True) -> dict[str, Any]:
    stack = new_stack(new_app(flags=flags))
    for index, name in enumerate(names):
        SiteToSiteVpn(
            stack,
            name,
            customer_gateway=CustomerGatewayProps(ip_address=f"203.0.113.{10 + index}"),
            transit_gateway=TGW,
        )
    return synth(stack)


@pytest.mark.parametrize("flags", [True, False], ids=["recommended-flags", "no-flags"])
def test_a_site_removed_and_added_back_gets_new_log_groups(flags: bool) -> None:
    account = Account()
    first = account.deploy(_sites_template("paris", "lyon", flags=flags))
    assert len(first) == 4  # tunnel + BGP per site
    account.deploy(_sites_template("lyon", flags=flags))
    assert set(first.values()) <= account.log_groups  # paris's groups were retained
    again = account.deploy(_sites_template("paris", "lyon", flags=flags))  # no AlreadyExists
    paris = [k for k in again if k.startswith("paris")]
    assert paris
    for logical in paris:
        assert again[logical] != first[logical]
        assert again[logical].startswith("/aws/vendedlogs/site-to-site-vpn/paris/")
    lyon = [k for k in again if k.startswith("lyon")]
    assert {k: again[k] for k in lyon} == {k: first[k] for k in lyon}  # untouched site keeps its


def test_a_stack_deleted_and_deployed_again_gets_new_log_groups() -> None:
    account = Account()
    template = _sites_template("paris")
    first = account.deploy(template)
    account.delete_stack()
    assert set(first.values()) <= account.log_groups
    second = account.deploy(template)
    assert not set(first.values()) & set(second.values())


def test_the_simulated_account_refuses_a_fixed_name_it_retained() -> None:
    """The scenario has teeth: a RETAIN group with a fixed name cannot be re-created."""
    # What this library synthesized before: a RETAIN group with a literal name.
    template = {
        "Resources": {
            "Fixed": {
                "Type": "AWS::Logs::LogGroup",
                "DeletionPolicy": "Retain",
                "Properties": {"LogGroupName": "/aws/vendedlogs/site-to-site-vpn/paris/tunnel"},
            }
        }
    }
    account = Account()
    account.deploy(template)
    account.delete_stack()
    with pytest.raises(AlreadyExistsError):
        account.deploy(template)


def test_key_policy_still_names_exactly_the_groups_it_encrypts() -> None:
    template = _sites_template("paris")
    groups = resources_of_type(template, "AWS::Logs::LogGroup")
    names = [g["Properties"]["LogGroupName"] for k, g in groups.items() if k.startswith("paris")]
    [key] = resources_of_type(template, "AWS::KMS::Key").values()
    conditions = [
        s["Condition"]["ArnEquals"]["kms:EncryptionContext:aws:logs:arn"]
        for s in key["Properties"]["KeyPolicy"]["Statement"]
        if "ArnEquals" in s.get("Condition", {})
    ]
    scoped = [
        arn
        for arns in conditions
        for arn in arns
        if "vendedlogs" in str(arn) and PROVIDER_GROUP_SUFFIX not in str(arn)
    ]
    assert len(scoped) == len(names) == 2
    for name in names:
        assert any(name["Fn::Join"][1][0] in str(arn) for arn in scoped)
        assert {"Ref": next(k for k in template["Resources"] if "CreationId" in k)} in name[
            "Fn::Join"
        ][1]
