"""Returns on the dashboard: the request from the order page (with photos), each step of the
return lifecycle as a button with its form, and the returns list for the owner and sellers.

Each POST calls one service and redirects back to the order (post/redirect/get); a refusal shows
the order page again with the message next to the field it names, and the error's HTTP status.
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
from tradepost.core.actors import Actor, Role
from tradepost.core.errors import DomainError, NotFound, ValidationFailed
from tradepost.dashboard.access import with_actor
from tradepost.dashboard.form_errors import place_error
from tradepost.dashboard.refund_forms import line_quantities
from tradepost.dashboard.return_forms import RETURN_FORMS, return_form
from tradepost.dashboard.templatetags.return_tags import request_key, return_key
from tradepost.dashboard.views.orders import render_order_detail
from tradepost.orders.selectors import order_get
from tradepost.returns import outcomes, services
from tradepost.returns.models import ReturnRequest
from tradepost.returns.representation import return_data
from tradepost.returns.selectors import return_get, return_list, returns_to_handle_count
from tradepost.returns.status import TO_HANDLE, ReturnStatus

PAGE_SIZE = 50
# Form field names for the services' own field names, so their errors land on the right input.
FIELD_FOR = {"attachment_ids": "proofs", "refund_window": "reason"}
ACTIONS = {"ship-back": "ship_back"} | {a: a for a in RETURN_FORMS if a not in ("request",)}
DONE = {
    "authorize": "return authorised; the buyer has the address",
    "decline": "return declined",
    "ship_back": "return on its way back",
    "receive": "return received",
    "refund": "returned items refunded",
    "exchange": "replacement shipped",
    "withdraw": "return withdrawn",
}


@require_POST
@with_actor(Role.BUYER, Role.OWNER)
def return_create_page(
    request: HttpRequest, actor: Actor, number: str, reference: str
) -> HttpResponse:
    """Buyer (or the owner for them): ask to send units back, with photos or videos."""
    if not _in_order(actor, number, reference):
        return render(request, "dashboard/not_found.html", status=404)
    form = return_form("request", f"ret-{reference.upper()}", request.POST, request.FILES)
    failed = {"key": request_key(reference), "action": "request", "form": form}

    def act() -> object:
        data = form.cleaned_data
        lines = line_quantities(request.POST)
        if not lines:
            raise ValidationFailed("lines", "say how many units of which items to send back")
        files = data.get("proofs") or []
        proofs = (
            [a.public_id for a in attachments_upload(actor=actor, uploads=files, field="proofs")]
            if files
            else []
        )
        return services.return_request_create(
            actor=actor,
            reference=reference,
            reason=data["reason"],
            lines=lines,
            note=data["note"],
            attachment_ids=proofs,
            policy_override_note=data["policy_override_note"],
        )

    done = f"{reference.upper()}: return requested; the seller will answer."
    return _run(request, actor, number, failed, act, done)


@require_POST
@with_actor()
def return_action_page(
    request: HttpRequest, actor: Actor, number: str, return_id: UUID, action: str
) -> HttpResponse:
    """One step of the return lifecycle, as the table allows the viewer."""
    step = ACTIONS.get(action)
    try:
        found = return_get(actor=actor, return_id=return_id)
    except NotFound:
        return render(request, "dashboard/not_found.html", status=404)
    if step is None or found.seller_order.order.number != number.upper():
        return render(request, "dashboard/not_found.html", status=404)
    form = return_form(step, f"ret-{found.public_id}", request.POST)
    failed = {"key": return_key(str(found.public_id)), "action": step, "form": form}
    done = f"{found.seller_order.reference}: {DONE[step]}."
    return _run(request, actor, number, failed, lambda: _step(actor, found, step, form), done)


def _step(actor: Actor, found: ReturnRequest, step: str, form: forms.Form) -> ReturnRequest:
    data, rid = form.cleaned_data, found.public_id
    if step == "authorize":
        label = services.ReturnParcel(
            data["return_carrier"], data["return_tracking_number"], data["return_tracking_url"]
        )
        return services.return_authorize(
            actor=actor,
            return_id=rid,
            return_address=data["return_address"],
            instructions=data["instructions"],
            label=label,
        )
    if step == "decline":
        return services.return_decline(actor=actor, return_id=rid, reason=data["reason"])
    if step == "ship_back":
        parcel = services.ReturnParcel(
            data["carrier"], data["tracking_number"], data["tracking_url"]
        )
        return services.return_ship_back(actor=actor, return_id=rid, parcel=parcel)
    if step == "receive":
        return services.return_receive(actor=actor, return_id=rid, note=data["note"])
    if step == "withdraw":
        return services.return_withdraw(actor=actor, return_id=rid, note=data["note"])
    inspection = outcomes.Inspection(data["inspection_note"], restock=data.get("restock", False))
    if step == "refund":
        return outcomes.return_refund(actor=actor, return_id=rid, inspection=inspection)
    parcel = services.ReturnParcel(data["carrier"], data["tracking_number"], data["tracking_url"])
    return outcomes.return_exchange(
        actor=actor, return_id=rid, inspection=inspection, parcel=parcel
    )


@with_actor(Role.OWNER, Role.SELLER)
def return_list_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The returns the viewer may see, newest first; ``?status=to_handle`` for the to-do."""
    chosen = request.GET.get("status", "")
    valid = {"", "to_handle", *ReturnStatus.values}
    if chosen not in valid:
        chosen = ""
    statuses = sorted(TO_HANDLE) if chosen == "to_handle" else [chosen] if chosen else []
    try:
        page = return_list(
            actor=actor, status=statuses, limit=PAGE_SIZE, cursor=request.GET.get("cursor")
        )
    except DomainError as error:
        failed = {"rows": [], "error": error.detail, "chosen": chosen}
        return render(request, "dashboard/returns/return_list.html", failed, status=error.status)
    context: dict[str, Any] = {
        "rows": [return_data(ret, actor) for ret in page.items],
        "next_cursor": page.next_cursor,
        "chosen": chosen,
        "statuses": ReturnStatus.choices,
        # The counter lives here, not in the navigation: every page would pay for it there.
        "to_handle": returns_to_handle_count(actor=actor),
    }
    return render(request, "dashboard/returns/return_list.html", context)


def _in_order(actor: Actor, number: str, reference: str) -> bool:
    try:
        bundle = order_get(actor=actor, number=number)
    except NotFound:
        return False
    return any(p.seller_order.reference == reference.upper() for p in bundle.seller_orders)


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
    except forms.ValidationError as error:
        form.add_error(None, error)
        return render_order_detail(request, actor, number, failed=failed, status=422)
    except DomainError as error:
        failed["message"] = place_error(form, error, aliases=FIELD_FOR)
        return render_order_detail(request, actor, number, failed=failed, status=error.status)
    messages.success(request, done)
    return redirect("dashboard:order", number=number)
