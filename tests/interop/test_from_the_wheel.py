"""Issue 21's done-when, from the installed wheel in an app with ``cdk init``'s feature flags:
aws-cdk-lib's L1s and an L2 in every slot synthesize clean under cfn-lint and both cdk-nag packs
(the app applies them; findings fail its synth), the template points at those objects, and wrong
objects are clear errors naming the field."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support import lint_problems, recommended_flags
from tests.wheel import WheelEnv

pytestmark = [pytest.mark.xdist_group("wheel"), pytest.mark.slow]
APP = Path(__file__).with_name("wheel_app.py")


def test_aws_cdk_lib_objects_in_every_slot_from_the_wheel(
    wheel_env: WheelEnv, tmp_path: Path
) -> None:
    shutil.copy(APP, tmp_path / "app.py")
    out = tmp_path / "cdk.out"
    env = wheel_env.env()
    env.update(CDK_CONTEXT_JSON=json.dumps(recommended_flags()), CDK_OUTDIR=str(out))
    result = subprocess.run(
        [str(wheel_env.bin("python")), "-I", "app.py"],
        cwd=tmp_path,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    template = json.loads((out / "Interop.template.json").read_text())
    assert not lint_problems(template)
    resources, ids = template["Resources"], report["ids"]
    assert resources[ids["on_tgw"]]["Properties"]["TransitGatewayId"] == {"Ref": ids["tgw"]}
    with_cgw = resources[ids["with_cgw"]]["Properties"]
    assert with_cgw["TransitGatewayId"] == {"Ref": ids["tgw"]}
    assert ids["cgw"] in json.dumps(with_cgw["CustomerGatewayId"])
    assert resources[ids["on_vgw"]]["Properties"]["VpnGatewayId"] == {"Ref": ids["vgw"]}
    kinds = {
        r["Type"]: r["Properties"] for r in resources.values() if r["Type"].endswith("Association")
    }
    association = kinds["AWS::EC2::TransitGatewayRouteTableAssociation"]
    assert association["TransitGatewayRouteTableId"] == {"Ref": ids["onprem"]}
    assert report["ref"] == {"Fn::GetAtt": [ids["on_tgw"], "VpnConnectionId"]}
    assert report["imported"] == "vpn-0123456789abcdef0"
    assert "transit_gateway = 'Vpc'" in report["errors"]["vpc"]
    assert "must be an ITransitGatewayRef" in report["errors"]["vpc"]
    assert "vpn_gateway_id = 'vgw-abc'" in report["errors"]["vgw"]
