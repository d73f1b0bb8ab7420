"""Shared test helpers: every template a test synthesizes passes cdk-nag and cfn-lint.

Use :func:`new_app` for the app and :func:`synth` for the template: ``synth`` runs the AwsSolutions
and NIST 800-53 R5 packs (a finding makes ``app.synth()`` raise) and cfn-lint (errors and warnings
fail the test), so no template escapes the checks.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import aws_cdk as cdk
from aws_cdk import assertions
from aws_cdk import aws_ec2 as ec2
from constructs import Construct

from site_to_site_vpn import (
    CustomerGatewayProps,
    ExistingTransitGateway,
    ExistingVpnGateway,
    OutsideIpAddressType,
    Routing,
    SiteToSiteVpn,
    TransitGatewayHub,
    VpnConcentrator,
)
from site_to_site_vpn.compliance import apply_compliance_checks
from site_to_site_vpn.customer_side import Dataplane, DeployFacts, PathPreference, TunnelFacts
from site_to_site_vpn.customer_side import template as tpl
from site_to_site_vpn.handlers.vpn_facts import PACKED, PACKED_FIELDS

REPO = Path(__file__).resolve().parent.parent
TEST_ENV = cdk.Environment(account="111111111111", region="us-east-1")


@lru_cache(maxsize=1)
def recommended_flags() -> dict[str, Any]:
    """The feature flags of this repo's cdk.json: the set ``cdk init`` writes for aws-cdk-lib."""
    context: dict[str, Any] = json.loads((REPO / "cdk.json").read_text())["context"]
    return {k: v for k, v in context.items() if k.startswith("@aws-cdk")}


def new_app(*, context: dict[str, Any] | None = None, flags: bool = True) -> cdk.App:
    """An app writing to a fresh temporary cdk.out, with the compliance packs applied.

    ``flags`` (default) gives it the recommended feature flags a ``cdk init`` app has; False
    builds it with none, as an app made before those flags existed.
    """
    full = {**(recommended_flags() if flags else {}), **(context or {})}
    app = cdk.App(outdir=tempfile.mkdtemp(prefix="cdk-test-"), context=full)
    apply_compliance_checks(app)
    return app


def new_stack(app: cdk.App | None = None, name: str = "TestStack") -> cdk.Stack:
    return cdk.Stack(app or new_app(), name, env=TEST_ENV)


@lru_cache(maxsize=256)
def _lint(template_json: str) -> tuple[str, ...]:
    # Imported here: cfn-lint loads sympy and its schemas (seconds), which only a synth needs.
    import cfnlint.api  # noqa: PLC0415

    matches = cfnlint.api.lint(template_json, regions=["us-east-1"])
    # Errors (E) and warnings (W) fail; informational (I) findings are advice, not defects.
    return tuple(str(m) for m in matches if m.rule.id[0] in "EW")


def lint_problems(template: dict[str, Any]) -> tuple[str, ...]:
    """cfn-lint's errors and warnings for one template."""
    return _lint(json.dumps(template, sort_keys=True))


def synth(stack: cdk.Stack) -> dict[str, Any]:
    """Synthesize ``stack``'s app (cdk-nag runs), lint the template and return it as a dict."""
    app = stack.node.root
    assert isinstance(app, cdk.App)
    assembly = app.synth()
    template: dict[str, Any] = assembly.get_stack_by_name(stack.stack_name).template
    problems = lint_problems(template)
    assert not problems, "cfn-lint:\n" + "\n".join(problems)
    return template


def template_of(stack: cdk.Stack) -> assertions.Template:
    """``synth`` wrapped for ``aws_cdk.assertions``."""
    return assertions.Template.from_json(synth(stack))


def resources_of_type(template: dict[str, Any], type_name: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == type_name}


def only_resource(template: dict[str, Any], type_name: str) -> dict[str, Any]:
    found = resources_of_type(template, type_name)
    assert len(found) == 1, f"expected one {type_name}, found {sorted(found)}"
    return next(iter(found.values()))


_ASSET_HASH = re.compile(r"[0-9a-f]{64}")


def normalized(template: dict[str, Any]) -> dict[str, Any]:
    """``template`` with asset hashes replaced, so snapshots change only when resources do."""
    text = _ASSET_HASH.sub("<asset-hash>", json.dumps(template, sort_keys=True))
    result: dict[str, Any] = json.loads(text)
    return result


def plain_log_group_arn(logical_id: str, *, flags: bool = True) -> dict[str, Any]:
    """The plain log group ARN (no ``:*`` stream wildcard) the tunnels' LogOptions carry.

    Under the recommended flags (``@aws-cdk/core:enablePartitionLiterals``) the partition of a
    stack with a known Region is the literal ``aws``; without them it is ``AWS::Partition``.
    """
    head: list[Any] = (
        ["arn:aws:logs:us-east-1:111111111111:log-group:"]
        if flags
        else ["arn:", {"Ref": "AWS::Partition"}, ":logs:us-east-1:111111111111:log-group:"]
    )
    return {"Fn::Join": ["", [*head, {"Ref": logical_id}]]}


def assert_reported(error: Exception, *, path: str, field: str, value: str, rule: str) -> None:
    """``error`` has a line ``<path>: <field> = <value...>: <rule...>`` for one problem."""
    message = str(error)
    line = next((x for x in message.splitlines() if f" {field} = " in x), None)
    assert line is not None, f"no line names {field}:\n{message}"
    assert f"{path}: " in line
    assert value in line
    assert rule in line


#: An environment with no AWS region, credentials or config: what a new user's shell may hold.
NO_AWS_ENV = {
    "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
}


def run_cli(
    *args: str,
    env: dict[str, str] | None = None,
    cwd: Path = REPO,
    timeout: float | None = None,
) -> subprocess.CompletedProcess[str]:
    """``s2svpn ARGS`` as a user runs it: a fresh interpreter in ``cwd`` (@default the repo),
    ``env`` added to no AWS configuration at all."""
    return subprocess.run(
        [sys.executable, "-m", "site_to_site_vpn.cli", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env={**NO_AWS_ENV, "HOME": tempfile.gettempdir(), **(env or {})},
        timeout=timeout,
    )


# --- Constructs under test ------------------------------------------------------------------

HUB_ASN = 64512
VGW_ASN = 64513
CUSTOMER_ASN = 65010
TGW = ExistingTransitGateway(transit_gateway_id="tgw-0123456789abcdef0", amazon_side_asn=HUB_ASN)
VGW = ExistingVpnGateway(vpn_gateway_id="vgw-0123456789abcdef0", amazon_side_asn=VGW_ASN)
CGW = CustomerGatewayProps(ip_address="203.0.113.10", bgp_asn=CUSTOMER_ASN)
_GATEWAY_PROPS = ("transit_gateway", "vpn_gateway", "vpn_concentrator")


def build_vpn(
    scope: Construct | None = None, construct_id: str = "Vpn", /, **overrides: Any
) -> SiteToSiteVpn:
    """A valid VPN (customer gateway :data:`CGW`; on :data:`TGW` unless ``overrides`` name a
    gateway) in ``scope`` (@default a new stack), with ``overrides`` applied."""
    props: dict[str, Any] = {"customer_gateway": CGW}
    if not any(name in overrides for name in _GATEWAY_PROPS):
        props["transit_gateway"] = TGW
    props.update(overrides)
    return SiteToSiteVpn(scope or new_stack(), construct_id, **props)


def build_hub(
    stack: cdk.Stack, *names: str, construct_id: str = "Hub", **overrides: Any
) -> TransitGatewayHub:
    """A hub with route tables ``names``."""
    props: dict[str, Any] = {"amazon_side_asn": HUB_ASN, "route_table_names": names}
    props.update(overrides)
    return TransitGatewayHub(stack, construct_id, **props)


#: Concentrator sites' outside addresses: documentation ranges only (RFC 5737 / RFC 3849), as the
#: lab's network rule asks.
SITE_V4 = "198.51.100.{}"
SITE_V6 = "2001:db8:5::{:x}"


def build_concentrator(
    stack: cdk.Stack, hub: TransitGatewayHub, construct_id: str = "Concentrator"
) -> VpnConcentrator:
    """A concentrator named ``branches`` on ``hub``."""
    return VpnConcentrator(stack, construct_id, transit_gateway=hub, name="branches")


def site_cgw(number: int, *, ipv6: bool = False) -> CustomerGatewayProps:
    """Site ``number``'s device: address ``SITE_V4`` / ``SITE_V6`` ``number``, ASN 65000+number."""
    address = SITE_V6.format(number) if ipv6 else SITE_V4.format(number)
    return CustomerGatewayProps(ip_address=address, bgp_asn=65000 + number)


def build_site(
    scope: cdk.Stack, number: int, concentrator: VpnConcentrator, **overrides: Any
) -> SiteToSiteVpn:
    """Site ``number`` (construct id ``Site<number>``) on ``concentrator``."""
    overrides.setdefault("customer_gateway", site_cgw(number))
    return SiteToSiteVpn(scope, f"Site{number}", vpn_concentrator=concentrator, **overrides)


def concentrator_sites_template() -> dict[str, Any]:
    """A hub (ASN 64600) with one concentrator and two sites on it, synthesized: ``Site1`` with
    IPv4 and ``Site2`` with IPv6 outside addresses."""
    stack = new_stack()
    hub = TransitGatewayHub(stack, "Hub", amazon_side_asn=64600, route_table_names=["onprem"])
    concentrator = build_concentrator(stack, hub)
    build_site(stack, 1, concentrator)
    build_site(
        stack,
        2,
        concentrator,
        customer_gateway=site_cgw(2, ipv6=True),
        outside_ip_address_type=OutsideIpAddressType.IPV6,
    )
    return synth(stack)


def site_properties(template: dict[str, Any], number: int) -> dict[str, Any]:
    """The VPN connection ``Properties`` of site ``number`` (:func:`build_site`) in ``template``."""
    (logical_id,) = [i for i in tpl.vpn_logical_ids(template) if i.startswith(f"Site{number}")]
    return dict(tpl.vpn_properties(template, logical_id))


def imported_vpc(stack: cdk.Stack, **overrides: Any) -> ec2.IVpc:
    """A VPC with private and isolated subnets (the isolated ones share a route table)."""
    attributes: dict[str, Any] = {
        "vpc_id": "vpc-0123456789abcdef0",
        "availability_zones": ["us-east-1a", "us-east-1b"],
        "private_subnet_ids": ["subnet-0a", "subnet-0b"],
        "private_subnet_route_table_ids": ["rtb-private-a", "rtb-private-b"],
        "isolated_subnet_ids": ["subnet-1a", "subnet-1b"],
        "isolated_subnet_route_table_ids": ["rtb-isolated", "rtb-isolated"],
    }
    attributes.update(overrides)
    return ec2.Vpc.from_vpc_attributes(stack, "Vpc", **attributes)


def canonical(value: Any) -> Any:
    """``value`` with ``{"Ref": "AWS::Partition"}`` in an ``Fn::Join`` written as ``aws``.

    Under the recommended feature flags aws-cdk-lib writes the partition of a stack with a known
    Region as the literal ``aws``; without them as a reference. Comparing canonical forms lets one
    expected ARN hold under both.
    """
    if isinstance(value, list):
        return [canonical(v) for v in value]
    if not isinstance(value, dict):
        return value
    if set(value) == {"Fn::Join"} and value["Fn::Join"][0] == "":
        parts: list[Any] = []
        for raw in value["Fn::Join"][1]:
            part = "aws" if raw == {"Ref": "AWS::Partition"} else canonical(raw)
            if isinstance(part, str) and parts and isinstance(parts[-1], str):
                parts[-1] += part
            else:
                parts.append(part)
        return (
            parts[0] if len(parts) == 1 and isinstance(parts[0], str) else {"Fn::Join": ["", parts]}
        )
    return {k: canonical(v) for k, v in value.items()}


def bgp_vpn_template(**overrides: Any) -> tuple[cdk.Stack, dict[str, Any]]:
    """A default (BGP, Transit Gateway) VPN named ``branch`` with ``overrides``, synthesized."""
    stack = new_stack()
    build_vpn(stack, vpn_name="branch", **overrides)
    return stack, canonical(synth(stack))


def static_vpn_template(**overrides: Any) -> tuple[cdk.Stack, dict[str, Any]]:
    """A static VPN on a Virtual Private Gateway named ``store``, synthesized."""
    stack = new_stack()
    build_vpn(
        stack,
        vpn_name="store",
        vpn_gateway=VGW,
        routing=Routing.static(["10.20.0.0/16"]),
        **overrides,
    )
    return stack, canonical(synth(stack))


# --- Reading templates ----------------------------------------------------------------------


def construct_logical_id(stack: cdk.Stack, construct: Any) -> str:
    """The logical id ``construct`` (an L1 resource) gets in ``stack``'s template."""
    return str(stack.resolve(construct.logical_id))


def logical_id_containing(template: dict[str, Any], type_name: str, contains: str) -> str:
    """The one logical id of ``type_name`` whose id contains ``contains``."""
    found = [
        k for k, v in template["Resources"].items() if v["Type"] == type_name and contains in k
    ]
    assert len(found) == 1, f"{type_name} ~ {contains}: {found}"
    return str(found[0])


# --- Customer side --------------------------------------------------------------------------

#: A synthesized VPN connection (with its customer gateway) the renderer and the lab read.
FIXTURE = REPO / "lab" / "fixture_template.json"
PSKS = ("Psk.one_abcdefgh1234", "Psk.two_zyxwvuts9876")


def fixture_template() -> dict[str, Any]:
    return dict(json.loads(FIXTURE.read_text(encoding="utf-8")))


def make_facts(
    *,
    path: PathPreference = PathPreference.PRIMARY_SECONDARY,
    dataplane: Dataplane = Dataplane.XFRM,
    inside: tuple[str | None, str | None] = (None, None),
    remote: tuple[str, ...] = (),
) -> DeployFacts:
    """Deploy facts for :data:`FIXTURE`'s VPN: outside IPs, :data:`PSKS`, the CGW's address."""
    first, second = (
        TunnelFacts(
            outside_ip=ipaddress.IPv4Address(ip),
            psk=psk,
            inside_cidr=ipaddress.IPv4Network(cidr) if cidr else None,
        )
        for ip, psk, cidr in zip(("192.0.2.10", "192.0.2.20"), PSKS, inside, strict=True)
    )
    return DeployFacts(
        tunnels=(first, second),
        cgw_outside_ip=ipaddress.IPv4Address("198.51.100.10"),
        amazon_side_asn=64512,
        onprem_prefixes=(ipaddress.IPv4Network("172.16.0.0/16"),),
        remote_prefixes=tuple(ipaddress.IPv4Network(p) for p in remote),
        path_preference=path,
        dataplane=dataplane,
    )


def facts_field(facts_logical_id: str, name: str) -> dict[str, Any]:
    """How the constructs read one VPN fact: ``Fn::Select`` of ``Fn::Split`` by ``|`` of the
    facts resource's ``Packed`` attribute (one GetAtt for all five fields)."""
    packed = {"Fn::GetAtt": [facts_logical_id, PACKED]}
    return {"Fn::Select": [PACKED_FIELDS.index(name), {"Fn::Split": ["|", packed]}]}
