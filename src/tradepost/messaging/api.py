"""Messaging API: a seller order's thread (read, post, mark read), the caller's threads and unread
counts, and sellers' reply templates."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from tradepost.accounts.auth import request_actor
from tradepost.core.schemas import READ_ERRORS, WRITE_ERRORS
from tradepost.messaging import selectors, services
from tradepost.messaging.representation import (
    message_data,
    reply_template_data,
    thread_head,
    thread_summary,
    unread_row,
)
from tradepost.messaging.schemas import (
    MessageListQuery,
    MessageOut,
    MessagePostIn,
    RenderedReplyOut,
    ReplyTemplateCreateIn,
    ReplyTemplateListQuery,
    ReplyTemplateOut,
    ReplyTemplateRenderIn,
    ReplyTemplateUpdateIn,
    ThreadHeadOut,
    ThreadListOut,
    ThreadListQuery,
    ThreadPageOut,
    UnreadOut,
    UnreadQuery,
)

router = Router(tags=["messages"])


@router.get("/seller-orders/{reference}/messages", response={200: ThreadPageOut, **READ_ERRORS})
def list_messages(
    request: HttpRequest, reference: str, query: Query[MessageListQuery]
) -> dict[str, Any]:
    """The seller order's conversation, oldest first (``sort=-created_at``: newest first), by
    cursor. Reading does not mark it read: ``POST …/messages/read`` does."""
    view, page = selectors.message_list(
        actor=request_actor(request),
        reference=reference,
        sort=query.sort,
        limit=query.limit,
        cursor=query.cursor,
    )
    return {
        **thread_head(view),
        "items": [message_data(message, view) for message in page.items],
        "next_cursor": page.next_cursor,
    }


@router.post("/seller-orders/{reference}/messages", response={201: MessageOut, **WRITE_ERRORS})
def post_message(
    request: HttpRequest, reference: str, payload: MessagePostIn
) -> tuple[int, dict[str, Any]]:
    """Buyer, seller or owner: write to the other side. Attach files by uploading them first
    (``POST /attachments``) and listing their ids."""
    view = services.message_post(
        actor=request_actor(request),
        reference=reference,
        body=payload.body,
        attachment_ids=payload.attachment_ids,
    )
    return 201, message_data(view.messages[0], view)


@router.post(
    "/seller-orders/{reference}/messages/read", response={200: ThreadHeadOut, **WRITE_ERRORS}
)
def read_messages(request: HttpRequest, reference: str) -> dict[str, Any]:
    """Mark the thread read up to now, for your whole party (you and your team)."""
    view = services.thread_mark_read(actor=request_actor(request), reference=reference)
    return thread_head(view)


@router.get("/messages/threads", response={200: ThreadListOut, **READ_ERRORS})
def list_threads(request: HttpRequest, query: Query[ThreadListQuery]) -> dict[str, Any]:
    """Your conversations, latest activity first: the owner sees every one."""
    actor = request_actor(request)
    party = selectors.party_of(actor)
    page = selectors.thread_list(
        actor=actor, unread_only=query.unread, limit=query.limit, cursor=query.cursor
    )
    return {
        "items": [thread_summary(thread, party) for thread in page.items],
        "next_cursor": page.next_cursor,
    }


@router.get("/messages/unread", response={200: UnreadOut, **READ_ERRORS})
def unread_messages(request: HttpRequest, query: Query[UnreadQuery]) -> dict[str, Any]:
    """How many messages your party has not read, in all and per thread. The owner counts only
    the threads it has joined (written in)."""
    actor = request_actor(request)
    party = selectors.party_of(actor)
    page = selectors.thread_list(
        actor=actor, unread_only=True, limit=query.limit, cursor=query.cursor
    )
    return {
        "total": selectors.unread_total(actor=actor),
        "threads": [unread_row(thread, party) for thread in page.items],
        "next_cursor": page.next_cursor,
    }


@router.get("/reply-templates", response={200: list[ReplyTemplateOut], **READ_ERRORS})
def list_reply_templates(
    request: HttpRequest, query: Query[ReplyTemplateListQuery]
) -> list[dict[str, Any]]:
    """The built-in templates, then the seller's own; the owner sees every seller's."""
    views = selectors.reply_template_list(actor=request_actor(request), seller_slug=query.seller)
    return [reply_template_data(view) for view in views]


@router.post("/reply-templates", response={201: ReplyTemplateOut, **WRITE_ERRORS})
def create_reply_template(
    request: HttpRequest, payload: ReplyTemplateCreateIn
) -> tuple[int, dict[str, Any]]:
    """Seller: add a template. An unknown placeholder or a stray brace is a 422 naming it."""
    view = services.reply_template_create(
        actor=request_actor(request),
        name=payload.name,
        body=payload.body,
        seller_slug=payload.seller,
    )
    return 201, reply_template_data(view)


@router.get("/reply-templates/{template_id}", response={200: ReplyTemplateOut, **READ_ERRORS})
def get_reply_template(request: HttpRequest, template_id: str) -> dict[str, Any]:
    view = selectors.reply_template_get(actor=request_actor(request), template_id=template_id)
    return reply_template_data(view)


@router.patch("/reply-templates/{template_id}", response={200: ReplyTemplateOut, **WRITE_ERRORS})
def update_reply_template(
    request: HttpRequest, template_id: str, payload: ReplyTemplateUpdateIn
) -> dict[str, Any]:
    """Seller: rename or reword one of your own templates (the built-ins are read-only)."""
    view = services.reply_template_update(
        actor=request_actor(request),
        template_id=template_id,
        name=payload.name,
        body=payload.body,
    )
    return reply_template_data(view)


@router.delete("/reply-templates/{template_id}", response={204: None, **WRITE_ERRORS})
def delete_reply_template(request: HttpRequest, template_id: str) -> tuple[int, None]:
    services.reply_template_delete(actor=request_actor(request), template_id=template_id)
    return 204, None


@router.post(
    "/reply-templates/{template_id}/render", response={200: RenderedReplyOut, **WRITE_ERRORS}
)
def render_reply_template(
    request: HttpRequest, template_id: str, payload: ReplyTemplateRenderIn
) -> dict[str, Any]:
    """The template filled in from one of your seller orders, to edit and post. Sends nothing."""
    rendered = selectors.reply_template_render(
        actor=request_actor(request), template_id=template_id, reference=payload.seller_order
    )
    return {"body": rendered.body, "missing": rendered.missing}
