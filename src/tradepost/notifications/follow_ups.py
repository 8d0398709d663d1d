"""Who hears of the worker's follow-ups and of the conversation after the sale.

SLA reminders and late flags (``orders.automation``), overdue dispute steps
(``disputes.automation``), refund request decisions and new messages. Called by
``notifications.fanout`` for these event types, in the same transaction, with the same rules:
a seller's email never carries the buyer's address, a buyer's never the seller's own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.urls import reverse

from tradepost.core.actors import SYSTEM, Role
from tradepost.core.models import OutboxEvent
from tradepost.messaging.representation import masked
from tradepost.notifications.placeholders import MessageAbout, part_of, when_text
from tradepost.notifications.services import email_queue, email_staff
from tradepost.orders.representation import order_data
from tradepost.orders.selectors import order_get

if TYPE_CHECKING:
    from tradepost.notifications.fanout import Fanout

REMINDER_KEYS = {"acknowledge": "seller_acknowledge_reminder", "ship": "seller_ship_reminder"}
# What the seller has not done by the deadline, per SLA.
UNDONE = {"acknowledge": "acknowledged", "ship": "shipped"}


def _part_and_seller(fanout: Fanout, order: dict[str, Any], reference: str) -> tuple[Any, Any]:
    part = part_of(order, reference)
    return part, fanout.seller_of(part) if part is not None else None


def on_sla_reminder(fanout: Fanout, event: OutboxEvent) -> None:
    """The seller, by email and on its dashboard, before (or at) the deadline."""
    order, sla = event.data["order"], event.data["sla"]
    part, seller = _part_and_seller(fanout, order, event.data["seller_order"])
    if part is None or seller is None:
        return
    key = REMINDER_KEYS[sla["sla"]]
    fanout.email(event, to=seller.email, key=key, about=MessageAbout(order, part))
    verb = "acknowledge" if sla["sla"] == "acknowledge" else "ship"
    fanout.notify(
        event,
        seller=seller,
        order=order,
        title=f"Reminder: {verb} {part['reference']} by {when_text(sla['due_at'])}",
        body=f"{order['buyer']['name']} is waiting. Please {verb} it in time, or message the "
        "buyer if you cannot.",
    )


def on_late(fanout: Fanout, event: OutboxEvent) -> None:
    """Past the deadline: the seller is told on its dashboard, the owner's people by email, and
    for shipping, the buyer hears of the delay."""
    order, sla = event.data["order"], event.data["sla"]
    part, seller = _part_and_seller(fanout, order, event.data["seller_order"])
    if part is None or seller is None:
        return
    due, undone = when_text(sla["due_at"]), UNDONE[sla["sla"]]
    reference = part["reference"]
    fanout.notify(
        event,
        seller=seller,
        order=order,
        title=f"Late: {reference} was not {undone} by {due}",
        body="The marketplace has been alerted. Please act on it now, and message the buyer.",
    )
    url = settings.TRADEPOST_PUBLIC_URL + reverse("dashboard:order", args=[order["number"]])
    email_staff(
        subject=f"Late: {reference} from {seller.name} was not {undone} by {due}",
        body=f"{seller.name} was reminded before the deadline and has not {undone} "
        f"{reference} yet.\n\nThe order: {url}",
    )
    if sla["sla"] == "ship":
        fanout.email(
            event, to=order["buyer"]["email"], key="order_delayed", about=MessageAbout(order, part)
        )


def on_delivery_confirmation(fanout: Fanout, event: OutboxEvent) -> None:
    order = event.data["order"]
    part = part_of(order, event.data["seller_order"])
    if part is not None:
        fanout.email(
            event,
            to=order["buyer"]["email"],
            key="delivery_confirmation",
            about=MessageAbout(order, part),
        )


def on_refund_request_decided(fanout: Fanout, event: OutboxEvent) -> None:
    """The buyer hears the answer: approved with the amount refunded, or declined and why."""
    request = event.data["refund_request"]
    order = order_data(order_get(actor=SYSTEM, number=request["order"]), SYSTEM)
    part = part_of(order, request["seller_order"])
    if part is None:
        return
    if event.type == "refund_request.approved" and request["refund"] is not None:
        about = MessageAbout(order, part, refund=request["refund"])
        key = "refund_request_approved"
    else:
        about = MessageAbout(order, part, written={"reason": request["decision_note"]})
        key = "refund_request_declined"
    fanout.email(event, to=order["buyer"]["email"], key=key, about=about)


def on_message(fanout: Fanout, event: OutboxEvent) -> None:
    """One email per new message to each other party of the thread (the owner reads threads
    in the dashboard); the seller also gets a dashboard notification."""
    message = event.data["message"]
    order = order_data(order_get(actor=SYSTEM, number=message["order_number"]), SYSTEM)
    part, seller = _part_and_seller(fanout, order, message["seller_order"])
    if part is None or seller is None:
        return
    author = message["author"]["party"]
    files = len(message["attachments"])
    # The event's body is already masked for the buyer's addresses (sellers receive it).
    text = message["body"] or f"(sent {files} attachment{'s' if files != 1 else ''})"
    if author != Role.BUYER:
        sender = seller.name if author == Role.SELLER else fanout.marketplace.name
        # The seller's own address stays the seller's, even when typed into a message.
        written = {"message": masked(text, [seller.email]), "sender_name": sender}
        about = MessageAbout(order, part, written=written)
        fanout.email(event, to=order["buyer"]["email"], key="new_message_buyer", about=about)
    if author != Role.SELLER:
        sender = order["buyer"]["name"] if author == Role.BUYER else fanout.marketplace.name
        about = MessageAbout(order, part, written={"message": text, "sender_name": sender})
        fanout.email(event, to=seller.email, key="new_message_seller", about=about)
        fanout.notify(
            event,
            seller=seller,
            order=order,
            title=f"New message from {sender} on {part['reference']}",
            body=text,
        )


def on_dispute_overdue(fanout: Fanout, event: OutboxEvent) -> None:
    """A party let a case's due time pass: the owner's people must now decide, and the party
    that missed it is told the case went to the marketplace."""
    case, order = event.data["case"], event.data["order"]
    missed, due = event.data["missed_by"], when_text(event.data["was_due_at"])
    kind, reference = case["kind"].replace("_", " "), case["seller_order"]
    url = settings.TRADEPOST_PUBLIC_URL + reverse("dashboard:case", args=[case["id"]])
    email_staff(
        subject=f"Overdue, to decide: {kind} case on {reference}",
        body=f"The {missed} did not answer by {due}, so the case is now under review and "
        f"waits on the marketplace's decision.\n\nThe case: {url}",
    )
    subject = f"The {kind} case on {reference} went to the marketplace"
    body = (
        f"We did not receive your answer by {due}, so the marketplace will now review the case "
        f"and decide. You can still add information on the case page: {url}"
    )
    if missed == Role.BUYER:
        email_queue(
            to=[order["buyer"]["email"]],
            subject=subject,
            body=body,
            kind="dispute_overdue",
            event=event,
            order_number=order["number"],
        )
        return
    _, seller = _part_and_seller(fanout, order, reference)
    if missed == Role.SELLER and seller is not None:
        email_queue(
            to=[seller.email],
            subject=subject,
            body=body,
            kind="dispute_overdue",
            event=event,
            order_number=order["number"],
        )
        fanout.notify(event, seller=seller, order=order, title=subject, body=body)
