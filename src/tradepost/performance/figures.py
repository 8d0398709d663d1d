"""The figures of a scorecard, from the sums of day rows: rates, medians, averages.

Every rate is a count of a whole, in basis points rounded down (250 = 2.5 %), as in
``orders.seller_rates``; None when the whole is nothing, so "no orders" never reads as "perfect".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields

from tradepost.core.money import BASIS_POINTS
from tradepost.performance.durations import median_seconds
from tradepost.performance.models import COUNT_FIELDS, SUM_FIELDS, Measure

# Every figure a scorecard compares with the previous period and the ranking sorts by.
FIGURE_NAMES: tuple[str, ...] = (
    "seller_orders",
    "acknowledge_median_seconds",
    "acknowledge_average_seconds",
    "ship_median_seconds",
    "ship_average_seconds",
    "late_rate_bps",
    "cancellation_rate_bps",
    "dispute_rate_bps",
    "refund_rate_bps",
    "rating_average",
    "review_count",
)


@dataclass(frozen=True)
class Rate:
    count: int
    of: int

    @property
    def rate_bps(self) -> int | None:
        return self.count * BASIS_POINTS // self.of if self.of else None


@dataclass(frozen=True)
class Duration:
    count: int
    median_seconds: int | None
    average_seconds: int | None


@dataclass(frozen=True)
class Totals:
    """Day rows added up: the counts and sums, and the duration buckets, of a period."""

    seller_orders: int = 0
    acknowledged: int = 0
    acknowledge_seconds: int = 0
    shipped: int = 0
    ship_seconds: int = 0
    late: int = 0
    canceled: int = 0
    disputed: int = 0
    refunded: int = 0
    reviews: int = 0
    rating_total: int = 0
    buckets: Mapping[str, Mapping[int, int]] = field(default_factory=dict)

    @classmethod
    def from_sums(
        cls, sums: Mapping[str, int | None], buckets: Mapping[str, Mapping[int, int]]
    ) -> Totals:
        names = (*COUNT_FIELDS, *SUM_FIELDS)
        return cls(**{name: int(sums.get(name) or 0) for name in names}, buckets=buckets)

    def __add__(self, other: Totals) -> Totals:
        added = {
            f.name: getattr(self, f.name) + getattr(other, f.name)
            for f in fields(self)
            if f.name != "buckets"
        }
        buckets: dict[str, dict[int, int]] = {}
        for source in (self.buckets, other.buckets):
            for measure, counts in source.items():
                into = buckets.setdefault(measure, {})
                for bucket, count in counts.items():
                    into[bucket] = into.get(bucket, 0) + count
        return Totals(**added, buckets=buckets)


@dataclass(frozen=True)
class Figures:
    """What a scorecard shows for one period."""

    totals: Totals

    @property
    def seller_orders(self) -> int:
        return self.totals.seller_orders

    @property
    def acknowledgement(self) -> Duration:
        t = self.totals
        return _duration(t.acknowledged, t.acknowledge_seconds, t.buckets.get(Measure.ACKNOWLEDGE))

    @property
    def shipping(self) -> Duration:
        t = self.totals
        return _duration(t.shipped, t.ship_seconds, t.buckets.get(Measure.SHIP))

    @property
    def late(self) -> Rate:
        return Rate(self.totals.late, self.totals.acknowledged)

    @property
    def cancellation(self) -> Rate:
        return Rate(self.totals.canceled, self.totals.seller_orders)

    @property
    def dispute(self) -> Rate:
        return Rate(self.totals.disputed, self.totals.seller_orders)

    @property
    def refund(self) -> Rate:
        return Rate(self.totals.refunded, self.totals.seller_orders)

    @property
    def on_time(self) -> Rate:
        """The acknowledged seller orders neither acknowledged nor shipped late."""
        return Rate(self.totals.acknowledged - self.totals.late, self.totals.acknowledged)

    @property
    def rating_average(self) -> float | None:
        t = self.totals
        return round(t.rating_total / t.reviews, 2) if t.reviews else None

    def value(self, name: str) -> int | float | None:
        """One figure by its name in ``FIGURE_NAMES``."""
        return {
            "seller_orders": lambda: self.seller_orders,
            "acknowledge_median_seconds": lambda: self.acknowledgement.median_seconds,
            "acknowledge_average_seconds": lambda: self.acknowledgement.average_seconds,
            "ship_median_seconds": lambda: self.shipping.median_seconds,
            "ship_average_seconds": lambda: self.shipping.average_seconds,
            "late_rate_bps": lambda: self.late.rate_bps,
            "cancellation_rate_bps": lambda: self.cancellation.rate_bps,
            "dispute_rate_bps": lambda: self.dispute.rate_bps,
            "refund_rate_bps": lambda: self.refund.rate_bps,
            "rating_average": lambda: self.rating_average,
            "review_count": lambda: self.totals.reviews,
        }[name]()

    def change_since(self, previous: Figures) -> dict[str, int | float | None]:
        """Each figure less the previous period's; None where either has no value."""
        change: dict[str, int | float | None] = {}
        for name in FIGURE_NAMES:
            now, before = self.value(name), previous.value(name)
            delta = None if now is None or before is None else now - before
            change[name] = round(delta, 2) if isinstance(delta, float) else delta
        return change


def _duration(count: int, seconds: int, buckets: Mapping[int, int] | None) -> Duration:
    return Duration(
        count=count,
        median_seconds=median_seconds(buckets or {}),
        average_seconds=seconds // count if count else None,
    )
