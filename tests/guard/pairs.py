"""Template pairs in the spirit of issue 20's 102: each a baseline and a current assembly, the
outcome CloudFormation's rules give (cited), run through ``s2svpn guard`` as a subprocess.

``python -m tests.guard.pairs [--s2svpn PATH]`` writes the pairs to a temporary directory, runs
the CLI on each and prints the score (default: ``python -m site_to_site_vpn.cli`` from this
checkout; the wheel test passes the installed ``s2svpn``). Outcomes:

- ``block``: exit 1 (a protected resource is certainly replaced or deleted);
- ``pass``: exit 0 and nothing "may" be replaced;
- ``warn``: exit 0 and a "may replace/delete" (the templates cannot decide): not a certain case;
- ``error``: exit 2 with one line on stderr, no traceback.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.guard.cfn import (
    CDK_DEPLOY,
    CLOUD_ASSEMBLY,
    CONDITIONS,
    INTRINSICS,
    NESTED_STACKS,
    PSEUDO_PARAMETERS,
    UPDATE_BEHAVIORS,
    nested_stack,
    vpn_template,
    with_props,
    write_assembly,
)

REPO = Path(__file__).resolve().parents[2]
EAST = "aws://111111111111/us-east-1"
WEST = "aws://111111111111/eu-west-1"
NESTED_FILE = "Net.nested.template.json"
Template = dict[str, Any]


@dataclass(frozen=True)
class Pair:
    name: str
    expected: str
    rule: str
    #: Writes the baseline and current assemblies under the two directories.
    write: Callable[[Path, Path], None]
    args: tuple[str, ...] = field(default=())

    @property
    def certain(self) -> bool:
        return self.expected != "warn"


def _single(old: Template, new: Template, env: str = EAST) -> Callable[[Path, Path], None]:
    def write(a: Path, b: Path) -> None:
        write_assembly(a, {"Vpn": (env, old)})
        write_assembly(b, {"Vpn": (env, new)})

    return write


def _res(template: Template, **resources: Any) -> Template:
    out = copy.deepcopy(template)
    out["Resources"].update(resources)
    return out


def _vpc(cidr: str) -> dict[str, Any]:
    return {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": cidr}}


def _remote(cidr: str, remote: Any) -> Template:
    return with_props(_res(vpn_template(), Vpc=_vpc(cidr)), "Vpn", RemoteIpv4NetworkCidr=remote)


def _cert(domain: str) -> Template:
    cert = {"Type": "AWS::CertificateManager::Certificate", "Properties": {"DomainName": domain}}
    return with_props(_res(vpn_template(), Cert=cert), "Cgw", CertificateArn={"Ref": "Cert"})


def _attachment(subnets: list[str], *, vpn_uses_it: bool) -> Template:
    attach = {
        "Type": "AWS::EC2::TransitGatewayVpcAttachment",
        "Properties": {"TransitGatewayId": {"Ref": "Tgw"}, "VpcId": "vpc-1", "SubnetIds": subnets},
    }
    out = _res(vpn_template(), Attach=attach)
    if vpn_uses_it:
        out = with_props(out, "Vpn", TransportTransitGatewayAttachmentId={"Ref": "Attach"})
    return out


def _chain(cidr: str) -> Template:
    subnet = {
        "Type": "AWS::EC2::Subnet",
        "Properties": {"VpcId": {"Ref": "Vpc"}, "CidrBlock": "10.0.0.0/28"},
    }
    attach = {
        "Type": "AWS::EC2::TransitGatewayVpcAttachment",
        "Properties": {
            "TransitGatewayId": {"Ref": "Tgw"},
            "VpcId": {"Ref": "Vpc"},
            "SubnetIds": [{"Ref": "Subnet"}],
        },
    }
    out = _res(vpn_template(), Vpc=_vpc(cidr), Subnet=subnet, Attach=attach)
    return with_props(
        out, "Vpn", TransportTransitGatewayAttachmentId={"Fn::GetAtt": ["Attach", "Id"]}
    )


def _secret(name: str) -> Template:
    secret = {"Type": "AWS::SecretsManager::Secret", "Properties": {"Name": name}}
    return _res(vpn_template(), Psk=secret)


def _cond(expression: Any, **extra: Any) -> Template:
    out = vpn_template(Conditions={"On": expression}, **extra)
    out["Resources"]["Vpn"]["Condition"] = "On"
    return out


def _if(flag: str, **extra: Any) -> Template:
    out = vpn_template(Conditions={"Static": {"Fn::Equals": [flag, "yes"]}}, **extra)
    return with_props(out, "Vpn", StaticRoutesOnly={"Fn::If": ["Static", True, False]})


def _param(name: str, default: str | None) -> dict[str, Any]:
    spec: dict[str, Any] = {"Type": "String"}
    if default is not None:
        spec["Default"] = default
    return {name: spec}


def _nested(
    old_inner: Template,
    new_inner: Template,
    *,
    old_id: str = "Net",
    new_id: str = "Net",
    old_parent: Template | None = None,
    new_parent: Template | None = None,
) -> Callable[[Path, Path], None]:
    def parent(lid: str, extra: Template | None) -> Template:
        out = {"Resources": {lid: nested_stack(NESTED_FILE)}}
        if extra:
            out = copy.deepcopy(extra)
            out["Resources"].setdefault(lid, nested_stack(NESTED_FILE))
        return out

    def write(a: Path, b: Path) -> None:
        write_assembly(
            a, {"P": (EAST, parent(old_id, old_parent))}, nested={NESTED_FILE: old_inner}
        )
        write_assembly(
            b, {"P": (EAST, parent(new_id, new_parent))}, nested={NESTED_FILE: new_inner}
        )

    return write


def _nested_param_parent(cidr: str) -> Template:
    stack = nested_stack(NESTED_FILE, Cidr={"Fn::GetAtt": ["Vpc", "CidrBlock"]})
    return {"Resources": {"Vpc": _vpc(cidr), "Net": stack}}


def _nested_param_inner() -> Template:
    inner = with_props(vpn_template(), "Vpn", RemoteIpv4NetworkCidr={"Ref": "Cidr"})
    inner["Parameters"] = _param("Cidr", None)
    return inner


def _nested_output(cidr: str) -> Template:
    return {
        "Resources": {"Vpc": _vpc(cidr)},
        "Outputs": {"Cidr": {"Value": {"Fn::GetAtt": ["Vpc", "CidrBlock"]}}},
    }


NESTED_OUTPUT_PARENT = with_props(
    {"Resources": {**vpn_template()["Resources"], "Net": nested_stack(NESTED_FILE)}},
    "Vpn",
    RemoteIpv4NetworkCidr={"Fn::GetAtt": ["Net", "Outputs.Cidr"]},
)


def _deep_nested(inner_vpn: Template) -> Callable[[Path, Path], None]:
    def write(a: Path, b: Path) -> None:
        middle = {"Resources": {"Deep": nested_stack("Deep.nested.template.json")}}
        for root, leaf in ((a, vpn_template()), (b, inner_vpn)):
            write_assembly(
                root,
                {"P": (EAST, {"Resources": {"Net": nested_stack(NESTED_FILE)}})},
                nested={NESTED_FILE: middle, "Deep.nested.template.json": leaf},
            )

    return write


def _regions(west_new: Template) -> Callable[[Path, Path], None]:
    def write(a: Path, b: Path) -> None:
        write_assembly(a, {"Vpn.e": (EAST, vpn_template()), "Vpn.w": (WEST, vpn_template())})
        write_assembly(b, {"Vpn.e": (EAST, vpn_template()), "Vpn.w": (WEST, west_new)})

    return write


def _pipeline(prod_new: Template) -> Callable[[Path, Path], None]:
    def write(a: Path, b: Path) -> None:
        for root, prod in ((a, vpn_template()), (b, prod_new)):
            write_assembly(root / "assembly-Beta", {"Beta-Vpn": (EAST, vpn_template())})
            write_assembly(root / "assembly-Prod", {"Prod-Vpn": (WEST, prod)})
            artifacts = {
                d: {"type": "cdk:cloud-assembly", "properties": {"directoryName": d}}
                for d in ("assembly-Beta", "assembly-Prod")
            }
            (root / "manifest.json").write_text(
                json.dumps({"version": "48.0.0", "artifacts": artifacts})
            )

    return write


def _moved_region(a: Path, b: Path) -> None:
    write_assembly(a, {"Vpn": (EAST, vpn_template())})
    write_assembly(b, {"Vpn": (WEST, with_props(vpn_template(), "Vpn", StaticRoutesOnly=True))})


def _broken(file_name: str, content: Any) -> Callable[[Path, Path], None]:
    def write(a: Path, b: Path) -> None:
        write_assembly(a, {"Vpn": (EAST, vpn_template())})
        write_assembly(b, {"Vpn": (EAST, vpn_template())})
        text = content if isinstance(content, str) else json.dumps(content)
        (b / file_name).write_text(text)

    return write


def _moved_vpn() -> Template:
    out = vpn_template()
    out["Resources"]["OfficeVpn"] = out["Resources"].pop("Vpn")
    return out


def _renamed_chain(prefix: str) -> Template:
    resources: dict[str, Any] = {}
    for i in range(20):
        props: dict[str, Any] = {"IpAddress": f"198.51.100.{i}", "BgpAsn": 65000, "Type": "ipsec.1"}
        if i < 19:
            props["DeviceName"] = {"Ref": f"{prefix}{i + 1}"}
        resources[f"{prefix}{i}"] = {"Type": "AWS::EC2::CustomerGateway", "Properties": props}
    return {"Resources": resources}


def _tunnels(lifetime: int) -> Template:
    spec = [{"Phase1LifetimeSeconds": lifetime}, {"Phase1LifetimeSeconds": 28800}]
    return with_props(vpn_template(), "Vpn", VpnTunnelOptionsSpecifications=spec)


def _retained_delete() -> tuple[Template, Template]:
    old = vpn_template()
    old["Resources"]["Vpn"]["DeletionPolicy"] = "Retain"
    new = copy.deepcopy(old)
    del new["Resources"]["Vpn"]
    return old, new


BASE = vpn_template()
P = _param
REMOTE = {"Fn::GetAtt": ["Vpc", "CidrBlock"]}
ENV_PARAM = {"Parameters": P("Env", "prod")}
NO_DEFAULT = {"Parameters": P("Mode", None)}

PAIRS: list[Pair] = [
    # follow-on replacement (UPDATE_BEHAVIORS; registry createOnlyProperties of each type)
    Pair(
        "vpc-cidr-getatt-remote-cidr",
        "block",
        UPDATE_BEHAVIORS,
        _single(_remote("10.0.0.0/16", REMOTE), _remote("10.1.0.0/16", REMOTE)),
    ),
    Pair(
        "vpc-cidr-sub-remote-cidr",
        "block",
        UPDATE_BEHAVIORS,
        _single(
            _remote("10.0.0.0/16", {"Fn::Sub": "${Vpc.CidrBlock}"}),
            _remote("10.1.0.0/16", {"Fn::Sub": "${Vpc.CidrBlock}"}),
        ),
    ),
    Pair(
        "vpc-unchanged-remote-cidr",
        "pass",
        UPDATE_BEHAVIORS,
        _single(_remote("10.0.0.0/16", REMOTE), _remote("10.0.0.0/16", REMOTE)),
    ),
    Pair(
        "acm-certificate-cgw-certificate-arn",
        "block",
        UPDATE_BEHAVIORS,
        _single(_cert("vpn.example.com"), _cert("vpn2.example.com")),
    ),
    Pair(
        "tgw-attachment-subnets-vpn-transport",
        "block",
        UPDATE_BEHAVIORS,
        _single(
            _attachment(["subnet-1"], vpn_uses_it=True),
            _attachment(["subnet-1", "subnet-2"], vpn_uses_it=True),
        ),
    ),
    Pair(
        "tgw-attachment-subnets-alone",
        "pass",
        UPDATE_BEHAVIORS,
        _single(
            _attachment(["subnet-1"], vpn_uses_it=False),
            _attachment(["subnet-2"], vpn_uses_it=False),
        ),
    ),
    Pair(
        "secret-name-alone",
        "pass",
        UPDATE_BEHAVIORS,
        _single(_secret("vpn/psk"), _secret("vpn/psk-2")),
    ),
    Pair(
        "vpc-subnet-attachment-vpn-chain",
        "block",
        UPDATE_BEHAVIORS,
        _single(_chain("10.0.0.0/16"), _chain("10.7.0.0/16")),
    ),
    Pair(
        "vpc-in-vpn-tags-only",
        "pass",
        UPDATE_BEHAVIORS,
        _single(
            with_props(
                _res(BASE, Vpc=_vpc("10.0.0.0/16")),
                "Vpn",
                Tags=[{"Key": "v", "Value": {"Ref": "Vpc"}}],
            ),
            with_props(
                _res(BASE, Vpc=_vpc("10.1.0.0/16")),
                "Vpn",
                Tags=[{"Key": "v", "Value": {"Ref": "Vpc"}}],
            ),
        ),
    ),
    Pair(
        "tgw-asn",
        "block",
        UPDATE_BEHAVIORS,
        _single(BASE, with_props(BASE, "Tgw", AmazonSideAsn=64513)),
    ),
    Pair(
        "cgw-ip",
        "block",
        UPDATE_BEHAVIORS,
        _single(BASE, with_props(BASE, "Cgw", IpAddress="203.0.113.20")),
    ),
    Pair(
        "tgw-description",
        "pass",
        UPDATE_BEHAVIORS,
        _single(BASE, with_props(BASE, "Tgw", Description="hub")),
    ),
    # conditions (CONDITIONS)
    Pair(
        "condition-turns-false",
        "block",
        CONDITIONS,
        _single(_cond({"Fn::Equals": ["a", "a"]}), _cond({"Fn::Equals": ["a", "b"]})),
    ),
    Pair(
        "condition-and-or-not-stays-true",
        "pass",
        CONDITIONS,
        _single(
            BASE,
            _cond(
                {
                    "Fn::And": [
                        {"Fn::Not": [{"Fn::Equals": [{"Ref": "Env"}, "dev"]}]},
                        {
                            "Fn::Or": [
                                {"Fn::Equals": ["x", "y"]},
                                {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
                            ]
                        },
                    ]
                },
                **ENV_PARAM,
            ),
        ),
    ),
    Pair(
        "condition-and-turns-false",
        "block",
        CONDITIONS,
        _single(
            BASE,
            _cond(
                {"Fn::And": [{"Fn::Equals": [{"Ref": "Env"}, "prod"]}, {"Fn::Equals": ["x", "y"]}]},
                **ENV_PARAM,
            ),
        ),
    ),
    Pair("fn-if-flips-create-only", "block", CONDITIONS, _single(_if("no"), _if("yes"))),
    Pair("fn-if-same", "pass", CONDITIONS, _single(_if("yes"), _if("yes"))),
    Pair(
        "fn-if-equal-to-literal",
        "pass",
        CONDITIONS,
        _single(with_props(BASE, "Vpn", StaticRoutesOnly=True), _if("yes")),
    ),
    Pair(
        "condition-undecidable",
        "warn",
        CONDITIONS,
        _single(BASE, _cond({"Fn::Equals": [{"Ref": "Mode"}, "x"]}, **NO_DEFAULT)),
    ),
    Pair(
        "condition-undecidable-strict",
        "block",
        CONDITIONS,
        _single(BASE, _cond({"Fn::Equals": [{"Ref": "Mode"}, "x"]}, **NO_DEFAULT)),
        ("--strict",),
    ),
    Pair(
        "resource-switched-on", "pass", CONDITIONS, _single(_cond({"Fn::Equals": ["a", "b"]}), BASE)
    ),
    Pair(
        "region-condition-stays-true",
        "pass",
        PSEUDO_PARAMETERS,
        _single(
            _cond({"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]}),
            _cond({"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]}),
        ),
    ),
    Pair(
        "region-condition-turns-false",
        "block",
        PSEUDO_PARAMETERS,
        _single(
            _cond({"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]}),
            _cond({"Fn::Equals": [{"Ref": "AWS::Region"}, "eu-west-1"]}),
        ),
    ),
    Pair(
        "fn-if-no-value",
        "pass",
        CONDITIONS,
        _single(
            BASE,
            with_props(
                vpn_template(Conditions={"N": {"Fn::Equals": ["a", "b"]}}),
                "Vpn",
                EnableAcceleration={"Fn::If": ["N", True, {"Ref": "AWS::NoValue"}]},
            ),
        ),
    ),
    # nested stacks (NESTED_STACKS)
    Pair(
        "nested-vpn-replaced",
        "block",
        NESTED_STACKS,
        _nested(BASE, with_props(BASE, "Vpn", StaticRoutesOnly=True)),
    ),
    Pair("nested-logical-id-moves", "block", NESTED_STACKS, _nested(BASE, BASE, new_id="Net2")),
    Pair("nested-unchanged", "pass", NESTED_STACKS, _nested(BASE, BASE)),
    Pair(
        "nested-tag-only",
        "pass",
        NESTED_STACKS,
        _nested(BASE, with_props(BASE, "Vpn", Tags=[{"Key": "a", "Value": "b"}])),
    ),
    Pair(
        "nested-parameter-from-replaced-vpc",
        "block",
        NESTED_STACKS,
        _nested(
            _nested_param_inner(),
            _nested_param_inner(),
            old_parent=_nested_param_parent("10.0.0.0/16"),
            new_parent=_nested_param_parent("10.1.0.0/16"),
        ),
    ),
    Pair(
        "nested-in-nested-vpn",
        "block",
        NESTED_STACKS,
        _deep_nested(with_props(BASE, "Cgw", IpAddress="203.0.113.99")),
    ),
    Pair(
        "nested-output-of-replaced-vpc-feeds-parent-vpn",
        "block",
        NESTED_STACKS,
        _nested(
            _nested_output("10.0.0.0/16"),
            _nested_output("10.2.0.0/16"),
            old_parent=NESTED_OUTPUT_PARENT,
            new_parent=NESTED_OUTPUT_PARENT,
        ),
    ),
    Pair(
        "nested-output-unchanged",
        "pass",
        NESTED_STACKS,
        _nested(
            _nested_output("10.0.0.0/16"),
            _nested_output("10.0.0.0/16"),
            old_parent=NESTED_OUTPUT_PARENT,
            new_parent=NESTED_OUTPUT_PARENT,
        ),
    ),
    # stacks are (account, region, name) (CLOUD_ASSEMBLY)
    Pair("two-regions-unchanged", "pass", CLOUD_ASSEMBLY, _regions(BASE)),
    Pair(
        "two-regions-west-changed",
        "block",
        CLOUD_ASSEMBLY,
        _regions(with_props(BASE, "Vpn", StaticRoutesOnly=True)),
    ),
    Pair(
        "pipeline-prod-changed",
        "block",
        CLOUD_ASSEMBLY,
        _pipeline(with_props(BASE, "Cgw", BgpAsn=65011)),
    ),
    Pair("pipeline-unchanged", "pass", CLOUD_ASSEMBLY, _pipeline(BASE)),
    Pair("stack-moved-region", "pass", CLOUD_ASSEMBLY, _moved_region),
    # values after intrinsic functions resolve (INTRINSICS, CDK_DEPLOY)
    Pair(
        "getatt-string-vs-list",
        "pass",
        INTRINSICS,
        _single(
            _remote("10.0.0.0/16", REMOTE), _remote("10.0.0.0/16", {"Fn::GetAtt": "Vpc.CidrBlock"})
        ),
    ),
    Pair(
        "join-equals-literal",
        "pass",
        INTRINSICS,
        _single(
            BASE, with_props(BASE, "Cgw", IpAddress={"Fn::Join": [".", ["203", "0", "113", "10"]]})
        ),
    ),
    Pair(
        "sub-equals-literal",
        "pass",
        INTRINSICS,
        _single(
            BASE,
            with_props(BASE, "Cgw", IpAddress={"Fn::Sub": ["203.0.113.${L}", {"L": "10"}]}),
        ),
    ),
    Pair(
        "ref-parameter-default-equals-literal",
        "pass",
        CDK_DEPLOY,
        _single(
            BASE,
            {
                **with_props(BASE, "Cgw", IpAddress={"Ref": "Ip"}),
                "Parameters": P("Ip", "203.0.113.10"),
            },
        ),
    ),
    Pair(
        "number-vs-string",
        "pass",
        INTRINSICS,
        _single(BASE, with_props(BASE, "Cgw", BgpAsn="65010")),
    ),
    Pair(
        "join-changes-value",
        "block",
        INTRINSICS,
        _single(BASE, with_props(BASE, "Cgw", IpAddress={"Fn::Join": ["", ["203.0.113.", "11"]]})),
    ),
    Pair(
        "parameter-default-changed",
        "warn",
        CDK_DEPLOY,
        _single(
            {
                **with_props(BASE, "Cgw", IpAddress={"Ref": "Ip"}),
                "Parameters": P("Ip", "203.0.113.10"),
            },
            {
                **with_props(BASE, "Cgw", IpAddress={"Ref": "Ip"}),
                "Parameters": P("Ip", "203.0.113.11"),
            },
        ),
    ),
    Pair(
        "select-equals-literal",
        "pass",
        INTRINSICS,
        _single(BASE, with_props(BASE, "Vpn", Type={"Fn::Select": ["1", ["ipsec.2", "ipsec.1"]]})),
    ),
    Pair(
        "find-in-map-equals-literal",
        "pass",
        INTRINSICS,
        _single(
            BASE,
            {
                **with_props(BASE, "Cgw", IpAddress={"Fn::FindInMap": ["Sites", "berlin", "ip"]}),
                "Mappings": {"Sites": {"berlin": {"ip": "203.0.113.10"}}},
            },
        ),
    ),
    # moved logical ids and --allow (UPDATE_BEHAVIORS)
    Pair("vpn-logical-id-moved", "block", UPDATE_BEHAVIORS, _single(BASE, _moved_vpn())),
    Pair(
        "vpn-logical-id-moved-allowed",
        "pass",
        UPDATE_BEHAVIORS,
        _single(BASE, _moved_vpn()),
        ("--allow", "Vpn"),
    ),
    Pair(
        "renamed-chain-of-customer-gateways",
        "block",
        UPDATE_BEHAVIORS,
        _single(_renamed_chain("Old"), _renamed_chain("New")),
    ),
    Pair("retained-vpn-removed", "pass", UPDATE_BEHAVIORS, _single(*_retained_delete())),
    Pair("one-tunnel-option", "pass", UPDATE_BEHAVIORS, _single(BASE, _tunnels(3600))),
    # malformed input: one line, exit 2
    Pair(
        "resource-not-object",
        "error",
        "",
        _broken("Vpn.template.json", {"Resources": {"Vpn": "x"}}),
    ),
    Pair("resources-list", "error", "", _broken("Vpn.template.json", {"Resources": []})),
    Pair("template-array", "error", "", _broken("Vpn.template.json", [])),
    Pair(
        "properties-list",
        "error",
        "",
        _broken(
            "Vpn.template.json",
            {"Resources": {"Vpn": {"Type": "AWS::SNS::Topic", "Properties": []}}},
        ),
    ),
    Pair("artifact-not-object", "error", "", _broken("manifest.json", {"artifacts": {"Vpn": 1}})),
    Pair("artifacts-list", "error", "", _broken("manifest.json", {"artifacts": []})),
    Pair("broken-json", "error", "", _broken("Vpn.template.json", "{")),
    Pair(
        "malformed-fn-if",
        "warn",
        INTRINSICS,
        _single(BASE, with_props(BASE, "Vpn", StaticRoutesOnly={"Fn::If": ["X", True]})),
    ),
]


@dataclass(frozen=True)
class Outcome:
    pair: Pair
    got: str
    detail: str

    @property
    def right(self) -> bool:
        return self.got == self.pair.expected


def classify(done: subprocess.CompletedProcess[str]) -> tuple[str, str]:
    if "Traceback" in done.stderr:
        return "traceback", done.stderr[-300:]
    if done.returncode == 2:
        lines = done.stderr.strip().splitlines()
        return ("error" if len(lines) == 1 else "error-multiline"), done.stderr.strip()
    try:
        report = json.loads(done.stdout)
    except ValueError:
        return f"exit {done.returncode}, no JSON", done.stderr[-300:]
    if done.returncode == 1:
        return "block", ", ".join(report["blocked"])
    if done.returncode == 0:
        return ("warn" if report["mayReplace"] else "pass"), ", ".join(report["mayReplace"])
    return f"exit {done.returncode}", done.stderr[-300:]


def run_pairs(s2svpn: list[str], root: Path, env: dict[str, str] | None = None) -> list[Outcome]:
    outcomes = []
    for pair in PAIRS:
        a, b = root / pair.name / "baseline", root / pair.name / "current"
        pair.write(a, b)
        done = subprocess.run(
            [*s2svpn, "guard", "--baseline", str(a), "--current", str(b), "--json", *pair.args],
            capture_output=True,
            text=True,
            check=False,
            env=env,
            cwd=root,
        )
        got, detail = classify(done)
        outcomes.append(Outcome(pair, got, detail))
    return outcomes


def score(outcomes: list[Outcome]) -> str:
    certain = [o for o in outcomes if o.pair.certain]
    return (
        f"{sum(o.right for o in outcomes)}/{len(outcomes)} right; certain cases "
        f"{sum(o.right for o in certain)}/{len(certain)}; tracebacks "
        f"{sum(o.got == 'traceback' for o in outcomes)}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description="run the guard's template pairs")
    parser.add_argument("--s2svpn", help="the s2svpn executable (default: this checkout's)")
    args = parser.parse_args()
    command = [args.s2svpn] if args.s2svpn else [sys.executable, "-m", "site_to_site_vpn.cli"]
    env = None if args.s2svpn else {**os.environ, "PYTHONPATH": str(REPO)}
    with tempfile.TemporaryDirectory() as tmp:
        outcomes = run_pairs(command, Path(tmp), env)
    for outcome in outcomes:
        mark = "ok " if outcome.right else "BAD"
        print(f"{mark} {outcome.pair.name}: expected {outcome.pair.expected}, got {outcome.got}")
    print(score(outcomes))
    return 0 if all(o.right for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
