"""Factories for the timeline rows and outbox events of cases and chargebacks.

Timeline rows go on the order (``orders.events.timeline_event``), tied to the seller order, so the
order page and ``/orders/{number}/events`` tell the dispute's story with the rest. Rows are
returned unsaved so a service writes all of a change's events in one statement.
"""

from __future__ import annotations

from typing import Any

from tradepost.core.actors import Actor
from tradepost.core.models import OutboxEvent
from tradepost.core.money import format_money
from tradepost.core.outbox import outbox_event
from tradepost.disputes.models import Case, Chargeback, Resolution
from tradepost.orders.events import timeline_event
from tradepost.orders.models import Order, OrderEvent

CASE_FIELD = "dispute_status"
CHARGEBACK_FIELD = "chargeback_status"

OPENED, UPDATED, RESOLVED = "dispute.opened", "dispute.updated", "dispute.resolved"


def _words(value: str) -> str:
    return value.replace("_", " ")


def case_opened_event(*, order: Order, case: Case, actor: Actor) -> OrderEvent:
    return timeline_event(
        order=order,
        seller_order=case.seller_order,
        actor=actor,
        kind=OPENED,
        field=CASE_FIELD,
        to_status=case.status,
        message=(
            f"{case.seller_order.reference}: {_words(case.kind)} case opened by the "
            f"{case.opened_by_role}."
        ),
        details={"case": str(case.public_id), "kind": case.kind},
    )


def case_status_event(
    *,
    order: Order,
    case: Case,
    actor: Actor,
    action: str,
    from_status: str,
    note: str = "",
    details: dict[str, Any] | None = None,
) -> OrderEvent:
    message = (
        f"{case.seller_order.reference}: {_words(case.kind)} case {_words(from_status)} → "
        f"{_words(case.status)} ({_words(action)})."
    )
    return timeline_event(
        order=order,
        seller_order=case.seller_order,
        actor=actor,
        kind="dispute.status_changed",
        field=CASE_FIELD,
        from_status=from_status,
        to_status=case.status,
        message=f"{message} {note}".strip()[:500],
        details={"case": str(case.public_id), "action": action, **(details or {})},
    )


def case_message_event(*, order: Order, case: Case, actor: Actor, attachments: int) -> OrderEvent:
    files = (
        f" with {attachments} attachment{'s' if attachments != 1 else ''}" if attachments else ""
    )
    return timeline_event(
        order=order,
        seller_order=case.seller_order,
        actor=actor,
        kind="dispute.message",
        message=f"{case.seller_order.reference}: message on the {_words(case.kind)} case{files}.",
        details={"case": str(case.public_id), "attachments": attachments},
    )


def resolution_note(resolution: Resolution, currency: str) -> str:
    """The outcome in words, for the timeline and emails: "Partial refund of $12.50"."""
    text = _words(resolution.outcome).capitalize()
    if resolution.amount:
        text += f" of {format_money(resolution.amount, currency)}"
    if resolution.carrier:
        tracking = f" {resolution.tracking_number}" if resolution.tracking_number else ""
        text += f", new parcel with {resolution.carrier}{tracking}"
    return text + "."


def resolution_details(resolution: Resolution) -> dict[str, Any]:
    return {
        "outcome": resolution.outcome,
        "amount": resolution.amount,
        "refund_id": resolution.refund_id,
        "carrier": resolution.carrier,
        "tracking_number": resolution.tracking_number,
        "tracking_url": resolution.tracking_url,
        "note": resolution.note,
    }


def chargeback_event(
    *,
    order: Order,
    chargeback: Chargeback,
    actor: Actor,
    kind: str,
    message: str,
    from_status: str = "",
) -> OrderEvent:
    return timeline_event(
        order=order,
        seller_order=chargeback.seller_order,
        actor=actor,
        kind=kind,
        field=CHARGEBACK_FIELD,
        from_status=from_status,
        to_status=chargeback.status,
        message=f"{chargeback.seller_order.reference}: {message}"[:500],
        details={
            "chargeback": str(chargeback.public_id),
            "amount": chargeback.amount,
            "reason": chargeback.reason,
            "respond_by": chargeback.respond_by.isoformat(),
            "taken_back_amount": chargeback.taken_back_amount,
        },
    )


def evidence_built_event(*, order: Order, chargeback: Chargeback, actor: Actor) -> OrderEvent:
    return timeline_event(
        order=order,
        seller_order=chargeback.seller_order,
        actor=actor,
        kind="chargeback.evidence_built",
        message=f"{chargeback.seller_order.reference}: chargeback evidence pack built.",
        details={"chargeback": str(chargeback.public_id)},
    )


def dispute_outbox_event(
    *,
    type: str,
    case: Case,
    case_data: dict[str, Any],
    order_data: dict[str, Any],
    change: str,
    context: dict[str, Any] | None = None,
) -> OutboxEvent:
    """``{case, order, change}``: ``change`` says what moved (``status``, ``message``,
    ``overdue``, ...), so subscribers tell the party who must act only when the turn passes to
    them; ``context`` adds what that change needs said (``missed_by`` for ``overdue``)."""
    return outbox_event(
        type=type,
        data={"case": case_data, "order": order_data, "change": change, **(context or {})},
        order_number=order_data["number"],
        seller_ids=[case.seller_id],
    )
