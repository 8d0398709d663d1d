"""Notifications API shapes: email templates and their previews, sellers' notifications."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from ninja import Field, Schema

from tradepost.core.schemas import InputSchema
from tradepost.notifications.rendering import BODY_MAX_LENGTH, SUBJECT_MAX_LENGTH


class PlaceholderOut(Schema):
    name: str = Field(description="Written {name} in the subject or body.")
    meaning: str
    example: str


class EmailTemplateOut(Schema):
    key: str
    title: str
    recipient: str = Field(description="buyer or seller")
    sent_when: str
    subject: str
    body: str
    customized: bool = Field(description="false: the default wording is in force.")
    updated_at: datetime | None
    placeholders: list[PlaceholderOut] = Field(description="The only placeholders it may use.")
    default_subject: str
    default_body: str


class EmailTemplateUpdateIn(InputSchema):
    subject: str = Field(min_length=1, max_length=SUBJECT_MAX_LENGTH)
    body: str = Field(min_length=1, max_length=BODY_MAX_LENGTH)


class EmailPreviewIn(InputSchema):
    order: str = Field(min_length=1, max_length=32, description="An order number: ORD-1234.")
    seller_order: str = Field(
        "", max_length=40, description="For emails about one seller's part; default: the first."
    )
    subject: str | None = Field(
        None, max_length=SUBJECT_MAX_LENGTH, description="A draft to preview; default: saved."
    )
    body: str | None = Field(None, max_length=BODY_MAX_LENGTH)


class EmailPreviewOut(Schema):
    key: str
    order: str
    to: list[str]
    subject: str
    body: str


class NotificationOut(Schema):
    id: UUID
    seller: str = Field(description="The seller's slug.")
    kind: str = Field(description="The domain event behind it, e.g. order.paid.")
    title: str
    body: str
    link: str = Field(description="The dashboard page it is about.")
    order_number: str
    created_at: datetime
    read_at: datetime | None


class NotificationPageOut(Schema):
    items: list[NotificationOut]
    unread_count: int = Field(description="Unread notifications in the caller's scope.")
    next_cursor: str | None


class NotificationListQuery(Schema):
    unread: bool = Field(False, description="Only unread notifications.")
    limit: int = Field(50, ge=1, le=100)
    cursor: str | None = None


class ReadAllOut(Schema):
    marked: int = Field(description="How many were unread and are now read.")
    unread_count: int
