"""Factories for the timeline row and the outbox event of a new message; the only place either is
built for messaging. Both are returned unsaved, for the service to write with the message."""

from __future__ import annotations

from typing import Any

from tradepost.core.actors import Actor
from tradepost.core.models import OutboxEvent
from tradepost.core.outbox import outbox_event
from tradepost.messaging.models import Message
from tradepost.orders.events import timeline_event
from tradepost.orders.models import OrderEvent, SellerOrder

EXCERPT_LENGTH = 120


def excerpt(text: str, length: int = EXCERPT_LENGTH) -> str:
    """The start of a message on one line, cut at a word: for timelines and inboxes."""
    flat = " ".join(text.split())
    if len(flat) <= length:
        return flat
    return flat[:length].rsplit(" ", 1)[0] + "…"


def message_posted_event(
    *, actor: Actor, seller_order: SellerOrder, message: Message, safe_body: str, files: int
) -> OrderEvent:
    """On the seller order's part of the timeline, so other sellers never see it. ``safe_body``
    is the text with the buyer's address masked: sellers read the timeline too."""
    with_files = f" with {files} attachment{'s' if files != 1 else ''}" if files else ""
    quoted = f": “{excerpt(safe_body)}”" if safe_body else ""
    return timeline_event(
        order=seller_order.order,
        seller_order=seller_order,
        actor=actor,
        kind="message.posted",
        message=f"{seller_order.reference}: message{with_files}{quoted}",
        details={"message_id": str(message.public_id), "attachments": files},
    )


def message_created_event(*, seller_order: SellerOrder, message: dict[str, Any]) -> OutboxEvent:
    """``message.created``, for the owner's endpoints and the seller's own. ``message`` is
    ``messaging.representation.message_event_data``: no email address of the buyer's in it."""
    return outbox_event(
        type="message.created",
        data={"message": message},
        order_number=seller_order.order.number,
        seller_ids=[seller_order.seller_id],
    )
