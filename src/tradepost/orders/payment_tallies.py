"""The orders placed each day by the payment status they have now, kept as ``PaymentStatusTally``
rows so the revenue report counts them without reading the orders.

An order's day (the UTC day it was placed), currency and totals never change after checkout;
only its payment status moves, and only through ``orders.lifecycle.move_payment``. So the
counts change in two ways, both written in the transaction of the change, as rows that add up:

- **Placing** (``tally_order_placed``): one order, and one part per seller, onto ``pending``.
- **A payment move** (``tally_payment_moved``): each of them off the old status, onto the new.

No shared row is updated by either, so two checkouts never wait on one day's counts, and a sum
of the rows read in one statement is exact. What keeps the rows few is ``payment_tallies_merge``
(a periodic job of the worker): under one lock it replaces the rows not merged yet, and the
merged row of each day and status they belong to, with one merged row holding their sum.
``payment_tallies_rebuild`` (the ``payment_tallies_rebuild`` command) counts every order again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import TruncDate

from tradepost.core.transactions import serialise_writers
from tradepost.orders.models import Order, PaymentStatusTally, SellerOrder
from tradepost.orders.status import PaymentStatus

# Any constant of our own: the key of the advisory lock that serialises merge and rebuild.
LOCK_KEY = 7_031_339
MERGE_BATCH = 5_000
MERGE_MAX_BATCHES = 20
WRITE_BATCH = 2_000

# currency, day, seller id (None: whole orders), payment status
TallyKey = tuple[str, date, int | None, str]


def _rows(
    order: Order, seller_orders: Iterable[SellerOrder], status: str, sign: int
) -> list[PaymentStatusTally]:
    """What one order counts for: itself (no seller) and each seller's part, with its total."""
    day = order.created_at.astimezone(UTC).date()
    parts = [(None, order.total_amount), *((so.seller_id, so.total_amount) for so in seller_orders)]
    return [
        PaymentStatusTally(
            currency=order.currency,
            day=day,
            seller_id=seller_id,
            payment_status=status,
            orders=sign,
            amount=sign * amount,
        )
        for seller_id, amount in parts
    ]


def tally_order_placed(*, order: Order, seller_orders: Iterable[SellerOrder]) -> None:
    """Count an order just placed (and saved) as pending, in the checkout's transaction."""
    PaymentStatusTally.objects.bulk_create(_rows(order, seller_orders, order.payment_status, 1))


def tally_payment_moved(
    *, order: Order, previous: str, target: str, seller_orders: list[SellerOrder]
) -> None:
    """Move the counts of an order and its parts (``seller_orders``) from ``previous`` to
    ``target``, in the move's transaction."""
    if previous == target:
        return
    PaymentStatusTally.objects.bulk_create(
        _rows(order, seller_orders, previous, -1) + _rows(order, seller_orders, target, 1)
    )


def payment_tallies_merge(*, batch: int = MERGE_BATCH, max_batches: int = MERGE_MAX_BATCHES) -> int:
    """Merge the rows not merged yet into one row per day and status; returns how many it took.

    Each batch is its own transaction. Only rows read under the lock are deleted, by id, so a
    row committed meanwhile is left for the next run and never counted twice or lost.
    """
    taken = 0
    for _ in range(max_batches):
        with transaction.atomic():
            serialise_writers(LOCK_KEY)
            columns = ("id", "currency", "day", "seller_id", "payment_status", "orders", "amount")
            fresh = list(
                PaymentStatusTally.objects.filter(merged=False)
                .order_by("id")
                .values_list(*columns)[:batch]
            )
            if not fresh:
                break
            keys = {row[1:5] for row in fresh}
            merged = [
                row
                for row in PaymentStatusTally.objects.filter(
                    merged=True, day__in={key[1] for key in keys}
                ).values_list(*columns)
                if row[1:5] in keys
            ]
            sums: dict[TallyKey, tuple[int, int]] = {}
            for _pk, currency, day, seller_id, status, orders, amount in fresh + merged:
                key = (currency, day, seller_id, status)
                before = sums.get(key, (0, 0))
                sums[key] = (before[0] + orders, before[1] + amount)
            PaymentStatusTally.objects.filter(pk__in=[row[0] for row in fresh + merged]).delete()
            _write(sums)
        taken += len(fresh)
    return taken


def payment_tallies_rebuild() -> int:
    """Count every order again; returns how many merged rows there are.

    Placing orders and payment moves wait while it runs (on PostgreSQL the table is locked
    against writes), so the counts it reads and the rows it replaces are of one moment.
    """
    with transaction.atomic():
        serialise_writers(LOCK_KEY)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                table = PaymentStatusTally._meta.db_table
                cursor.execute(f'LOCK TABLE "{table}" IN EXCLUSIVE MODE')
        PaymentStatusTally.objects.all().delete()
        sums: dict[TallyKey, tuple[int, int]] = {}
        whole = Order.objects.values(
            "currency", "payment_status", day=TruncDate("created_at", tzinfo=UTC)
        )
        for row in _counts(whole, amount="total_amount"):
            sums[row["currency"], row["day"], None, row["payment_status"]] = _pair(row)
        parts = SellerOrder.objects.values(
            "seller_id",
            currency=F("order__currency"),
            payment_status=F("order__payment_status"),
            day=TruncDate("order__created_at", tzinfo=UTC),
        )
        for row in _counts(parts, amount="total_amount"):
            sums[row["currency"], row["day"], row["seller_id"], row["payment_status"]] = _pair(row)
        return _write(sums)


def _counts(rows: QuerySet[Any], *, amount: str) -> Iterable[dict[str, Any]]:
    counted = rows.annotate(count=Count("pk"), total=Sum(amount)).order_by()
    return counted.iterator(chunk_size=WRITE_BATCH)


def _pair(row: Mapping[str, Any]) -> tuple[int, int]:
    return int(row["count"]), int(row["total"] or 0)


def _write(sums: dict[TallyKey, tuple[int, int]]) -> int:
    """One merged row for each key; a day and status that counts nothing any more has none."""
    rows = [
        PaymentStatusTally(
            currency=currency,
            day=day,
            seller_id=seller_id,
            payment_status=status,
            orders=orders,
            amount=amount,
            merged=True,
        )
        for (currency, day, seller_id, status), (orders, amount) in sums.items()
        if orders or amount
    ]
    PaymentStatusTally.objects.bulk_create(rows, batch_size=WRITE_BATCH)
    return len(rows)


def payment_status_counts(
    *, currency: str, date_from: date, date_to: date, seller_id: int | None
) -> dict[str, tuple[int, int]]:
    """Status -> (orders, total) of the orders placed from ``date_from`` to ``date_to``: whole
    orders if ``seller_id`` is None, else that seller's parts. One statement, so exact."""
    rows = PaymentStatusTally.objects.filter(
        currency=currency, day__gte=date_from, day__lte=date_to
    )
    if seller_id is None:
        rows = rows.filter(seller__isnull=True)
    else:
        rows = rows.filter(seller_id=seller_id)
    counted = {
        row["payment_status"]: _pair(row)
        for row in rows.values("payment_status")
        .annotate(count=Sum("orders"), total=Sum("amount"))
        .order_by()
    }
    return {status: counted.get(status, (0, 0)) for status in PaymentStatus.values}
