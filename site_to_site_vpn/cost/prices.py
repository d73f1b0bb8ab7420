"""Price data shipped with the package (prices.json): per Region, each price with its source."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


class UnknownRegionError(ValueError):
    """No price data for the Region asked for."""


@dataclass(frozen=True)
class Price:
    key: str
    #: None: AWS charges for it but the data has no price (listed as not priced).
    usd: float | None
    unit: str
    source: str
    #: What in this price is not read from AWS's own page; empty when nothing.
    assumption: str = ""


@dataclass(frozen=True)
class PriceTable:
    region: str
    region_name: str
    currency: str
    read_on: str
    hours_per_month: int
    prices: dict[str, Price]
    #: Set when the Region copies another Region's prices without having verified them.
    region_assumption: str = ""

    def usd(self, key: str) -> float | None:
        return self.prices[key].usd


@cache
def _document() -> dict[str, Any]:
    text = resources.files("site_to_site_vpn.cost").joinpath("prices.json").read_text()
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def regions() -> tuple[str, ...]:
    return tuple(sorted(_document()["regions"]))


def price_table(region: str) -> PriceTable:
    document = _document()
    entry = document["regions"].get(region)
    if entry is None:
        raise UnknownRegionError(
            f"no price data for Region {region!r} (known: {', '.join(regions())})"
        )
    raw = entry.get("prices") or document["regions"][entry["same_as"]]["prices"]
    prices = {
        key: Price(
            key=key,
            usd=value["usd"],
            unit=value["unit"],
            source=value["source"],
            assumption=value.get("assumption", ""),
        )
        for key, value in raw.items()
    }
    return PriceTable(
        region=region,
        region_name=entry["name"],
        currency=document["currency"],
        read_on=document["read_on"],
        hours_per_month=int(document["hours_per_month"]),
        prices=prices,
        region_assumption=entry.get("assumption", ""),
    )
