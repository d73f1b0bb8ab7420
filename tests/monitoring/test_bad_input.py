"""Bad logging, monitoring and dashboard input fails at synth time with a precise message."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns

from site_to_site_vpn import (
    LogOutputFormat,
    Routing,
    ValidationError,
    VpnAlarmSpecs,
    VpnDashboard,
    VpnLoggingOptions,
    VpnMonitoringOptions,
)
from site_to_site_vpn.constructs import alarms as defaults
from tests.support import VGW, assert_reported, build_vpn, new_stack

Overrides = Callable[[cdk.Stack], dict[str, Any]]


def _thresholds(**specs: defaults.AlarmSpec) -> dict[str, Any]:
    return {"monitoring": VpnMonitoringOptions(alarms=VpnAlarmSpecs(**specs))}


def _group(stack: cdk.Stack) -> logs.ILogGroup:
    return logs.LogGroup.from_log_group_name(stack, "Existing", "/existing/bgp")


# (id, overrides built in the test stack, field, value shown, words of the rule)
CASES: list[tuple[str, Overrides, str, str, str]] = [
    (
        "vpn name with a space",
        lambda _: {"vpn_name": "branch office"},
        "vpn_name",
        "'branch office'",
        "A-Z a-z 0-9 . _ - # /",
    ),
    (
        "text log format",
        lambda _: {"logging": VpnLoggingOptions(output_format=LogOutputFormat.TEXT)},
        "logging.output_format",
        "'text'",
        "must be json",
    ),
    (
        "retention as a number",
        lambda _: {"logging": VpnLoggingOptions(retention=365)},  # type: ignore[arg-type]
        "logging.retention",
        "365",
        "logs.RetentionDays",
    ),
    (
        "bgp log group on a static vpn",
        lambda s: {
            "vpn_gateway": VGW,
            "routing": Routing.static(["10.20.0.0/16"]),
            "logging": VpnLoggingOptions(bgp_log_group=_group(s)),
        },
        "logging.bgp_log_group",
        "'TestStack/Existing'",
        "only used with BGP routing",
    ),
    (
        "key with logging disabled",
        lambda s: {
            "logging": dataclasses.replace(
                VpnLoggingOptions.disabled(), encryption_key=kms.Key(s, "K")
            )
        },
        "logging.encryption_key",
        "'given'",
        "no effect with logging disabled",
    ),
    (
        "datapoints above evaluation periods",
        lambda _: _thresholds(
            vpn_down=dataclasses.replace(defaults.VPN_DOWN, datapoints_to_alarm=3)
        ),
        "monitoring.alarms.vpn_down.datapoints_to_alarm",
        "3",
        "at most evaluation_periods (1)",
    ),
    (
        "zero evaluation periods",
        lambda _: _thresholds(
            redundancy_lost=dataclasses.replace(
                defaults.REDUNDANCY_LOST, evaluation_periods=0, datapoints_to_alarm=0
            )
        ),
        "monitoring.alarms.redundancy_lost.evaluation_periods",
        "0",
        "at least 1",
    ),
    (
        "period in seconds",
        lambda _: _thresholds(
            dpd_timeouts=dataclasses.replace(defaults.DPD_TIMEOUTS, period=cdk.Duration.seconds(90))
        ),
        "monitoring.alarms.dpd_timeouts.period",
        "'90s'",
        "whole number of minutes",
    ),
    (
        "threshold as text",
        lambda _: _thresholds(
            bgp_session_down=dataclasses.replace(defaults.BGP_SESSION_DOWN, threshold="1")  # type: ignore[arg-type]
        ),
        "monitoring.alarms.bgp_session_down.threshold",
        "'1'",
        "must be a number",
    ),
    (
        "three outside ips",
        lambda _: {
            "monitoring": VpnMonitoringOptions(
                tunnel_outside_ip_addresses=("198.51.100.1", "198.51.100.2", "198.51.100.3")
            )
        },
        "monitoring.tunnel_outside_ip_addresses",
        "'198.51.100.3'",
        "one or two distinct outside IPs",
    ),
    (
        "duplicate outside ips",
        lambda _: {
            "monitoring": VpnMonitoringOptions(
                tunnel_outside_ip_addresses=("198.51.100.1", "198.51.100.1")
            )
        },
        "monitoring.tunnel_outside_ip_addresses",
        "'198.51.100.1'",
        "distinct",
    ),
    (
        "topic with monitoring disabled",
        lambda s: {
            "monitoring": dataclasses.replace(
                VpnMonitoringOptions.disabled(), topic=sns.Topic(s, "T")
            )
        },
        "monitoring.topic",
        "'TestStack/T'",
        "no effect when disabled",
    ),
]


@pytest.mark.parametrize(
    ("overrides", "field", "value", "rule"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_bad_observability_input_is_refused_with_a_precise_message(
    overrides: Overrides, field: str, value: str, rule: str
) -> None:
    stack = new_stack()
    with pytest.raises(ValidationError) as caught:
        build_vpn(stack, **overrides(stack))
    assert_reported(caught.value, path="TestStack/Vpn", field=field, value=value, rule=rule)


def test_all_threshold_problems_are_raised_together() -> None:
    bad = dataclasses.replace(
        defaults.VPN_DOWN, evaluation_periods=0, period=cdk.Duration.seconds(30)
    )
    with pytest.raises(ValidationError) as caught:
        build_vpn(new_stack(), vpn_name="bad name", **_thresholds(vpn_down=bad, tunnel_down=bad))
    fields = [p.field for p in caught.value.problems]
    assert "vpn_name" in fields
    for name in ("vpn_down", "tunnel_down"):
        assert f"monitoring.alarms.{name}.evaluation_periods" in fields
        assert f"monitoring.alarms.{name}.period" in fields


def test_name_is_not_checked_when_logging_and_monitoring_are_off() -> None:
    vpn = build_vpn(
        new_stack(),
        vpn_name="branch office",
        logging=VpnLoggingOptions.disabled(),
        monitoring=VpnMonitoringOptions.disabled(),
    )
    assert vpn.logging is None
    assert vpn.monitoring is None


def test_dashboard_needs_vpns() -> None:
    stack = new_stack()
    with pytest.raises(ValidationError) as caught:
        VpnDashboard(stack, "Dashboard", vpns=[])
    assert "TestStack/Dashboard: vpns = []: must name at least one SiteToSiteVpn" in str(
        caught.value
    )
    vpn = build_vpn(stack)
    with pytest.raises(ValidationError, match="has duplicates"):
        VpnDashboard(stack, "Twice", vpns=[vpn, vpn])
