"""Cases: open one on a seller order, answer, write, escalate to the owner, reopen and close.

Each service is one unit of work: lock the order, its seller orders and the case (house order),
check the case lifecycle table and the actor, write the change with its message, its timeline
rows and its outbox event together. Resolving a case lives in ``disputes.resolutions``.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from tradepost.attachments.services import attachments_claim
from tradepost.core import clock
from tradepost.core.actors import Actor, Role
from tradepost.core.errors import Conflict, PermissionDenied, ValidationFailed
from tradepost.core.transactions import unit_of_work
from tradepost.disputes.events import (
    OPENED,
    UPDATED,
    case_message_event,
    case_opened_event,
)
from tradepost.disputes.lifecycle import (
    LockedCase,
    commit_case_change,
    due_after,
    lock_case,
    move_case,
)
from tradepost.disputes.models import Case, CaseMessage
from tradepost.disputes.status import (
    ACTIVE,
    PARCEL_KINDS,
    CaseKind,
    CaseStatus,
    respond_target,
)
from tradepost.orders.lifecycle import lock_order_for_seller_order
from tradepost.orders.models import Order, OrderEvent, SellerOrder, Shipment
from tradepost.orders.status import FulfilmentStatus

DISPUTABLE = frozenset(
    {
        FulfilmentStatus.PENDING,
        FulfilmentStatus.PROCESSING,
        FulfilmentStatus.SHIPPED,
        FulfilmentStatus.DELIVERED,
        FulfilmentStatus.COMPLETED,
    }
)
OPENERS = frozenset({Role.BUYER, Role.SELLER, Role.OWNER})


def case_open(*, actor: Actor, reference: str, kind: str, description: str) -> Case:
    """The buyer, the seller or the owner opens a case on a paid seller order.

    The other party must answer within the marketplace's response hours. Chargeback cases open
    only with their chargeback (``disputes.chargebacks``).
    """
    description = description.strip()
    if kind == CaseKind.CHARGEBACK:
        raise ValidationFailed("kind", "chargeback cases open when a chargeback is recorded")
    if not description:
        raise ValidationFailed("description", "is required: say what went wrong")
    with unit_of_work():
        order, seller_orders, seller_order = lock_order_for_seller_order(
            actor=actor, reference=reference
        )
        if actor.role not in OPENERS:
            raise PermissionDenied("Cases are opened by the buyer, the seller or the owner.")
        _check_disputable(seller_order, kind)
        locked = open_locked_case(
            actor=actor,
            order=order,
            seller_orders=seller_orders,
            seller_order=seller_order,
            kind=kind,
            description=description,
        )
        return commit_case_change(
            locked=locked,
            events=[case_opened_event(order=order, case=locked.case, actor=actor)],
            type=OPENED,
            change="opened",
        )


def open_locked_case(
    *,
    actor: Actor,
    order: Order,
    seller_orders: list[SellerOrder],
    seller_order: SellerOrder,
    kind: str,
    description: str,
) -> LockedCase:
    """Create a case on a seller order whose order the caller has locked; one live case of a
    kind per seller order, so a second report joins the first instead."""
    existing = (
        Case.objects.filter(seller_order=seller_order, kind=kind, status__in=ACTIVE)
        .values_list("public_id", flat=True)
        .first()
    )
    if existing is not None:
        raise Conflict(
            f"{seller_order.reference} already has an open {kind.replace('_', ' ')} case; "
            "write on it instead.",
            case=str(existing),
        )
    case = Case.objects.create(
        order=order,
        seller_order=seller_order,
        seller_id=seller_order.seller_id,
        buyer_id=order.buyer_id,
        kind=kind,
        description=description,
        opened_by_role=actor.role.value,
        opened_by_user_id=actor.user_id,
        opened_by_label=actor.label,
        due_at=due_after(CaseStatus.OPEN),
    )
    case.order, case.seller_order, case.seller = order, seller_order, seller_order.seller
    return LockedCase(order, seller_orders, seller_order, case)


def _check_disputable(seller_order: SellerOrder, kind: str) -> None:
    if seller_order.status not in DISPUTABLE:
        raise Conflict(
            f"{seller_order.reference} is {seller_order.status.replace('_', ' ')}; only a paid, "
            "live seller order can be disputed.",
            current_status=seller_order.status,
        )
    if kind in PARCEL_KINDS and not Shipment.objects.filter(seller_order=seller_order).exists():
        raise ValidationFailed(
            "kind",
            f"nothing of {seller_order.reference} has shipped yet; open a late_shipment case",
        )


def case_respond(
    *,
    actor: Actor,
    case_id: UUID | str,
    message: str,
    to: str = "",
    attachment_ids: Sequence[UUID | str] = (),
) -> Case:
    """Answer, and hand the turn to the other party; the owner names whom it asks (``to``)."""
    body = _required_message(message)
    if actor.role is Role.OWNER and to not in (Role.SELLER, Role.BUYER):
        raise ValidationFailed("to", "the owner asks either the seller or the buyer")
    with unit_of_work():
        locked = lock_case(actor=actor, case_id=case_id)
        target = respond_target(actor.role, to)
        events = [move_case(locked=locked, target=target, actor=actor)]
        events += _write(locked, actor, body, "respond", attachment_ids)
        return commit_case_change(locked=locked, events=events, type=UPDATED, change="status")


def case_message_add(
    *,
    actor: Actor,
    case_id: UUID | str,
    message: str,
    attachment_ids: Sequence[UUID | str] = (),
) -> Case:
    """Write on the case without passing the turn: more detail, proof, the owner's questions."""
    body = _required_message(message)
    with unit_of_work():
        locked = lock_case(actor=actor, case_id=case_id)
        if locked.case.status == CaseStatus.CLOSED:
            raise Conflict("The case is closed; open a new one.", current_status="closed")
        if actor.role is Role.SYSTEM:
            raise PermissionDenied("Messages are written by people.")
        events = _write(locked, actor, body, "", attachment_ids)
        return commit_case_change(locked=locked, events=events, type=UPDATED, change="message")


def case_escalate(*, actor: Actor, case_id: UUID | str, message: str = "") -> Case:
    """Either party asks the owner to decide; the owner then must act within the hours."""
    with unit_of_work():
        locked = lock_case(actor=actor, case_id=case_id)
        events = [move_case(locked=locked, target=CaseStatus.UNDER_REVIEW, actor=actor)]
        if message.strip():
            events += _write(locked, actor, _required_message(message), "escalate", ())
        return commit_case_change(locked=locked, events=events, type=UPDATED, change="status")


def case_reopen(*, actor: Actor, case_id: UUID | str, message: str) -> Case:
    """The remedy failed (the reshipped parcel is lost too): back to the owner to decide again."""
    body = _required_message(message)
    with unit_of_work():
        locked = lock_case(actor=actor, case_id=case_id)
        events = [move_case(locked=locked, target=CaseStatus.UNDER_REVIEW, actor=actor)]
        events += _write(locked, actor, body, "reopen", ())
        return commit_case_change(locked=locked, events=events, type=UPDATED, change="status")


def case_close(*, actor: Actor, case_id: UUID | str) -> Case:
    """The buyer confirms the remedy worked, or the owner closes a resolved case."""
    with unit_of_work():
        locked = lock_case(actor=actor, case_id=case_id)
        events = [move_case(locked=locked, target=CaseStatus.CLOSED, actor=actor)]
        return commit_case_change(locked=locked, events=events, type=UPDATED, change="status")


def _required_message(message: str) -> str:
    body = message.strip()
    if not body:
        raise ValidationFailed("message", "is required")
    if len(body) > 4000:
        raise ValidationFailed("message", "must be at most 4000 characters")
    return body


def _write(
    locked: LockedCase,
    actor: Actor,
    body: str,
    action: str,
    attachment_ids: Sequence[UUID | str],
) -> list[OrderEvent]:
    """Add a message, with the actor's uploads claimed as its proof; returns its timeline row."""
    attachments = attachments_claim(actor=actor, attachment_ids=attachment_ids)
    message = CaseMessage.objects.create(
        case=locked.case,
        author_role=actor.role.value,
        author_user_id=actor.user_id,
        author_label=actor.label,
        body=body,
        action=action,
        created_at=clock.now(),
    )
    if attachments:
        message.attachments.add(*attachments)
    if action:
        return []  # the status change's own row tells the story
    return [
        case_message_event(
            order=locked.order, case=locked.case, actor=actor, attachments=len(attachments)
        )
    ]
