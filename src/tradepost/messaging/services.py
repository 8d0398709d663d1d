"""Writes for messaging: post a message, mark threads read, keep reply templates.

Posting is one unit of work: the thread is locked (made with the first message), the attachments
claimed, and the message, the unread counts, the timeline row and the ``message.created`` outbox
event are written together.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from django.db import IntegrityError, transaction

from tradepost.attachments.services import attachments_claim
from tradepost.catalog.models import Seller
from tradepost.core import clock
from tradepost.core.actors import Actor, Role
from tradepost.core.errors import NotFound, PermissionDenied, ValidationFailed
from tradepost.core.outbox import publish
from tradepost.core.transactions import unit_of_work
from tradepost.messaging.events import message_created_event, message_posted_event
from tradepost.messaging.models import Message, MessageAttachment, Party, ReplyTemplate, Thread
from tradepost.messaging.reply_templates import BUILTINS, reply_template_check
from tradepost.messaging.representation import body_for, message_event_data
from tradepost.messaging.selectors import (
    ReplyTemplateView,
    ThreadView,
    message_with_attachments,
    party_of,
    reply_template_row,
    reply_template_view,
    thread_get,
    threads_visible_to,
)
from tradepost.orders.models import SellerOrder

BODY_MAX_LENGTH = 5000
MAX_ATTACHMENTS = 10


def message_post(
    *, actor: Actor, reference: str, body: str, attachment_ids: Sequence[UUID | str] = ()
) -> ThreadView:
    """The buyer, the seller or the owner writes on the seller order's thread, with text, files
    the actor uploaded (``attachments_upload``), or both. Returns the thread with the message."""
    body = body.strip()
    if not body and not attachment_ids:
        raise ValidationFailed("body", "write a message or attach a file")
    if len(body) > BODY_MAX_LENGTH:
        raise ValidationFailed("body", f"must be at most {BODY_MAX_LENGTH} characters")
    if len(attachment_ids) > MAX_ATTACHMENTS:
        raise ValidationFailed("attachment_ids", f"attach at most {MAX_ATTACHMENTS} files")
    with unit_of_work():
        view = thread_get(actor=actor, reference=reference)  # 404 outside the actor's scope
        seller_order = view.seller_order
        thread = _locked_thread(seller_order)
        attachments = attachments_claim(actor=actor, attachment_ids=attachment_ids)
        message = Message.objects.create(
            thread=thread,
            author_party=view.party,
            author_user_id=actor.user_id,
            author_label=actor.label,
            body=body,
            created_at=clock.now(),
        )
        MessageAttachment.objects.bulk_create(
            [
                MessageAttachment(message=message, attachment=attachment, position=position)
                for position, attachment in enumerate(attachments)
            ]
        )
        _count_new_message(thread, message)
        message = message_with_attachments(message.pk)
        message_posted_event(
            actor=actor,
            seller_order=seller_order,
            message=message,
            safe_body=body_for(body, seller_order, Party.SELLER),
            files=len(attachments),
        ).save()
        publish(
            message_created_event(
                seller_order=seller_order, message=message_event_data(message, seller_order)
            )
        )
    return ThreadView(seller_order, thread, view.party, [message])


def _locked_thread(seller_order: SellerOrder) -> Thread:
    """The seller order's thread, locked; the first message makes it (a racing first message
    waits on the unique seller order, then finds this one)."""
    thread = Thread.objects.select_for_update(no_key=True).filter(seller_order=seller_order).first()
    if thread is not None:
        return thread
    Thread.objects.get_or_create(
        seller_order=seller_order,
        defaults={"seller_id": seller_order.seller_id, "buyer_id": seller_order.order.buyer_id},
    )
    return Thread.objects.select_for_update(no_key=True).get(seller_order=seller_order)


def _count_new_message(thread: Thread, message: Message) -> None:
    """The author's party has read what it answers; every other party in the thread has one more
    unread message. The owner is a party once it has posted."""
    author = Party(message.author_party)
    now = message.created_at
    if author is Party.OWNER and thread.owner_joined_at is None:
        thread.owner_joined_at = now
    for party in Party:
        if party is author:
            setattr(thread, f"{party}_unread", 0)
            setattr(thread, f"{party}_read_at", now)
        elif party is not Party.OWNER or thread.owner_joined_at is not None:
            setattr(thread, f"{party}_unread", getattr(thread, f"{party}_unread") + 1)
    thread.last_message = message
    thread.last_message_at = now
    thread.message_count += 1
    thread.save(
        update_fields=[
            *(f"{party}_{field}" for party in Party for field in ("unread", "read_at")),
            "owner_joined_at",
            "last_message",
            "last_message_at",
            "message_count",
            "updated_at",
        ]
    )


def thread_mark_read(*, actor: Actor, reference: str) -> ThreadView:
    """Everything on the thread up to now is read, for the actor's whole party (a thread with
    nothing unread is left as it is)."""
    with unit_of_work():
        view = thread_get(actor=actor, reference=reference)
        if view.thread is not None:
            threads_mark_read(actor=actor, threads=[view.thread])
        return view


def threads_mark_read(*, actor: Actor, threads: Sequence[Thread]) -> None:
    """Mark these threads read up to now for the actor's party (the order page, on view). Threads
    with nothing unread are left alone, so a page that shows nothing new writes nothing."""
    party = party_of(actor)
    unread = [thread.pk for thread in threads if getattr(thread, f"{party}_unread")]
    if not unread:
        return
    with unit_of_work():
        # Locked first, so "now" is after any message that was being posted meanwhile.
        locked = list(
            threads_visible_to(actor)
            .select_for_update(no_key=True)
            .filter(pk__in=unread)
            .values_list("pk", flat=True)
        )
        now = clock.now()
        Thread.objects.filter(pk__in=locked).update(
            **{f"{party}_unread": 0, f"{party}_read_at": now}
        )
    for thread in threads:
        if thread.pk in locked:
            setattr(thread, f"{party}_unread", 0)
            setattr(thread, f"{party}_read_at", now)


def _template_seller(actor: Actor, seller_slug: str) -> int:
    if actor.role is Role.SELLER:
        return actor.seller_pk
    if actor.role is not Role.OWNER:
        raise PermissionDenied("Only sellers and the marketplace keep reply templates.")
    if not seller_slug:
        raise ValidationFailed("seller", "name the seller the template is for")
    seller_id = Seller.objects.filter(slug=seller_slug).values_list("pk", flat=True).first()
    if seller_id is None:
        raise ValidationFailed("seller", f"there is no seller {seller_slug}")
    return seller_id


def _saved(template: ReplyTemplate) -> ReplyTemplate:
    """Save, refusing a second template of the same name for the seller."""
    try:
        with transaction.atomic():
            template.save()
    except IntegrityError:
        raise ValidationFailed(
            "name", f"there is already a reply template called “{template.name}”"
        ) from None
    return template


def reply_template_create(
    *, actor: Actor, name: str, body: str, seller_slug: str = ""
) -> ReplyTemplateView:
    """A seller adds its own template (the owner adds one for a seller). Every placeholder must be
    one of ``reply_templates.PLACEHOLDERS``, else a 422 naming it."""
    with unit_of_work():
        seller_id = _template_seller(actor, seller_slug)
        name, body = reply_template_check(name=name, body=body)
        template = _saved(
            ReplyTemplate(seller_id=seller_id, name=name, body=body, updated_by_id=actor.user_id)
        )
        return reply_template_view(
            ReplyTemplate.objects.select_related("seller").get(pk=template.pk)
        )


def _own_template_locked(actor: Actor, template_id: str) -> ReplyTemplate:
    if template_id in BUILTINS and actor.role in (Role.SELLER, Role.OWNER):
        raise PermissionDenied(
            "The built-in templates cannot be changed or deleted; add your own instead."
        )
    template = reply_template_row(actor=actor, template_id=template_id)
    locked = (
        ReplyTemplate.objects.select_for_update(no_key=True)
        .select_related("seller")
        .filter(pk=template.pk)
        .first()
    )
    if locked is None:
        raise NotFound(f"No reply template {template_id}.")
    return locked


def reply_template_update(
    *, actor: Actor, template_id: str, name: str | None = None, body: str | None = None
) -> ReplyTemplateView:
    """Reword or rename one of the seller's own templates."""
    with unit_of_work():
        template = _own_template_locked(actor, template_id)
        template.name, template.body = reply_template_check(
            name=template.name if name is None else name,
            body=template.body if body is None else body,
        )
        template.updated_by_id = actor.user_id
        return reply_template_view(_saved(template))


def reply_template_delete(*, actor: Actor, template_id: str) -> None:
    with unit_of_work():
        _own_template_locked(actor, template_id).delete()
