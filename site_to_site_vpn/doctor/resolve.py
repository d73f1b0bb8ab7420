"""Find the VPN to examine: by id, by stack name (+ construct path), or by sites-file site name.

By stack: CloudFormation ``GetTemplate`` gives the deployed template, whose resources carry the
construct path in ``Metadata["aws:cdk:path"]`` (the CDK CLI adds it); ``ListStackResources`` maps
the VPN's logical id to its physical id, the ``vpn-...`` (CloudFormation API Reference
"StackResourceSummary": LogicalResourceId, PhysicalResourceId, ResourceType).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

VPN_TYPE: Final = "AWS::EC2::VPNConnection"


class ResolveError(Exception):
    """The VPN could not be located from what the user gave (one line for the CLI)."""


@dataclass(frozen=True)
class Located:
    vpn_id: str
    #: The template's VpnTunnelOptionsSpecifications (intended tunnel options), if known.
    intended_tunnels: tuple[dict[str, Any], ...] = ()
    #: Region the sites file names, when found through it.
    region: str | None = None


def _template(cfn: Any, stack: str) -> dict[str, Any]:
    body = cfn.get_template(StackName=stack, TemplateStage="Original")["TemplateBody"]
    if isinstance(body, dict):
        return body
    try:
        loaded: dict[str, Any] = json.loads(body)
    except ValueError:
        import yaml  # noqa: PLC0415

        loaded = yaml.safe_load(body)
    return loaded


def _logical_prefix(path: str) -> str:
    """CDK logical ids are the path's components, alphanumerics only, plus an 8-hex hash."""
    return re.sub(r"[^A-Za-z0-9]", "", path)


def _pick(resources: dict[str, Any], stack: str, construct_path: str | None) -> str:
    vpns = {lid: r for lid, r in resources.items() if r.get("Type") == VPN_TYPE}
    if not vpns:
        raise ResolveError(f"stack {stack} has no {VPN_TYPE}")
    if construct_path is None:
        if len(vpns) == 1:
            return next(iter(vpns))
        raise ResolveError(
            f"stack {stack} has {len(vpns)} VPN connections ({', '.join(sorted(vpns))}): "
            "pass --construct-path"
        )
    relative = construct_path.strip("/").removeprefix(f"{stack}/")
    by_path = [
        lid
        for lid, r in vpns.items()
        if str(r.get("Metadata", {}).get("aws:cdk:path", "")).startswith(f"{stack}/{relative}/")
    ]
    if not by_path:
        pattern = re.compile(re.escape(_logical_prefix(relative)) + r"[A-Za-z0-9]*[0-9A-F]{8}")
        by_path = [lid for lid in vpns if pattern.fullmatch(lid)]
    if len(by_path) == 1:
        return by_path[0]
    raise ResolveError(
        f"{'no' if not by_path else 'more than one'} VPN connection under {stack}/{relative} "
        f"(the stack has {', '.join(sorted(vpns))})"
    )


def from_stack(cfn: Any, stack: str, construct_path: str | None = None) -> Located:
    from botocore.exceptions import ClientError  # noqa: PLC0415

    try:
        resources = _template(cfn, stack).get("Resources", {})
        logical_id = _pick(resources, stack, construct_path)
        summaries: list[dict[str, Any]] = []
        for page in cfn.get_paginator("list_stack_resources").paginate(StackName=stack):
            summaries.extend(page.get("StackResourceSummaries", []))
    except ClientError as error:
        message = error.response.get("Error", {}).get("Message", str(error))
        raise ResolveError(f"stack {stack}: {message}") from error
    physical = next(
        (s.get("PhysicalResourceId") for s in summaries if s["LogicalResourceId"] == logical_id),
        None,
    )
    if not physical:
        raise ResolveError(f"{logical_id} of stack {stack} is not deployed (no physical id)")
    specs = resources[logical_id].get("Properties", {}).get("VpnTunnelOptionsSpecifications", [])
    return Located(vpn_id=physical, intended_tunnels=tuple(s for s in specs if isinstance(s, dict)))


def site_stack(sites_path: str, site_name: str) -> tuple[str, str]:
    """(stack name, Region) of a site of a sites file, from its lock file.

    Thin on purpose: the sites loader and the stack naming are owned by the sites code.
    """
    from site_to_site_vpn.sites import load_sites_file  # noqa: PLC0415
    from site_to_site_vpn.sites.lock import lock_path_for, read_lock  # noqa: PLC0415
    from site_to_site_vpn.sites.stack_names import site_stack_name  # noqa: PLC0415

    sites_file = load_sites_file(sites_path)
    if site_name not in {s.name for s in sites_file.sites}:
        names = ", ".join(s.name for s in sites_file.sites)
        raise ResolveError(f"no site {site_name!r} in {sites_path} (sites: {names})")
    lock_path = lock_path_for(sites_path)
    placement = read_lock(Path(lock_path)).sites.get(site_name)
    shard = getattr(placement, "shard", None)
    if shard is None:
        raise ResolveError(f"site {site_name!r} has no stack in {lock_path}: synthesize first")
    return site_stack_name(sites_file, shard), sites_file.hub.region
