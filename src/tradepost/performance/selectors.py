"""Reads of seller performance: one seller's scorecard with its trend, and the sellers ranked.

Both read only the day rows (``performance.models``): a scorecard is three queries, the ranking
three, whatever the number of orders behind them.
"""

from __future__ import annotations

import base64
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet, Sum

from tradepost.catalog.handling_times import shipping_promise
from tradepost.catalog.models import Seller
from tradepost.catalog.selectors import marketplace_get, seller_get
from tradepost.core.actors import Actor, Role
from tradepost.core.errors import NotFound, ValidationFailed
from tradepost.performance.figures import FIGURE_NAMES, Figures, Rate, Totals
from tradepost.performance.models import COUNT_FIELDS, SUM_FIELDS, SellerDayDuration, SellerDayStats
from tradepost.performance.periods import (
    MAX_PERIODS,
    Interval,
    Span,
    period_start,
    spans_ending_with,
)
from tradepost.reviews.selectors import Rating, seller_rating, sellers_with_rating

DEFAULT_RANKING_DAYS = 30
MAX_RANKING_DAYS = 366
DEFAULT_SORT = "-seller_orders"
SORTS: tuple[str, ...] = tuple(
    sort for name in FIGURE_NAMES for sort in (name, f"-{name}")
)  # fmt: skip


@dataclass(frozen=True)
class PublicRecord:
    """What anyone may read of a seller: its rating, its promise, how often it is on time."""

    rating: Rating
    shipping_promise: str
    on_time: Rate


@dataclass(frozen=True)
class Scorecard:
    seller: Seller
    interval: Interval
    public: PublicRecord
    # The periods, oldest first, the last the one asked for; empty for a buyer.
    trend: Sequence[tuple[Span, Figures]]

    @property
    def current(self) -> tuple[Span, Figures] | None:
        return self.trend[-1] if self.trend else None

    @property
    def previous(self) -> tuple[Span, Figures] | None:
        return self.trend[-2] if len(self.trend) > 1 else None

    @property
    def change(self) -> dict[str, int | float | None] | None:
        if self.current is None or self.previous is None:
            return None
        return self.current[1].change_since(self.previous[1])


def seller_scorecard(
    *, actor: Actor, slug: str, interval: Interval, periods: int, day: date
) -> Scorecard:
    """The owner reads any seller's scorecard, a seller its own; a buyer only the public part
    of a seller on the storefront. Over the ``periods`` weeks or months ending with ``day``'s."""
    if not 1 <= periods <= MAX_PERIODS[interval]:
        raise ValidationFailed("periods", f"must be 1 to {MAX_PERIODS[interval]} {interval}s")
    seller = seller_get(actor=actor, slug=slug)
    spans = spans_ending_with(day, interval, periods)
    trend = _trend(seller, interval, spans)
    window = sum((figures.totals for _, figures in trend), Totals())
    public = PublicRecord(
        rating=seller_rating(seller),
        shipping_promise=shipping_promise(seller, marketplace_get()),
        on_time=Figures(window).on_time,
    )
    shown = trend if actor.role is not Role.BUYER else []
    return Scorecard(seller=seller, interval=interval, public=public, trend=shown)


def marketplace_trend(
    *, actor: Actor, interval: Interval, periods: int, day: date
) -> list[tuple[Span, Figures]]:
    """Owner: every seller's figures added up, per week or month. Two queries."""
    if actor.role is not Role.OWNER:
        raise NotFound("No marketplace trend.")
    return _trend(None, interval, spans_ending_with(day, interval, periods))


def _trend(
    seller: Seller | None, interval: Interval, spans: list[Span]
) -> list[tuple[Span, Figures]]:
    days = Q(day__gte=spans[0].start, day__lt=spans[-1].end)
    if seller is not None:
        days &= Q(seller=seller)
    sums = _sums(SellerDayStats.objects.filter(days), "period", period_start(interval))
    buckets = _buckets(SellerDayDuration.objects.filter(days), "period", period_start(interval))
    return [
        (span, Figures(Totals.from_sums(sums.get(span.start, {}), buckets.get(span.start, {}))))
        for span in spans
    ]


def _grouped(rows: QuerySet[Any], key: str, expression: Any) -> QuerySet[Any]:
    """Rows with ``key`` to group by: a field of theirs, or an expression named so."""
    return rows if expression is None else rows.annotate(**{key: expression})


def _sums(
    rows: QuerySet[SellerDayStats], key: str, expression: Any = None
) -> dict[Any, dict[str, Any]]:
    names = (*COUNT_FIELDS, *SUM_FIELDS)
    grouped = _grouped(rows, key, expression).values(key)
    return {row[key]: row for row in grouped.annotate(**{n: Sum(n) for n in names}).order_by()}


def _buckets(
    rows: QuerySet[SellerDayDuration], key: str, expression: Any = None
) -> dict[Any, dict[str, dict[int, int]]]:
    grouped = (
        _grouped(rows, key, expression)
        .values_list(key, "measure", "bucket")
        .annotate(n=Sum("count"))
        .order_by()
    )
    found: dict[Any, dict[str, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    for group, measure, bucket, count in grouped:
        found[group][measure][bucket] = count
    return found


@dataclass(frozen=True)
class RankedSeller:
    rank: int
    seller: Seller
    figures: Figures


@dataclass(frozen=True)
class Ranking:
    date_from: date
    date_to: date
    sort: str
    items: Sequence[RankedSeller]
    next_cursor: str | None


def ranking_period(*, date_from: date | None, date_to: date | None, today: date) -> Span:
    """Whole UTC days, both given days included: by default the last 30 days, today too."""
    last = date_to or today
    first = date_from or last - timedelta(days=DEFAULT_RANKING_DAYS - 1)
    if first > last:
        raise ValidationFailed("from", "must be on or before to")
    if (last - first).days >= MAX_RANKING_DAYS:
        raise ValidationFailed("from", f"the period may span at most {MAX_RANKING_DAYS} days")
    return Span(first, last + timedelta(days=1))


def seller_ranking(
    *, actor: Actor, period: Span, sort: str = DEFAULT_SORT, limit: int, cursor: str | None
) -> Ranking:
    """Owner: every seller with its figures for the period, ranked by one figure (sellers
    without a value for it last, ties by seller), a page at a time. Three queries."""
    if actor.role is not Role.OWNER:
        raise NotFound("No seller ranking: it compares sellers, which only the owner does.")
    if sort not in SORTS:
        raise ValidationFailed("sort", f"must be one of {', '.join(SORTS)}")
    days = Q(day__gte=period.start, day__lt=period.end)
    sums = _sums(SellerDayStats.objects.filter(days), "seller_id")
    buckets = _buckets(SellerDayDuration.objects.filter(days), "seller_id")
    sellers = sellers_with_rating(Seller.objects.order_by("pk"))
    rows = [
        (seller, Figures(Totals.from_sums(sums.get(seller.pk, {}), buckets.get(seller.pk, {}))))
        for seller in sellers
    ]
    name, descending = sort.lstrip("-"), sort.startswith("-")
    ranked = sorted(rows, key=lambda row: _key(row[1].value(name), row[0].pk, descending))
    start = _after(ranked, cursor, sort, name, descending)
    page = ranked[start : start + limit]
    more = start + limit < len(ranked)
    last = page[-1] if page and more else None
    return Ranking(
        date_from=period.start,
        date_to=period.last_day,
        sort=sort,
        items=[RankedSeller(start + i + 1, seller, fig) for i, (seller, fig) in enumerate(page)],
        next_cursor=None if last is None else _cursor(sort, last[1].value(name), last[0].pk),
    )


def _key(value: int | float | None, seller_id: int, descending: bool) -> tuple[Any, ...]:
    """Sellers without a value go last both ways; ties break on the seller, ascending."""
    if value is None:
        return (1, 0, seller_id)
    return (0, -value if descending else value, seller_id)


def _cursor(sort: str, value: int | float | None, seller_id: int) -> str:
    raw = json.dumps([sort, value, seller_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _after(
    ranked: Sequence[tuple[Seller, Figures]],
    cursor: str | None,
    sort: str,
    name: str,
    descending: bool,
) -> int:
    """Where the page after the cursor's row starts: the first row ranked after it."""
    if not cursor:
        return 0
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        cursor_sort, value, seller_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if cursor_sort != sort or not isinstance(seller_id, int):
            raise ValueError("cursor is for another sort")
        if value is not None and not isinstance(value, int | float):
            raise ValueError("cursor value is not a figure")
        boundary = _key(value, seller_id, descending)
    except (ValueError, TypeError) as exc:
        raise ValidationFailed("cursor", "is not a cursor this list returned") from exc
    keys = (_key(figures.value(name), seller.pk, descending) for seller, figures in ranked)
    return next((i for i, key in enumerate(keys) if key > boundary), len(ranked))
