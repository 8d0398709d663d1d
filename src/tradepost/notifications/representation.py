"""Email templates and notifications as the API shows them, as JSON-ready dicts."""

from __future__ import annotations

from typing import Any

from tradepost.notifications.email_templates import PLACEHOLDERS
from tradepost.notifications.models import Notification
from tradepost.notifications.selectors import EmailPreview, EmailTemplateView


def email_template_data(view: EmailTemplateView) -> dict[str, Any]:
    spec = view.spec
    return {
        "key": spec.key,
        "title": spec.title,
        "recipient": spec.recipient.value,
        "sent_when": spec.sent_when,
        "subject": view.subject,
        "body": view.body,
        "customized": view.customized,
        "updated_at": view.updated_at,
        "placeholders": [
            {
                "name": name,
                "meaning": PLACEHOLDERS[name].meaning,
                "example": PLACEHOLDERS[name].example,
            }
            for name in spec.placeholders
        ],
        "default_subject": spec.subject,
        "default_body": spec.body,
    }


def email_preview_data(preview: EmailPreview) -> dict[str, Any]:
    return {
        "key": preview.key,
        "order": preview.order_number,
        "to": preview.to,
        "subject": preview.subject,
        "body": preview.body,
    }


def notification_data(notification: Notification) -> dict[str, Any]:
    return {
        "id": notification.public_id,
        "seller": notification.seller.slug,
        "kind": notification.kind,
        "title": notification.title,
        "body": notification.body,
        "link": notification.link,
        "order_number": notification.order_number,
        "created_at": notification.created_at,
        "read_at": notification.read_at,
    }
