"""The double-entry ledger (accounts, journals, entries) and seller payouts.

A journal records one money movement as two or more entries that sum to zero; debits are
positive amounts, credits negative. Journals and entries are append-only: the model refuses
updates and deletes, and so does the database (a trigger, see the migrations). Only
``ledger.services`` and ``ledger.payouts`` write these models.
"""

from __future__ import annotations

import uuid
from typing import Any, NoReturn

from django.db import models

from tradepost.catalog.models import Seller
from tradepost.core import clock
from tradepost.core.models import TimeStampedModel
from tradepost.ledger.status import AccountCode, JournalKind, PayoutStatus
from tradepost.orders.models import Order, SellerOrder


class ImmutableRowError(Exception):
    """A ledger row was asked to change; a mistake is corrected by a new journal, never an edit."""


def _refuse(what: str) -> NoReturn:
    raise ImmutableRowError(f"{what}: ledger rows are append-only; post a correcting journal.")


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> NoReturn:
        _refuse("update")

    def delete(self) -> NoReturn:
        _refuse("delete")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            _refuse(f"save of {self._meta.label} {self.pk}")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse(f"delete of {self._meta.label} {self.pk}")


class Account(models.Model):
    """One account of the chart (ledger.status.AccountCode) in one currency: the marketplace's
    own (no seller) or one seller's. The row holds no balance; balances are sums of entries
    (pre-summed by ``AccountTotal``). Payouts and postings that may take from a seller's
    available money lock its row."""

    code = models.CharField(max_length=32, choices=AccountCode.choices)
    seller = models.ForeignKey(
        Seller, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_accounts"
    )
    currency = models.CharField(max_length=3)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["code", "currency"],
                condition=models.Q(seller__isnull=True),
                name="ledger_account_marketplace_unique",
            ),
            models.UniqueConstraint(
                fields=["code", "seller", "currency"],
                condition=models.Q(seller__isnull=False),
                name="ledger_account_seller_unique",
            ),
        ]

    def __str__(self) -> str:
        owner = f"seller {self.seller_id}" if self.seller_id else "marketplace"
        return f"{self.code} {self.currency} ({owner})"


class Payout(TimeStampedModel):
    """Money set aside from a seller's available balance, then sent (paid) or failed.

    Writes go through ledger.payouts only; the status follows ledger.status.PAYOUT.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    seller = models.ForeignKey(Seller, on_delete=models.PROTECT, related_name="payouts")
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(
        max_length=10, choices=PayoutStatus.choices, default=PayoutStatus.PENDING
    )
    reference = models.CharField(max_length=200, blank=True, help_text="The transfer's reference.")
    failure_reason = models.CharField(max_length=500, blank=True)
    created_by_label = models.CharField(max_length=200)
    paid_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payout_amount_positive"),
            models.CheckConstraint(
                condition=~models.Q(status=PayoutStatus.PAID) | ~models.Q(reference=""),
                name="payout_paid_has_reference",
            ),
        ]
        indexes = [
            models.Index(fields=["created_at", "id"], name="payout_created_idx"),
            models.Index(fields=["seller", "created_at", "id"], name="payout_seller_created_idx"),
            models.Index(fields=["status", "created_at", "id"], name="payout_status_created_idx"),
        ]

    def __str__(self) -> str:
        return f"payout {self.amount} {self.currency} to {self.seller_id} ({self.status})"


class Journal(AppendOnlyModel):
    """One money movement, posted once: ``(kind, source)`` names the movement (``refund:<id>``),
    so a retried posting finds the journal already there instead of posting twice."""

    kind = models.CharField(max_length=32, choices=JournalKind.choices)
    source = models.CharField(max_length=80)
    currency = models.CharField(max_length=3)
    memo = models.CharField(max_length=300)
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    seller_order = models.ForeignKey(
        SellerOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    payout = models.ForeignKey(
        Payout, null=True, blank=True, on_delete=models.PROTECT, related_name="journals"
    )
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "source"], name="ledger_journal_once"),
        ]
        indexes = [
            models.Index(fields=["created_at", "id"], name="ledger_journal_created_idx"),
            models.Index(fields=["seller_order", "kind"], name="ledger_journal_so_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.source}"


class Entry(AppendOnlyModel):
    """One side of a journal: ``amount`` debits (positive) or credits (negative) one account.

    ``seller_order`` (copied from the journal) lets balances and checks group by sale.
    """

    journal = models.ForeignKey(Journal, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries")
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    seller_order = models.ForeignKey(
        SellerOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~models.Q(amount=0), name="ledger_entry_not_zero"),
        ]
        indexes = [
            models.Index(fields=["account", "seller_order"], name="ledger_entry_account_so_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.amount:+d} {self.currency} on {self.account_id}"


class JournalDayTotal(models.Model):
    """The rollup: what the journals of one kind, currency, UTC day and seller add up to.

    ``amount`` is the sum of the journals' debits (a journal's size: the sale's total, the
    refund's amount, the payout's amount). Written only by ``ledger.rollup``, from the journals
    queued in ``JournalPendingRollup``; reports read it with that queue, so they are exact.
    """

    currency = models.CharField(max_length=3)
    day = models.DateField()
    # Every journal of today's kinds is about one seller; a marketplace-only one would be null.
    # No database constraint: checking one at commit takes a key-share lock on the seller row,
    # so the rollup job would wait for, and then hold up, payments that lock that seller. The
    # ids come from journals, whose seller orders and payouts are constrained already.
    seller = models.ForeignKey(
        Seller,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    kind = models.CharField(max_length=32, choices=JournalKind.choices)
    amount = models.BigIntegerField()
    journals = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "day", "seller", "kind"],
                condition=models.Q(seller__isnull=False),
                name="ledger_day_total_seller_unique",
            ),
            models.UniqueConstraint(
                fields=["currency", "day", "kind"],
                condition=models.Q(seller__isnull=True),
                name="ledger_day_total_marketplace_unique",
            ),
        ]
        # A seller's report reads its own rows of a period; the owner's, every seller's.
        indexes = [
            models.Index(fields=["seller", "currency", "day"], name="ledger_day_total_seller_idx")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} {self.currency} on {self.day} (seller {self.seller_id})"


class JournalPendingRollup(models.Model):
    """A journal not rolled up yet, with what it adds to its ``JournalDayTotal`` row.

    Written by ``ledger.services._post`` in the posting's own transaction, so a journal and its
    queue row become visible together: nothing depends on ids or times committing in order.
    The rollup job moves rows into the totals and deletes them in one transaction.
    """

    journal = models.OneToOneField(Journal, on_delete=models.PROTECT, related_name="+")
    currency = models.CharField(max_length=3)
    day = models.DateField()
    seller = models.ForeignKey(
        Seller, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=32, choices=JournalKind.choices)
    amount = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} {self.currency} on {self.day}, to roll up"


class AccountTotal(models.Model):
    """What one account's entries of one journal kind add up to, over the journals rolled up.

    Written only by ``ledger.rollup``, from the journals queued in ``JournalPendingRollup``, in
    the transaction that takes them off the queue; balances (``ledger.balances``) add the
    entries of the journals still queued, in one statement, so a balance is the exact sum of
    the account's entries without reading its whole history. No row is touched by a posting,
    so no two payments ever wait on one account's total.
    """

    # No database constraint, as for the day totals: checking one takes a key-share lock on the
    # account row, which payouts and refunds lock for update (see ledger.services).
    account = models.ForeignKey(
        Account, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    kind = models.CharField(max_length=32, choices=JournalKind.choices)
    amount = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "kind"], name="ledger_account_total_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} on account {self.account_id}"
