"""Turn published domain events into emails and in-dashboard notifications.

Called by the outbox dispatcher with a batch of committed events, inside the transaction that marks
them published: the emails (and their send tasks) and notifications commit with that mark, or not
at all, so each event is told once. Emails are rendered now, in the wording in force, and sent by
the worker; who gets what is in docs/notifications.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.urls import reverse

from tradepost.catalog.models import Seller
from tradepost.catalog.selectors import sellers_visible_to
from tradepost.core.actors import SYSTEM, Role
from tradepost.core.models import OutboxEvent
from tradepost.core.money import format_money
from tradepost.notifications import follow_ups
from tradepost.notifications.email_templates import SPECS, Recipient
from tradepost.notifications.models import Notification
from tradepost.notifications.placeholders import (
    TIMES,
    MessageAbout,
    order_path,
    part_of,
    placeholder_values,
    reason_text,
    when_text,
)
from tradepost.notifications.rendering import subject_render, template_render
from tradepost.notifications.selectors import email_template_list, marketplace_facts
from tradepost.notifications.services import email_queue, email_staff, notifications_add
from tradepost.orders.representation import mask_email, order_data
from tradepost.orders.selectors import order_get, order_timeline
from tradepost.orders.status import FulfilmentStatus

TITLE_LIMIT, BODY_LIMIT = 200, 1000  # Notification.title, .body


class Fanout:
    """What one batch needs, loaded once: the marketplace, the wording, the sellers concerned."""

    def __init__(self, events: Sequence[OutboxEvent]) -> None:
        self.marketplace = marketplace_facts()
        self.wording = {view.spec.key: view for view in email_template_list(actor=SYSTEM)}
        seller_ids = {seller_id for event in events for seller_id in event.seller_ids or []}
        self.sellers = {
            seller.slug: seller for seller in sellers_visible_to(SYSTEM).filter(pk__in=seller_ids)
        }
        self.notifications: list[Notification] = []

    def email(self, event: OutboxEvent, *, to: str, key: str, about: MessageAbout) -> None:
        values = placeholder_values(about, self.marketplace)
        wording = self.wording[key]
        subject = subject_render(wording.subject, values)
        body = template_render(wording.body, values)
        if SPECS[key].recipient is Recipient.SELLER:
            # No placeholder carries the buyer's address; this catches one typed into a name.
            buyer_email = about.order["buyer"]["email"]
            subject, body = _masked(subject, buyer_email), _masked(body, buyer_email)
        email_queue(
            to=[to],
            subject=subject,
            body=body,
            kind=key,
            event=event,
            order_number=about.order["number"],
        )

    def notify(
        self, event: OutboxEvent, *, seller: Seller, order: dict[str, Any], title: str, body: str
    ) -> None:
        buyer_email, number = order["buyer"]["email"], order["number"]
        self.notifications.append(
            Notification(
                seller=seller,
                kind=event.type,
                title=_masked(title, buyer_email)[:TITLE_LIMIT],
                body=_masked(body, buyer_email)[:BODY_LIMIT],
                link=order_path(number),
                order_number=number,
                event=event,
            )
        )

    def seller_of(self, part: dict[str, Any]) -> Seller | None:
        return self.sellers.get(part["seller"]["slug"])


def _masked(text: str, address: str) -> str:
    if not address:
        return text
    return re.sub(re.escape(address), mask_email(address), text, flags=re.IGNORECASE)


def _on_paid(fanout: Fanout, event: OutboxEvent) -> None:
    """The buyer's confirmation; each seller, its new order (email and dashboard)."""
    order = event.data["order"]
    fanout.email(
        event, to=order["buyer"]["email"], key="order_confirmed", about=MessageAbout(order)
    )
    for part in order["seller_orders"]:
        seller = fanout.seller_of(part)
        if part["status"] != FulfilmentStatus.PENDING or seller is None:
            continue  # parts canceled before the payment are nobody's work
        fanout.email(
            event, to=seller.email, key="seller_new_order", about=MessageAbout(order, part)
        )
        lines = ", ".join(f"{line['quantity']} {TIMES} {line['title']}" for line in part["lines"])
        total = format_money(part["total_amount"], order["currency"])
        fanout.notify(
            event,
            seller=seller,
            order=order,
            title=f"New order {order['number']} from {order['buyer']['name']}",
            body=f"{lines} — {total}. Acknowledge by {when_text(part['acknowledge_due_at'])}.",
        )


def _on_payment_failed(fanout: Fanout, event: OutboxEvent) -> None:
    order = event.data["order"]
    fanout.email(event, to=order["buyer"]["email"], key="payment_failed", about=MessageAbout(order))


def _email_buyer_about_part(fanout: Fanout, event: OutboxEvent, key: str) -> None:
    order = event.data["order"]
    part = part_of(order, event.data["seller_order"])
    if part is not None:
        fanout.email(event, to=order["buyer"]["email"], key=key, about=MessageAbout(order, part))


def _on_shipped(fanout: Fanout, event: OutboxEvent) -> None:
    _email_buyer_about_part(fanout, event, "order_shipped")


def _on_delivered(fanout: Fanout, event: OutboxEvent) -> None:
    _email_buyer_about_part(fanout, event, "order_delivered")


def _on_completed(fanout: Fanout, event: OutboxEvent) -> None:
    """The sale is done: the buyer is invited to review the seller's part."""
    _email_buyer_about_part(fanout, event, "review_invitation")


def _canceled_by(number: str, reference: str) -> str:
    """Who canceled the seller order: the role on its timeline's cancellation."""
    for row in reversed(order_timeline(actor=SYSTEM, number=number)):
        ours = row.seller_order is not None and row.seller_order.reference == reference
        if ours and row.to_status == FulfilmentStatus.CANCELED:
            return row.actor_role
    return ""


def _on_canceled(fanout: Fanout, event: OutboxEvent) -> None:
    """The buyer, always; the seller too when someone else canceled a paid part of its work."""
    _email_buyer_about_part(fanout, event, "order_canceled")
    order, reference = event.data["order"], event.data["seller_order"]
    part = part_of(order, reference)
    seller = fanout.seller_of(part) if part is not None else None
    if part is None or seller is None or not order["paid_at"]:
        return
    who = _canceled_by(order["number"], reference)
    if who in (Role.SELLER, ""):
        return
    fanout.notify(
        event,
        seller=seller,
        order=order,
        title=f"{reference} was canceled by the {'marketplace' if who == Role.OWNER else who}",
        body=f"Reason: {part['cancel_reason'].rstrip('.')}. Do not ship it; "
        "the buyer is refunded in full.",
    )


def _on_refund(fanout: Fanout, event: OutboxEvent) -> None:
    """The buyer hears of every refund; the seller of those a cancellation did not explain."""
    refund = event.data["refund"]
    order = order_data(order_get(actor=SYSTEM, number=refund["order"]), SYSTEM)
    part = part_of(order, refund["seller_order"])
    if part is None:
        return
    about = MessageAbout(order, part, refund)
    fanout.email(event, to=order["buyer"]["email"], key="refund_issued", about=about)
    seller = fanout.seller_of(part)
    if seller is None or refund["reason"] == "canceled":
        return
    amount = format_money(refund["amount"], refund["currency"])
    fanout.notify(
        event,
        seller=seller,
        order=order,
        title=f"Refund of {amount} on {part['reference']}",
        body=f"The marketplace refunded the buyer {amount} (reason: {reason_text(refund)}).",
    )


def _on_refund_request(fanout: Fanout, event: OutboxEvent) -> None:
    """The seller is told in its dashboard that a buyer asks for money back."""
    request = event.data["refund_request"]
    order = order_data(order_get(actor=SYSTEM, number=request["order"]), SYSTEM)
    part = part_of(order, request["seller_order"])
    seller = fanout.seller_of(part) if part is not None else None
    if seller is None:
        return
    fanout.notify(
        event,
        seller=seller,
        order=order,
        title=f"Refund requested on {request['seller_order']}",
        body=f"Reason: {request['reason'].replace('_', ' ')}. {request['note']}".strip()
        + " Approve or decline it on the order page.",
    )


def case_path(case: dict[str, Any]) -> str:
    return reverse("dashboard:case", args=[case["id"]])


def _on_dispute(fanout: Fanout, event: OutboxEvent) -> None:
    """Whoever must act on a case hears of it when it opens or the turn passes to them; the
    buyer and the seller both hear of its outcome. The owner's people hear of escalations."""
    case, order = event.data["case"], event.data["order"]
    if event.data["change"] == "overdue":
        follow_ups.on_dispute_overdue(fanout, event)
        return
    if event.type == "dispute.updated" and event.data["change"] != "status":
        return  # a message or an evidence pack does not pass the turn
    part = part_of(order, case["seller_order"])
    seller = fanout.seller_of(part) if part is not None else None
    kind, url = case["kind"].replace("_", " "), settings.TRADEPOST_PUBLIC_URL + case_path(case)
    if event.type == "dispute.resolved":
        outcome = (case["outcome"] or "").replace("_", " ")
        subject = f"The {kind} case on {case['seller_order']} is resolved: {outcome}"
        body = f"Outcome: {outcome}.\n\nSee the case: {url}"
        email_queue(
            to=[order["buyer"]["email"]],
            subject=subject,
            body=body,
            kind="dispute_resolved",
            event=event,
            order_number=order["number"],
        )
        if seller is not None:
            fanout.notify(event, seller=seller, order=order, title=subject, body=body)
        return
    due = when_text(case["due_at"])
    subject = f"Your answer is needed: {kind} case on {case['seller_order']}"
    body = f"{case['description'][:600]}\n\nPlease answer by {due}: {url}"
    if case["awaiting"] == Role.BUYER:
        email_queue(
            to=[order["buyer"]["email"]],
            subject=subject,
            body=body,
            kind="dispute_turn",
            event=event,
            order_number=order["number"],
        )
    elif case["awaiting"] == Role.SELLER and seller is not None:
        masked = _masked(body, order["buyer"]["email"])
        email_queue(
            to=[seller.email],
            subject=subject,
            body=masked,
            kind="dispute_turn",
            event=event,
            order_number=order["number"],
        )
        fanout.notify(event, seller=seller, order=order, title=subject, body=body)
    elif case["awaiting"] == Role.OWNER:
        email_staff(subject=f"To decide: {kind} case on {case['seller_order']}", body=body)


# The buyer's email at each decision on a return; a refund's email comes with refund.created.
RETURN_EMAILS = {
    "return.authorized": "return_authorized",
    "return.declined": "return_declined",
    "return.exchanged": "return_replacement_shipped",
}
# What the seller is told in its dashboard: the steps that put the return in its hands.
RETURN_NOTICES = {
    "return.requested": ("Return requested on {ref}", "Authorise or decline it on the order page."),
    "return.shipped_back": ("Return on its way back: {ref}", "Mark it received when it arrives."),
    "return.withdrawn": ("Return withdrawn on {ref}", "The buyer keeps the items."),
}


def _on_return(fanout: Fanout, event: OutboxEvent) -> None:
    returned = event.data["return"]
    order = order_data(order_get(actor=SYSTEM, number=returned["order"]), SYSTEM)
    part = part_of(order, returned["seller_order"])
    if part is None:
        return
    if event.type in RETURN_EMAILS:
        about = MessageAbout(order, part, returned=returned)
        fanout.email(event, to=order["buyer"]["email"], key=RETURN_EMAILS[event.type], about=about)
    seller = fanout.seller_of(part)
    if event.type in RETURN_NOTICES and seller is not None:
        title, hint = RETURN_NOTICES[event.type]
        units = ", ".join(
            f"{line['quantity']} {TIMES} {line['title']}" for line in returned["lines"]
        )
        fanout.notify(
            event,
            seller=seller,
            order=order,
            title=title.format(ref=returned["seller_order"]),
            body=f"{units} ({returned['reason'].replace('_', ' ')}). {hint}",
        )


HANDLERS: dict[str, Callable[[Fanout, OutboxEvent], None]] = {
    "order.paid": _on_paid,
    "order.payment_failed": _on_payment_failed,
    "order.shipped": _on_shipped,
    "order.delivered": _on_delivered,
    "order.completed": _on_completed,
    "order.canceled": _on_canceled,
    "refund.created": _on_refund,
    "dispute.opened": _on_dispute,
    "dispute.updated": _on_dispute,
    "dispute.resolved": _on_dispute,
    "refund_request.created": _on_refund_request,
    **dict.fromkeys((*RETURN_EMAILS, *RETURN_NOTICES), _on_return),
    "refund_request.approved": follow_ups.on_refund_request_decided,
    "refund_request.declined": follow_ups.on_refund_request_decided,
    "message.created": follow_ups.on_message,
    "order.sla_reminder": follow_ups.on_sla_reminder,
    "order.late": follow_ups.on_late,
    "order.delivery_confirmation_requested": follow_ups.on_delivery_confirmation,
}


def queue_notifications(events: Sequence[OutboxEvent]) -> None:
    """Emails and dashboard notifications for the events that concern people."""
    relevant = [event for event in events if event.type in HANDLERS]
    if not relevant:
        return
    fanout = Fanout(relevant)
    for event in relevant:
        HANDLERS[event.type](fanout, event)
    notifications_add(fanout.notifications)
