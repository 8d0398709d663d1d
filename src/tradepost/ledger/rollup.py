"""The ledger rolled up: ``JournalDayTotal`` rows by day for the revenue report and
``AccountTotal`` rows by account for balances, both kept exact by a queue of new journals.

The ledger is append-only, so a day's total only ever grows by the journals posted since it was
last added up: adding them in is exact, never an estimate. How a journal gets there:

- **Posting** (``queue_journal``, called by ``ledger.services._post``) writes one
  ``JournalPendingRollup`` row next to the journal, in the same transaction. No shared row is
  touched, so checkouts never queue behind each other on a seller's day total.
- **Refresh** (``ledger_rollup_refresh``, a periodic job of the worker) adds queued rows, and
  their journals' entries, into the totals and deletes exactly the rows it added, in one
  transaction. Why a queue and not
  "journals with an id above the last one rolled up": on PostgreSQL an id is taken when the row
  is inserted, not when it commits, so a journal with a lower id can commit after a higher one
  was rolled up and a watermark would skip it for ever. A queue row commits with its journal.
- **Reads** (``ledger.selectors`` for reports, ``ledger.balances`` for balances) sum totals and
  what is queued in one statement: one snapshot, in which every journal is either in a total or
  in the queue, never both and never neither.
- **Rebuild** (``ledger_rollup_rebuild``, the ``tradepost ledger_rollup_rebuild`` command)
  empties the totals and adds up every journal that is not queued; the queue is left for the
  next refresh, so a journal committed while the rebuild runs is neither lost nor counted twice.

Refresh and rebuild take one lock (an advisory lock on PostgreSQL; SQLite has one writer), so
they never write the same totals at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date
from typing import Any

from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncDate

from tradepost.core.transactions import serialise_writers
from tradepost.ledger.models import (
    AccountTotal,
    Entry,
    Journal,
    JournalDayTotal,
    JournalPendingRollup,
)

# Any constant of our own: the key of the advisory lock that serialises the writers of totals.
LOCK_KEY = 7_031_338
REFRESH_BATCH = 5_000
REFRESH_MAX_BATCHES = 20
WRITE_BATCH = 2_000

TotalKey = tuple[str, date, int | None, str]
AccountKey = tuple[int, str]  # account id, journal kind


def queue_journal(*, journal: Journal, debits: int, seller_id: int | None) -> None:
    """Queue a journal just posted; ``debits`` is the sum of its debit legs (its size)."""
    JournalPendingRollup.objects.create(
        journal=journal,
        currency=journal.currency,
        day=journal.created_at.astimezone(UTC).date(),
        seller_id=seller_id,
        kind=journal.kind,
        amount=debits,
    )


def ledger_rollup_refresh(
    *, batch: int = REFRESH_BATCH, max_batches: int = REFRESH_MAX_BATCHES
) -> int:
    """Add queued journals into the day totals; returns how many it added.

    Each batch is its own transaction, so a long backlog never holds one open for long; what is
    left after ``max_batches`` waits for the next run (reads count it from the queue meanwhile).
    """
    added = 0
    for _ in range(max_batches):
        with transaction.atomic():
            serialise_writers(LOCK_KEY)
            queued = list(
                JournalPendingRollup.objects.order_by("id").values_list(
                    "id", "currency", "day", "seller_id", "kind", "amount"
                )[:batch]
            )
            if not queued:
                break
            sums: dict[TotalKey, list[int]] = defaultdict(lambda: [0, 0])
            for _, currency, day, seller_id, kind, amount in queued:
                total = sums[currency, day, seller_id, kind]
                total[0] += amount
                total[1] += 1
            _add(sums)
            journals = JournalPendingRollup.objects.filter(pk__in=[row[0] for row in queued])
            _add_to_accounts(
                _entry_sums(Entry.objects.filter(journal_id__in=journals.values("journal_id")))
            )
            journals.delete()
        added += len(queued)
    return added


def ledger_rollup_rebuild() -> int:
    """Every total again, from the journals themselves; returns how many day totals there are."""
    with transaction.atomic():
        serialise_writers(LOCK_KEY)
        AccountTotal.objects.all().delete()
        _add_to_accounts(_entry_sums(Entry.objects.exclude(_queued())))
        JournalDayTotal.objects.all().delete()
        rows = [
            JournalDayTotal(
                currency=row["currency"],
                day=row["day"],
                seller_id=row["seller_id"],
                kind=row["kind"],
                amount=row["debits"],
                journals=row["journals"],
            )
            for row in _journal_sums().iterator(chunk_size=WRITE_BATCH)
        ]
        JournalDayTotal.objects.bulk_create(rows, batch_size=WRITE_BATCH)
    return len(rows)


def _journal_sums() -> QuerySet[Any]:
    """The debits of every journal not queued, by currency, UTC day, seller and kind."""
    debits = (
        Entry.objects.filter(amount__gt=0)
        .exclude(_queued())
        .values(
            "currency",
            day=TruncDate("journal__created_at", tzinfo=UTC),
            seller_id=Coalesce("journal__seller_order__seller_id", "journal__payout__seller_id"),
            kind=F("journal__kind"),
        )
    )
    return debits.annotate(debits=Sum("amount"), journals=Count("journal_id", distinct=True))


def _queued() -> Exists:
    return Exists(JournalPendingRollup.objects.filter(journal_id=OuterRef("journal_id")))


def _entry_sums(entries: QuerySet[Entry]) -> dict[AccountKey, int]:
    rows = (
        entries.values("account_id", kind=F("journal__kind"))
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("account_id", "kind", "total")
    )
    return {(account_id, kind): int(total) for account_id, kind, total in rows}


def _add_to_accounts(sums: dict[AccountKey, int]) -> None:
    """Add to the account totals that exist and create the rest (under the writers' lock)."""
    existing = {
        (row.account_id, row.kind): row
        for row in AccountTotal.objects.filter(account_id__in={key[0] for key in sums})
    }
    changed, created = [], []
    for (account_id, kind), amount in sums.items():
        row = existing.get((account_id, kind))
        if row is None:
            created.append(AccountTotal(account_id=account_id, kind=kind, amount=amount))
        else:
            row.amount += amount
            changed.append(row)
    AccountTotal.objects.bulk_update(changed, ["amount"], batch_size=WRITE_BATCH)
    AccountTotal.objects.bulk_create(created, batch_size=WRITE_BATCH)


def _add(sums: dict[TotalKey, list[int]]) -> None:
    """Add to the totals that exist and create the rest (the caller holds the writers' lock)."""
    existing = {
        (row.currency, row.day, row.seller_id, row.kind): row for row in _totals_of(list(sums))
    }
    changed, created = [], []
    for key, (amount, journals) in sums.items():
        row = existing.get(key)
        if row is None:
            currency, day, seller_id, kind = key
            created.append(
                JournalDayTotal(
                    currency=currency,
                    day=day,
                    seller_id=seller_id,
                    kind=kind,
                    amount=amount,
                    journals=journals,
                )
            )
        else:
            row.amount += amount
            row.journals += journals
            changed.append(row)
    JournalDayTotal.objects.bulk_update(changed, ["amount", "journals"], batch_size=WRITE_BATCH)
    JournalDayTotal.objects.bulk_create(created, batch_size=WRITE_BATCH)


def _totals_of(keys: Sequence[TotalKey]) -> list[JournalDayTotal]:
    days = {key[1] for key in keys}
    wanted = set(keys)
    rows = JournalDayTotal.objects.filter(day__in=days, kind__in={key[3] for key in keys})
    return [row for row in rows if (row.currency, row.day, row.seller_id, row.kind) in wanted]
