"""Buyers ask for refunds; the seller or the owner approves (the refund is issued) or declines.

A request names a reason, a note, photos or videos as proof, and either an amount, lines and
quantities, or nothing (everything still refundable). The marketplace's refund policy is checked
when the request is made, every rule at once (payments.policy); an approval later issues exactly
what was asked, worked out as it stands then. One request is open per seller order at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from tradepost.attachments.services import attachments_claim
from tradepost.catalog.selectors import marketplace_get
from tradepost.core import clock
from tradepost.core.actors import SYSTEM, Actor, Role
from tradepost.core.errors import Conflict, PermissionDenied, ValidationFailed
from tradepost.core.money import format_money
from tradepost.core.outbox import publish
from tradepost.core.transactions import unit_of_work
from tradepost.orders.lifecycle import check_transition, lock_order_for_seller_order
from tradepost.orders.models import Order, OrderEvent, OrderLine, SellerOrder
from tradepost.payments.discounts import GoodwillCode, discount_issue_locked
from tradepost.payments.events import (
    refund_request_decided_event,
    refund_request_outbox_event,
    refund_requested_event,
)
from tradepost.payments.issuing import (
    RefundDraft,
    commit_refund_change,
    lock_lines,
    refund_issue_locked,
)
from tradepost.payments.models import RefundRequest, RefundRequestLine
from tradepost.payments.policy import (
    RefundPolicy,
    RefundPolicyViolation,
    is_refundable_status,
    request_violations,
)
from tradepost.payments.refund_lines import LineQuantity, line_refund_amounts, resolve_quantities
from tradepost.payments.representation import refund_request_data
from tradepost.payments.return_holds import (
    refuse_amount_while_return_open,
    units_held_by_returns,
)
from tradepost.payments.selectors import refund_request_get
from tradepost.payments.status import BUYER_REASONS, REFUND_REQUEST, RefundRequestStatus


def refund_request_create(
    *,
    actor: Actor,
    reference: str,
    reason: str,
    note: str = "",
    amount: int | None = None,
    lines: Sequence[LineQuantity] | None = None,
    attachment_ids: Sequence[UUID | str] = (),
) -> RefundRequest:
    """Buyer: ask for money back on a shipped, delivered or completed seller order."""
    with unit_of_work():
        order, _, seller_order = lock_order_for_seller_order(actor=actor, reference=reference)
        if actor.role is not Role.BUYER:
            raise PermissionDenied(
                "Refund requests come from the buyer; the owner refunds directly."
            )
        _check_open_to_requests(seller_order)
        if reason not in BUYER_REASONS:
            raise ValidationFailed("reason", f"must be one of {', '.join(BUYER_REASONS)}")
        chosen = _chosen_lines(seller_order, amount, lines)
        policy = RefundPolicy.of(marketplace_get())
        violations = request_violations(
            seller_order, policy, reason=reason, proofs=len(attachment_ids), now=clock.now()
        )
        if violations:
            raise RefundPolicyViolation(violations, policy)
        proofs = attachments_claim(actor=actor, attachment_ids=attachment_ids)
        request = RefundRequest.objects.create(
            seller_order=seller_order,
            reason=reason,
            note=note.strip(),
            amount=amount,
            requested_by_id=actor.user_id,
        )
        RefundRequestLine.objects.bulk_create(
            [RefundRequestLine(request=request, line=line, quantity=qty) for line, qty in chosen]
        )
        if proofs:
            request.proofs.add(*proofs)
        what = _what(order.currency, amount, chosen)
        refund_requested_event(
            order=order, seller_order=seller_order, actor=actor, request=request, what=what
        ).save()
        return _published(request, "refund_request.created")


def refund_request_approve(
    *,
    actor: Actor,
    request_id: UUID | str,
    note: str = "",
    restock: bool = False,
    goodwill: GoodwillCode | None = None,
) -> RefundRequest:
    """Seller or owner: grant the request; the refund is issued now, as requested."""
    with unit_of_work():
        order, seller_orders, seller_order, request = _lock_request(actor, request_id)
        previous = request.status
        check_transition(
            REFUND_REQUEST, current=previous, target=RefundRequestStatus.APPROVED, actor=actor
        )
        lines = lock_lines(seller_order)
        wanted = [(item.line, item.quantity) for item in request.lines.select_related("line")]
        by_pk = {line.pk: line for line in lines}
        chosen = [(by_pk[line.pk], quantity) for line, quantity in wanted]
        # Units a return took since the request was made are the return's to settle.
        held = units_held_by_returns(seller_order)
        for line, quantity in chosen:
            left = max(0, line.quantity_refundable - held.get(line.pk, 0))
            if quantity > left:
                raise Conflict(
                    f"Only {left} of {line.sku} are left to refund outside returns; the "
                    "request asks for more. Decline it, or refund by amount.",
                    current_status=previous,
                )
        if not chosen:
            refuse_amount_while_return_open(seller_order)
        refundable = seller_order.total_amount - seller_order.refunded_amount
        if not chosen and (request.amount or 0) > refundable:
            raise Conflict(
                f"The request asks for more than the {refundable} left to refund on "
                f"{seller_order.reference}. Decline it, or refund by amount."
            )
        draft = RefundDraft(
            reason=request.reason,
            note=request.note,
            amount=request.amount or refundable,
            lines=line_refund_amounts(seller_order, lines, chosen) if chosen else None,
            restock=restock,
            # One request is approved once: its refund has a key of its own.
            idempotency_key=f"refund-request-{request.public_id}",
            request=request,
            proofs=list(request.proofs.all()),
        )
        issued = refund_issue_locked(
            actor=actor,
            order=order,
            seller_orders=seller_orders,
            seller_order=seller_order,
            draft=draft,
        )
        _decide(request, actor, RefundRequestStatus.APPROVED, note)
        events: list[OrderEvent] = [
            refund_request_decided_event(
                order=order,
                seller_order=seller_order,
                actor=actor,
                request=request,
                previous=previous,
            ),
            *issued.events,
        ]
        if goodwill is not None:
            events.append(
                discount_issue_locked(
                    actor=actor,
                    order=order,
                    seller_order=seller_order,
                    goodwill=goodwill,
                    refund=issued.refund,
                )[1]
            )
        commit_refund_change(order, seller_orders, seller_order, events, issued.fully_refunded)
        return _published(request, "refund_request.approved")


def refund_request_decline(*, actor: Actor, request_id: UUID | str, reason: str) -> RefundRequest:
    """Seller or owner: turn the request down, saying why; the buyer is shown the reason."""
    with unit_of_work():
        order, _, seller_order, request = _lock_request(actor, request_id)
        previous = request.status
        check_transition(
            REFUND_REQUEST, current=previous, target=RefundRequestStatus.DECLINED, actor=actor
        )
        if not reason.strip():
            raise ValidationFailed("reason", "is required: the buyer is told why")
        _decide(request, actor, RefundRequestStatus.DECLINED, reason)
        refund_request_decided_event(
            order=order, seller_order=seller_order, actor=actor, request=request, previous=previous
        ).save()
        return _published(request, "refund_request.declined")


def _lock_request(
    actor: Actor, request_id: UUID | str
) -> tuple[Order, list[SellerOrder], SellerOrder, RefundRequest]:
    """Find the request in the actor's scope, then lock in the house order: the order, its
    seller orders, then the request itself, whose status is read again under the lock."""
    found = refund_request_get(actor=actor, request_id=request_id)
    order, seller_orders, seller_order = lock_order_for_seller_order(
        actor=actor, reference=found.seller_order.reference
    )
    request = RefundRequest.objects.select_for_update(no_key=True).get(pk=found.pk)
    return order, seller_orders, seller_order, request


def _decide(request: RefundRequest, actor: Actor, status: str, note: str) -> None:
    request.status = status
    request.decided_at = clock.now()
    request.decided_by_role = actor.role.value
    request.decided_by_label = actor.label
    request.decision_note = note.strip()
    request.save(
        update_fields=[
            "status",
            "decided_at",
            "decided_by_role",
            "decided_by_label",
            "decision_note",
            "updated_at",
        ]
    )


def _check_open_to_requests(seller_order: SellerOrder) -> None:
    if not is_refundable_status(seller_order.status):
        raise Conflict(
            f"{seller_order.reference} is {seller_order.status}: refunds are requested once it "
            "has shipped; before that, cancel it instead.",
            current_status=seller_order.status,
        )
    if seller_order.refunded_amount >= seller_order.total_amount:
        raise Conflict(f"{seller_order.reference} is already refunded in full.")
    if RefundRequest.objects.filter(
        seller_order=seller_order, status=RefundRequestStatus.REQUESTED
    ).exists():
        raise Conflict(
            f"{seller_order.reference} already has a refund request waiting for an answer."
        )


def _chosen_lines(
    seller_order: SellerOrder, amount: int | None, lines: Sequence[LineQuantity] | None
) -> list[tuple[OrderLine, int]]:
    refundable = seller_order.total_amount - seller_order.refunded_amount
    if amount is not None and lines:
        raise ValidationFailed("lines", "give an amount or lines, not both")
    if amount is not None and not 0 < amount <= refundable:
        raise ValidationFailed("amount", f"must be between 1 and {refundable}")
    if lines is None:
        # Asked now rather than refused at approval: the buyer learns why straight away.
        refuse_amount_while_return_open(seller_order)
        return []
    return list(
        resolve_quantities(
            lock_lines(seller_order),
            lines,
            available="quantity_refundable",
            held=units_held_by_returns(seller_order),
        )
    )


def _what(currency: str, amount: int | None, chosen: list[tuple[OrderLine, int]]) -> str:
    if chosen:
        return ", ".join(f"{qty} x {line.sku}" for line, qty in chosen)
    if amount is not None:
        return format_money(amount, currency)
    return "everything still refundable"


def _published(request: RefundRequest, type: str) -> RefundRequest:
    """The request as the API shows it, after its event is in the outbox."""
    shown = refund_request_get(actor=SYSTEM, request_id=request.public_id)
    order = shown.seller_order.order
    publish(
        refund_request_outbox_event(
            type=type, order=order, request=shown, data=refund_request_data(shown, SYSTEM)
        )
    )
    return shown
