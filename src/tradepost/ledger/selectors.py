"""Revenue reports: what was sold, earned and given back over whole UTC days, scoped to the actor.

Each figure is dated by the event that moved the money, so the figures of a period are exactly the
money that moved in it, and two adjoining periods add up to the period that spans both:

- **sales**: what was captured, dated by the order's ``paid_at``. Per seller, the totals of its
  seller orders that the payment covered (a part canceled before payment was never captured).
- **commission earned**: what the marketplace took of those sales when they were paid.
- **commission reversed** and **refunds**: what each refund gave back, dated by the refund's
  ``created_at`` (an October sale refunded in November lowers November).
- **commission** = earned - reversed; **net** = sales - refunds. Either may be negative for a
  period in which more was refunded than sold.
- **payment statuses**: the orders *placed* in the period, counted and summed (their totals, or
  for a seller the totals of its parts) by the payment status they have now.

Money is integer minor units in one currency; orders in other currencies are left out. The owner
sees the whole marketplace, a seller its own seller orders, and a buyer no report at all (404).
A report costs the same few queries whatever the number of orders: every sum is a GROUP BY.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import TruncDate

from tradepost.catalog.selectors import marketplace_get
from tradepost.core import clock
from tradepost.core.actors import Actor, Role
from tradepost.core.clock import utc_midnight
from tradepost.core.errors import NotFound, ValidationFailed
from tradepost.orders.models import Order, SellerOrder
from tradepost.orders.selectors import seller_orders_visible_to
from tradepost.orders.status import PaymentStatus
from tradepost.payments.models import Refund

DEFAULT_PERIOD_DAYS = 30
MAX_PERIOD_DAYS = 366
# The last day must have a next midnight to end the period on.
EARLIEST_DAY = date(1970, 1, 1)
LATEST_DAY = date(9999, 12, 30)


@dataclass(frozen=True, kw_only=True)
class RevenueFigures:
    """The money figures of a report, of a day or of a seller, in minor units."""

    sales_amount: int = 0
    commission_earned_amount: int = 0
    commission_reversed_amount: int = 0
    refunds_amount: int = 0

    @property
    def commission_amount(self) -> int:
        return self.commission_earned_amount - self.commission_reversed_amount

    @property
    def net_amount(self) -> int:
        return self.sales_amount - self.refunds_amount


@dataclass(frozen=True, kw_only=True)
class DailyRevenue(RevenueFigures):
    day: date


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
    totals: RevenueFigures
    payment_statuses: list[PaymentStatusShare]
    sellers: list[SellerRevenue]
    daily: list[DailyRevenue]


def report_period(
    *, date_from: date | None = None, date_to: date | None = None, days: int = DEFAULT_PERIOD_DAYS
) -> tuple[date, date]:
    """The days a report covers: ``date_to`` defaults to today (UTC), ``date_from`` to ``days``
    days ending on ``date_to``."""
    end = date_to or clock.now().astimezone(UTC).date()
    _check_day("to", end)
    return date_from or end - timedelta(days=days - 1), end


def revenue_report(
    *, actor: Actor, date_from: date, date_to: date, currency: str | None = None
) -> RevenueReport:
    """The revenue of the days ``date_from`` to ``date_to`` (both included, UTC), in
    ``currency`` (default: the marketplace's), as the actor may see it. Six queries at most."""
    if actor.role is Role.BUYER:
        raise NotFound("No revenue report.")
    _check_period(date_from, date_to)
    currency = currency or marketplace_get().default_currency
    start, end = utc_midnight(date_from), utc_midnight(date_to + timedelta(days=1))
    sales = _sales(actor, currency, start, end)
    refunds = _refunds(actor, currency, start, end)
    daily = _daily(sales, refunds, date_from, date_to)
    return RevenueReport(
        date_from=date_from,
        date_to=date_to,
        currency=currency,
        totals=_sum(daily),
        payment_statuses=_payment_statuses(actor, currency, start, end),
        sellers=_by_seller(sales, refunds),
        daily=daily,
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


def _sales(actor: Actor, currency: str, start: datetime, end: datetime) -> QuerySet[SellerOrder]:
    """The seller orders a payment in the period captured: commission is fixed on exactly those."""
    return seller_orders_visible_to(actor).filter(
        order__paid_at__gte=start,
        order__paid_at__lt=end,
        order__currency=currency,
        commission_amount__isnull=False,
    )


def _refunds(actor: Actor, currency: str, start: datetime, end: datetime) -> QuerySet[Refund]:
    refunds = Refund.objects.filter(created_at__gte=start, created_at__lt=end, currency=currency)
    if actor.role is Role.SELLER:
        refunds = refunds.filter(seller_order__seller_id=actor.seller_pk)
    return refunds


def _sales_sums(sales: QuerySet[Any]) -> QuerySet[Any]:
    return sales.annotate(sales=Sum("total_amount"), commission=Sum("commission_amount")).order_by()


def _refund_sums(refunds: QuerySet[Any]) -> QuerySet[Any]:
    return refunds.annotate(
        refunds=Sum("amount"), reversed=Sum("commission_reversed_amount")
    ).order_by()


def _figures(sale: Mapping[str, Any] | None, refund: Mapping[str, Any] | None) -> dict[str, int]:
    sale, refund = sale or {}, refund or {}
    return {
        "sales_amount": int(sale.get("sales") or 0),
        "commission_earned_amount": int(sale.get("commission") or 0),
        "refunds_amount": int(refund.get("refunds") or 0),
        "commission_reversed_amount": int(refund.get("reversed") or 0),
    }


def _daily(
    sales: QuerySet[SellerOrder], refunds: QuerySet[Refund], date_from: date, date_to: date
) -> list[DailyRevenue]:
    """One point per day of the period, days without any money moving included as zeros."""
    sales_by_day = _sales_sums(
        sales.annotate(day=TruncDate("order__paid_at", tzinfo=UTC)).values("day")
    )
    refunds_by_day = _refund_sums(
        refunds.annotate(day=TruncDate("created_at", tzinfo=UTC)).values("day")
    )
    sold = {row["day"]: row for row in sales_by_day}
    refunded = {row["day"]: row for row in refunds_by_day}
    days = (date_from + timedelta(days=offset) for offset in range((date_to - date_from).days + 1))
    return [DailyRevenue(day=day, **_figures(sold.get(day), refunded.get(day))) for day in days]


def _by_seller(sales: QuerySet[SellerOrder], refunds: QuerySet[Refund]) -> list[SellerRevenue]:
    """Every seller that sold or refunded in the period, the biggest sales first."""
    sold = {
        SellerRef(row["seller__slug"], row["seller__name"]): row
        for row in _sales_sums(sales.values("seller__slug", "seller__name"))
    }
    refunded = {
        SellerRef(row["seller_order__seller__slug"], row["seller_order__seller__name"]): row
        for row in _refund_sums(
            refunds.values("seller_order__seller__slug", "seller_order__seller__name")
        )
    }
    rows = [
        SellerRevenue(seller=seller, **_figures(sold.get(seller), refunded.get(seller)))
        for seller in {**sold, **refunded}
    ]
    return sorted(rows, key=lambda row: (-row.sales_amount, row.seller.slug))


def _sum(parts: list[DailyRevenue]) -> RevenueFigures:
    return RevenueFigures(
        sales_amount=sum(part.sales_amount for part in parts),
        commission_earned_amount=sum(part.commission_earned_amount for part in parts),
        commission_reversed_amount=sum(part.commission_reversed_amount for part in parts),
        refunds_amount=sum(part.refunds_amount for part in parts),
    )


def _payment_statuses(
    actor: Actor, currency: str, start: datetime, end: datetime
) -> list[PaymentStatusShare]:
    """Orders placed in the period by payment status, every status listed, zeros included."""
    rows: QuerySet[Any]
    if actor.role is Role.SELLER:
        rows = seller_orders_visible_to(actor).filter(
            order__created_at__gte=start, order__created_at__lt=end, order__currency=currency
        )
        rows = rows.values(payment_status=F("order__payment_status"))
    else:
        rows = Order.objects.filter(
            created_at__gte=start, created_at__lt=end, currency=currency
        ).values("payment_status")
    counted: dict[str, tuple[int, int]] = {
        row["payment_status"]: (int(row["orders"]), int(row["amount"] or 0))
        for row in rows.annotate(orders=Count("pk"), amount=Sum("total_amount")).order_by()
    }
    return [
        PaymentStatusShare(status, *counted.get(status, (0, 0))) for status in PaymentStatus.values
    ]
