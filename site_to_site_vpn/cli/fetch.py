"""``s2svpn fetch``: customer-gateway files for a deployed VPN, with its facts read from AWS.

The template says what AWS enforces; EC2 ``DescribeVpnConnections`` / ``DescribeCustomerGateways``
and, for keys kept in Secrets Manager, ``GetSecretValue`` give the outside IPs, inside CIDRs and
PSKs. The region is ``--region``, else the stack's environment in the cloud assembly's
``manifest.json`` next to the template, else the AWS SDK's usual chain (``AWS_REGION``, profile).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, Final

from site_to_site_vpn.cli import customer_config as cc
from site_to_site_vpn.cli.errors import CliError
from site_to_site_vpn.core.ids import Ec2IdKind, ec2_id_problems
from site_to_site_vpn.customer_side.fetch import FetchError, fetch

#: ``vpn-`` and 8 or 17 hex digits ("VpnConnection", Amazon EC2 API Reference).
#: A cloud assembly's placeholder for a stack deployed wherever the CLI's environment points.
UNKNOWN_REGION: Final = "unknown-region"


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "fetch",
        help="customer-gateway files for a deployed VPN (reads AWS with boto3)",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
    )
    parser.add_argument("--vpn-connection-id", required=True, help="vpn-0123456789abcdef0")
    cc.add_arguments(parser)
    parser.add_argument("--region", help="@default the stack's region in cdk.out/manifest.json")
    parser.add_argument("--profile", help="AWS profile; @default the SDK's usual chain")
    parser.set_defaults(func=run)


def stack_region(template: Path) -> str | None:
    """The region of the stack whose template this is, from ``manifest.json`` beside it."""
    manifest = template.parent / "manifest.json"
    try:
        artifacts = json.loads(manifest.read_text(encoding="utf-8")).get("artifacts", {})
    except (OSError, ValueError, AttributeError):
        return None
    for artifact in artifacts.values() if isinstance(artifacts, dict) else ():
        properties = artifact.get("properties", {}) if isinstance(artifact, dict) else {}
        if properties.get("templateFile") != template.name:
            continue
        environment = str(artifact.get("environment", ""))
        region = environment.removeprefix("aws://").partition("/")[2]
        return region if region and region != UNKNOWN_REGION else None
    return None


def _session(args: argparse.Namespace) -> Any:
    import boto3  # noqa: PLC0415 - only this command needs the AWS SDK

    region = args.region or stack_region(args.template)
    return boto3.Session(profile_name=args.profile, region_name=region)


def run(args: argparse.Namespace, *, session: Any = None) -> int:
    """The command; ``session`` (a boto3 Session) is injectable for offline tests."""
    problems = ec2_id_problems(
        "--vpn-connection-id", args.vpn_connection_id, Ec2IdKind.VPN_CONNECTION
    )
    if problems:
        raise CliError(cc.problems_line(problems))
    template = cc.read_template(args)
    session = session if session is not None else _session(args)
    ec2 = session.client("ec2")
    try:
        deployed = fetch(
            ec2=ec2,
            secretsmanager=session.client("secretsmanager"),
            vpn_connection_id=args.vpn_connection_id,
        )
    except FetchError as error:
        raise CliError(str(error)) from None
    except Exception as error:
        code = getattr(error, "response", {}).get("Error", {}).get("Code", "")
        if code == "InvalidVpnConnectionID.NotFound":
            region = ec2.meta.region_name
            raise CliError(f"no VPN connection {args.vpn_connection_id} in {region}") from None
        raise
    vpn = cc.choose_vpn(args, template, name=deployed.name)
    facts = cc.deploy_facts(
        args,
        vpn,
        tunnels=deployed.tunnels,
        cgw_outside_ip=deployed.cgw_outside_ip,
        reported_amazon_asn=deployed.amazon_side_asn,
    )
    return cc.render_and_write(args, vpn, customer_asn=deployed.customer_asn, facts=facts)
