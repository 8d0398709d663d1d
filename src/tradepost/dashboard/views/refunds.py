"""After-sale actions on the order page: the owner's partial refund, the buyer's refund request
with photos, approve / decline, and the seller's line cancellation with an alternative.

Each view checks the form, uploads the files it carries (``attachments_upload``), calls one
service, then shows the order again (post/redirect/get); a refusal re-renders the order page
with the message next to the field it names, and the HTTP status of the error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tradepost.attachments.services import attachments_upload
from tradepost.core.actors import Actor
from tradepost.core.errors import DomainError, NotFound, ValidationFailed
from tradepost.dashboard.access import with_actor
from tradepost.dashboard.after_sale import failure_key, request_failure_key
from tradepost.dashboard.form_errors import place_error
from tradepost.dashboard.refund_forms import (
    ApproveForm,
    CancelLinesForm,
    DeclineForm,
    PartialRefundForm,
    RefundRequestForm,
    after_sale_form,
    line_quantities,
)
from tradepost.dashboard.views.orders import render_order_detail
from tradepost.orders.cancellations import seller_order_lines_cancel
from tradepost.orders.selectors import order_get
from tradepost.payments.refund_requests import (
    refund_request_approve,
    refund_request_create,
    refund_request_decline,
)
from tradepost.payments.refunds import refund_create
from tradepost.payments.selectors import alternatives_for, refund_request_get

# Form field names for the services' own field names, so their errors land on the right input.
FIELD_FOR = {"attachment_ids": "proofs", "alternative_listing_id": "alternative"}


def _in_order(actor: Actor, number: str, reference: str) -> bool:
    try:
        bundle = order_get(actor=actor, number=number)
    except NotFound:
        return False
    return any(p.seller_order.reference == reference.upper() for p in bundle.seller_orders)


def _uploaded(actor: Actor, form: forms.Form) -> list[UUID]:
    files = form.cleaned_data.get("proofs") or []
    if not files:
        return []
    return [a.public_id for a in attachments_upload(actor=actor, uploads=files, field="proofs")]


def _run(
    request: HttpRequest,
    actor: Actor,
    number: str,
    failed: dict[str, Any],
    act: Callable[[], object],
    done: str,
) -> HttpResponse:
    form = failed["form"]
    if not form.is_valid():
        return render_order_detail(request, actor, number, failed=failed, status=422)
    try:
        act()
    except (DomainError, forms.ValidationError) as error:
        if isinstance(error, forms.ValidationError):
            form.add_error(None, error)
            return render_order_detail(request, actor, number, failed=failed, status=422)
        failed["message"] = place_error(form, error, aliases=FIELD_FOR)
        return render_order_detail(request, actor, number, failed=failed, status=error.status)
    messages.success(request, done)
    return redirect("dashboard:order", number=number)


@require_POST
@with_actor()
def refund_create_page(
    request: HttpRequest, actor: Actor, number: str, reference: str
) -> HttpResponse:
    """Owner: refund part of a seller order, by amount or by lines, with proof."""
    if not _in_order(actor, number, reference):
        return render(request, "dashboard/not_found.html", status=404)
    form = after_sale_form("refund", reference, request.POST, request.FILES)
    failed = {"key": failure_key(reference), "action": "refund", "form": form}

    def act() -> object:
        assert isinstance(form, PartialRefundForm)
        data = form.cleaned_data
        lines = line_quantities(request.POST)
        if not lines and not data["amount"]:
            raise ValidationFailed("amount", "give an amount, or how many units of which lines")
        return refund_create(
            actor=actor,
            reference=reference,
            reason=data["reason"],
            amount=None if lines else data["amount"],
            lines=lines or None,
            note=data["note"],
            restock=data["restock"],
            attachment_ids=_uploaded(actor, form),
            policy_override_note=data["policy_override_note"],
            goodwill=form.goodwill(),
            idempotency_key=f"dashboard:{actor.user_id}:{data['idempotency_key']}",
        )

    return _run(request, actor, number, failed, act, f"{reference.upper()}: refund issued.")


@require_POST
@with_actor()
def refund_request_create_page(
    request: HttpRequest, actor: Actor, number: str, reference: str
) -> HttpResponse:
    """Buyer: ask for a refund, with photos or videos of the item."""
    if not _in_order(actor, number, reference):
        return render(request, "dashboard/not_found.html", status=404)
    form = after_sale_form("request", reference, request.POST, request.FILES)
    failed = {"key": failure_key(reference), "action": "request", "form": form}

    def act() -> object:
        assert isinstance(form, RefundRequestForm)
        lines = line_quantities(request.POST)
        return refund_request_create(
            actor=actor,
            reference=reference,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            lines=lines or None,
            attachment_ids=_uploaded(actor, form),
        )

    done = f"{reference.upper()}: refund requested; the seller will answer."
    return _run(request, actor, number, failed, act, done)


@require_POST
@with_actor()
def refund_request_decide_page(
    request: HttpRequest, actor: Actor, number: str, request_id: str, action: str
) -> HttpResponse:
    """Seller or owner: approve (the refund is issued) or decline with a reason."""
    try:
        found = refund_request_get(actor=actor, request_id=request_id)
    except NotFound:
        return render(request, "dashboard/not_found.html", status=404)
    if action not in ("approve", "decline") or found.seller_order.order.number != number.upper():
        return render(request, "dashboard/not_found.html", status=404)
    form = after_sale_form(action, f"rr-{found.public_id}", request.POST)
    failed = {"key": request_failure_key(str(found.public_id)), "action": action, "form": form}

    def act() -> object:
        data = form.cleaned_data
        if isinstance(form, DeclineForm):
            return refund_request_decline(
                actor=actor, request_id=found.public_id, reason=data["reason"]
            )
        assert isinstance(form, ApproveForm)
        return refund_request_approve(
            actor=actor,
            request_id=found.public_id,
            note=data["note"],
            restock=data["restock"],
            goodwill=form.goodwill(),
        )

    verb = "approved; the refund is issued" if action == "approve" else "declined"
    done = f"{found.seller_order.reference}: refund request {verb}."
    return _run(request, actor, number, failed, act, done)


@require_POST
@with_actor()
def lines_cancel_page(
    request: HttpRequest, actor: Actor, number: str, reference: str
) -> HttpResponse:
    """Seller or owner: cancel units not yet shipped, maybe offering another listing."""
    if not _in_order(actor, number, reference):
        return render(request, "dashboard/not_found.html", status=404)
    bundle = order_get(actor=actor, number=number)
    sellers = [p.seller_order.seller_id for p in bundle.seller_orders]
    choices = [
        (str(listing.public_id), listing.title)
        for found in alternatives_for(actor=actor, seller_ids=sellers).values()
        for listing in found
    ]
    form = after_sale_form("cancel_lines", reference, request.POST, alternatives=choices)
    failed = {"key": failure_key(reference), "action": "cancel_lines", "form": form}

    def act() -> object:
        assert isinstance(form, CancelLinesForm)
        lines = line_quantities(request.POST)
        if not lines:
            raise ValidationFailed("lines", "say how many units of which lines to cancel")
        return seller_order_lines_cancel(
            actor=actor,
            reference=reference,
            lines=lines,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            alternative_listing_id=form.alternative_id(),
        )

    done = f"{reference.upper()}: lines canceled; the buyer is refunded for them."
    return _run(request, actor, number, failed, act, done)
