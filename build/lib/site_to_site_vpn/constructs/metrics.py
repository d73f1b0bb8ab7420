"""The one place CloudWatch metrics of a VPN are built: AWS/VPN and this project's namespace.

Alarms, the dashboard and ``SiteToSiteVpn.metric_*`` all ask here, so a metric's namespace,
dimension and statistic are spelt once.
"""

from __future__ import annotations

import re
from typing import Final

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch

from site_to_site_vpn.constructs.log_patterns import FailureMetric
from site_to_site_vpn.errors import Problem, is_token

AWS_VPN_NAMESPACE: Final = "AWS/VPN"
#: Parent of the per-VPN namespaces the metric filters publish to.
PROJECT_NAMESPACE: Final = "SiteToSiteVpn"
#: AWS publishes AWS/VPN metrics every 5 minutes; a shorter period only yields empty buckets.
DEFAULT_PERIOD: Final = Duration.minutes(5)
#: Characters CloudWatch accepts in a namespace (and, without ``:`` and space, in a log group
#: name); the VPN name becomes part of both.
_NAME_CHARS: Final = re.compile(r"^[A-Za-z0-9._\-#/]{1,200}$")


def vpn_namespace(vpn_name: str) -> str:
    """``SiteToSiteVpn/<vpn_name>``: where this VPN's log-derived metrics live.

    Metric filters with term or phrase patterns cannot publish dimensions (CloudWatch Logs allows
    dimensions only with JSON or space-delimited patterns), so the VPN is told apart by namespace.
    """
    return f"{PROJECT_NAMESPACE}/{vpn_name}"


def vpn_name_problems(field: str, vpn_name: str) -> list[Problem]:
    """The VPN name must be usable in a namespace and a log group name."""
    if is_token(vpn_name) or not _NAME_CHARS.match(vpn_name):
        return [
            Problem(
                field,
                vpn_name,
                "must be a literal of 1-200 characters A-Z a-z 0-9 . _ - # / when logging or "
                "monitoring is on (it names the log groups and the metric namespace)",
            )
        ]
    return []


def _aws_vpn_metric(
    metric_name: str,
    *,
    vpn_id: str,
    tunnel_outside_ip: str | None,
    statistic: str,
    period: Duration,
    label: str | None,
) -> cloudwatch.Metric:
    # AWS/VPN publishes each metric under VpnId (both tunnels) and under TunnelIpAddress alone.
    dimensions = (
        {"TunnelIpAddress": tunnel_outside_ip}
        if tunnel_outside_ip is not None
        else {"VpnId": vpn_id}
    )
    return cloudwatch.Metric(
        namespace=AWS_VPN_NAMESPACE,
        metric_name=metric_name,
        dimensions_map=dimensions,
        statistic=statistic,
        period=period,
        label=label,
    )


def tunnel_state(
    *,
    vpn_id: str,
    tunnel_outside_ip: str | None = None,
    statistic: str = "Maximum",
    period: Duration = DEFAULT_PERIOD,
    label: str | None = None,
) -> cloudwatch.Metric:
    """``TunnelState``: 1 up (BGP: established), 0 down; per VPN it is the tunnels' average.

    Per VPN, Maximum 0 means both tunnels are down and Minimum below 1 means at least one is.
    """
    return _aws_vpn_metric(
        "TunnelState",
        vpn_id=vpn_id,
        tunnel_outside_ip=tunnel_outside_ip,
        statistic=statistic,
        period=period,
        label=label,
    )


def tunnel_data_in(
    *,
    vpn_id: str,
    tunnel_outside_ip: str | None = None,
    period: Duration = DEFAULT_PERIOD,
    label: str | None = None,
) -> cloudwatch.Metric:
    """``TunnelDataIn``: bytes received through the tunnel(s), after decryption (Sum)."""
    return _aws_vpn_metric(
        "TunnelDataIn",
        vpn_id=vpn_id,
        tunnel_outside_ip=tunnel_outside_ip,
        statistic="Sum",
        period=period,
        label=label,
    )


def tunnel_data_out(
    *,
    vpn_id: str,
    tunnel_outside_ip: str | None = None,
    period: Duration = DEFAULT_PERIOD,
    label: str | None = None,
) -> cloudwatch.Metric:
    """``TunnelDataOut``: bytes sent through the tunnel(s), before encryption (Sum)."""
    return _aws_vpn_metric(
        "TunnelDataOut",
        vpn_id=vpn_id,
        tunnel_outside_ip=tunnel_outside_ip,
        statistic="Sum",
        period=period,
        label=label,
    )


def log_failures(
    metric: FailureMetric,
    *,
    vpn_name: str,
    period: Duration = DEFAULT_PERIOD,
    label: str | None = None,
) -> cloudwatch.Metric:
    """Count (Sum) of log records one metric filter family matched for one VPN."""
    return cloudwatch.Metric(
        namespace=vpn_namespace(vpn_name),
        metric_name=metric.value,
        statistic="Sum",
        period=period,
        label=label,
    )
