"""Opt-in ``AWS::EC2::NetworkInsightsPath`` resources from a VPN to the workloads behind it.

A path costs nothing until it is analyzed; ``s2svpn doctor --reachability`` (or the console's
Reachability Analyzer) analyzes it and says whether on-premises traffic entering through the VPN
reaches the target, and which component blocks it. The path's source is the VPN's Transit
Gateway attachment (a concentrator's shared attachment for a concentrator site) or its virtual
private gateway; rules and defaults of the targets: ``site_to_site_vpn.core.reachability``.
Each path's id is a stack output (``Ref`` of the path is its ``NetworkInsightsPathId``) and
:attr:`VpnReachabilityPaths.path_ids`, so the doctor finds it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from aws_cdk import CfnOutput, CfnTag
from aws_cdk import aws_ec2 as ec2
from constructs import Construct

from site_to_site_vpn.constructs.gateways import VPN_GATEWAY
from site_to_site_vpn.core.errors import Problem, raise_if_any
from site_to_site_vpn.core.reachability import ReachabilityTarget, reachability_target_problems

if TYPE_CHECKING:
    from site_to_site_vpn.constructs.site_to_site_vpn import SiteToSiteVpn

#: Tag key on each path naming the VPN it starts from (``vpn_name``), for the doctor's lookup.
VPN_NAME_TAG = "site-to-site-vpn:vpn-name"


def path_properties(source: str, target: ReachabilityTarget) -> dict[str, Any]:
    """``CfnNetworkInsightsPath`` keyword arguments for one target (see the module docstring)."""
    properties: dict[str, Any] = {"source": source, "protocol": target.protocol}
    if target.is_address:
        properties["filter_at_source"] = ec2.CfnNetworkInsightsPath.PathFilterProperty(
            destination_address=target.destination,
            destination_port_range=ec2.CfnNetworkInsightsPath.FilterPortRangeProperty(
                from_port=target.port, to_port=target.port
            ),
        )
    else:
        properties["destination"] = target.destination
        properties["destination_port"] = target.port
    return properties


def vpn_path_source(vpn: SiteToSiteVpn) -> str:
    """The VPN's virtual private gateway id, else its Transit Gateway attachment id."""
    gateway = vpn.vpn_gateway
    if gateway is not None:
        return VPN_GATEWAY.id_of(gateway)
    return vpn.transit_gateway_attachment_id


class VpnReachabilityPaths(Construct):
    """One Network Insights path per reachability target, from one VPN's gateway side."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        source: str,
        vpn_name: str,
        reachability_targets: Sequence[ReachabilityTarget],
        outputs: bool = True,
    ) -> None:
        """
        :param source: the VPN's Transit Gateway attachment id or virtual private gateway id
            (:func:`vpn_path_source` gives it for a ``SiteToSiteVpn``).
        :param vpn_name: named in each path's tags, outputs and descriptions.
        :param reachability_targets: at least one; each a ``ReachabilityTarget``.
        :param outputs: a stack output with each path's id. @default True
        """
        super().__init__(scope, construct_id)
        problems = reachability_target_problems(reachability_targets)
        if not reachability_targets:
            problems.append(
                Problem("reachability_targets", [], "must hold at least one ReachabilityTarget")
            )
        raise_if_any(self.node.path, problems)
        self.targets: tuple[ReachabilityTarget, ...] = tuple(reachability_targets)
        self.paths: list[ec2.CfnNetworkInsightsPath] = []
        for index, target in enumerate(self.targets, start=1):
            path = ec2.CfnNetworkInsightsPath(
                self,
                f"Path{index}",
                tags=[
                    CfnTag(key=VPN_NAME_TAG, value=vpn_name),
                    CfnTag(key="Name", value=f"{vpn_name} to {target.label}"),
                ],
                **path_properties(source, target),
            )
            self.paths.append(path)
            if outputs:
                CfnOutput(
                    self,
                    f"Path{index}Id",
                    value=path.attr_network_insights_path_id,
                    description=f"Network Insights path from VPN {vpn_name} to {target.label}: "
                    "analyze it with s2svpn doctor --reachability or Reachability Analyzer",
                )
        #: The paths' ids (deploy-time tokens), in the order of the targets.
        self.path_ids: tuple[str, ...] = tuple(p.attr_network_insights_path_id for p in self.paths)

    @staticmethod
    def for_vpn(
        scope: Construct,
        construct_id: str,
        *,
        vpn: SiteToSiteVpn,
        reachability_targets: Sequence[ReachabilityTarget],
        outputs: bool = True,
    ) -> VpnReachabilityPaths:
        """Paths from ``vpn``'s gateway side (its attachment, or its virtual private gateway)."""
        return VpnReachabilityPaths(
            scope,
            construct_id,
            source=vpn_path_source(vpn),
            vpn_name=vpn.vpn_name,
            reachability_targets=reachability_targets,
            outputs=outputs,
        )
