"""Notifications API: the owner's email templates (read, reword, preview, reset) and sellers'
dashboard notifications (list with the unread count, mark read)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Query, Router

from tradepost.accounts.auth import request_actor
from tradepost.core.schemas import READ_ERRORS, WRITE_ERRORS
from tradepost.notifications import selectors, services
from tradepost.notifications.representation import (
    email_preview_data,
    email_template_data,
    notification_data,
)
from tradepost.notifications.schemas import (
    EmailPreviewIn,
    EmailPreviewOut,
    EmailTemplateOut,
    EmailTemplateUpdateIn,
    NotificationListQuery,
    NotificationOut,
    NotificationPageOut,
    ReadAllOut,
)

router = Router(tags=["notifications"])


@router.get("/email-templates", response={200: list[EmailTemplateOut], **READ_ERRORS})
def list_email_templates(request: HttpRequest) -> list[dict[str, Any]]:
    """Owner: every email Tradepost sends, in the wording in force, with its placeholders."""
    views = selectors.email_template_list(actor=request_actor(request))
    return [email_template_data(view) for view in views]


@router.get("/email-templates/{key}", response={200: EmailTemplateOut, **READ_ERRORS})
def get_email_template(request: HttpRequest, key: str) -> dict[str, Any]:
    view = selectors.email_template_get(actor=request_actor(request), key=key)
    return email_template_data(view)


@router.put("/email-templates/{key}", response={200: EmailTemplateOut, **WRITE_ERRORS})
def update_email_template(
    request: HttpRequest, key: str, payload: EmailTemplateUpdateIn
) -> dict[str, Any]:
    """Owner: reword an email. A placeholder the email does not offer, an unmatched brace or
    attribute access (``{order.total}``) is a 422 naming the field and the placeholder."""
    view = services.email_template_update(
        actor=request_actor(request), key=key, subject=payload.subject, body=payload.body
    )
    return email_template_data(view)


@router.post("/email-templates/{key}/reset", response={200: EmailTemplateOut, **WRITE_ERRORS})
def reset_email_template(request: HttpRequest, key: str) -> dict[str, Any]:
    """Owner: back to the default wording."""
    view = services.email_template_reset(actor=request_actor(request), key=key)
    return email_template_data(view)


@router.post("/email-templates/{key}/preview", response={200: EmailPreviewOut, **WRITE_ERRORS})
def preview_email_template(
    request: HttpRequest, key: str, payload: EmailPreviewIn
) -> dict[str, Any]:
    """Owner: the email as it would go out for a real order, saved wording or a draft. Sends
    nothing and changes nothing."""
    preview = selectors.email_template_preview(
        actor=request_actor(request),
        key=key,
        number=payload.order,
        seller_order=payload.seller_order,
        subject=payload.subject,
        body=payload.body,
    )
    return email_preview_data(preview)


@router.get("/notifications", response={200: NotificationPageOut, **READ_ERRORS})
def list_notifications(request: HttpRequest, query: Query[NotificationListQuery]) -> dict[str, Any]:
    """A seller's notifications (the owner: every seller's), newest first, with the unread count.
    Buyers have none."""
    actor = request_actor(request)
    page = selectors.notification_list(
        actor=actor, unread_only=query.unread, limit=query.limit, cursor=query.cursor
    )
    return {
        "items": [notification_data(n) for n in page.items],
        "unread_count": selectors.notification_unread_count(actor=actor),
        "next_cursor": page.next_cursor,
    }


@router.post("/notifications/read-all", response={200: ReadAllOut, **WRITE_ERRORS})
def read_all_notifications(request: HttpRequest) -> dict[str, int]:
    """Seller: mark every notification read."""
    actor = request_actor(request)
    marked = services.notifications_mark_all_read(actor=actor)
    return {"marked": marked, "unread_count": selectors.notification_unread_count(actor=actor)}


@router.post(
    "/notifications/{notification_id}/read", response={200: NotificationOut, **WRITE_ERRORS}
)
def read_notification(request: HttpRequest, notification_id: UUID) -> dict[str, Any]:
    """Seller: mark one notification read (for all of the seller's members)."""
    notification = services.notification_mark_read(
        actor=request_actor(request), notification_id=notification_id
    )
    return notification_data(notification)
