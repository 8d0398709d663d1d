"""Request and response shapes of the scorecard and the seller ranking."""

from __future__ import annotations

from datetime import date

from ninja import Field, Schema

from tradepost.performance.figures import FIGURE_NAMES
from tradepost.performance.periods import Interval
from tradepost.performance.selectors import DEFAULT_SORT

ON_TIME_HELP = (
    "Over the trend's periods: of the acknowledged, neither acknowledged nor shipped late."
)
SORT_HELP = f"A figure, `-` first for descending: {', '.join(FIGURE_NAMES)}."


class ScorecardQuery(Schema):
    interval: Interval = Field(Interval.WEEK, description="Trend by ISO week or calendar month.")
    periods: int = Field(12, ge=1, le=52, description="How many weeks (≤ 52) or months (≤ 24).")
    period: date | None = Field(
        None, description="Any day of the period the headline figures are for. Default: today."
    )


class RankingQuery(Schema):
    # ``from`` is a Python keyword, so the fields go by an alias.
    date_from: date | None = Field(
        None, alias="from", description="First day, included (UTC). Default: 29 days before `to`."
    )
    date_to: date | None = Field(
        None, alias="to", description="Last day, included (UTC). Default: today."
    )
    sort: str = Field(DEFAULT_SORT, max_length=40, description=SORT_HELP)
    limit: int = Field(50, ge=1, le=100)
    cursor: str | None = Field(None, max_length=200)


class SellerRefOut(Schema):
    slug: str
    name: str


class RatingOut(Schema):
    average: float | None
    count: int


class RateOut(Schema):
    count: int
    of: int
    rate_bps: int | None = Field(description="count / of in basis points, rounded down.")


class DurationOut(Schema):
    count: int = Field(description="Seller orders the duration is known for.")
    median_seconds: int | None = Field(description="Within the bucket of the true median.")
    average_seconds: int | None


class FiguresOut(Schema):
    seller_orders: int = Field(description="Seller orders paid in the period.")
    acknowledgement: DurationOut = Field(description="From payment to acknowledgement.")
    shipping: DurationOut = Field(description="From payment to the first parcel.")
    late: RateOut = Field(description="Of the acknowledged: acknowledged or shipped late.")
    cancellation: RateOut = Field(description="Canceled by the seller, whole or any line.")
    dispute: RateOut = Field(description="With at least one dispute case.")
    refund: RateOut = Field(description="Refunded in part or whole, not for a cancellation.")
    rating: RatingOut = Field(description="Visible reviews of these seller orders.")


class PeriodFiguresOut(Schema):
    start: date
    end: date = Field(description="The period's last day, included.")
    figures: FiguresOut


class PublicRecordOut(Schema):
    rating: RatingOut = Field(description="Every visible review of the seller.")
    shipping_promise: str
    on_time: RateOut = Field(description=ON_TIME_HELP)


class ScorecardOut(Schema):
    seller: SellerRefOut
    interval: Interval
    public: PublicRecordOut
    current: PeriodFiguresOut | None = Field(description="The period asked for; null for buyers.")
    previous: PeriodFiguresOut | None
    change: dict[str, int | float | None] | None = Field(
        description="Each figure of current less previous (null where either has none)."
    )
    trend: list[PeriodFiguresOut] = Field(description="Oldest first; empty for buyers.")


class RankedSellerOut(Schema):
    rank: int
    seller: SellerRefOut
    rating: RatingOut = Field(description="Every visible review of the seller.")
    figures: FiguresOut


class RankingOut(Schema):
    date_from: date
    date_to: date
    sort: str
    items: list[RankedSellerOut]
    next_cursor: str | None
