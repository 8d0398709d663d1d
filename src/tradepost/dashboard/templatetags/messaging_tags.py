"""The unread count beside "Messages" in the navigation: one indexed sum per page."""

from __future__ import annotations

from typing import Any

from django import template

from tradepost.core.actors import Actor
from tradepost.messaging.selectors import unread_total

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_messages(context: dict[str, Any]) -> int:
    viewer = context.get("viewer")
    if not isinstance(viewer, Actor):
        return 0
    return unread_total(actor=viewer)
