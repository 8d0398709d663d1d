"""Messaging API shapes: threads and their messages, unread counts, reply templates."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from ninja import Field, Schema

from tradepost.attachments.schemas import AttachmentOut
from tradepost.core.schemas import InputSchema
from tradepost.messaging.reply_templates import BODY_MAX_LENGTH as TEMPLATE_BODY_MAX_LENGTH
from tradepost.messaging.reply_templates import NAME_MAX_LENGTH
from tradepost.messaging.services import BODY_MAX_LENGTH, MAX_ATTACHMENTS


class AuthorOut(Schema):
    party: str = Field(description="buyer, seller or owner")
    name: str = Field(description="Worded for you: the owner alone sees people's own names.")
    is_you: bool = Field(description="Written by your party (you, your team, or the staff).")


class MessageOut(Schema):
    id: str
    seller_order: str
    author: AuthorOut
    body: str
    attachments: list[AttachmentOut]
    created_at: datetime
    unread: bool = Field(description="From another party, since your party last read the thread.")


class SellerRefOut(Schema):
    slug: str
    name: str


class BuyerRefOut(Schema):
    name: str


class ThreadHeadOut(Schema):
    seller_order: str
    order_number: str
    seller: SellerRefOut
    buyer: BuyerRefOut = Field(description="The buyer's name only: never their email address.")
    owner_joined: bool = Field(description="The marketplace has written in this thread.")
    message_count: int
    unread_count: int = Field(description="Messages your party has not read.")
    read_at: datetime | None = Field(description="When your party last read the thread.")


class ThreadPageOut(ThreadHeadOut):
    items: list[MessageOut]
    next_cursor: str | None


class MessageListQuery(Schema):
    sort: Literal["created_at", "-created_at"] = Field(
        "created_at", description="created_at: oldest first (default); -created_at: newest first."
    )
    limit: int = Field(50, ge=1, le=100)
    cursor: str | None = None


class MessagePostIn(InputSchema):
    body: str = Field("", max_length=BODY_MAX_LENGTH, description="Required unless files go.")
    attachment_ids: list[UUID] = Field(
        default_factory=list,
        max_length=MAX_ATTACHMENTS,
        description="Ids from POST /attachments, uploaded by you and not attached yet.",
    )


class LastMessageOut(Schema):
    author: AuthorOut
    excerpt: str
    created_at: datetime


class ThreadSummaryOut(ThreadHeadOut):
    last_message_at: datetime
    last_message: LastMessageOut | None


class ThreadListQuery(Schema):
    unread: bool = Field(False, description="Only threads with messages your party has not read.")
    limit: int = Field(50, ge=1, le=100)
    cursor: str | None = None


class ThreadListOut(Schema):
    items: list[ThreadSummaryOut]
    next_cursor: str | None


class UnreadThreadOut(Schema):
    seller_order: str
    order_number: str
    unread_count: int
    last_message_at: datetime


class UnreadQuery(Schema):
    limit: int = Field(100, ge=1, le=500)
    cursor: str | None = None


class UnreadOut(Schema):
    total: int = Field(description="Unread messages over all your threads.")
    threads: list[UnreadThreadOut] = Field(
        description="Threads with unread messages, latest first."
    )
    next_cursor: str | None


class ReplyTemplateOut(Schema):
    id: str = Field(description="'shipped' and 'delivered' for the built-ins; else a UUID.")
    name: str
    body: str
    builtin: bool = Field(
        description="Built in (read-only, every seller has it) or a seller's own."
    )
    seller: str | None = Field(description="The seller it belongs to; null for the built-ins.")
    created_at: datetime | None
    updated_at: datetime | None


class ReplyTemplateListQuery(Schema):
    seller: str = Field("", description="Owner: one seller's templates only.")


class ReplyTemplateCreateIn(InputSchema):
    name: str = Field(min_length=1, max_length=NAME_MAX_LENGTH)
    body: str = Field(min_length=1, max_length=TEMPLATE_BODY_MAX_LENGTH)
    seller: str = Field("", description="Owner only: the seller the template is for.")


class ReplyTemplateUpdateIn(InputSchema):
    name: str | None = Field(None, min_length=1, max_length=NAME_MAX_LENGTH)
    body: str | None = Field(None, min_length=1, max_length=TEMPLATE_BODY_MAX_LENGTH)


class ReplyTemplateRenderIn(InputSchema):
    seller_order: str = Field(min_length=1, max_length=40, description="e.g. ORD-1234-1")


class RenderedReplyOut(Schema):
    body: str = Field(description="Filled in from the seller order; edit it, then post it.")
    missing: list[str] = Field(
        description="Placeholders the seller order has no value for yet (a carrier before "
        "shipment), left as written."
    )
