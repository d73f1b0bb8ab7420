"""Small CloudFormation templates for the guard's rule tests (no synth: fast, exact).

The URLs every rule test cites (the oracle):
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

#: "Update behaviors of stack resources": replacement for create-only properties; a replaced
#: resource gets a new physical id, so what refers to it changes too.
UPDATE_BEHAVIORS = (
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/"
    "using-cfn-updating-stacks-update-behaviors.html"
)
#: Conditions: a resource is created only when its condition is true; evaluated at every update.
CONDITIONS = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/conditions-section-structure.html"
CONDITION_FUNCTIONS = (
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/"
    "intrinsic-function-reference-conditions.html"
)
#: Nested stacks: updating the parent updates each nested stack; deleting the
#: AWS::CloudFormation::Stack resource deletes the nested stack and its resources.
NESTED_STACKS = (
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-nested-stacks.html"
)
#: Intrinsic functions (GetAtt forms, Join, Sub, Ref to parameters) resolve before comparison.
INTRINSICS = (
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/"
    "intrinsic-function-reference.html"
)
PSEUDO_PARAMETERS = (
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/"
    "pseudo-parameter-reference.html"
)
#: cdk deploy --previous-parameters (default true): existing parameters keep their values.
CDK_DEPLOY = "https://docs.aws.amazon.com/cdk/v2/guide/ref-cli-cmd-deploy.html"
#: The cloud assembly manifest: each stack artifact's environment aws://ACCOUNT/REGION.
CLOUD_ASSEMBLY = (
    "https://github.com/aws/aws-cdk-cli/tree/main/packages/%40aws-cdk/cloud-assembly-schema"
)

VPN = "AWS::EC2::VPNConnection"
CGW = "AWS::EC2::CustomerGateway"


def vpn_template(**overrides: Any) -> dict[str, Any]:
    """A TGW VPN: customer gateway, transit gateway, VPN connection (each a plain L1)."""
    template: dict[str, Any] = {
        "Resources": {
            "Tgw": {"Type": "AWS::EC2::TransitGateway", "Properties": {"AmazonSideAsn": 64512}},
            "Cgw": {
                "Type": CGW,
                "Properties": {"BgpAsn": 65010, "IpAddress": "203.0.113.10", "Type": "ipsec.1"},
            },
            "Vpn": {
                "Type": VPN,
                "Properties": {
                    "CustomerGatewayId": {"Ref": "Cgw"},
                    "TransitGatewayId": {"Ref": "Tgw"},
                    "Type": "ipsec.1",
                    "StaticRoutesOnly": False,
                },
            },
        }
    }
    for key, value in overrides.items():
        template[key] = value
    return template


def with_props(template: dict[str, Any], logical_id: str, **props: Any) -> dict[str, Any]:
    changed = copy.deepcopy(template)
    changed["Resources"][logical_id].setdefault("Properties", {}).update(props)
    return changed


def write_assembly(
    root: Path,
    stacks: dict[str, tuple[str, dict[str, Any]]],
    *,
    nested: dict[str, dict[str, Any]] | None = None,
) -> Path:
    """A cloud assembly: artifact id -> (``aws://account/region``, template); ``nested``: file
    name -> nested stack template, referenced by ``aws:asset:path`` metadata."""
    root.mkdir(parents=True, exist_ok=True)
    artifacts: dict[str, Any] = {}
    for artifact_id, (environment, template) in stacks.items():
        name = artifact_id.split(".")[0]
        file_name = f"{artifact_id}.template.json"
        (root / file_name).write_text(json.dumps(template))
        artifacts[artifact_id] = {
            "type": "aws:cloudformation:stack",
            "environment": environment,
            "properties": {"templateFile": file_name, "stackName": name},
        }
    for file_name, template in (nested or {}).items():
        (root / file_name).write_text(json.dumps(template))
    manifest = {"version": "48.0.0", "artifacts": artifacts}
    (root / "manifest.json").write_text(json.dumps(manifest))
    return root


def nested_stack(file_name: str, **parameters: Any) -> dict[str, Any]:
    """An AWS::CloudFormation::Stack resource the way CDK synthesizes one."""
    return {
        "Type": "AWS::CloudFormation::Stack",
        "Properties": {
            "TemplateURL": f"https://s3.amazonaws.com/bucket/{file_name}",
            **({"Parameters": parameters} if parameters else {}),
        },
        "Metadata": {"aws:asset:path": file_name, "aws:asset:property": "TemplateURL"},
    }
