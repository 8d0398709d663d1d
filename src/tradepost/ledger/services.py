"""Posting money movements to the ledger, inside the transaction that moves the money.

The services that move money call these with their rows already locked: payments.services on
capture, payments.issuing on every refund, payments.chargebacks on a lost chargeback,
orders.lifecycle when a seller order completes, and ledger.payouts. Each posting is keyed by the
movement it records (``Journal.kind`` + ``source``), so posting again finds the journal already
there and posts nothing: a retry, or the backfill, never counts money twice.

A seller's share moves between its accounts by one rule: until the sale completes it is
``seller_pending``; once released, debits take from ``seller_available`` down to zero and the rest
becomes ``seller_receivable`` (the seller owes it back), and credits repay what is owed before
they make anything available. So available never goes below zero and a payout never pays out
money a refund already took. Whatever may take from available locks the seller's available
account row first, the lock payouts take too: the available accounts of all the order's sellers at
once, in id order, as payouts take theirs (``lock_available_accounts``). Every row lock in the house
is ``FOR NO KEY UPDATE``, so it never waits on the key-share lock another transaction's foreign key
check holds (docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Q, Sum

from tradepost.ledger.balances import account_sums
from tradepost.ledger.models import Account, Entry, Journal, Payout
from tradepost.ledger.rollup import queue_journal
from tradepost.ledger.status import (
    MARKETPLACE_ACCOUNTS,
    SELLER_ACCOUNTS,
    AccountCode,
    JournalKind,
)
from tradepost.orders.models import Order, SellerOrder
from tradepost.payments.models import Refund

A = AccountCode


class UnbalancedJournal(AssertionError):
    """A posting whose legs do not sum to zero: a bug in the caller, never bad input."""


@dataclass(frozen=True)
class Subject:
    """What a journal is about: its currency and the sale or payout it records."""

    currency: str
    order_id: int | None = None
    seller_order: SellerOrder | None = None
    payout: Payout | None = None


@dataclass(frozen=True)
class Leg:
    account: Account
    amount: int  # debit positive, credit negative


def ledger_post_payment(*, order: Order, seller_orders: Iterable[SellerOrder]) -> None:
    """The payment captured each seller order's total (its parts still awaiting payment when it
    succeeded, those that now carry a commission): the total is owed to the seller, less the
    commission the marketplace earned on it."""
    for seller_order in seller_orders:
        if seller_order.commission_amount is None:
            continue
        accounts = _accounts(order.currency, seller_order.seller_id)
        source = f"seller_order:{seller_order.pk}"
        subject = Subject(order.currency, order.pk, seller_order)
        _post(
            kind=JournalKind.PAYMENT_CAPTURED,
            source=source,
            memo=f"{seller_order.reference}: payment captured",
            legs=[
                Leg(accounts[A.PROVIDER_CLEARING], seller_order.total_amount),
                Leg(accounts[A.SELLER_PENDING], -seller_order.total_amount),
            ],
            subject=subject,
        )
        _post(
            kind=JournalKind.COMMISSION_EARNED,
            source=source,
            memo=f"{seller_order.reference}: commission at {seller_order.commission_rate_bps} bps",
            legs=[
                Leg(accounts[A.SELLER_PENDING], seller_order.commission_amount),
                Leg(accounts[A.COMMISSION], -seller_order.commission_amount),
            ],
            subject=subject,
        )


def ledger_post_refund(*, refund: Refund) -> None:
    """A refund paid the buyer back through the provider; its commission is reversed."""
    _post_money_back(refund, JournalKind.REFUND, "refunded")


def ledger_post_chargeback(*, refund: Refund) -> None:
    """A lost chargeback: the bank took the money back (``refund`` is the chargeback's row)."""
    _post_money_back(refund, JournalKind.CHARGEBACK, "charged back")


def ledger_post_completion(*, order: Order, seller_order: SellerOrder) -> None:
    """The sale completed: what the seller order still holds for the seller becomes available
    (repaying first anything the seller owes)."""
    currency = order.currency
    accounts = _accounts(currency, seller_order.seller_id, lock_for=seller_order)
    held = -_balance(accounts[A.SELLER_PENDING], seller_order=seller_order)
    _post(
        kind=JournalKind.FUNDS_RELEASED,
        source=f"seller_order:{seller_order.pk}",
        memo=f"{seller_order.reference}: completed; funds available",
        subject=Subject(currency, order.pk, seller_order),
        legs=[
            Leg(accounts[A.SELLER_PENDING], held),
            *_credit_released(accounts, held),
        ],
    )


def ledger_post_payout(*, payout: Payout, kind: JournalKind) -> None:
    """A payout created (available → in transit), paid (in transit → out of the provider
    account) or failed (in transit → available again). The caller holds the available lock."""
    accounts = _accounts(payout.currency, payout.seller_id)
    in_transit = accounts[A.SELLER_PAYOUTS_IN_TRANSIT]
    legs = {
        JournalKind.PAYOUT_CREATED: [
            Leg(accounts[A.SELLER_AVAILABLE], payout.amount),
            Leg(in_transit, -payout.amount),
        ],
        JournalKind.PAYOUT_PAID: [
            Leg(in_transit, payout.amount),
            Leg(accounts[A.PROVIDER_CLEARING], -payout.amount),
        ],
        JournalKind.PAYOUT_FAILED: [
            Leg(in_transit, payout.amount),
            *_credit_released(accounts, payout.amount),
        ],
    }[kind]
    _post(
        kind=kind,
        source=f"payout:{payout.public_id}",
        memo=f"payout {str(payout.public_id)[:8]}: {JournalKind(kind).label}",
        subject=Subject(payout.currency, payout=payout),
        legs=legs,
    )


def lock_available_accounts(*, currency: str, seller_ids: Sequence[int] | None) -> list[Account]:
    """Lock the sellers' available accounts (all sellers' for ``None``), in id order: the order
    a refund or a completion takes them in too (``_accounts``), so the two never deadlock."""
    accounts = Account.objects.filter(code=A.SELLER_AVAILABLE, currency=currency)
    if seller_ids is not None:
        accounts = accounts.filter(seller_id__in=seller_ids)
    return list(accounts.select_for_update(no_key=True).order_by("id"))


def account_balance(account: Account) -> int:
    """The balance on the account's normal side (docs/ledger.md), e.g. available as positive.

    Read from the account's totals and its queued entries (``ledger.balances.account_sums``):
    a refund after release or a payout costs the same for a seller with years of sales."""
    raw = sum(account_sums(Account.objects.filter(pk=account.pk)).values())
    return raw if account.code in (A.PROVIDER_CLEARING, A.SELLER_RECEIVABLE) else -raw


def _post_money_back(refund: Refund, kind: JournalKind, verb: str) -> None:
    seller_order = refund.seller_order
    released = _released(seller_order)
    accounts = _accounts(
        refund.currency, seller_order.seller_id, lock_for=seller_order if released else None
    )
    source = f"refund:{refund.public_id}"
    subject = Subject(refund.currency, seller_order.order_id, seller_order)
    reversed_amount = refund.commission_reversed_amount
    # The reversal first: what it gives the seller back is there for the refund to take.
    _post(
        kind=JournalKind.COMMISSION_REVERSED,
        source=source,
        memo=f"{seller_order.reference}: commission reversed",
        legs=[
            Leg(accounts[A.COMMISSION], reversed_amount),
            *(
                _credit_released(accounts, reversed_amount)
                if released
                else [Leg(accounts[A.SELLER_PENDING], -reversed_amount)]
            ),
        ],
        subject=subject,
    )
    _post(
        kind=kind,
        source=source,
        memo=f"{seller_order.reference}: {verb} ({refund.reason})"[:300],
        legs=[
            *(
                _debit_released(accounts, refund.amount)
                if released
                else [Leg(accounts[A.SELLER_PENDING], refund.amount)]
            ),
            Leg(accounts[A.PROVIDER_CLEARING], -refund.amount),
        ],
        subject=subject,
    )


def _debit_released(accounts: dict[str, Account], amount: int) -> list[Leg]:
    """Take from available down to zero; the rest the seller owes (receivable)."""
    taken = min(amount, max(account_balance(accounts[A.SELLER_AVAILABLE]), 0))
    return [
        Leg(accounts[A.SELLER_AVAILABLE], taken),
        Leg(accounts[A.SELLER_RECEIVABLE], amount - taken),
    ]


def _credit_released(accounts: dict[str, Account], amount: int) -> list[Leg]:
    """Repay what the seller owes first; the rest becomes available."""
    repaid = min(amount, max(account_balance(accounts[A.SELLER_RECEIVABLE]), 0))
    return [
        Leg(accounts[A.SELLER_RECEIVABLE], -repaid),
        Leg(accounts[A.SELLER_AVAILABLE], -(amount - repaid)),
    ]


def _released(seller_order: SellerOrder) -> bool:
    return Journal.objects.filter(
        kind=JournalKind.FUNDS_RELEASED, seller_order=seller_order
    ).exists()


def _accounts(
    currency: str, seller_id: int, *, lock_for: SellerOrder | None = None
) -> dict[str, Account]:
    """The marketplace's accounts and the seller's in ``currency``, made on first use. With
    ``lock_for``, the available accounts of every seller of that seller order's order are locked,
    in id order (see the module docstring)."""
    wanted = Q(seller__isnull=True, code__in=MARKETPLACE_ACCOUNTS) | Q(
        seller_id=seller_id, code__in=SELLER_ACCOUNTS
    )
    found = {a.code: a for a in Account.objects.filter(wanted, currency=currency)}
    if len(found) < len(MARKETPLACE_ACCOUNTS) + len(SELLER_ACCOUNTS):
        missing = [
            Account(code=code, currency=currency, seller_id=None)
            for code in MARKETPLACE_ACCOUNTS
            if code not in found
        ] + [
            Account(code=code, currency=currency, seller_id=seller_id)
            for code in SELLER_ACCOUNTS
            if code not in found
        ]
        # Another transaction may be making the same accounts: theirs are as good as ours.
        Account.objects.bulk_create(missing, ignore_conflicts=True)
        found = {a.code: a for a in Account.objects.filter(wanted, currency=currency)}
    if lock_for is not None:
        # All of the order's sellers at the first lock, not one per posting: an order-wide step
        # posts for its seller orders in their order, which need not be their accounts' order,
        # and a payout to every seller takes them in id order.
        sellers = SellerOrder.objects.filter(order_id=lock_for.order_id).values("seller_id")
        available = Account.objects.filter(
            code=A.SELLER_AVAILABLE, currency=currency, seller_id__in=sellers
        )
        list(available.select_for_update(no_key=True).order_by("id").values_list("id", flat=True))
    return found


def _balance(account: Account, *, seller_order: SellerOrder) -> int:
    """What one seller order moved through the account (its few entries, by index)."""
    entries = Entry.objects.filter(account=account, seller_order=seller_order)
    return int(entries.aggregate(total=Sum("amount"))["total"] or 0)


def _post(
    *,
    kind: JournalKind,
    source: str,
    memo: str,
    legs: Sequence[Leg],
    subject: Subject,
) -> Journal | None:
    """Write one journal and its entries, once, and queue it for the day totals
    (``ledger.rollup``); nothing when every leg is zero."""
    legs = [leg for leg in legs if leg.amount]
    if not legs:
        return None
    if sum(leg.amount for leg in legs) != 0 or len(legs) < 2:
        raise UnbalancedJournal(f"{kind} {source}: legs {[leg.amount for leg in legs]}")
    existing = Journal.objects.filter(kind=kind, source=source).first()
    if existing is not None:
        return existing
    journal = Journal.objects.create(
        kind=kind,
        source=source,
        currency=subject.currency,
        memo=memo,
        order_id=subject.order_id,
        seller_order=subject.seller_order,
        payout=subject.payout,
    )
    Entry.objects.bulk_create(
        [
            Entry(
                journal=journal,
                account=leg.account,
                amount=leg.amount,
                currency=subject.currency,
                seller_order=subject.seller_order,
            )
            for leg in legs
        ]
    )
    seller_order, payout = subject.seller_order, subject.payout
    queue_journal(
        journal=journal,
        debits=sum(leg.amount for leg in legs if leg.amount > 0),
        seller_id=seller_order.seller_id if seller_order else payout.seller_id if payout else None,
    )
    return journal
