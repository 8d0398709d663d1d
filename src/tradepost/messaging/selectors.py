"""Every read of messaging, scoped to the actor: a thread exists for you only if its seller order
does (the buyer's own, the seller's own, every one for the owner)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from django.db.models import F, Prefetch, QuerySet, Sum, Window
from django.db.models.functions import RowNumber

from tradepost.catalog.selectors import marketplace_get
from tradepost.core.actors import Actor, Role
from tradepost.core.errors import NotFound, ValidationFailed
from tradepost.core.pagination import Page, paginate
from tradepost.core.text_templates import placeholders_in, template_render
from tradepost.messaging.models import Message, MessageAttachment, Party, ReplyTemplate, Thread
from tradepost.messaging.reply_templates import BUILTINS, BuiltinTemplate, placeholder_values
from tradepost.orders.models import OrderLine, SellerOrder, Shipment
from tradepost.orders.selectors import seller_order_reference_scope, seller_orders_visible_to

PARTIES = {Role.BUYER: Party.BUYER, Role.SELLER: Party.SELLER, Role.OWNER: Party.OWNER}


@dataclass
class ThreadView:
    """A seller order's conversation as one party sees it; ``thread`` is None before the first
    message. ``messages`` is filled in by the selectors that load them."""

    seller_order: SellerOrder
    thread: Thread | None
    party: Party
    messages: list[Message] = field(default_factory=list)

    @property
    def unread_count(self) -> int:
        return unread_count(self.thread, self.party) if self.thread else 0

    @property
    def read_at(self) -> datetime | None:
        return getattr(self.thread, f"{self.party}_read_at") if self.thread else None

    @property
    def message_count(self) -> int:
        return self.thread.message_count if self.thread else 0


@dataclass(frozen=True)
class ReplyTemplateView:
    """A built-in template or a seller's own, as the API shows either."""

    id: str
    name: str
    body: str
    builtin: bool
    seller_slug: str | None = None
    seller_id: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class RenderedReply:
    body: str
    missing: list[str]  # placeholders the seller order has no value for yet, left as written


def party_of(actor: Actor) -> Party:
    party = PARTIES.get(actor.role)
    if party is None:
        raise NotFound("No conversations.")
    return party


def unread_count(thread: Thread, party: Party) -> int:
    return int(getattr(thread, f"{party}_unread"))


def threads_visible_to(actor: Actor) -> QuerySet[Thread]:
    threads = Thread.objects.all()
    if actor.role is Role.SELLER:
        return threads.filter(seller_id=actor.seller_pk)
    if actor.role is Role.BUYER:
        return threads.filter(buyer_id=actor.buyer_pk)
    if actor.role is Role.OWNER:
        return threads
    return threads.none()


def message_attachments_visible_to(actor: Actor) -> QuerySet[Any]:
    """The attachments scope of ``TRADEPOST_ATTACHMENT_SCOPES``: files on threads you may see."""
    return MessageAttachment.objects.filter(message__thread__in=threads_visible_to(actor)).values(
        "attachment_id"
    )


def _attachments() -> Prefetch[Any]:
    return Prefetch(
        "attached",
        queryset=MessageAttachment.objects.select_related("attachment").order_by("position"),
    )


def thread_get(*, actor: Actor, reference: str) -> ThreadView:
    """The seller order (with its order, buyer and seller) and its thread, in one query."""
    party = party_of(actor)
    seller_order = (
        SellerOrder.objects.filter(seller_order_reference_scope(actor=actor, reference=reference))
        .select_related("order__buyer", "seller", "thread")
        .first()
    )
    if seller_order is None:
        raise NotFound(f"No seller order {reference}.")
    return ThreadView(seller_order, getattr(seller_order, "thread", None), party)


def message_list(
    *, actor: Actor, reference: str, sort: str, limit: int, cursor: str | None
) -> tuple[ThreadView, Page[Message]]:
    """One page of the thread, oldest first (``created_at``) or newest first (``-created_at``),
    with each message's attachments: three queries, however long the page."""
    view = thread_get(actor=actor, reference=reference)
    messages = Message.objects.filter(thread=view.thread).prefetch_related(_attachments())
    if view.thread is None:
        messages = messages.none()
    return view, paginate(messages, sort=sort, limit=limit, cursor=cursor)


def message_with_attachments(message_id: int) -> Message:
    return Message.objects.prefetch_related(_attachments()).get(pk=message_id)


def order_threads(*, actor: Actor, references: list[str], latest: int) -> dict[str, ThreadView]:
    """The threads of these seller orders that the actor sees, by reference, each with its
    ``latest`` messages oldest first. Seller orders without a message yet have no entry. Three
    queries, however many seller orders and messages."""
    party = party_of(actor)
    threads = list(
        threads_visible_to(actor)
        .filter(seller_order__reference__in=references)
        .select_related("seller_order__order__buyer", "seller_order__seller")
    )
    if not threads:
        return {}
    newest_first = Window(
        RowNumber(),
        partition_by=[F("thread_id")],
        order_by=[F("created_at").desc(), F("id").desc()],
    )
    recent = (
        Message.objects.filter(thread__in=threads)
        .annotate(recency=newest_first)
        .filter(recency__lte=latest)
        .prefetch_related(_attachments())
        .order_by("created_at", "id")
    )
    by_thread: dict[int, list[Message]] = {}
    for message in recent:
        by_thread.setdefault(message.thread_id, []).append(message)
    views = {}
    for thread in threads:
        views[thread.seller_order.reference] = ThreadView(
            thread.seller_order, thread, party, by_thread.get(thread.pk, [])
        )
    return views


def _inbox(actor: Actor, *, unread_only: bool) -> QuerySet[Thread]:
    party = party_of(actor)
    threads = threads_visible_to(actor).select_related(
        "seller_order__order__buyer", "seller_order__seller", "last_message"
    )
    if unread_only:
        threads = threads.filter(**{f"{party}_unread__gt": 0})
    return threads


def thread_list(
    *, actor: Actor, unread_only: bool = False, limit: int, cursor: str | None
) -> Page[Thread]:
    """The actor's conversations, latest activity first (one query)."""
    threads = _inbox(actor, unread_only=unread_only)
    return paginate(threads, sort="-last_message_at", limit=limit, cursor=cursor)


def unread_total(*, actor: Actor) -> int:
    """Unread messages over all the actor's threads: one sum over a partial index."""
    if actor.role not in PARTIES:
        return 0
    party = party_of(actor)
    column = f"{party}_unread"
    unread = threads_visible_to(actor).filter(**{f"{column}__gt": 0})
    return int(unread.aggregate(total=Sum(column))["total"] or 0)


def reply_templates_visible_to(actor: Actor) -> QuerySet[ReplyTemplate]:
    """A seller's members see its own templates; the owner every seller's; buyers have none."""
    templates = ReplyTemplate.objects.select_related("seller")
    if actor.role is Role.SELLER:
        return templates.filter(seller_id=actor.seller_pk)
    if actor.role is Role.OWNER:
        return templates
    return templates.none()


def _require_template_user(actor: Actor) -> None:
    if actor.role not in (Role.SELLER, Role.OWNER):
        raise NotFound("No reply templates.")


def _builtin_view(builtin: BuiltinTemplate) -> ReplyTemplateView:
    return ReplyTemplateView(id=builtin.key, name=builtin.name, body=builtin.body, builtin=True)


def reply_template_view(template: ReplyTemplate) -> ReplyTemplateView:
    return ReplyTemplateView(
        id=str(template.public_id),
        name=template.name,
        body=template.body,
        builtin=False,
        seller_slug=template.seller.slug,
        seller_id=template.seller_id,
        created_at=template.created_at,
        updated_at=template.updated_at,
    )


def reply_template_list(*, actor: Actor, seller_slug: str = "") -> list[ReplyTemplateView]:
    """The built-in templates, then the seller's own by name (the owner: every seller's, or one
    seller's with ``seller_slug``). One query."""
    _require_template_user(actor)
    own = reply_templates_visible_to(actor).order_by("seller__slug", "name", "id")
    if seller_slug:
        own = own.filter(seller__slug=seller_slug)
    builtins = [_builtin_view(builtin) for builtin in BUILTINS.values()]
    return builtins + [reply_template_view(template) for template in own]


def reply_template_row(*, actor: Actor, template_id: str) -> ReplyTemplate:
    """One of the seller's own templates (not a built-in), for a service to change."""
    _require_template_user(actor)
    try:
        public_id = UUID(template_id)
    except ValueError:
        raise NotFound(f"No reply template {template_id}.") from None
    template = reply_templates_visible_to(actor).filter(public_id=public_id).first()
    if template is None:
        raise NotFound(f"No reply template {template_id}.")
    return template


def reply_template_get(*, actor: Actor, template_id: str) -> ReplyTemplateView:
    _require_template_user(actor)
    builtin = BUILTINS.get(template_id)
    if builtin is not None:
        return _builtin_view(builtin)
    return reply_template_view(reply_template_row(actor=actor, template_id=template_id))


def reply_template_render(*, actor: Actor, template_id: str, reference: str) -> RenderedReply:
    """The template filled in from one of the actor's seller orders; nothing is sent."""
    template = reply_template_get(actor=actor, template_id=template_id)
    seller_order = (
        seller_orders_visible_to(actor)
        .filter(reference=reference.strip().upper())
        .select_related("order", "seller")
        .prefetch_related(
            Prefetch("lines", queryset=OrderLine.objects.order_by("id")),
            Prefetch("shipments", queryset=Shipment.objects.order_by("id")),
        )
        .first()
    )
    if seller_order is None:
        raise ValidationFailed("seller_order", f"there is no seller order {reference} of yours")
    if template.seller_id is not None and template.seller_id != seller_order.seller_id:
        raise ValidationFailed("seller_order", "belongs to another seller than this template")
    values = placeholder_values(
        order=seller_order.order,
        seller_order=seller_order,
        lines=list(seller_order.lines.all()),
        shipments=list(seller_order.shipments.all()),
        delivery_days=marketplace_get().delivery_estimate_days,
    )
    missing = [name for name in placeholders_in(template.body) if name not in values]
    return RenderedReply(body=template_render(template.body, values), missing=missing)
