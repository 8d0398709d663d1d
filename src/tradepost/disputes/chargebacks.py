"""Chargebacks: recorded by the owner or the payment provider, contested with an evidence pack,
decided won or lost by the bank.

A chargeback names one seller order (the one whose money the bank takes; an order with a single
live seller order needs no name) and opens a ``chargeback`` case on it, so the seller is asked for
its proof. It may take at most what the seller order still holds less what other open chargebacks
may take. Nothing moves until the outcome: lost, the amount is taken back through
``payments.chargebacks`` (commission reverses pro rata, as for refunds); won, it is reversed and
nothing is taken. Either way the case is resolved by the system with the outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.db.models import F

from tradepost.core import clock
from tradepost.core.actors import SYSTEM, Actor, Role
from tradepost.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tradepost.core.money import format_money
from tradepost.core.transactions import unit_of_work
from tradepost.disputes.events import OPENED, UPDATED, case_opened_event, chargeback_event
from tradepost.disputes.lifecycle import LockedCase, commit_case_change, lock_chargeback
from tradepost.disputes.models import Chargeback, EvidencePack
from tradepost.disputes.resolutions import Remedy, resolve_locked_case
from tradepost.disputes.selectors import open_chargeback_amount
from tradepost.disputes.services import open_locked_case
from tradepost.disputes.status import (
    ACTIVE,
    CHARGEBACK,
    CaseKind,
    ChargebackReason,
    ChargebackStatus,
    Outcome,
)
from tradepost.orders.lifecycle import check_transition, lock_order_for_seller_order
from tradepost.orders.models import Order, OrderEvent, SellerOrder
from tradepost.orders.selectors import orders_visible_to
from tradepost.orders.status import FulfilmentStatus
from tradepost.payments.chargebacks import chargeback_take_back_locked
from tradepost.payments.models import PaymentAttempt, PaymentAttemptStatus

RECORDERS = frozenset({Role.OWNER, Role.SYSTEM})


@dataclass(frozen=True)
class ChargebackNotice:
    """A chargeback as the bank reports it, through the owner or the provider."""

    amount: int
    reason: str
    respond_by: datetime
    seller_order: str = ""
    currency: str | None = None
    provider_reference: str = ""
    note: str = ""


def chargeback_record(*, actor: Actor, number: str, notice: ChargebackNotice) -> Chargeback:
    """Record a chargeback on a paid order and open its case; nothing is taken back yet."""
    if notice.reason not in ChargebackReason.values:
        raise ValidationFailed("reason", f"must be one of {', '.join(ChargebackReason.values)}")
    with unit_of_work():
        if not orders_visible_to(actor).filter(number=number.upper()).exists():
            raise NotFound(f"No order {number}.")
        if actor.role not in RECORDERS:
            raise PermissionDenied("Chargebacks are recorded by the owner or the provider.")
        reference = _charged_seller_order(number, notice.seller_order)
        order, seller_orders, seller_order = lock_order_for_seller_order(
            actor=actor, reference=reference
        )
        provider = _check_notice(order, seller_order, notice)
        description = (
            f"Chargeback of {format_money(notice.amount, order.currency)} "
            f"({notice.reason.replace('_', ' ')}). The bank wants evidence by "
            f"{notice.respond_by:%Y-%m-%d %H:%M %Z}. Seller: send proof of shipment and delivery."
        )
        if notice.note.strip():
            description += f"\n\n{notice.note.strip()}"
        locked = open_locked_case(
            actor=actor,
            order=order,
            seller_orders=seller_orders,
            seller_order=seller_order,
            kind=CaseKind.CHARGEBACK,
            description=description,
        )
        chargeback = Chargeback.objects.create(
            order=order,
            seller_order=seller_order,
            case=locked.case,
            provider=provider,
            provider_reference=notice.provider_reference.strip(),
            amount=notice.amount,
            currency=order.currency,
            reason=notice.reason,
            note=notice.note.strip(),
            respond_by=notice.respond_by,
        )
        events = [
            case_opened_event(order=order, case=locked.case, actor=actor),
            chargeback_event(
                order=order,
                chargeback=chargeback,
                actor=actor,
                kind="chargeback.received",
                message=(
                    f"chargeback of {format_money(chargeback.amount, order.currency)} received "
                    f"({chargeback.reason.replace('_', ' ')}); respond by "
                    f"{chargeback.respond_by:%Y-%m-%d %H:%M %Z}."
                ),
            ),
        ]
        commit_case_change(
            locked=locked, events=events, type=OPENED, change="opened", chargeback=chargeback
        )
        return chargeback


def chargeback_submit_evidence(*, actor: Actor, chargeback_id: UUID | str) -> Chargeback:
    """The owner sent the evidence pack to the bank; the chargeback waits for the ruling."""
    with unit_of_work():
        locked, chargeback = lock_chargeback(actor=actor, chargeback_id=chargeback_id)
        previous = chargeback.status
        check_transition(
            CHARGEBACK,
            current=previous,
            target=ChargebackStatus.EVIDENCE_SUBMITTED,
            actor=actor,
        )
        if not EvidencePack.objects.filter(chargeback=chargeback).exists():
            raise Conflict("Build the evidence pack first; it is what the bank receives.")
        # Checked under the chargeback's lock: the bank takes no evidence after its deadline, and
        # the worker records the chargeback as lost (``unanswered_chargebacks_lose``).
        if chargeback.deadline_passed():
            raise Conflict(
                f"The bank's response deadline passed at "
                f"{chargeback.respond_by:%Y-%m-%d %H:%M %Z}; evidence can no longer be sent."
            )
        chargeback.status = ChargebackStatus.EVIDENCE_SUBMITTED
        chargeback.save(update_fields=["status", "updated_at"])
        event = chargeback_event(
            order=locked.order,
            chargeback=chargeback,
            actor=actor,
            kind="chargeback.evidence_submitted",
            message="chargeback evidence submitted to the bank.",
            from_status=previous,
        )
        commit_case_change(
            locked=locked, events=[event], type=UPDATED, change="chargeback", chargeback=chargeback
        )
        return chargeback


def chargeback_decide(
    *, actor: Actor, chargeback_id: UUID | str, outcome: str, note: str = ""
) -> Chargeback:
    """The bank's ruling. Lost: the amount is taken back. Won: reversed, nothing taken. The
    chargeback's case is resolved with it (charged_back or no_action)."""
    if outcome not in (ChargebackStatus.WON, ChargebackStatus.LOST):
        raise ValidationFailed("outcome", "must be won or lost")
    with unit_of_work():
        locked, chargeback = lock_chargeback(actor=actor, chargeback_id=chargeback_id)
        previous = chargeback.status
        check_transition(CHARGEBACK, current=previous, target=outcome, actor=actor)
        events = []
        if outcome == ChargebackStatus.LOST:
            taken = chargeback_take_back_locked(
                order=locked.order,
                seller_orders=locked.seller_orders,
                seller_order=locked.seller_order,
                amount=chargeback.amount,
                reference=str(chargeback.public_id),
            )
            chargeback.taken_back_amount = taken.amount
            events += taken.events
        chargeback.status, chargeback.decided_at = outcome, clock.now()
        chargeback.save(update_fields=["status", "taken_back_amount", "decided_at", "updated_at"])
        events.insert(0, _decided_event(locked.order, chargeback, actor, previous))
        return _resolve_chargeback_case(locked, chargeback, events, note)


def _decided_event(order: Order, chargeback: Chargeback, actor: Actor, previous: str) -> OrderEvent:
    amount = format_money(chargeback.amount, chargeback.currency)
    if chargeback.status == ChargebackStatus.WON:
        message = f"chargeback of {amount} won: reversed, nothing is taken back."
    else:
        taken = format_money(chargeback.taken_back_amount, chargeback.currency)
        message = f"chargeback of {amount} lost: {taken} taken back by the buyer's bank."
    return chargeback_event(
        order=order,
        chargeback=chargeback,
        actor=actor,
        kind=f"chargeback.{chargeback.status}",
        message=message,
        from_status=previous,
    )


def _resolve_chargeback_case(
    locked: LockedCase, chargeback: Chargeback, events: list[OrderEvent], note: str
) -> Chargeback:
    """The ruling ends the case: the system resolves it, whoever recorded the ruling."""
    won = chargeback.status == ChargebackStatus.WON
    if locked.case.status not in ACTIVE:
        commit_case_change(
            locked=locked, events=events, type=UPDATED, change="chargeback", chargeback=chargeback
        )
        return chargeback
    remedy = Remedy(
        outcome=Outcome.NO_ACTION if won else Outcome.CHARGED_BACK,
        amount=None if won else chargeback.taken_back_amount or None,
        note=note.strip() or f"Chargeback {'won' if won else 'lost'}.",
    )
    resolve_locked_case(
        locked=locked,
        actor=SYSTEM,
        remedy=remedy,
        chargeback=chargeback,
        chargeback_events=events,
    )
    return chargeback


def _charged_seller_order(number: str, named: str) -> str:
    """The seller order named, else the order's only one that still holds money."""
    parts = SellerOrder.objects.filter(order__number=number.upper())
    if named:
        reference = named.strip().upper()
        if not parts.filter(reference=reference).exists():
            raise ValidationFailed("seller_order", f"{named} is not a part of {number}")
        return reference
    holding = list(
        parts.exclude(status=FulfilmentStatus.CANCELED)
        .filter(refunded_amount__lt=F("total_amount"))
        .values_list("reference", flat=True)
    )
    if len(holding) != 1:
        raise ValidationFailed(
            "seller_order", "is required: name the seller order whose money the bank takes"
        )
    return holding[0]


def _check_notice(order: Order, seller_order: SellerOrder, notice: ChargebackNotice) -> str:
    """The provider that took the payment; refuses what the bank cannot take from this part."""
    if notice.currency and notice.currency != order.currency:
        raise ValidationFailed("currency", f"must be the order's currency, {order.currency}")
    attempt = (
        PaymentAttempt.objects.filter(order=order, status=PaymentAttemptStatus.SUCCEEDED)
        .order_by("-id")
        .first()
    )
    if attempt is None or not order.captured_amount:
        raise Conflict(f"{order.number} has no captured payment to charge back.")
    available = min(
        seller_order.total_amount - seller_order.refunded_amount,
        order.captured_amount - order.refunded_amount,
    ) - open_chargeback_amount(seller_order)
    if not 0 < notice.amount <= available:
        raise ValidationFailed(
            "amount",
            f"must be between 1 and {max(available, 0)}: what {seller_order.reference} still "
            "holds, less open chargebacks",
        )
    reference = notice.provider_reference.strip()
    if (
        reference
        and Chargeback.objects.filter(
            provider=attempt.provider, provider_reference=reference
        ).exists()
    ):
        raise ValidationFailed("provider_reference", "this chargeback is already recorded")
    return attempt.provider
