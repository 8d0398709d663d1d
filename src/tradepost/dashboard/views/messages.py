"""Messages in the dashboard: write on a seller order's thread (text and files), fill in a reply
template, the inbox, a whole thread, and downloads of the files sent.

Each view parses the form, calls one service or selector and renders; a refused message comes back
on the order page with its errors next to the field at fault.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tradepost.attachments.downloads import attachment_response
from tradepost.attachments.selectors import attachment_get
from tradepost.attachments.services import attachments_upload
from tradepost.core.actors import Actor, Role
from tradepost.core.errors import DomainError, NotFound, ValidationFailed
from tradepost.dashboard.access import with_actor
from tradepost.dashboard.form_errors import place_error
from tradepost.dashboard.messaging import failure_key
from tradepost.dashboard.messaging_forms import message_form
from tradepost.dashboard.views.orders import render_order_detail
from tradepost.messaging.representation import message_data, thread_head, thread_summary
from tradepost.messaging.selectors import (
    message_list,
    party_of,
    reply_template_render,
    thread_get,
    thread_list,
)
from tradepost.messaging.services import message_post, thread_mark_read

INBOX_PAGE_SIZE = 30
THREAD_PAGE_SIZE = 50


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboard/not_found.html", status=404)


def _thread_of_order(actor: Actor, number: str, reference: str) -> bool:
    """The seller order exists for the actor, and is part of the order in the URL."""
    try:
        view = thread_get(actor=actor, reference=reference)
    except NotFound:
        return False
    return view.seller_order.order.number == number.upper()


@require_POST
@with_actor()
def message_post_page(
    request: HttpRequest, actor: Actor, number: str, reference: str
) -> HttpResponse:
    """Upload the chosen files, then post the message with them."""
    if not _thread_of_order(actor, number, reference):
        return _not_found(request)
    form = message_form(reference, request.POST, request.FILES)
    failed = {"key": failure_key(reference), "action": "message", "form": form}
    if not form.is_valid():
        return render_order_detail(request, actor, number, failed=failed, status=422)
    try:
        files = form.cleaned_data["attachments"]
        uploaded = (
            attachments_upload(actor=actor, uploads=files, field="attachments") if files else []
        )
        message_post(
            actor=actor,
            reference=reference,
            body=form.cleaned_data["body"],
            attachment_ids=[attachment.public_id for attachment in uploaded],
        )
    except DomainError as error:
        place_error(form, error, unplaced_on_form=True)
        return render_order_detail(request, actor, number, failed=failed, status=error.status)
    messages.success(request, f"{reference.upper()}: message sent.")
    if request.POST.get("next") == "thread":
        return redirect("dashboard:message_thread", reference=reference.upper())
    return redirect(
        reverse("dashboard:order", args=[number.upper()]) + f"#messages-{reference.upper()}"
    )


@require_POST
@with_actor(Role.SELLER, Role.OWNER)
def reply_template_insert(
    request: HttpRequest, actor: Actor, number: str, reference: str
) -> HttpResponse:
    """Fill the message box with a reply template rendered for this seller order, after what was
    typed already. htmx swaps in the box alone; without it, the order page comes back."""
    if not _thread_of_order(actor, number, reference):
        return _not_found(request)
    typed = request.POST.get("body", "")
    form = message_form(reference, {"body": typed})
    note = ""
    try:
        rendered = reply_template_render(
            actor=actor, template_id=request.POST.get("template", ""), reference=reference
        )
    except DomainError as error:
        problems = error.extra.get("errors") if isinstance(error, ValidationFailed) else None
        form.add_error("body", _capitalized(problems[0]["message"] if problems else error.detail))
    else:
        text = f"{typed.rstrip()}\n\n{rendered.body}" if typed.strip() else rendered.body
        form = message_form(reference, {"body": text})
        if rendered.missing:
            names = ", ".join(f"{{{name}}}" for name in rendered.missing)
            note = f"This order has no value yet for {names}: fill it in before sending."
    if request.htmx:  # type: ignore[attr-defined]
        context = {"form": form, "note": note, "reference": reference.upper()}
        return render(request, "dashboard/messaging/_message_body.html", context)
    failed = {"key": failure_key(reference), "action": "message", "form": form}
    return render_order_detail(request, actor, number, failed=failed)


@with_actor()
def inbox_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The viewer's conversations, latest activity first, with unread counts."""
    unread_only = request.GET.get("unread") == "1"
    context: dict[str, Any] = {"threads": [], "next_cursor": None, "unread_only": unread_only}
    try:
        page = thread_list(
            actor=actor,
            unread_only=unread_only,
            limit=INBOX_PAGE_SIZE,
            cursor=request.GET.get("cursor") or None,
        )
    except ValidationFailed as error:
        context["error"] = error.detail
        return render(request, "dashboard/messaging/inbox.html", context, status=error.status)
    party = party_of(actor)
    context["threads"] = [thread_summary(thread, party) for thread in page.items]
    context["next_cursor"] = page.next_cursor
    return render(request, "dashboard/messaging/inbox.html", context)


@with_actor()
def thread_page(request: HttpRequest, actor: Actor, reference: str) -> HttpResponse:
    """A whole conversation, oldest first, a page at a time; viewing it marks it read."""
    try:
        view, page = message_list(
            actor=actor,
            reference=reference,
            sort="created_at",
            limit=THREAD_PAGE_SIZE,
            cursor=request.GET.get("cursor") or None,
        )
    except NotFound:
        return _not_found(request)
    except ValidationFailed as error:
        return render(
            request, "dashboard/messaging/thread.html", {"error": error.detail}, status=400
        )
    context = {
        "thread": thread_head(view),
        "thread_messages": [message_data(message, view) for message in page.items],
        "next_cursor": page.next_cursor,
        "form": message_form(view.seller_order.reference),
    }
    thread_mark_read(actor=actor, reference=reference)
    return render(request, "dashboard/messaging/thread.html", context)


@with_actor()
def attachment_download(request: HttpRequest, actor: Actor, attachment_id: str) -> HttpResponseBase:
    try:
        return attachment_response(attachment_get(actor=actor, attachment_id=attachment_id))
    except NotFound:
        return _not_found(request)


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]
