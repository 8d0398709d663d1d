"""The ledger's vocabulary as data: the chart of accounts, the kinds of journal, and the payout
lifecycle table.

docs/ledger.md explains each account and when each journal posts; services, pages and the check
command read these enums, nothing else names an account.
"""

from __future__ import annotations

from django.db import models

from tradepost.core.actors import Role
from tradepost.orders.status import Lifecycle, Transition


class Side(models.TextChoices):
    DEBIT = "debit", "Grows with debits: what the marketplace holds or is owed."
    CREDIT = "credit", "Grows with credits: what the marketplace owes or has earned."


class AccountCode(models.TextChoices):
    PROVIDER_CLEARING = (
        "provider_clearing",
        "Money captured from buyers, held at the payment provider until refunded or paid out.",
    )
    COMMISSION = (
        "commission",
        "The marketplace's commission: earned at payment, reversed by refunds.",
    )
    SELLER_PENDING = (
        "seller_pending",
        "A seller's net of sales not yet completed: not payable until the buyer confirms.",
    )
    SELLER_AVAILABLE = (
        "seller_available",
        "A seller's net of completed sales, payable now; never below zero.",
    )
    SELLER_RECEIVABLE = (
        "seller_receivable",
        "What a seller owes back: a refund or chargeback after its money became available took "
        "more than was left; repaid from its next completed sales.",
    )
    SELLER_PAYOUTS_IN_TRANSIT = (
        "seller_payouts_in_transit",
        "Payouts created for a seller and not yet confirmed paid (or failed).",
    )


# Which side each account's balance grows on: balances are shown positive on that side.
NORMAL_SIDE: dict[str, Side] = {
    AccountCode.PROVIDER_CLEARING: Side.DEBIT,
    AccountCode.COMMISSION: Side.CREDIT,
    AccountCode.SELLER_PENDING: Side.CREDIT,
    AccountCode.SELLER_AVAILABLE: Side.CREDIT,
    AccountCode.SELLER_RECEIVABLE: Side.DEBIT,
    AccountCode.SELLER_PAYOUTS_IN_TRANSIT: Side.CREDIT,
}
SELLER_ACCOUNTS: tuple[str, ...] = (
    AccountCode.SELLER_PENDING,
    AccountCode.SELLER_AVAILABLE,
    AccountCode.SELLER_RECEIVABLE,
    AccountCode.SELLER_PAYOUTS_IN_TRANSIT,
)
MARKETPLACE_ACCOUNTS: tuple[str, ...] = (AccountCode.PROVIDER_CLEARING, AccountCode.COMMISSION)


class JournalKind(models.TextChoices):
    PAYMENT_CAPTURED = "payment_captured", "A payment captured a seller order's total."
    COMMISSION_EARNED = "commission_earned", "The marketplace took its commission on that sale."
    REFUND = "refund", "Money went back to the buyer through the provider."
    COMMISSION_REVERSED = "commission_reversed", "Commission given back pro rata with a refund."
    CHARGEBACK = "chargeback", "The buyer's bank took money back (a chargeback lost)."
    FUNDS_RELEASED = "funds_released", "A completed sale's net became available to the seller."
    PAYOUT_CREATED = "payout_created", "An available balance was set aside for a payout."
    PAYOUT_PAID = "payout_paid", "The payout left the marketplace's account."
    PAYOUT_FAILED = "payout_failed", "The payout failed; its money is available again."


class PayoutStatus(models.TextChoices):
    PENDING = "pending", "Created: the money is set aside, waiting to be sent."
    PAID = "paid", "Sent: the bank or provider reference is recorded."
    FAILED = "failed", "Could not be sent; the amount is available to the seller again."


PAYOUT_TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        PayoutStatus.PENDING,
        PayoutStatus.PAID,
        frozenset({Role.OWNER, Role.SYSTEM}),
        "mark_paid",
        "the owner records the transfer's reference",
    ),
    Transition(
        PayoutStatus.PENDING,
        PayoutStatus.FAILED,
        frozenset({Role.OWNER, Role.SYSTEM}),
        "mark_failed",
        "the transfer bounced; the amount goes back to available, with the reason",
    ),
)
PAYOUT = Lifecycle("payout_status", PayoutStatus, PAYOUT_TRANSITIONS)
