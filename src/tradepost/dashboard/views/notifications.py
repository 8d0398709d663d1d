"""A seller's notifications, newest first: unread ones marked, read one by one or all at once."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tradepost.core.actors import Actor, Role
from tradepost.core.errors import NotFound, ValidationFailed
from tradepost.dashboard.access import with_actor
from tradepost.notifications.selectors import notification_list
from tradepost.notifications.services import notification_mark_read, notifications_mark_all_read

PAGE_SIZE = 30


@with_actor(Role.SELLER)
def notification_list_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    context: dict[str, Any] = {"notifications": [], "next_cursor": None, "error": ""}
    try:
        page = notification_list(
            actor=actor, limit=PAGE_SIZE, cursor=request.GET.get("cursor") or None
        )
    except ValidationFailed as error:
        context["error"] = error.detail
        return render(request, "dashboard/notifications.html", context, status=error.status)
    context |= {"notifications": page.items, "next_cursor": page.next_cursor}
    return render(request, "dashboard/notifications.html", context)


@require_POST
@with_actor(Role.SELLER)
def notification_read(request: HttpRequest, actor: Actor, notification_id: UUID) -> HttpResponse:
    try:
        notification_mark_read(actor=actor, notification_id=notification_id)
    except NotFound:
        return render(request, "dashboard/not_found.html", status=404)
    return redirect("dashboard:notifications")


@require_POST
@with_actor(Role.SELLER)
def notification_read_all(request: HttpRequest, actor: Actor) -> HttpResponse:
    marked = notifications_mark_all_read(actor=actor)
    messages.success(request, f"{marked} notification{'' if marked == 1 else 's'} marked read.")
    return redirect("dashboard:notifications")
