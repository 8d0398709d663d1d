"""Returns, from the buyer's request to the parcel back at the seller's.

A buyer asks to send back units that reached them (shipped, not refunded, in no other return)
for a reason a photo can show, with proof; the marketplace's refund policy is checked as it is
for refund requests (payments.policy), and the owner may open one outside it with a note. The
seller or the owner authorises it with a return address and instructions, or declines it; the
buyer gives the parcel's carrier and tracking once sent, or withdraws; the seller marks it
received. What happens after inspection is returns.outcomes.

Every step locks in the house order (order, its seller orders, the lines, then the return) and
writes the change, its timeline row and its ``return.*`` outbox event together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from tradepost.attachments.services import attachments_claim
from tradepost.catalog.selectors import marketplace_get
from tradepost.core import clock
from tradepost.core.actors import SYSTEM, Actor, Role
from tradepost.core.errors import Conflict, PermissionDenied, ValidationFailed
from tradepost.core.outbox import publish
from tradepost.core.transactions import unit_of_work
from tradepost.orders.lifecycle import check_transition, lock_order_for_seller_order
from tradepost.orders.models import Order, OrderEvent, OrderLine, SellerOrder
from tradepost.payments.issuing import lock_lines
from tradepost.payments.policy import (
    RefundPolicy,
    RefundPolicyViolation,
    Violation,
    is_refundable_status,
    request_violations,
)
from tradepost.payments.refund_lines import LineQuantity
from tradepost.returns.events import (
    return_moved_event,
    return_outbox_event,
    return_policy_overridden_event,
    return_requested_event,
)
from tradepost.returns.models import ReturnLine, ReturnRequest
from tradepost.returns.representation import return_data
from tradepost.returns.selectors import return_get, returnable_quantities
from tradepost.returns.status import RETURN, RETURN_REASONS, ReturnStatus

# When each status is reached, kept on the return for its page and for reports.
REACHED_AT: dict[str, str] = {
    ReturnStatus.AUTHORIZED: "authorized_at",
    ReturnStatus.SHIPPED_BACK: "shipped_back_at",
    ReturnStatus.RECEIVED: "received_at",
    ReturnStatus.REFUNDED: "closed_at",
    ReturnStatus.EXCHANGED: "closed_at",
    ReturnStatus.DECLINED: "closed_at",
    ReturnStatus.WITHDRAWN: "closed_at",
}
# The seller's or the owner's decisions, whose maker the return page names.
DECISIONS = frozenset({ReturnStatus.AUTHORIZED, ReturnStatus.DECLINED})


@dataclass(frozen=True)
class ReturnParcel:
    """The parcel the items travel back in (or a prepaid label for it)."""

    carrier: str = ""
    tracking_number: str = ""
    tracking_url: str = ""


@dataclass
class LockedReturn:
    order: Order
    seller_orders: list[SellerOrder]
    seller_order: SellerOrder
    ret: ReturnRequest


def return_request_create(
    *,
    actor: Actor,
    reference: str,
    reason: str,
    lines: Sequence[LineQuantity],
    note: str = "",
    attachment_ids: Sequence[UUID | str] = (),
    policy_override_note: str = "",
) -> ReturnRequest:
    """Buyer (or the owner for them): ask to send back units of a shipped seller order.

    Outside the refund policy the buyer is refused with every rule missed; the owner may go on
    with a ``policy_override_note`` the timeline keeps.
    """
    with unit_of_work():
        order, _, seller_order = lock_order_for_seller_order(actor=actor, reference=reference)
        if actor.role not in (Role.BUYER, Role.OWNER):
            raise PermissionDenied(
                "Returns are requested by the buyer (or the owner for them); the seller "
                "authorises or declines them."
            )
        if reason not in RETURN_REASONS:
            raise ValidationFailed("reason", f"must be one of {', '.join(RETURN_REASONS)}")
        _check_open_to_returns(seller_order)
        chosen = _chosen_lines(seller_order, lock_lines(seller_order), lines)
        override = policy_override_note.strip()
        rules = _policy_rules(actor, seller_order, reason, len(attachment_ids), override)
        ret = ReturnRequest.objects.create(
            seller_order=seller_order,
            seller_id=seller_order.seller_id,
            reason=reason,
            note=note.strip(),
            requested_by_id=actor.user_id,
            requested_by_role=actor.role.value,
            policy_override_note=override if rules else "",
        )
        ReturnLine.objects.bulk_create(
            [ReturnLine(return_request=ret, line=line, quantity=qty) for line, qty in chosen]
        )
        proofs = attachments_claim(actor=actor, attachment_ids=attachment_ids)
        if proofs:
            ret.proofs.add(*proofs)
        items = [(line.sku, qty) for line, qty in chosen]
        events = [return_requested_event(order=order, ret=ret, actor=actor, items=items)]
        if rules:
            events.append(
                return_policy_overridden_event(order=order, ret=ret, actor=actor, rules=rules)
            )
        OrderEvent.objects.bulk_create(events)
        return published(order, ret)


def return_authorize(
    *,
    actor: Actor,
    return_id: UUID | str,
    return_address: str,
    instructions: str = "",
    label: ReturnParcel | None = None,
) -> ReturnRequest:
    """Seller or owner: accept the return; the buyer is told where to send the items, and how.

    ``label`` is a prepaid label's carrier and tracking, when the seller provides one.
    """
    with unit_of_work():
        locked = lock_return(actor=actor, return_id=return_id)
        ret = locked.ret
        check_transition(RETURN, current=ret.status, target=ReturnStatus.AUTHORIZED, actor=actor)
        if not return_address.strip():
            raise ValidationFailed("return_address", "is required: where the buyer sends the items")
        parcel = label or ReturnParcel()
        _check_url(parcel.tracking_url, "return_tracking_url")
        ret.return_address = return_address.strip()
        ret.instructions = instructions.strip()
        ret.return_carrier = parcel.carrier.strip()
        ret.return_tracking_number = parcel.tracking_number.strip()
        ret.return_tracking_url = parcel.tracking_url.strip()
        note = f"Return label: {_parcel_text(ret)}." if ret.return_carrier else ""
        event = move_return(
            locked,
            actor,
            ReturnStatus.AUTHORIZED,
            "return_address",
            "instructions",
            "return_carrier",
            "return_tracking_number",
            "return_tracking_url",
            note=note,
        )
        return commit_return_change(locked, [event])


def return_decline(*, actor: Actor, return_id: UUID | str, reason: str) -> ReturnRequest:
    """Seller or owner: turn the return down, saying why; the buyer is shown the reason."""
    with unit_of_work():
        locked = lock_return(actor=actor, return_id=return_id)
        check_transition(
            RETURN, current=locked.ret.status, target=ReturnStatus.DECLINED, actor=actor
        )
        if not reason.strip():
            raise ValidationFailed("reason", "is required: the buyer is told why")
        locked.ret.decline_reason = reason.strip()
        event = move_return(
            locked,
            actor,
            ReturnStatus.DECLINED,
            "decline_reason",
            note=f"Reason: {locked.ret.decline_reason}",
        )
        return commit_return_change(locked, [event])


def return_ship_back(*, actor: Actor, return_id: UUID | str, parcel: ReturnParcel) -> ReturnRequest:
    """Buyer: the items are on their way back; carrier and tracking default to the label's."""
    with unit_of_work():
        locked = lock_return(actor=actor, return_id=return_id)
        ret = locked.ret
        check_transition(RETURN, current=ret.status, target=ReturnStatus.SHIPPED_BACK, actor=actor)
        carrier = parcel.carrier.strip() or ret.return_carrier
        number = parcel.tracking_number.strip() or ret.return_tracking_number
        if not carrier:
            raise ValidationFailed("carrier", "is required: which carrier has the parcel")
        if marketplace_get().tracking_required and not number:
            raise ValidationFailed("tracking_number", "is required by this marketplace")
        _check_url(parcel.tracking_url, "tracking_url")
        ret.return_carrier, ret.return_tracking_number = carrier, number
        ret.return_tracking_url = parcel.tracking_url.strip() or ret.return_tracking_url
        event = move_return(
            locked,
            actor,
            ReturnStatus.SHIPPED_BACK,
            "return_carrier",
            "return_tracking_number",
            "return_tracking_url",
            note=f"Parcel: {_parcel_text(ret)}.",
            details={"carrier": carrier, "tracking_number": number},
        )
        return commit_return_change(locked, [event])


def return_receive(*, actor: Actor, return_id: UUID | str, note: str = "") -> ReturnRequest:
    """Seller or owner: the returned items arrived; inspection comes next."""
    with unit_of_work():
        locked = lock_return(actor=actor, return_id=return_id)
        check_transition(
            RETURN, current=locked.ret.status, target=ReturnStatus.RECEIVED, actor=actor
        )
        locked.ret.received_note = note.strip()
        event = move_return(
            locked, actor, ReturnStatus.RECEIVED, "received_note", note=locked.ret.received_note
        )
        return commit_return_change(locked, [event])


def return_withdraw(*, actor: Actor, return_id: UUID | str, note: str = "") -> ReturnRequest:
    """Buyer: call the return off, any time before the items are received."""
    with unit_of_work():
        locked = lock_return(actor=actor, return_id=return_id)
        check_transition(
            RETURN, current=locked.ret.status, target=ReturnStatus.WITHDRAWN, actor=actor
        )
        locked.ret.withdraw_note = note.strip()
        event = move_return(
            locked, actor, ReturnStatus.WITHDRAWN, "withdraw_note", note=locked.ret.withdraw_note
        )
        return commit_return_change(locked, [event])


def lock_return(*, actor: Actor, return_id: UUID | str) -> LockedReturn:
    """Find the return in the actor's scope, then lock in the house order: the order, its seller
    orders, then the return itself, whose status is read again under the lock."""
    found = return_get(actor=actor, return_id=return_id)
    order, seller_orders, seller_order = lock_order_for_seller_order(
        actor=actor, reference=found.seller_order.reference
    )
    ret = ReturnRequest.objects.select_for_update(no_key=True).get(pk=found.pk)
    ret.seller_order = seller_order
    return LockedReturn(order, seller_orders, seller_order, ret)


def move_return(
    locked: LockedReturn,
    actor: Actor,
    target: str,
    *fields: str,
    note: str = "",
    details: dict[str, object] | None = None,
) -> OrderEvent:
    """Change the return's status and the ``fields`` set with it; the (unsaved) timeline row."""
    ret = locked.ret
    check_transition(RETURN, current=ret.status, target=target, actor=actor)
    previous = ret.status
    ret.status = target
    changed = ["status", "updated_at", *fields]
    if target in REACHED_AT:
        setattr(ret, REACHED_AT[target], clock.now())
        changed.append(REACHED_AT[target])
    if target in DECISIONS:
        ret.decided_by_role, ret.decided_by_label = actor.role.value, actor.label
        changed += ["decided_by_role", "decided_by_label"]
    ret.save(update_fields=changed)
    return return_moved_event(
        order=locked.order, ret=ret, actor=actor, previous=previous, note=note, details=details
    )


def commit_return_change(locked: LockedReturn, events: list[OrderEvent]) -> ReturnRequest:
    OrderEvent.objects.bulk_create(events)
    return published(locked.order, locked.ret)


def published(order: Order, ret: ReturnRequest) -> ReturnRequest:
    """The return as the API shows it, after its ``return.<status>`` event is in the outbox."""
    shown = return_get(actor=SYSTEM, return_id=ret.public_id)
    publish(return_outbox_event(order=order, ret=shown, data=return_data(shown, SYSTEM)))
    return shown


def _check_open_to_returns(seller_order: SellerOrder) -> None:
    if not is_refundable_status(seller_order.status):
        raise Conflict(
            f"{seller_order.reference} is {seller_order.status}: items are returned once they "
            "have shipped; before that, cancel the order or its lines.",
            current_status=seller_order.status,
        )
    # A free order (say, a 100 % goodwill code) has nothing to refund but may still be returned.
    if 0 < seller_order.total_amount <= seller_order.refunded_amount:
        raise Conflict(f"{seller_order.reference} is already refunded in full.")


def _chosen_lines(
    seller_order: SellerOrder, lines: list[OrderLine], wanted: Sequence[LineQuantity]
) -> list[tuple[OrderLine, int]]:
    """Match ``wanted`` to the lines by SKU (adding up repeats), refusing more than may still
    be returned; read under the order's lock, so two requests cannot both take the last unit."""
    if not wanted:
        raise ValidationFailed("lines", "name at least one line and how many of its units")
    returnable = returnable_quantities(seller_order, lines)
    by_sku = {line.sku: line for line in lines}
    totals: dict[str, int] = {}
    for index, item in enumerate(wanted):
        if item.sku not in by_sku:
            raise ValidationFailed(f"lines[{index}].sku", f"{item.sku} is not in this order")
        if item.quantity < 1:
            raise ValidationFailed(f"lines[{index}].quantity", "must be at least 1")
        totals[item.sku] = totals.get(item.sku, 0) + item.quantity
        if totals[item.sku] > returnable[item.sku]:
            raise ValidationFailed(
                f"lines[{index}].quantity",
                f"only {returnable[item.sku]} of {item.sku} can be returned (units shipped, "
                "not refunded and in no other return)",
            )
    return [(by_sku[sku], quantity) for sku, quantity in totals.items()]


def _policy_rules(
    actor: Actor, seller_order: SellerOrder, reason: str, proofs: int, override: str
) -> list[str]:
    """The policy rules the return breaks, when the owner overrides them; raises otherwise."""
    policy = RefundPolicy.of(marketplace_get())
    violations = request_violations(
        seller_order, policy, reason=reason, proofs=proofs, now=clock.now()
    )
    if not violations:
        return []
    if actor.role is Role.OWNER and override:
        return [violation.rule for violation in violations]
    if actor.role is Role.OWNER:
        violations.append(
            Violation(
                "policy_override_note",
                "is required to open a return outside the refund policy",
                "policy_override",
            )
        )
    raise RefundPolicyViolation(violations, policy)


def _check_url(url: str, field: str) -> None:
    text = url.strip()
    if text and not (text.startswith(("https://", "http://")) and " " not in text):
        raise ValidationFailed(field, "must be an http(s) address")


def _parcel_text(ret: ReturnRequest) -> str:
    return f"{ret.return_carrier} {ret.return_tracking_number}".strip()
