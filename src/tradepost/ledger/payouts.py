"""Payouts: the owner pays sellers their available balances, then marks each payout paid (with
the transfer's reference) or failed (the money is available again).

Creating payouts locks the sellers' available accounts (ledger.services), in id order, and reads
the balances after the lock: two owners paying out at once never pay the same money twice, and a
refund that takes from available waits for, or is waited on by, the payout.
"""

from __future__ import annotations

from uuid import UUID

from tradepost.catalog.models import Seller
from tradepost.catalog.selectors import marketplace_get
from tradepost.core import clock
from tradepost.core.actors import Actor, Role
from tradepost.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tradepost.core.money import format_money
from tradepost.core.outbox import publish
from tradepost.core.transactions import unit_of_work
from tradepost.ledger.balances import payouts_visible_to
from tradepost.ledger.events import payout_outbox_event
from tradepost.ledger.models import Payout
from tradepost.ledger.services import (
    account_balance,
    ledger_post_payout,
    lock_available_accounts,
)
from tradepost.ledger.status import PAYOUT, JournalKind, PayoutStatus
from tradepost.orders.lifecycle import check_transition

PAYERS = (Role.OWNER, Role.SYSTEM)


def payout_create(
    *, actor: Actor, seller_slug: str = "", amount: int | None = None, currency: str = ""
) -> list[Payout]:
    """Owner: pay one seller (all of its available balance, or ``amount`` of it), or, with no
    seller, every seller whose available balance is above zero. Returns the payouts made."""
    if actor.role not in PAYERS:
        raise PermissionDenied("Payouts are made by the marketplace owner.")
    if amount is not None and not seller_slug:
        raise ValidationFailed("amount", "is for a payout to one seller; name the seller")
    currency = currency or marketplace_get().default_currency
    with unit_of_work():
        seller_ids = [_seller(seller_slug).pk] if seller_slug else None
        due = {
            account.seller_id: account_balance(account)
            for account in lock_available_accounts(currency=currency, seller_ids=seller_ids)
            if account.seller_id is not None
        }
        if seller_slug and amount is not None:
            available = max(next(iter(due.values()), 0), 0)
            if not 0 < amount <= available:
                raise ValidationFailed(
                    "amount", f"must be between 1 and {available}, the available balance"
                )
            due = dict.fromkeys(due, amount)
        payouts = [
            _make(actor, seller_id, owed, currency) for seller_id, owed in due.items() if owed > 0
        ]
        if not payouts:
            whom = seller_slug or "any seller"
            raise Conflict(f"Nothing is due: {whom} has no available balance in {currency}.")
        return payouts


def payout_mark_paid(*, actor: Actor, payout_id: UUID | str, reference: str) -> Payout:
    """Owner: the transfer went out; ``reference`` is the bank's or provider's."""
    reference = reference.strip()
    if not reference:
        raise ValidationFailed("reference", "is required: the transfer's reference")
    with unit_of_work():
        payout = _lock(actor, payout_id)
        check_transition(PAYOUT, current=payout.status, target=PayoutStatus.PAID, actor=actor)
        payout.status, payout.reference, payout.paid_at = PayoutStatus.PAID, reference, clock.now()
        payout.save(update_fields=["status", "reference", "paid_at", "updated_at"])
        ledger_post_payout(payout=payout, kind=JournalKind.PAYOUT_PAID)
        publish(payout_outbox_event(payout=payout))
        return payout


def payout_mark_failed(*, actor: Actor, payout_id: UUID | str, reason: str) -> Payout:
    """Owner: the transfer failed; the amount is available to the seller again."""
    reason = reason.strip()
    if not reason:
        raise ValidationFailed("reason", "is required: why the transfer failed")
    with unit_of_work():
        payout = _lock(actor, payout_id)
        check_transition(PAYOUT, current=payout.status, target=PayoutStatus.FAILED, actor=actor)
        # The seller's available account is locked before money comes back to it (house rule).
        lock_available_accounts(currency=payout.currency, seller_ids=[payout.seller_id])
        payout.status, payout.failure_reason = PayoutStatus.FAILED, reason
        payout.failed_at = clock.now()
        payout.save(update_fields=["status", "failure_reason", "failed_at", "updated_at"])
        ledger_post_payout(payout=payout, kind=JournalKind.PAYOUT_FAILED)
        publish(payout_outbox_event(payout=payout))
        return payout


def _seller(slug: str) -> Seller:
    seller = Seller.objects.filter(slug=slug).first()
    if seller is None:
        raise ValidationFailed("seller", f"no seller {slug}")
    return seller


def _make(actor: Actor, seller_id: int, amount: int, currency: str) -> Payout:
    payout = Payout.objects.create(
        seller_id=seller_id, amount=amount, currency=currency, created_by_label=actor.label
    )
    ledger_post_payout(payout=payout, kind=JournalKind.PAYOUT_CREATED)
    payout = Payout.objects.select_related("seller").get(pk=payout.pk)
    publish(payout_outbox_event(payout=payout))
    return payout


def _lock(actor: Actor, payout_id: UUID | str) -> Payout:
    """The payout, locked, if the actor may see it (else 404); only payers may change it."""
    public_id = _uuid(payout_id)
    payout = (
        payouts_visible_to(actor)
        .select_for_update(no_key=True, of=("self",))
        .select_related("seller")
        .filter(public_id=public_id)
        .first()
        if public_id is not None
        else None
    )
    if payout is None:
        raise NotFound(f"No payout {payout_id}.")
    if actor.role not in PAYERS:
        raise PermissionDenied("Payouts are marked paid or failed by the marketplace owner.")
    return payout


def _uuid(value: UUID | str) -> UUID | None:
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except ValueError:
        return None


def payout_summary(payout: Payout) -> str:
    """One line for flash messages and the timeline of a payout."""
    return f"{format_money(payout.amount, payout.currency)} to {payout.seller.name}"
