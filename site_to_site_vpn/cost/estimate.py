"""Monthly cost of a sites file's VPNs, per site and in total, and the Direct Connect break-even.

What is counted per site (the article's cost section: VPN outbound traffic is billed, the Transit
Gateway bills per attachment-hour, Direct Connect can be cheaper at volume):
VPN connection-hours, Transit Gateway attachment-hours (a concentrator's once, not per site),
Transit Gateway data processing and data transfer out for the stated outbound volume,
acceleration where used, and the CloudWatch part of the library's monitoring.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from site_to_site_vpn.cost.monitoring import FOOTPRINT, PER_TUNNEL_ALARM_METRICS
from site_to_site_vpn.cost.prices import PriceTable

#: Tunnel and BGP log volume of a quiet site (state changes, rekeys, DPD, BGP events): an
#: assumption; measure yours with the log groups' IncomingBytes metric and pass --log-gb-per-site.
DEFAULT_LOG_GB_PER_SITE: Final = 0.1

COLUMNS: Final = (
    ("vpn", "VPN"),
    ("tgw_attachment", "TGW att."),
    ("tgw_processing", "TGW proc."),
    ("data_out", "Data out"),
    ("extras", "Accel."),
    ("cloudwatch", "CW"),
)


@dataclass(frozen=True)
class SiteInput:
    """What prices a site; built from a sites-file site by :func:`site_inputs`."""

    name: str
    bgp: bool = True
    accelerated: bool = False
    large_bandwidth: bool = False
    #: Name of the VPN concentrator the site joins, if any.
    concentrator: str | None = None


@dataclass(frozen=True)
class SiteCost:
    name: str
    #: USD per column key of :data:`COLUMNS`.
    parts: dict[str, float]

    @property
    def total(self) -> float:
        return round(sum(self.parts.values()), 2)


@dataclass(frozen=True)
class Estimate:
    prices: PriceTable
    gb_per_site: float
    log_gb_per_site: float
    sites: tuple[SiteCost, ...]
    #: (concentrator name, USD) once per concentrator.
    concentrators: tuple[tuple[str, float], ...]
    #: GB per month per site above which Direct Connect is cheaper (0: at any volume).
    dx_break_even_gb: float | None
    assumptions: tuple[str, ...]
    not_priced: tuple[str, ...] = field(default=())

    @property
    def total(self) -> float:
        return round(
            sum(s.total for s in self.sites) + sum(usd for _, usd in self.concentrators), 2
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "region": self.prices.region,
            "currency": self.prices.currency,
            "prices_read_on": self.prices.read_on,
            "gb_per_month_per_site": self.gb_per_site,
            "log_gb_per_month_per_site": self.log_gb_per_site,
            "sites": [
                {"site": s.name, **{k: round(v, 2) for k, v in s.parts.items()}, "total": s.total}
                for s in self.sites
            ],
            "concentrators": [{"name": n, "total": round(v, 2)} for n, v in self.concentrators],
            "total": self.total,
            "direct_connect_break_even_gb_per_site": self.dx_break_even_gb,
            "assumptions": list(self.assumptions),
            "not_priced": list(self.not_priced),
            "sources": {k: p.source for k, p in self.prices.prices.items()},
        }


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(getattr(value, "value", value)).lower() in {"true", "large", "enabled"}


def site_inputs(sites_file: Any) -> list[SiteInput]:
    """Adapter from a loaded sites file; attributes other branches may add are read safely."""
    inputs = []
    for site in sites_file.sites:
        routing = getattr(site, "routing", None)
        static = bool(getattr(routing, "static_routes_only", False))
        concentrator = getattr(site, "vpn_concentrator", None)
        inputs.append(
            SiteInput(
                name=site.name,
                bgp=not static,
                accelerated=_flag(getattr(site, "enable_acceleration", False))
                or _flag(getattr(site, "acceleration", False)),
                large_bandwidth=_flag(getattr(site, "tunnel_bandwidth", False)),
                concentrator=str(getattr(concentrator, "name", concentrator))
                if concentrator
                else None,
            )
        )
    return inputs


def _cloudwatch(prices: PriceTable, site: SiteInput, *, per_tunnel: bool, log_gb: float) -> float:
    footprint = FOOTPRINT["bgp" if site.bgp else "static"]
    alarms = footprint.alarm_metrics - (0 if per_tunnel else PER_TUNNEL_ALARM_METRICS)
    return (
        alarms * _usd(prices, "cloudwatch_alarm_metric_month")
        + footprint.custom_metrics * _usd(prices, "cloudwatch_custom_metric_month")
        + log_gb
        * (
            _usd(prices, "cloudwatch_logs_ingestion_gb")
            + _usd(prices, "cloudwatch_logs_storage_gb_month")
        )
    )


def _usd(prices: PriceTable, key: str) -> float:
    return prices.usd(key) or 0.0


def estimate(
    prices: PriceTable,
    sites: Sequence[SiteInput],
    *,
    gb_per_site: float = 0.0,
    log_gb_per_site: float = DEFAULT_LOG_GB_PER_SITE,
    per_tunnel_alarms: bool = True,
) -> Estimate:
    if gb_per_site < 0:
        raise ValueError(f"the monthly volume must be 0 or more GB, not {gb_per_site}")
    if log_gb_per_site < 0:
        raise ValueError(f"the monthly log volume must be 0 or more GB, not {log_gb_per_site}")
    hours = prices.hours_per_month
    not_priced: list[str] = []
    costs = []
    for site in sites:
        extras = 0.0
        if site.accelerated:
            extras += hours * _usd(prices, "accelerated_vpn_hour")
        if site.large_bandwidth:
            large = prices.usd("large_bandwidth_connection_hour")
            if large is None:
                not_priced.append(f"{site.name}: large-bandwidth tunnels (priced as standard)")
            else:
                extras += hours * max(large - _usd(prices, "vpn_connection_hour"), 0.0)
        parts = {
            "vpn": hours * _usd(prices, "vpn_connection_hour"),
            "tgw_attachment": 0.0
            if site.concentrator
            else hours * _usd(prices, "tgw_attachment_hour"),
            "tgw_processing": gb_per_site * _usd(prices, "tgw_data_processing_gb"),
            "data_out": gb_per_site * _usd(prices, "data_transfer_out_gb"),
            "extras": extras,
            "cloudwatch": _cloudwatch(
                prices, site, per_tunnel=per_tunnel_alarms, log_gb=log_gb_per_site
            ),
        }
        costs.append(SiteCost(site.name, {k: round(v, 4) for k, v in parts.items()}))
    concentrators = tuple(
        (name, round(hours * _usd(prices, "vpn_concentrator_hour"), 2))
        for name in sorted({s.concentrator for s in sites if s.concentrator})
    )
    return Estimate(
        prices=prices,
        gb_per_site=gb_per_site,
        log_gb_per_site=log_gb_per_site,
        sites=tuple(costs),
        concentrators=concentrators,
        dx_break_even_gb=dx_break_even_gb(prices),
        assumptions=tuple(_assumptions(prices, sites, log_gb_per_site)),
        not_priced=tuple(not_priced),
    )


def dx_break_even_gb(prices: PriceTable) -> float | None:
    """Monthly GB per site above which a 1 Gbps dedicated Direct Connect port beats the VPN.

    Per site: the VPN's connection-hours plus its outbound data at the internet rate, against the
    port-hours plus the same data at the Direct Connect rate. The Transit Gateway attachment and
    data processing are the same on both paths (a Direct Connect gateway attachment replaces the
    VPN attachment), so they cancel out.
    """
    hours = prices.hours_per_month
    fixed_gap = hours * (_usd(prices, "dx_port_hour") - _usd(prices, "vpn_connection_hour"))
    rate_gap = _usd(prices, "data_transfer_out_gb") - _usd(prices, "dx_data_transfer_out_gb")
    if rate_gap <= 0:
        return None
    return round(max(fixed_gap, 0.0) / rate_gap, 1)


def _assumptions(
    prices: PriceTable, sites: Iterable[SiteInput], log_gb_per_site: float
) -> list[str]:
    used = {
        "vpn_connection_hour",
        "tgw_attachment_hour",
        "tgw_data_processing_gb",
        "data_transfer_out_gb",
        "cloudwatch_alarm_metric_month",
        "cloudwatch_custom_metric_month",
        "cloudwatch_logs_ingestion_gb",
        "cloudwatch_logs_storage_gb_month",
        "dx_port_hour",
        "dx_data_transfer_out_gb",
    }
    sites = list(sites)
    if any(s.accelerated for s in sites):
        used.add("accelerated_vpn_hour")
    if any(s.large_bandwidth for s in sites):
        used.add("large_bandwidth_connection_hour")
    if any(s.concentrator for s in sites):
        used.add("vpn_concentrator_hour")
    notes = []
    if prices.region_assumption:
        notes.append(f"{prices.region}: {prices.region_assumption}")
    notes.extend(
        f"{p.key}: {p.assumption}"
        for key, p in sorted(prices.prices.items())
        if key in used and p.assumption
    )
    notes.append(
        f"logs: {log_gb_per_site} GB per site per month (--log-gb-per-site), an assumption"
    )
    notes.append(
        "volume: --gb-per-month is the outbound volume to each site; inbound traffic adds "
        "Transit Gateway processing only"
    )
    notes.append(
        "Direct Connect: one 1 Gbps dedicated port per site replacing its VPN, 730 port-hours; "
        "partner circuit, cross-connect and colocation fees not included"
    )
    return notes
