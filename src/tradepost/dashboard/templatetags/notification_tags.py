"""The unread count beside "Notifications" in a seller's navigation: one COUNT per page."""

from __future__ import annotations

from typing import Any

from django import template

from tradepost.core.actors import Actor
from tradepost.notifications.selectors import notification_unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context: dict[str, Any]) -> int:
    viewer = context.get("viewer")
    if not isinstance(viewer, Actor) or not viewer.is_seller:
        return 0
    return notification_unread_count(actor=viewer)
