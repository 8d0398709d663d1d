"""Revenue reports: the money the ledger moved over whole UTC days, scoped to the actor.

Every money figure is a sum of ledger journals of one kind, dated by the journal (written in the
transaction that moved the money), so the figures of a period are exactly the money that moved
in it and two adjoining periods add up to the period that spans both:

- **sales**: ``payment_captured`` journals, what payments captured of each seller order.
- **commission earned** / **commission reversed**: ``commission_earned`` (fixed at payment) and
  ``commission_reversed`` (given back with every refund and lost chargeback) journals.
- **refunds**: ``refund`` journals, money sent back to buyers (an October sale refunded in
  November lowers November). **chargebacks**: ``chargeback`` journals, chargebacks lost.
- **payouts paid**: ``payout_paid`` journals, the money that left for the sellers.
- **commission** = earned - reversed; **net** = sales - refunds - chargebacks. Either may be
  negative for a period in which more went back than was sold.
- **payment statuses**: the orders *placed* in the period, counted and summed (their totals, or
  for a seller the totals of its parts) by the payment status they have now, read from the
  counts ``orders.payment_tallies`` keeps by day, exact as of the last commit.

The sums come from ``ledger.rollup``: day totals plus the journals still queued for them, read
in one statement, so the report is exact and as fresh as the last commit, and costs a read of
days x sellers x kinds rows whatever the number of orders. The figures by day and by seller are
two statements; money that moves between them shows in one and not yet the other.

Money is integer minor units in one currency; other currencies are left out. The owner sees the
whole marketplace, a seller its own journals, and a buyer no report at all (404).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import UTC, date, timedelta
from enum import StrEnum
from typing import Any

from django.db.models import QuerySet, Sum

from tradepost.catalog.selectors import marketplace_get
from tradepost.core import clock
from tradepost.core.actors import Actor, Role
from tradepost.core.errors import NotFound, ValidationFailed
from tradepost.ledger.models import JournalDayTotal, JournalPendingRollup
from tradepost.ledger.status import JournalKind
from tradepost.orders.payment_tallies import payment_status_counts
from tradepost.orders.status import PaymentStatus

DEFAULT_PERIOD_DAYS = 30
MAX_PERIOD_DAYS = 366
# The last day must have a next midnight to end the period on.
EARLIEST_DAY = date(1970, 1, 1)
LATEST_DAY = date(9999, 12, 30)


class Interval(StrEnum):
    DAY = "day"
    WEEK = "week"  # ISO weeks, Monday to Sunday
    MONTH = "month"  # calendar months


# The figure each kind of journal adds to; the other kinds move money between accounts only.
FIGURE_OF_KIND: dict[str, str] = {
    JournalKind.PAYMENT_CAPTURED: "sales_amount",
    JournalKind.COMMISSION_EARNED: "commission_earned_amount",
    JournalKind.COMMISSION_REVERSED: "commission_reversed_amount",
    JournalKind.REFUND: "refunds_amount",
    JournalKind.CHARGEBACK: "chargebacks_amount",
    JournalKind.PAYOUT_PAID: "payouts_paid_amount",
}


@dataclass(frozen=True, kw_only=True)
class RevenueFigures:
    """The money figures of a report, of a day, of a period or of a seller, in minor units."""

    sales_amount: int = 0
    commission_earned_amount: int = 0
    commission_reversed_amount: int = 0
    refunds_amount: int = 0
    chargebacks_amount: int = 0
    payouts_paid_amount: int = 0

    @property
    def commission_amount(self) -> int:
        return self.commission_earned_amount - self.commission_reversed_amount

    @property
    def net_amount(self) -> int:
        return self.sales_amount - self.refunds_amount - self.chargebacks_amount


MONEY_FIELDS = tuple(field.name for field in fields(RevenueFigures))


@dataclass(frozen=True, kw_only=True)
class DailyRevenue(RevenueFigures):
    day: date


@dataclass(frozen=True, kw_only=True)
class RevenuePeriod(RevenueFigures):
    """One day, week or month of the report: ``start`` to ``end``, both included, cut to the
    report's period (a report from a Wednesday starts its first week on that Wednesday)."""

    start: date
    end: date


@dataclass(frozen=True)
class SellerRef:
    slug: str
    name: str


@dataclass(frozen=True, kw_only=True)
class SellerRevenue(RevenueFigures):
    seller: SellerRef


@dataclass(frozen=True)
class PaymentStatusShare:
    payment_status: str
    orders: int
    total_amount: int


@dataclass(frozen=True)
class RevenueReport:
    date_from: date
    date_to: date
    currency: str
    interval: Interval
    totals: RevenueFigures
    payment_statuses: list[PaymentStatusShare]
    sellers: list[SellerRevenue]
    daily: list[DailyRevenue]
    periods: list[RevenuePeriod]


def report_period(
    *, date_from: date | None = None, date_to: date | None = None, days: int = DEFAULT_PERIOD_DAYS
) -> tuple[date, date]:
    """The days a report covers: ``date_to`` defaults to today (UTC), ``date_from`` to ``days``
    days ending on ``date_to``."""
    end = date_to or clock.now().astimezone(UTC).date()
    _check_day("to", end)
    return date_from or end - timedelta(days=days - 1), end


def revenue_report(
    *,
    actor: Actor,
    date_from: date,
    date_to: date,
    currency: str | None = None,
    interval: Interval = Interval.DAY,
) -> RevenueReport:
    """The revenue of the days ``date_from`` to ``date_to`` (both included, UTC), in
    ``currency`` (default: the marketplace's), by ``interval``, as the actor may see it.
    Four queries at most."""
    if actor.role is Role.BUYER:
        raise NotFound("No revenue report.")
    _check_period(date_from, date_to)
    currency = currency or marketplace_get().default_currency
    daily = _daily(actor, currency, date_from, date_to)
    return RevenueReport(
        date_from=date_from,
        date_to=date_to,
        currency=currency,
        interval=interval,
        totals=_sum(daily),
        payment_statuses=_payment_statuses(actor, currency, date_from, date_to),
        sellers=_by_seller(actor, currency, date_from, date_to),
        daily=daily,
        periods=_periods(daily, interval),
    )


def _check_day(field: str, day: date) -> None:
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise ValidationFailed(field, f"must be between {EARLIEST_DAY} and {LATEST_DAY}")


def _check_period(date_from: date, date_to: date) -> None:
    _check_day("from", date_from)
    _check_day("to", date_to)
    if date_to < date_from:
        raise ValidationFailed("to", "must be on or after the from date")
    if (date_to - date_from).days >= MAX_PERIOD_DAYS:
        raise ValidationFailed("from", f"the period may span at most {MAX_PERIOD_DAYS} days")


def _journal_sums(
    actor: Actor, currency: str, date_from: date, date_to: date, *group: str
) -> QuerySet[Any]:
    """The journals of the reported kinds by ``group`` and kind: the day totals and the queue
    of journals not rolled up yet, in one statement (one snapshot: see ``ledger.rollup``)."""

    def sums(rows: QuerySet[Any]) -> QuerySet[Any]:
        rows = rows.filter(
            currency=currency, day__gte=date_from, day__lte=date_to, kind__in=FIGURE_OF_KIND
        )
        if actor.role is Role.SELLER:
            rows = rows.filter(seller_id=actor.seller_pk)
        return rows.values(*group, "kind").annotate(amount=Sum("amount")).order_by()

    return sums(JournalDayTotal.objects.all()).union(
        sums(JournalPendingRollup.objects.all()), all=True
    )


def _figures(amounts: dict[str, int]) -> dict[str, int]:
    return {FIGURE_OF_KIND[kind]: amount for kind, amount in amounts.items()}


def _grouped(rows: Iterable[dict[str, Any]], *key: str) -> dict[tuple[Any, ...], dict[str, int]]:
    """Kind -> amount for each key, adding up the rolled-up and the queued parts."""
    grouped: dict[tuple[Any, ...], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        grouped[tuple(row[name] for name in key)][row["kind"]] += int(row["amount"])
    return grouped


def _daily(actor: Actor, currency: str, date_from: date, date_to: date) -> list[DailyRevenue]:
    """One point per day of the period, days without any money moving included as zeros."""
    moved = _grouped(_journal_sums(actor, currency, date_from, date_to, "day"), "day")
    days = (date_from + timedelta(days=offset) for offset in range((date_to - date_from).days + 1))
    return [DailyRevenue(day=day, **_figures(moved.get((day,), {}))) for day in days]


def _by_seller(actor: Actor, currency: str, date_from: date, date_to: date) -> list[SellerRevenue]:
    """Every seller with money moving in the period, the biggest sales first."""
    rows = _journal_sums(actor, currency, date_from, date_to, "seller__slug", "seller__name")
    found = [
        SellerRevenue(seller=SellerRef(slug, name), **_figures(amounts))
        for (slug, name), amounts in _grouped(rows, "seller__slug", "seller__name").items()
        if slug is not None
    ]
    return sorted(found, key=lambda row: (-row.sales_amount, row.seller.slug))


def period_start(day: date, interval: Interval) -> date:
    """The first day of the day, week (Monday) or month that holds ``day``."""
    if interval is Interval.WEEK:
        return day - timedelta(days=day.weekday())
    if interval is Interval.MONTH:
        return day.replace(day=1)
    return day


def _periods(daily: list[DailyRevenue], interval: Interval) -> list[RevenuePeriod]:
    """The days added up by week or month, oldest first, each cut to the report's days."""
    buckets: dict[date, list[DailyRevenue]] = defaultdict(list)
    for point in daily:
        buckets[period_start(point.day, interval)].append(point)
    return [
        RevenuePeriod(start=days[0].day, end=days[-1].day, **_money(_sum(days)))
        for _, days in sorted(buckets.items())
    ]


def _money(figures: RevenueFigures) -> dict[str, int]:
    return {name: getattr(figures, name) for name in MONEY_FIELDS}


def _sum(parts: list[DailyRevenue]) -> RevenueFigures:
    return RevenueFigures(
        **{name: sum(getattr(part, name) for part in parts) for name in MONEY_FIELDS}
    )


def _payment_statuses(
    actor: Actor, currency: str, date_from: date, date_to: date
) -> list[PaymentStatusShare]:
    """Orders placed in the period by payment status, every status listed, zeros included."""
    counted = payment_status_counts(
        currency=currency,
        date_from=date_from,
        date_to=date_to,
        seller_id=actor.seller_pk if actor.role is Role.SELLER else None,
    )
    return [PaymentStatusShare(status, *counted[status]) for status in PaymentStatus.values]
