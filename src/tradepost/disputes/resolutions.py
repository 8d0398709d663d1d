"""Resolving a case with an outcome; a refund outcome refunds in the same transaction.

Refunds go through ``payments.services.refund_locked_seller_order`` (the provider, commission
reversed pro rata, payment status, ``refund.created``), so the money is right by the same rules as
every other refund: nothing past what the seller order holds, nothing past what was captured. A
refund must also leave what open chargebacks on the seller order may still take.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from tradepost.catalog.selectors import marketplace_get
from tradepost.core.actors import SYSTEM, Actor, Role
from tradepost.core.errors import Conflict, PermissionDenied, ValidationFailed
from tradepost.core.transactions import unit_of_work
from tradepost.disputes.events import (
    RESOLVED,
    resolution_details,
    resolution_note,
)
from tradepost.disputes.lifecycle import LockedCase, commit_case_change, lock_case, move_case
from tradepost.disputes.models import Case, Chargeback, Resolution
from tradepost.disputes.selectors import open_chargeback_amount
from tradepost.disputes.status import (
    OUTCOMES,
    REFUND_OUTCOMES,
    CaseKind,
    CaseStatus,
    Outcome,
)
from tradepost.orders import services as fulfilment
from tradepost.orders.lifecycle import move_seller_order
from tradepost.orders.models import OrderEvent, OrderLine
from tradepost.orders.status import FULFILMENT, FulfilmentStatus
from tradepost.payments.models import Refund
from tradepost.payments.services import refund_locked_seller_order

UNSHIPPED = frozenset({FulfilmentStatus.PENDING, FulfilmentStatus.PROCESSING})


@dataclass(frozen=True)
class Remedy:
    """What a resolution decides: the outcome, and what it needs (an amount, a new parcel)."""

    outcome: str
    amount: int | None = None
    carrier: str = ""
    tracking_number: str = ""
    tracking_url: str = ""
    note: str = ""


def case_resolve(*, actor: Actor, case_id: UUID | str, remedy: Remedy) -> Case:
    """Record the outcome; a refund is issued, and an unshipped seller order canceled, with it."""
    with unit_of_work():
        locked = lock_case(actor=actor, case_id=case_id)
        return resolve_locked_case(locked=locked, actor=actor, remedy=remedy)


def resolve_locked_case(
    *,
    locked: LockedCase,
    actor: Actor,
    remedy: Remedy,
    chargeback: Chargeback | None = None,
    chargeback_events: list[OrderEvent] | None = None,
) -> Case:
    """Resolve a case the caller has locked; chargebacks call this with their own events."""
    case = locked.case
    _check_outcome(case, actor, remedy)
    fulfilment_from = locked.seller_order.status
    events = list(chargeback_events or [])
    refund_id, amount = None, remedy.amount
    if remedy.outcome in REFUND_OUTCOMES:
        amount, refund_id, refund_events = _refund(locked, actor, remedy)
        events += refund_events
    resolution = Resolution.objects.create(
        case=case,
        outcome=remedy.outcome,
        amount=amount or None,
        refund_id=refund_id,
        carrier=remedy.carrier.strip(),
        tracking_number=remedy.tracking_number.strip(),
        tracking_url=remedy.tracking_url.strip(),
        note=remedy.note.strip(),
        actor_role=actor.role.value,
        actor_label=actor.label,
    )
    case.outcome = remedy.outcome
    events.append(
        move_case(
            locked=locked,
            target=CaseStatus.RESOLVED,
            actor=actor,
            note=resolution_note(resolution, locked.order.currency),
            details=resolution_details(resolution),
        )
    )
    return commit_case_change(
        locked=locked,
        events=events,
        type=RESOLVED,
        change="status",
        chargeback=chargeback,
        fulfilment_from=fulfilment_from,
    )


def _check_outcome(case: Case, actor: Actor, remedy: Remedy) -> None:
    rule = OUTCOMES.get(remedy.outcome)
    if rule is None:
        raise ValidationFailed("outcome", f"must be one of {', '.join(OUTCOMES)}")
    if case.kind == CaseKind.CHARGEBACK and actor.role is not Role.SYSTEM:
        raise Conflict(
            "A chargeback case is resolved by the chargeback's outcome; record it on the "
            "chargeback.",
            current_status=case.status,
        )
    if actor.role not in rule.roles:
        who = ", ".join(sorted(role.value for role in rule.roles))
        raise PermissionDenied(
            f"A {actor.role.value} may not resolve with {remedy.outcome}; it is for: {who}.",
            allowed_outcomes=[o for o, r in OUTCOMES.items() if actor.role in r.roles],
        )
    if remedy.outcome == Outcome.PARTIAL_REFUND and not remedy.amount:
        raise ValidationFailed("amount", "is required for a partial refund")
    if remedy.outcome == Outcome.RESHIP:
        if not remedy.carrier.strip():
            raise ValidationFailed("carrier", "is required: which carrier takes the new parcel")
        if marketplace_get().tracking_required and not remedy.tracking_number.strip():
            raise ValidationFailed("tracking_number", "is required by this marketplace")


def _refund(locked: LockedCase, actor: Actor, remedy: Remedy) -> tuple[int, int, list[OrderEvent]]:
    """Refund for the resolution; returns the amount, the refund's id and the timeline rows."""
    order, seller_order, case = locked.order, locked.seller_order, locked.case
    held = open_chargeback_amount(seller_order)
    if held:
        raise Conflict(
            f"{seller_order.reference} has an open chargeback of {held}; the bank decides that "
            "money, so no refund is issued until its outcome.",
            current_status=seller_order.status,
        )
    left = seller_order.total_amount - seller_order.refunded_amount
    if left <= 0:
        raise Conflict(f"{seller_order.reference} is refunded in full already; use no_action.")
    reason = case.kind
    note = remedy.note.strip() or f"Dispute resolved: {remedy.outcome.replace('_', ' ')}."
    if remedy.outcome == Outcome.PARTIAL_REFUND:
        amount = remedy.amount or 0
        if not 0 < amount < left:
            raise ValidationFailed(
                "amount", f"must be between 1 and {left - 1}; refund all {left} with full_refund"
            )
        events = refund_locked_seller_order(
            actor=actor,
            order=order,
            seller_orders=locked.seller_orders,
            seller_order=seller_order,
            amount=amount,
            reason=reason,
            note=note,
        )
        return amount, _last_refund_id(seller_order.pk), events
    if seller_order.status in UNSHIPPED and not _any_shipped(seller_order.pk):
        # Nothing left the seller: canceling refunds in full and gives the stock back.
        fulfilment.seller_order_cancel(actor=actor, reference=seller_order.reference, reason=note)
        _reload(locked)
        return left, _last_refund_id(seller_order.pk), []
    events = refund_locked_seller_order(
        actor=actor,
        order=order,
        seller_orders=locked.seller_orders,
        seller_order=seller_order,
        amount=left,
        reason=reason,
        note=note,
    )
    if FULFILMENT.rule(seller_order.status, FulfilmentStatus.REFUNDED):
        # The refund follows from the resolution; Tradepost ends the seller order, whoever
        # resolved (the fulfilment table gives the refunded step to the owner and the system).
        events.append(
            move_seller_order(
                order=order,
                seller_order=seller_order,
                target=FulfilmentStatus.REFUNDED,
                actor=SYSTEM,
                note=f"Dispute resolved with a full refund ({case.kind.replace('_', ' ')}).",
            )
        )
    return left, _last_refund_id(seller_order.pk), events


def _any_shipped(seller_order_id: int) -> bool:
    return OrderLine.objects.filter(
        seller_order_id=seller_order_id, quantity_shipped__gt=0
    ).exists()


def _last_refund_id(seller_order_id: int) -> int:
    refunds = Refund.objects.filter(seller_order_id=seller_order_id).order_by("-id")
    return refunds.values_list("pk", flat=True)[0]


def _reload(locked: LockedCase) -> None:
    """The cancellation wrote through its own copies of the locked rows; read them back."""
    locked.order.refresh_from_db()
    for seller_order in locked.seller_orders:
        seller_order.refresh_from_db()
