"""The estimate's arithmetic, the price data's provenance and the Direct Connect break-even."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_to_site_vpn.cost import (
    SiteInput,
    UnknownRegionError,
    estimate,
    price_table,
    regions,
    site_inputs,
)
from site_to_site_vpn.sites import load_sites_file

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "sites.yaml"
US_EAST_1 = price_table("us-east-1")


def test_example_at_0_gb_is_at_least_five_vpns_and_attachments_with_monitoring() -> None:
    """Issue 14's done-when: 5 x (36.50 + 36.50) USD a month or more at 0 GB."""
    sites = site_inputs(load_sites_file(EXAMPLE))
    result = estimate(US_EAST_1, sites, gb_per_site=0)
    assert [s.name for s in result.sites] == ["paris", "lyon", "berlin", "madrid", "oslo"]
    for site in result.sites:
        assert site.parts["vpn"] == pytest.approx(36.50)
        assert site.parts["tgw_attachment"] == pytest.approx(36.50)
        assert site.parts["cloudwatch"] > 0
        assert site.parts["data_out"] == 0
    assert result.total >= 5 * (36.50 + 36.50)
    assert result.total == pytest.approx(sum(s.total for s in result.sites))


def test_volume_adds_processing_and_data_out_per_site() -> None:
    sites = [SiteInput("a"), SiteInput("b")]
    idle = estimate(US_EAST_1, sites, gb_per_site=0)
    busy = estimate(US_EAST_1, sites, gb_per_site=1000)
    # 1000 GB x (0.02 TGW processing + 0.09 data transfer out)
    assert busy.total - idle.total == pytest.approx(2 * 1000 * (0.02 + 0.09))


def test_static_site_has_less_monitoring_than_bgp() -> None:
    bgp, static = estimate(US_EAST_1, [SiteInput("b"), SiteInput("s", bgp=False)]).sites
    assert static.parts["cloudwatch"] < bgp.parts["cloudwatch"]


def test_per_tunnel_alarms_off_saves_one_alarm_metric_net() -> None:
    """Off: two tunnel alarms fewer, and the RedundancyLost alarm they replace comes back."""
    on = estimate(US_EAST_1, [SiteInput("a")], per_tunnel_alarms=True).sites[0]
    off = estimate(US_EAST_1, [SiteInput("a")], per_tunnel_alarms=False).sites[0]
    assert on.parts["cloudwatch"] - off.parts["cloudwatch"] == pytest.approx(1 * 0.10)


def test_concentrator_sites_share_one_attachment() -> None:
    sites = [SiteInput(f"s{i}", concentrator="hub-1") for i in range(3)]
    result = estimate(US_EAST_1, sites)
    assert all(s.parts["tgw_attachment"] == 0 for s in result.sites)
    assert result.concentrators == (("hub-1", 36.50),)
    assert any("vpn_concentrator_hour" in a for a in result.assumptions)


def test_acceleration_priced_and_large_bandwidth_listed_as_not_priced() -> None:
    result = estimate(
        US_EAST_1, [SiteInput("fast", accelerated=True), SiteInput("big", large_bandwidth=True)]
    )
    fast, big = result.sites
    assert fast.parts["extras"] > 0
    assert big.parts["extras"] == 0
    assert result.not_priced == ("big: large-bandwidth tunnels (priced as standard)",)


@pytest.mark.parametrize("volume", [-1.0, -0.001])
def test_negative_volume_is_refused(volume: float) -> None:
    with pytest.raises(ValueError, match="0 or more"):
        estimate(US_EAST_1, [SiteInput("a")], gb_per_site=volume)


def test_direct_connect_break_even_equalizes_the_two_monthly_costs() -> None:
    result = estimate(US_EAST_1, [SiteInput("a")])
    volume = result.dx_break_even_gb
    assert volume is not None
    p = {k: v.usd or 0.0 for k, v in US_EAST_1.prices.items()}
    hours = US_EAST_1.hours_per_month
    vpn = hours * p["vpn_connection_hour"] + volume * p["data_transfer_out_gb"]
    dx = hours * p["dx_port_hour"] + volume * p["dx_data_transfer_out_gb"]
    assert vpn == pytest.approx(dx, abs=0.01)
    assert volume == pytest.approx(2607.1)


def test_unknown_region_is_refused_with_the_known_ones() -> None:
    with pytest.raises(UnknownRegionError, match=r"mars-north-1.*us-east-1"):
        price_table("mars-north-1")


@pytest.mark.parametrize("region", regions())
def test_every_price_names_its_source_and_unit(region: str) -> None:
    table = price_table(region)
    assert table.read_on
    for price in table.prices.values():
        assert "https://aws.amazon.com/" in price.source, price.key
        assert price.unit
        if price.usd is None:
            assert price.assumption, f"{price.key} has no price and does not say why"
    if region != "us-east-1":
        assert table.region_assumption, "a copied Region must say it is an assumption"
