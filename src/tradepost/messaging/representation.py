"""Messages, threads and reply templates as the API shows them, as JSON-ready dicts.

Who wrote a message is worded for the viewer, as the timeline words its actors: only the owner sees
people's own names; a buyer sees the seller's name, a seller the buyer's name, and neither the
staff's. A seller never sees the buyer's email address: none of these shapes carries it, and one
typed into a message is masked for sellers (and in webhooks, which sellers receive).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from tradepost.attachments.representation import attachment_data
from tradepost.messaging.events import excerpt
from tradepost.messaging.models import Message, Party, Thread
from tradepost.messaging.selectors import ReplyTemplateView, ThreadView, unread_count
from tradepost.orders.models import SellerOrder
from tradepost.orders.representation import mask_email

MARKETPLACE = "Marketplace"


def buyer_addresses(seller_order: SellerOrder) -> list[str]:
    """The buyer's addresses: the one given at checkout and the account's (loaded with it)."""
    order = seller_order.order
    return [address for address in {order.buyer_email, order.buyer.email} if address]


def masked(text: str, addresses: Iterable[str]) -> str:
    for address in addresses:
        text = re.sub(re.escape(address), mask_email(address), text, flags=re.IGNORECASE)
    return text


def body_for(text: str, seller_order: SellerOrder, viewer: Party) -> str:
    return masked(text, buyer_addresses(seller_order)) if viewer is Party.SELLER else text


def author_name(message: Message, seller_order: SellerOrder, viewer: Party) -> str:
    author = Party(message.author_party)
    if author is Party.BUYER:
        return "You" if viewer is Party.BUYER else seller_order.order.buyer_name
    if author is Party.SELLER:
        if viewer is Party.BUYER:
            return seller_order.seller.name
        if viewer is Party.OWNER:
            return f"{seller_order.seller.name} ({message.author_label})"
        return message.author_label  # a seller reading its own team's messages
    return message.author_label if viewer is Party.OWNER else MARKETPLACE


def public_author_name(message: Message, seller_order: SellerOrder) -> str:
    """The author as integrators are told: the buyer's or the seller's name, or the marketplace."""
    if message.author_party == Party.SELLER:
        return seller_order.seller.name
    return author_name(message, seller_order, Party.SELLER)


def is_unread(message: Message, view: ThreadView) -> bool:
    """From another party, and newer than the viewer's party last read the thread."""
    if message.author_party == view.party:
        return False
    return view.read_at is None or message.created_at > view.read_at


def message_data(message: Message, view: ThreadView) -> dict[str, Any]:
    seller_order = view.seller_order
    return {
        "id": str(message.public_id),
        "seller_order": seller_order.reference,
        "author": {
            "party": message.author_party,
            "name": author_name(message, seller_order, view.party),
            "is_you": message.author_party == view.party,
        },
        "body": body_for(message.body, seller_order, view.party),
        "attachments": [attachment_data(link.attachment) for link in message.attached.all()],
        "created_at": message.created_at.isoformat(),
        "unread": is_unread(message, view),
    }


def message_event_data(message: Message, seller_order: SellerOrder) -> dict[str, Any]:
    """The message as ``message.created`` carries it, to the owner's and the seller's endpoints:
    the seller's view, with the author named as the seller would see them."""
    return {
        "id": str(message.public_id),
        "seller_order": seller_order.reference,
        "order_number": seller_order.order.number,
        "author": {
            "party": message.author_party,
            "name": public_author_name(message, seller_order),
        },
        "body": masked(message.body, buyer_addresses(seller_order)),
        "attachments": [attachment_data(link.attachment) for link in message.attached.all()],
        "created_at": message.created_at.isoformat(),
    }


def thread_head(view: ThreadView) -> dict[str, Any]:
    """What a thread is about and where the viewer stands in it."""
    seller_order = view.seller_order
    thread = view.thread
    return {
        "seller_order": seller_order.reference,
        "order_number": seller_order.order.number,
        "seller": {"slug": seller_order.seller.slug, "name": seller_order.seller.name},
        "buyer": {"name": seller_order.order.buyer_name},
        "owner_joined": bool(thread and thread.owner_joined_at),
        "message_count": view.message_count,
        "unread_count": view.unread_count,
        "read_at": view.read_at.isoformat() if view.read_at else None,
    }


def thread_summary(thread: Thread, viewer: Party) -> dict[str, Any]:
    """An inbox row; the thread comes with its seller order, order, seller and last message."""
    seller_order = thread.seller_order
    view = ThreadView(seller_order, thread, viewer)
    last = thread.last_message
    return {
        **thread_head(view),
        "last_message_at": thread.last_message_at.isoformat(),
        "last_message": None
        if last is None
        else {
            "author": {
                "party": last.author_party,
                "name": author_name(last, seller_order, viewer),
                "is_you": last.author_party == viewer,
            },
            "excerpt": excerpt(body_for(last.body, seller_order, viewer)),
            "created_at": last.created_at.isoformat(),
        },
    }


def unread_row(thread: Thread, viewer: Party) -> dict[str, Any]:
    return {
        "seller_order": thread.seller_order.reference,
        "order_number": thread.seller_order.order.number,
        "unread_count": unread_count(thread, viewer),
        "last_message_at": thread.last_message_at.isoformat(),
    }


def reply_template_data(view: ReplyTemplateView) -> dict[str, Any]:
    return {
        "id": view.id,
        "name": view.name,
        "body": view.body,
        "builtin": view.builtin,
        "seller": view.seller_slug,
        "created_at": view.created_at.isoformat() if view.created_at else None,
        "updated_at": view.updated_at.isoformat() if view.updated_at else None,
    }
