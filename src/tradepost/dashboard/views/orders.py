"""The orders list (search, filters, sort, pages, CSV) and the order detail page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import render

from tradepost.catalog.selectors import seller_choices
from tradepost.core.actors import Actor, Role
from tradepost.core.errors import DomainError, NotFound
from tradepost.dashboard.access import with_actor
from tradepost.dashboard.after_sale import attach_after_sale_panels
from tradepost.dashboard.exports import csv_lines
from tradepost.dashboard.forms import (
    PAYMENT_FORMS,
    SELLER_ORDER_FORMS,
    OrderFilterForm,
    action_form,
)
from tradepost.dashboard.messaging import attach_thread_panels
from tradepost.dashboard.progress import progress_steps
from tradepost.dashboard.reviews import attach_review_panels
from tradepost.orders.representation import event_data, order_data, order_summary
from tradepost.orders.selectors import (
    attention_counts,
    order_export,
    order_get,
    order_list,
    order_timeline,
)

PAGE_SIZE = 50
DESTRUCTIVE_ACTIONS = frozenset({"cancel", "refund"})


def _filter_form(request: HttpRequest, actor: Actor) -> OrderFilterForm:
    sellers = seller_choices(actor=actor) if actor.role is Role.OWNER else None
    return OrderFilterForm(request.GET, sellers=sellers, time_sorts_only=actor.role is Role.SELLER)


@with_actor()
def order_list_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Full page on a normal request; only the results when htmx asks as the filters change."""
    form = _filter_form(request, actor)
    context: dict[str, Any] = {"form": form, "rows": [], "next_cursor": None, "error": ""}
    status = 200
    if form.is_valid():
        try:
            page = order_list(
                actor=actor,
                filters=form.to_filters(),
                sort=form.chosen_sort,
                limit=PAGE_SIZE,
                cursor=form.chosen_cursor,
            )
        except DomainError as error:
            context["error"], status = error.detail, error.status
        else:
            context["rows"] = [order_summary(order, actor) for order in page.items]
            context["next_cursor"] = page.next_cursor
    else:
        status = 400
    context["query"] = _query_without_cursor(request)
    htmx = request.htmx  # type: ignore[attr-defined]
    if htmx and not htmx.boosted and not htmx.history_restore_request:
        response = render(request, "dashboard/partials/_order_results.html", context, status=status)
    else:
        if actor.role is not Role.BUYER:
            context["counts"] = attention_counts(actor=actor)
        response = render(request, "dashboard/order_list.html", context, status=status)
    return response  # VaryOnHtmx tells caches the two bodies apart


@with_actor()
def order_list_csv(request: HttpRequest, actor: Actor) -> HttpResponseBase:
    """Exactly the filtered list, streamed row by row, so 100k orders never sit in memory."""
    form = _filter_form(request, actor)
    if not form.is_valid():
        return render(request, "dashboard/order_list.html", {"form": form}, status=400)
    orders = order_export(actor=actor, filters=form.to_filters(), sort=form.chosen_sort)
    rows = (order_summary(order, actor) for order in orders)
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="orders.csv"'
    return response


@with_actor()
def order_detail_page(request: HttpRequest, actor: Actor, number: str) -> HttpResponse:
    return render_order_detail(request, actor, number)


def render_order_detail(
    request: HttpRequest,
    actor: Actor,
    number: str,
    *,
    failed: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The order as the viewer may see it, with the forms for what they may do now.

    ``failed`` re-shows the form that was refused, with its errors next to the fields.
    """
    try:
        order = order_data(order_get(actor=actor, number=number), actor)
        events = [event_data(event, actor) for event in order_timeline(actor=actor, number=number)]
    except NotFound:
        return render(request, "dashboard/not_found.html", status=404)
    failed = failed or {}
    for part in order["seller_orders"]:
        part["progress"] = progress_steps(part, order["payment_status"])
        # Destructive steps go last, after the ones that move the order forward.
        part["actions"] = sorted(part["actions"], key=lambda name: name in DESTRUCTIVE_ACTIONS)
        part["forms"] = _forms(part["actions"], SELLER_ORDER_FORMS, part["reference"], failed)
        # The acknowledgement deadline matters to whoever may acknowledge now.
        if "acknowledge" in part["actions"]:
            part["acknowledge_deadline"] = part["acknowledge_due_at"]
    attach_review_panels(order, actor, failed)
    attach_thread_panels(order, actor, failed)
    attach_after_sale_panels(order, actor, failed)
    order["forms"] = _forms(
        order["payment_actions"],
        PAYMENT_FORMS,
        "payment",
        failed,
        initial={"record_payment": {"amount": order.get("amount_due")}},
    )
    context = {"order": order, "events": events, "failed": failed}
    return render(request, "dashboard/order_detail.html", context, status=status)


def _forms(
    actions: list[str],
    form_classes: dict[str, type[forms.Form]],
    key: str,
    failed: dict[str, Any],
    initial: dict[str, dict[str, Any]] | None = None,
) -> dict[str, forms.Form]:
    """A form for each action that takes input; the refused one comes back with its errors."""
    built = {}
    for name in actions:
        if name not in form_classes:
            continue
        if failed.get("key") == key and failed.get("action") == name and failed.get("form"):
            built[name] = failed["form"]
        else:
            built[name] = action_form(form_classes[name], key, initial=(initial or {}).get(name))
    return built


def _query_without_cursor(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("cursor", None)
    return query.urlencode()
