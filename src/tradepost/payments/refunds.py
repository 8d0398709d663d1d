"""Refunds by the owner: money back for part or all of a shipped seller order, by amount or by
lines and quantities (payments.refund_lines has the rule for what lines are worth), optionally
putting the units back on sale, with a reason, a note, proof and, past the refund window, a note
saying why. Issuing itself (provider, money, events) is payments.issuing, shared with approved
requests and cancellations.

Every refund locks the order first (the house order: order, seller orders, lines, listings), so
two refunds of one order run one after the other and the second sees what the first took: the
total refunded never passes what was captured, and the database's constraints say so too.

A refund is idempotent twice over: the provider gets a key per refund, so a retry after a crash
never pays out twice; and a caller's ``idempotency_key`` that already made a refund returns that
refund instead of making another.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from tradepost.attachments.services import attachments_claim
from tradepost.catalog.selectors import marketplace_get
from tradepost.core import clock
from tradepost.core.actors import Actor, Role
from tradepost.core.errors import Conflict, PermissionDenied, ValidationFailed
from tradepost.core.transactions import unit_of_work
from tradepost.orders.lifecycle import lock_order_for_seller_order
from tradepost.orders.models import Order, OrderEvent, SellerOrder
from tradepost.payments.discounts import GoodwillCode, discount_issue_locked
from tradepost.payments.events import policy_overridden_event
from tradepost.payments.issuing import (
    RefundDraft,
    commit_refund_change,
    lock_lines,
    refund_get_for_response,
    refund_issue_locked,
)
from tradepost.payments.models import Refund
from tradepost.payments.policy import (
    RefundPolicy,
    RefundPolicyViolation,
    Violation,
    is_refundable_status,
    window_violation,
)
from tradepost.payments.refund_lines import (
    LineQuantity,
    LineRefundAmounts,
    line_refund_amounts,
    resolve_quantities,
)
from tradepost.payments.return_holds import (
    refuse_amount_while_return_open,
    units_held_by_returns,
)
from tradepost.payments.status import RefundReason


def refund_create(
    *,
    actor: Actor,
    reference: str,
    reason: str,
    amount: int | None = None,
    lines: Sequence[LineQuantity] | None = None,
    note: str = "",
    restock: bool = False,
    attachment_ids: Sequence[UUID | str] = (),
    policy_override_note: str = "",
    goodwill: GoodwillCode | None = None,
    idempotency_key: str = "",
) -> Refund:
    """Owner: refund a shipped, delivered or completed seller order, by ``amount`` or by
    ``lines``; neither refunds all that is left. With ``goodwill``, also give the buyer a code.

    Outside the refund window the owner must say why in ``policy_override_note``.
    """
    with unit_of_work():
        order, seller_orders, seller_order = lock_order_for_seller_order(
            actor=actor, reference=reference
        )
        if actor.role not in (Role.OWNER, Role.SYSTEM):
            raise PermissionDenied(
                "Refunds are issued by the marketplace owner; buyers request them, and the "
                "seller approves or declines the request."
            )
        if idempotency_key:
            replayed = _refund_with_key(idempotency_key, seller_order)
            if replayed is not None:
                return refund_get_for_response(replayed.pk)
        _check_reason(reason)
        _check_refundable(seller_order)
        if lines is None:
            refuse_amount_while_return_open(seller_order)
        events = _override_events(
            actor, order, seller_order, policy_override_note.strip(), now=clock.now()
        )
        draft = RefundDraft(
            reason=reason,
            note=note.strip(),
            amount=_amount_asked(seller_order, amount, lines),
            lines=_lines_asked(seller_order, lines) if lines is not None else None,
            restock=restock,
            idempotency_key=idempotency_key,
            proofs=attachments_claim(actor=actor, attachment_ids=attachment_ids),
            policy_override_note=policy_override_note.strip(),
        )
        issued = refund_issue_locked(
            actor=actor,
            order=order,
            seller_orders=seller_orders,
            seller_order=seller_order,
            draft=draft,
        )
        events += issued.events
        if goodwill is not None:
            _, event = discount_issue_locked(
                actor=actor,
                order=order,
                seller_order=seller_order,
                goodwill=goodwill,
                refund=issued.refund,
            )
            events.append(event)
        commit_refund_change(order, seller_orders, seller_order, events, issued.fully_refunded)
        return refund_get_for_response(issued.refund.pk)


def _lines_asked(seller_order: SellerOrder, wanted: Sequence[LineQuantity]) -> LineRefundAmounts:
    lines = lock_lines(seller_order)
    chosen = resolve_quantities(
        lines, wanted, available="quantity_refundable", held=units_held_by_returns(seller_order)
    )
    return line_refund_amounts(seller_order, lines, chosen)


def _amount_asked(
    seller_order: SellerOrder, amount: int | None, lines: Sequence[LineQuantity] | None
) -> int:
    if amount is not None and lines:
        raise ValidationFailed("lines", "give an amount or lines, not both")
    if amount is None:
        return seller_order.total_amount - seller_order.refunded_amount
    return amount


def _check_reason(reason: str) -> None:
    if reason not in RefundReason.values:
        raise ValidationFailed("reason", f"must be one of {', '.join(RefundReason.values)}")


def _check_refundable(seller_order: SellerOrder) -> None:
    if not is_refundable_status(seller_order.status):
        raise Conflict(
            f"{seller_order.reference} is {seller_order.status}: refunds are for shipped, "
            "delivered or completed seller orders; before shipment, cancel it or its lines.",
            current_status=seller_order.status,
        )
    if seller_order.refunded_amount >= seller_order.total_amount:
        raise Conflict(f"{seller_order.reference} is already refunded in full.")


def _override_events(
    actor: Actor, order: Order, seller_order: SellerOrder, note: str, *, now: Any
) -> list[OrderEvent]:
    """The owner's refunds keep to the refund window unless the owner says why not."""
    policy = RefundPolicy.of(marketplace_get())
    late = window_violation(seller_order, policy, now=now, field="policy_override_note")
    if late is None or actor.role is Role.SYSTEM:
        return []
    if not note:
        violation = Violation(
            late.field,
            f"is required to refund outside the refund policy: {late.message}",
            late.rule,
        )
        raise RefundPolicyViolation([violation], policy)
    return [
        policy_overridden_event(
            order=order, seller_order=seller_order, actor=actor, note=note, rules=[late.rule]
        )
    ]


def _refund_with_key(key: str, seller_order: SellerOrder) -> Refund | None:
    refund = Refund.objects.filter(idempotency_key=key).first()
    if refund is not None and refund.seller_order_id != seller_order.pk:
        raise ValidationFailed("Idempotency-Key", "was used for a refund of another seller order")
    return refund
