"""The one place CloudWatch metrics of a VPN are built: AWS/VPN and this project's namespace.

Alarms, the dashboard and ``SiteToSiteVpn.metric*`` all ask here, so a metric's namespace,
dimension and default statistic are spelt once. ``**options`` are ``aws_cloudwatch.MetricOptions``
keywords (``statistic``, ``period``, ``label``, ``color``, ``unit``, ``account``, ``region``...).

Dimensions ("Monitor Site-to-Site VPN tunnels using CloudWatch", AWS Site-to-Site VPN User Guide,
https://docs.aws.amazon.com/vpn/latest/s2svpn/monitoring-cloudwatch-vpn.html): ``VpnId`` filters by
the VPN connection, ``TunnelIpAddress`` by the IP address of the tunnel (its AWS-side outside IP),
each on its own; AWS/VPN has no metric carrying both.
"""

from __future__ import annotations

import re
from typing import Any, Final, TypedDict, Unpack

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch

from site_to_site_vpn.constructs.alarms import MetricRef
from site_to_site_vpn.constructs.rules import is_token
from site_to_site_vpn.core.errors import Problem
from site_to_site_vpn.logs.catalog import FailureMetric

AWS_VPN_NAMESPACE: Final = "AWS/VPN"
#: Parent of the per-VPN namespaces the metric filters publish to.
PROJECT_NAMESPACE: Final = "SiteToSiteVpn"
#: AWS's guide alarms on AWS/VPN metrics over 5 minutes; a shorter period only yields empty
#: buckets.
DEFAULT_PERIOD: Final = Duration.minutes(5)
#: The statistic each AWS/VPN metric is read with unless told otherwise: TunnelState is a 0/1
#: state (Maximum: was any tunnel up), the data metrics are byte counts since the last point (Sum).
DEFAULT_STATISTICS: Final = {
    "TunnelState": "Maximum",
    "TunnelDataIn": "Sum",
    "TunnelDataOut": "Sum",
}
#: Characters CloudWatch accepts in a namespace (and, without ``:`` and space, in a log group
#: name); the VPN name becomes part of both.
_NAME_CHARS: Final = re.compile(r"^[A-Za-z0-9._\-#/]{1,200}$")


def vpn_namespace(vpn_name: str) -> str:
    """``SiteToSiteVpn/<vpn_name>``: where this VPN's log-derived metrics live.

    The tunnel and BGP records carry no VPN id field to publish as a dimension, so the VPN is
    told apart by namespace.
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


class MetricOptionsKwargs(TypedDict, total=False):
    """``aws_cloudwatch.MetricOptions``' fields as typed keywords of the metric methods."""

    account: str
    color: str
    dimensions_map: dict[str, str]
    id: str
    label: str
    period: Duration
    region: str
    stack_account: str
    stack_region: str
    statistic: str
    unit: cloudwatch.Unit
    visible: bool


def aws_vpn_dimensions(
    *, vpn_id: str | None = None, tunnel_outside_ip: str | None = None
) -> dict[str, str]:
    """``{"TunnelIpAddress": ip}`` for one tunnel, ``{"VpnId": id}`` for a VPN, ``{}`` for all."""
    if tunnel_outside_ip is not None:
        return {"TunnelIpAddress": tunnel_outside_ip}
    return {"VpnId": vpn_id} if vpn_id is not None else {}


def aws_vpn_metric(
    metric_name: str,
    dimensions: dict[str, str] | None = None,
    **options: Unpack[MetricOptionsKwargs],
) -> cloudwatch.Metric:
    """An AWS/VPN metric with this project's defaults (5 minutes, the metric's statistic)."""
    defaults: dict[str, Any] = {
        "period": DEFAULT_PERIOD,
        "statistic": DEFAULT_STATISTICS.get(metric_name, "Average"),
    }
    return cloudwatch.Metric(
        namespace=AWS_VPN_NAMESPACE,
        metric_name=metric_name,
        dimensions_map=dimensions or None,
        **{**defaults, **options},
    )


def tunnel_state_ref(*, vpn_id: str, tunnel_outside_ip: str | None = None) -> MetricRef:
    """TunnelState per VPN or per tunnel, as an alarm names it."""
    dimensions = aws_vpn_dimensions(vpn_id=vpn_id, tunnel_outside_ip=tunnel_outside_ip)
    return MetricRef(AWS_VPN_NAMESPACE, "TunnelState", tuple(dimensions.items()))


def log_failures_ref(metric: FailureMetric, *, vpn_name: str) -> MetricRef:
    """Count of log records one failure class's metric filter matched for one VPN."""
    return MetricRef(vpn_namespace(vpn_name), metric.value)


def log_failures(metric: FailureMetric, *, vpn_name: str, **options: Any) -> cloudwatch.Metric:
    """:func:`log_failures_ref` as a ``cloudwatch.Metric`` (Sum over 5 minutes by default)."""
    return cloudwatch.Metric(
        namespace=vpn_namespace(vpn_name),
        metric_name=metric.value,
        **{"statistic": "Sum", "period": DEFAULT_PERIOD, **options},
    )
