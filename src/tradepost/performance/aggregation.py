"""Working out the day rows (``performance.models``) from the orders, exactly.

The figures of a seller and day are always worked out whole, from the seller orders paid that
day, never nudged up or down: a day worked out again after any change equals a day worked out
from scratch, which is what makes the incremental path provably the same as ``stats_rebuild``.

- **Incremental** (``seller_stats_refresh``, a periodic job of the worker): the timeline trigger
  queued the orders that changed (``PendingOrder``); the job finds the (seller, paid day) pairs
  of those orders and works out just those days again, then deletes exactly the queue rows it
  read. A change that commits while the job runs leaves its own queue row, for the next run.
- **From scratch** (``seller_stats_rebuild``, the ``stats_rebuild`` command): every day again.

Both take one lock (an advisory lock on PostgreSQL; SQLite has a single writer anyway), so a
rebuild and a refresh never write the same rows at once.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from tradepost.core.actors import Role
from tradepost.core.clock import utc_midnight
from tradepost.core.transactions import serialise_writers
from tradepost.disputes.models import Case
from tradepost.orders.models import LineCancellation, SellerOrder, Shipment
from tradepost.payments.models import Refund
from tradepost.payments.status import RefundReason
from tradepost.performance.durations import bucket_of
from tradepost.performance.models import (
    COUNT_FIELDS,
    SUM_FIELDS,
    Measure,
    PendingOrder,
    SellerDayDuration,
    SellerDayStats,
)
from tradepost.reviews.models import Review

SellerDay = tuple[int, date]
# Any constant of our own: the key of the advisory lock that serialises the writers of the rows.
LOCK_KEY = 7_031_337
REFRESH_BATCH = 2_000
REFRESH_MAX_BATCHES = 25
DAYS_PER_QUERY = 60
FACTS_CHUNK = 5_000
WRITE_BATCH = 2_000


@dataclass
class DayTally:
    """The counts and sums of one seller and day, as they are being added up."""

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
    durations: Counter[tuple[str, int]] = field(default_factory=Counter)

    def add(self, fact: SellerOrderFact) -> None:
        self.seller_orders += 1
        if fact.acknowledge_seconds is not None:
            self.acknowledged += 1
            self.acknowledge_seconds += fact.acknowledge_seconds
            self.durations[Measure.ACKNOWLEDGE.value, bucket_of(fact.acknowledge_seconds)] += 1
            self.late += fact.late
        if fact.ship_seconds is not None:
            self.shipped += 1
            self.ship_seconds += fact.ship_seconds
            self.durations[Measure.SHIP.value, bucket_of(fact.ship_seconds)] += 1
        self.canceled += fact.canceled
        self.disputed += fact.disputed
        self.refunded += fact.refunded
        if fact.rating is not None:
            self.reviews += 1
            self.rating_total += fact.rating


@dataclass(frozen=True)
class SellerOrderFact:
    """What one paid seller order contributes to the figures of its seller and paid day."""

    seller_id: int
    day: date
    acknowledge_seconds: int | None
    ship_seconds: int | None
    late: bool
    canceled: bool
    disputed: bool
    refunded: bool
    rating: int | None

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> SellerOrderFact:
        (seller_id, paid_at, acknowledged_at, acknowledge_due_at, ship_due_at, canceled_by_role,
         first_parcel_at, lines_canceled, disputed, refunded, rating) = row  # fmt: skip
        late = acknowledged_at is not None and (
            _after(acknowledged_at, acknowledge_due_at) or _after(first_parcel_at, ship_due_at)
        )
        return cls(
            seller_id=seller_id,
            day=paid_day(paid_at),
            acknowledge_seconds=_seconds(paid_at, acknowledged_at),
            ship_seconds=_seconds(paid_at, first_parcel_at),
            late=late,
            # The definition of orders.seller_rates: the seller canceled it whole, or any line.
            canceled=canceled_by_role == Role.SELLER.value or lines_canceled,
            disputed=disputed,
            refunded=refunded,
            rating=rating,
        )


def _after(when: datetime | None, due: datetime | None) -> bool:
    return when is not None and due is not None and when > due


def _seconds(start: datetime, end: datetime | None) -> int | None:
    return None if end is None else max(int((end - start).total_seconds()), 0)


def seller_order_facts(seller_orders: QuerySet[SellerOrder]) -> Iterator[SellerOrderFact]:
    """One row per paid seller order, with what the figures need from the rows around it."""
    here = OuterRef("pk")
    first_parcel = Shipment.objects.filter(seller_order=here).order_by("created_at", "id")
    visible_review = Review.objects.filter(seller_order=here, hidden_at__isnull=True)
    rows = (
        seller_orders.filter(order__paid_at__isnull=False)
        .annotate(
            first_parcel_at=Subquery(first_parcel.values("created_at")[:1]),
            lines_canceled=Exists(LineCancellation.objects.filter(seller_order=here)),
            has_case=Exists(Case.objects.filter(seller_order=here)),
            refunded_after_sale=Exists(
                Refund.objects.filter(seller_order=here).exclude(reason=RefundReason.CANCELED)
            ),
            review_rating=Subquery(visible_review.values("rating")[:1]),
        )
        .values_list(
            "seller_id",
            "order__paid_at",
            "acknowledged_at",
            "acknowledge_due_at",
            "ship_due_at",
            "canceled_by_role",
            "first_parcel_at",
            "lines_canceled",
            "has_case",
            "refunded_after_sale",
            "review_rating",
        )
    )
    for row in rows.iterator(chunk_size=FACTS_CHUNK):
        yield SellerOrderFact.from_row(row)


def tally(facts: Iterable[SellerOrderFact]) -> dict[SellerDay, DayTally]:
    tallies: dict[SellerDay, DayTally] = defaultdict(DayTally)
    for fact in facts:
        tallies[fact.seller_id, fact.day].add(fact)
    return tallies


def seller_stats_refresh(
    *, batch: int = REFRESH_BATCH, max_batches: int = REFRESH_MAX_BATCHES
) -> int:
    """Work out again the days of the orders that changed; returns how many queue rows it took.

    Each batch is its own transaction, so a long backlog never holds one open for long; what is
    left after ``max_batches`` waits for the next run.
    """
    taken = 0
    for _ in range(max_batches):
        with transaction.atomic():
            serialise_writers(LOCK_KEY)
            queue = PendingOrder.objects.order_by("id").values_list("id", "order_id")
            pending = list(queue[:batch])
            if not pending:
                break
            keys = _seller_days_of(order_id for _, order_id in pending)
            _replace(keys, _recount(keys))
            PendingOrder.objects.filter(pk__in=[pk for pk, _ in pending]).delete()
        taken += len(pending)
    return taken


def seller_stats_rebuild() -> int:
    """Every day row again, from every paid seller order; returns how many day rows there are.

    The queue is left alone: what it holds is worked out again by the next refresh, to the same
    figures, so a change committing during the rebuild is never lost.
    """
    with transaction.atomic():
        serialise_writers(LOCK_KEY)
        tallies = tally(seller_order_facts(SellerOrder.objects.all()))
        SellerDayDuration.objects.all().delete()
        SellerDayStats.objects.all().delete()
        _write(tallies)
    return len(tallies)


def _seller_days_of(order_ids: Iterable[int]) -> set[SellerDay]:
    paid = SellerOrder.objects.filter(
        order_id__in=set(order_ids), order__paid_at__isnull=False
    ).values_list("seller_id", "order__paid_at")
    return {(seller_id, paid_day(paid_at)) for seller_id, paid_at in paid if paid_at is not None}


def paid_day(paid_at: datetime) -> date:
    """The UTC day a seller order's figures belong to."""
    return paid_at.astimezone(UTC).date()


def _by_day(keys: Iterable[SellerDay]) -> dict[date, set[int]]:
    sellers: dict[date, set[int]] = defaultdict(set)
    for seller_id, day in keys:
        sellers[day].add(seller_id)
    return sellers


def _chunks(keys: set[SellerDay]) -> Iterator[list[tuple[date, set[int]]]]:
    days = sorted(_by_day(keys).items())
    for start in range(0, len(days), DAYS_PER_QUERY):
        yield days[start : start + DAYS_PER_QUERY]


def _recount(keys: set[SellerDay]) -> dict[SellerDay, DayTally]:
    """The tallies of just these (seller, day) pairs, from their seller orders."""
    tallies: dict[SellerDay, DayTally] = {}
    for chunk in _chunks(keys):
        paid_those_days = Q()
        for day, sellers in chunk:
            paid_those_days |= Q(
                seller_id__in=sellers,
                order__paid_at__gte=utc_midnight(day),
                order__paid_at__lt=utc_midnight(day + timedelta(days=1)),
            )
        found = tally(seller_order_facts(SellerOrder.objects.filter(paid_those_days)))
        tallies.update((key, found[key]) for key in found if key in keys)
    return tallies


def _replace(keys: set[SellerDay], tallies: dict[SellerDay, DayTally]) -> None:
    for chunk in _chunks(keys):
        rows = Q()
        for day, sellers in chunk:
            rows |= Q(day=day, seller_id__in=sellers)
        SellerDayDuration.objects.filter(rows).delete()
        SellerDayStats.objects.filter(rows).delete()
    _write(tallies)


def _write(tallies: dict[SellerDay, DayTally]) -> None:
    stats = [
        SellerDayStats(
            seller_id=seller_id,
            day=day,
            **{name: getattr(counts, name) for name in (*COUNT_FIELDS, *SUM_FIELDS)},
        )
        for (seller_id, day), counts in tallies.items()
    ]
    durations = [
        SellerDayDuration(seller_id=seller_id, day=day, measure=measure, bucket=bucket, count=n)
        for (seller_id, day), counts in tallies.items()
        for (measure, bucket), n in counts.durations.items()
    ]
    SellerDayStats.objects.bulk_create(stats, batch_size=WRITE_BATCH)
    SellerDayDuration.objects.bulk_create(durations, batch_size=WRITE_BATCH)
