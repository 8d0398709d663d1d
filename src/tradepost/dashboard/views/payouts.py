"""Payout pages: the owner's (balances of every seller, pay out one or all, mark payouts paid or
failed), the seller's balance page (its balance, upcoming and past payouts), and the CSV both
export. Each action calls one service and redirects back (post/redirect/get); a refusal shows
the service's message on the page with the error's HTTP status.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tradepost.core.actors import Actor, Role
from tradepost.core.errors import DomainError, ValidationFailed
from tradepost.dashboard.access import with_actor
from tradepost.dashboard.payout_exports import payout_csv_lines
from tradepost.dashboard.payout_forms import (
    PayoutCreateForm,
    PayoutFilterForm,
    PayoutMarkFailedForm,
    PayoutMarkPaidForm,
)
from tradepost.ledger.balances import balances_get, payout_export, payout_list
from tradepost.ledger.payouts import (
    payout_create,
    payout_mark_failed,
    payout_mark_paid,
    payout_summary,
)
from tradepost.ledger.representation import payout_data

PAGE_SIZE = 50


def _page(
    request: HttpRequest, actor: Actor, template: str, *, error: DomainError | None = None
) -> HttpResponse:
    filters = PayoutFilterForm(request.GET)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    seller = chosen.get("seller", "") if actor.role is Role.OWNER else ""
    page = payout_list(
        actor=actor,
        seller=seller,
        status=chosen.get("status") or None,
        limit=PAGE_SIZE,
        cursor=request.GET.get("cursor") or None,
    )
    context: dict[str, Any] = {
        "balances": balances_get(actor=actor),
        "payouts": page.items,
        "next_cursor": page.next_cursor,
        "filters": filters,
        "create_form": PayoutCreateForm(),
        "paid_form": PayoutMarkPaidForm(),
        "failed_form": PayoutMarkFailedForm(),
        "error": error,
        "query": request.GET.urlencode(),
    }
    return render(request, template, context, status=error.status if error else 200)


@with_actor(Role.OWNER)
def payouts_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Every seller's balance and the marketplace's, with pay-out buttons, and the payouts."""
    return _page(request, actor, "dashboard/payouts.html")


@with_actor(Role.SELLER)
def balance_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The seller's balance, its upcoming (pending) and past payouts."""
    return _page(request, actor, "dashboard/balance.html")


@with_actor(Role.OWNER, Role.SELLER)
def payouts_csv(request: HttpRequest, actor: Actor) -> HttpResponseBase:
    """The payouts the viewer may see (filtered as the page is), streamed row by row."""
    filters = PayoutFilterForm(request.GET)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    rows = (
        payout_data(payout)
        for payout in payout_export(
            actor=actor,
            seller=chosen.get("seller", "") if actor.role is Role.OWNER else "",
            status=chosen.get("status") or None,
        )
    )
    response = StreamingHttpResponse(payout_csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="payouts.csv"'
    return response


def _act(
    request: HttpRequest,
    actor: Actor,
    form: forms.Form,
    act: Callable[[dict[str, Any]], str],
) -> HttpResponse:
    if not form.is_valid():
        field, problems = next(iter(form.errors.items()))
        invalid = ValidationFailed(field, " ".join(str(problem) for problem in problems))
        return _page(request, actor, "dashboard/payouts.html", error=invalid)
    try:
        done = act(form.cleaned_data)
    except DomainError as error:
        return _page(request, actor, "dashboard/payouts.html", error=error)
    messages.success(request, done)
    return redirect("dashboard:payouts")


@require_POST
@with_actor(Role.OWNER)
def payout_create_action(request: HttpRequest, actor: Actor) -> HttpResponse:
    def create(data: dict[str, Any]) -> str:
        made = payout_create(actor=actor, seller_slug=data["seller"], amount=data["amount"])
        return "Payouts created: " + "; ".join(payout_summary(p) for p in made) + "."

    return _act(request, actor, PayoutCreateForm(request.POST), create)


@require_POST
@with_actor(Role.OWNER)
def payout_mark_paid_action(request: HttpRequest, actor: Actor, payout_id: UUID) -> HttpResponse:
    def mark(data: dict[str, Any]) -> str:
        paid = payout_mark_paid(actor=actor, payout_id=payout_id, reference=data["reference"])
        return f"Payout of {payout_summary(paid)} marked paid ({paid.reference})."

    return _act(request, actor, PayoutMarkPaidForm(request.POST), mark)


@require_POST
@with_actor(Role.OWNER)
def payout_mark_failed_action(request: HttpRequest, actor: Actor, payout_id: UUID) -> HttpResponse:
    def mark(data: dict[str, Any]) -> str:
        failed = payout_mark_failed(actor=actor, payout_id=payout_id, reason=data["reason"])
        return f"Payout of {payout_summary(failed)} failed; the amount is available again."

    return _act(request, actor, PayoutMarkFailedForm(request.POST), mark)
