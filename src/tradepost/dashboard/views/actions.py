"""Buttons and forms on the order page: each POST calls one service, then shows the order again.

Success redirects back to the order (post/redirect/get); a refusal re-renders the order page with
the service's message next to the field it names, and the HTTP status of the error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from tradepost.core.actors import Actor
from tradepost.core.errors import DomainError, ValidationFailed
from tradepost.dashboard.access import with_actor
from tradepost.dashboard.form_errors import place_error
from tradepost.dashboard.forms import PAYMENT_FORMS, SELLER_ORDER_FORMS, action_form
from tradepost.dashboard.views.orders import render_order_detail
from tradepost.orders import services as fulfilment
from tradepost.payments import services as payments

QUANTITY = re.compile(r"[0-9]{1,6}")  # ASCII digits only: "²".isdigit() is true, int("²") fails


@dataclass(frozen=True)
class Action:
    run: Callable[[Actor, str, dict[str, Any]], object]
    done: str


def _parcel(data: dict[str, Any]) -> fulfilment.Parcel:
    lines = data.get("lines")
    return fulfilment.Parcel(
        carrier=data["carrier"],
        tracking_number=data["tracking_number"],
        tracking_url=data["tracking_url"],
        lines=[fulfilment.ParcelLine(sku, qty) for sku, qty in lines] if lines else None,
    )


SELLER_ORDER_ACTIONS: dict[str, Action] = {
    "acknowledge": Action(
        lambda actor, ref, _: fulfilment.seller_order_acknowledge(actor=actor, reference=ref),
        "acknowledged; it is now processing",
    ),
    "ship": Action(
        lambda actor, ref, data: fulfilment.shipment_create(
            actor=actor, reference=ref, parcel=_parcel(data)
        ),
        "parcel recorded",
    ),
    "deliver": Action(
        lambda actor, ref, _: fulfilment.seller_order_deliver(actor=actor, reference=ref),
        "marked delivered",
    ),
    "complete": Action(
        lambda actor, ref, _: fulfilment.seller_order_complete(actor=actor, reference=ref),
        "delivery confirmed; thank you",
    ),
    "cancel": Action(
        lambda actor, ref, data: fulfilment.seller_order_cancel(
            actor=actor, reference=ref, reason=data["reason"]
        ),
        "canceled",
    ),
    "refund": Action(
        lambda actor, ref, data: fulfilment.seller_order_refund(
            actor=actor, reference=ref, reason=data["reason"], note=data["note"]
        ),
        "refunded in full",
    ),
}


def _record_payment(actor: Actor, number: str, data: dict[str, Any]) -> object:
    report = payments.PaymentReport(
        provider="manual",
        reference=data["reference"],
        amount=data["amount"],
        succeeded=data["outcome"] == "succeeded",
        failure_reason=data["failure_reason"],
    )
    return payments.payment_record(actor=actor, number=number, report=report)


PAYMENT_ACTIONS: dict[str, Action] = {
    "record_payment": Action(_record_payment, "payment recorded"),
    "retry_payment": Action(
        lambda actor, number, _: payments.payment_retry(actor=actor, number=number),
        "ready for a new payment attempt",
    ),
}


@require_POST
@with_actor()
def seller_order_action(
    request: HttpRequest, actor: Actor, number: str, reference: str, action: str
) -> HttpResponse:
    return _perform(
        request,
        actor,
        number,
        (SELLER_ORDER_ACTIONS, SELLER_ORDER_FORMS),
        action,
        target=reference,
        key=reference,
    )


@require_POST
@with_actor()
def order_payment_action(
    request: HttpRequest, actor: Actor, number: str, action: str
) -> HttpResponse:
    return _perform(
        request,
        actor,
        number,
        (PAYMENT_ACTIONS, PAYMENT_FORMS),
        action,
        target=number,
        key="payment",
    )


def _perform(
    request: HttpRequest,
    actor: Actor,
    number: str,
    tables: tuple[dict[str, Action], dict[str, type[forms.Form]]],
    name: str,
    *,
    target: str,
    key: str,
) -> HttpResponse:
    actions, form_classes = tables
    action = actions.get(name)
    if action is None:
        return render_order_detail(request, actor, number, status=404)
    form_class = form_classes.get(name)
    form = action_form(form_class, key, request.POST) if form_class else None
    failed = {"key": key, "action": name, "form": form, "message": ""}
    if form is not None and not form.is_valid():
        return render_order_detail(request, actor, number, failed=failed, status=422)
    data = dict(form.cleaned_data) if form is not None else {}
    try:
        if name == "ship":
            data["lines"] = _parcel_lines(request)
        action.run(actor, target, data)
    except DomainError as error:
        failed["message"] = place_error(form, error)
        return render_order_detail(request, actor, number, failed=failed, status=error.status)
    messages.success(request, f"{target}: {action.done}.")
    if request.POST.get("next") == "queue":  # one-click actions on the seller's work queue
        return redirect("dashboard:seller_queue")
    return redirect("dashboard:order", number=number)


def _parcel_lines(request: HttpRequest) -> list[tuple[str, int]] | None:
    """The ``qty-<sku>`` fields of the ship form; a form without them ships all that remains."""
    fields = [
        (name, str(value).strip())
        for name, value in request.POST.items()
        if name.startswith("qty-")
    ]
    if not fields:
        return None
    lines = []
    for name, value in fields:
        if not QUANTITY.fullmatch(value):
            raise ValidationFailed("lines", f"the quantity for {name[4:]} must be a whole number")
        if int(value):
            lines.append((name[4:], int(value)))
    if not lines:
        raise ValidationFailed("lines", "put at least one item in the parcel")
    return lines
