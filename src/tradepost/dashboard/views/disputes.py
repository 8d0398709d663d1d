"""Cases and chargebacks on the dashboard: the cases list, the case page with the steps its
lifecycle allows the viewer now, opening a case (or, for the owner, recording a chargeback) from
the order page, the evidence pack and its downloads.

Each POST calls one service and redirects back (post/redirect/get); a refusal shows the page again
with the service's message next to the field it names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tradepost.attachments.services import attachments_upload
from tradepost.core.actors import Actor, Role
from tradepost.core.errors import DomainError, NotFound
from tradepost.dashboard.access import with_actor
from tradepost.dashboard.dispute_forms import (
    CASE_FORMS,
    CaseFilterForm,
    CaseOpenForm,
    CaseResolveForm,
    ChargebackForm,
)
from tradepost.dashboard.form_errors import place_error
from tradepost.dashboard.views.orders import render_order_detail
from tradepost.disputes import chargebacks, resolutions, services
from tradepost.disputes.evidence import evidence_pack_build
from tradepost.disputes.representation import case_data, case_summary, outcomes_for
from tradepost.disputes.selectors import (
    CaseFilters,
    case_detail,
    case_list,
    evidence_pack_get,
)
from tradepost.disputes.status import ACTIVE
from tradepost.messaging.selectors import order_threads
from tradepost.orders.representation import event_data, order_data
from tradepost.orders.selectors import order_get, order_timeline

PAGE_SIZE = 50
THREAD_MESSAGES = 200


@with_actor()
def case_list_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Every case the viewer may see, newest first, filtered in the URL."""
    form = CaseFilterForm(request.GET, actor=actor)
    context: dict[str, Any] = {"form": form, "rows": [], "next_cursor": None, "error": ""}
    status = 200
    if form.is_valid():
        data = form.cleaned_data
        filters = CaseFilters(
            status=_statuses(data["status"]),
            kind=[data["kind"]] if data["kind"] else [],
            seller=data.get("seller") or "",
            order=data["order"],
            awaiting=data["awaiting"],
            overdue=data["overdue"],
        )
        try:
            page = case_list(
                actor=actor,
                filters=filters,
                sort="-created_at",
                limit=PAGE_SIZE,
                cursor=data["cursor"] or None,
            )
        except DomainError as error:
            context["error"], status = error.detail, error.status
        else:
            context["rows"] = [case_summary(case, actor) for case in page.items]
            context["next_cursor"] = page.next_cursor
    else:
        status = 400
    query = request.GET.copy()
    query.pop("cursor", None)
    context["query"] = query.urlencode()
    return render(request, "dashboard/disputes/case_list.html", context, status=status)


def _statuses(chosen: str) -> list[str]:
    if chosen == "active":
        return sorted(ACTIVE)
    return [chosen] if chosen else []


@with_actor()
def case_page(request: HttpRequest, actor: Actor, case_id: UUID) -> HttpResponse:
    return render_case(request, actor, case_id)


def render_case(
    request: HttpRequest,
    actor: Actor,
    case_id: UUID,
    *,
    failed: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The case with its order (items, money, timeline), the whole conversation, both parties'
    record for the owner, and a form for each step the viewer may take now."""
    try:
        detail = case_detail(actor=actor, case_id=case_id)
    except NotFound:
        return render(request, "dashboard/not_found.html", status=404)
    case = case_data(detail, actor)
    number, reference = case["order"], case["seller_order"]
    order = order_data(order_get(actor=actor, number=number), actor)
    failed = failed or {}
    context = {
        "case": case,
        "order": order,
        "part": next(p for p in order["seller_orders"] if p["reference"] == reference),
        "events": [event_data(e, actor) for e in order_timeline(actor=actor, number=number)],
        "thread": order_threads(actor=actor, references=[reference], latest=THREAD_MESSAGES).get(
            reference
        ),
        "forms": _forms(case, actor, failed),
        "failed": failed,
    }
    return render(request, "dashboard/disputes/case_detail.html", context, status=status)


def _forms(case: dict[str, Any], actor: Actor, failed: dict[str, Any]) -> dict[str, forms.Form]:
    names = list(case["actions"])
    chargeback = case["chargeback"]
    if chargeback is not None:
        names += [name for name in chargeback["actions"] if name in CASE_FORMS]
    built: dict[str, forms.Form] = {}
    for name in names:
        if name not in CASE_FORMS:
            continue
        if failed.get("action") == name and failed.get("form") is not None:
            built[name] = failed["form"]
        elif name == "resolve":
            built[name] = CaseResolveForm(auto_id="resolve-%s", outcomes=case["outcomes"])
        else:
            built[name] = CASE_FORMS[name](auto_id=f"{name}-%s")
    if "respond" in built and actor.role is not Role.OWNER:
        del built["respond"].fields["to"]
    return built


def _uploaded_ids(actor: Actor, data: dict[str, Any]) -> list[UUID]:
    files = data.get("attachments") or []
    if not files:
        return []
    uploaded = attachments_upload(actor=actor, uploads=files, field="attachments")
    return [attachment.public_id for attachment in uploaded]


CaseStep = Callable[[Actor, UUID, dict[str, Any]], object]
CASE_STEPS: dict[str, tuple[CaseStep, str]] = {
    "respond": (
        lambda actor, case_id, data: services.case_respond(
            actor=actor,
            case_id=case_id,
            message=data["message"],
            to=data.get("to") or "",
            attachment_ids=_uploaded_ids(actor, data),
        ),
        "answer sent",
    ),
    "message": (
        lambda actor, case_id, data: services.case_message_add(
            actor=actor,
            case_id=case_id,
            message=data["message"],
            attachment_ids=_uploaded_ids(actor, data),
        ),
        "message added",
    ),
    "escalate": (
        lambda actor, case_id, data: services.case_escalate(
            actor=actor, case_id=case_id, message=data["message"]
        ),
        "sent to the marketplace to decide",
    ),
    "resolve": (
        lambda actor, case_id, data: resolutions.case_resolve(
            actor=actor, case_id=case_id, remedy=resolutions.Remedy(**data)
        ),
        "resolved",
    ),
    "reopen": (
        lambda actor, case_id, data: services.case_reopen(
            actor=actor, case_id=case_id, message=data["message"]
        ),
        "reopened",
    ),
    "close": (
        lambda actor, case_id, _: services.case_close(actor=actor, case_id=case_id),
        "closed",
    ),
}
CHARGEBACK_STEPS: dict[str, tuple[Callable[[Actor, str, dict[str, Any]], object], str]] = {
    "build_evidence": (
        lambda actor, chargeback_id, _: evidence_pack_build(
            actor=actor, chargeback_id=chargeback_id
        ),
        "evidence pack built",
    ),
    "submit_evidence": (
        lambda actor, chargeback_id, _: chargebacks.chargeback_submit_evidence(
            actor=actor, chargeback_id=chargeback_id
        ),
        "evidence marked as sent to the bank",
    ),
    "record_outcome": (
        lambda actor, chargeback_id, data: chargebacks.chargeback_decide(
            actor=actor, chargeback_id=chargeback_id, outcome=data["outcome"], note=data["note"]
        ),
        "outcome recorded",
    ),
}


@require_POST
@with_actor()
def case_action(request: HttpRequest, actor: Actor, case_id: UUID, action: str) -> HttpResponse:
    """One step of the case, or of its chargeback."""
    step = CASE_STEPS.get(action) or CHARGEBACK_STEPS.get(action)
    if step is None:
        return render_case(request, actor, case_id, status=404)
    run, done = step
    form_class = CASE_FORMS.get(action)
    form: forms.Form | None = None
    if form_class is CaseResolveForm:
        form = CaseResolveForm(request.POST, auto_id="resolve-%s", outcomes=outcomes_for(actor))
    elif form_class is not None:
        form = form_class(request.POST, request.FILES, auto_id=f"{action}-%s")
    failed: dict[str, Any] = {"action": action, "form": form, "message": ""}
    if form is not None and not form.is_valid():
        return render_case(request, actor, case_id, failed=failed, status=422)
    data = dict(form.cleaned_data) if form is not None else {}
    try:
        if action in CHARGEBACK_STEPS:
            detail = case_detail(actor=actor, case_id=case_id)
            if detail.chargeback is None:
                raise NotFound(f"No chargeback on dispute {case_id}.")
            run(actor, str(detail.chargeback.public_id), data)  # type: ignore[arg-type]
        else:
            run(actor, case_id, data)  # type: ignore[arg-type]
    except DomainError as error:
        failed["message"] = place_error(form, error)
        return render_case(request, actor, case_id, failed=failed, status=error.status)
    messages.success(request, f"Case: {done}.")
    return redirect("dashboard:case", case_id=case_id)


@require_POST
@with_actor()
def case_open_page(request: HttpRequest, actor: Actor, number: str, reference: str) -> HttpResponse:
    """From the order page: open a case on one seller order."""
    form = CaseOpenForm(request.POST, auto_id=f"{reference}-case-%s")
    failed = {"key": f"case-{reference.upper()}", "action": "open_case", "form": form}
    if not form.is_valid():
        return render_order_detail(request, actor, number, failed=failed, status=422)
    try:
        case = services.case_open(
            actor=actor,
            reference=reference,
            kind=form.cleaned_data["kind"],
            description=form.cleaned_data["description"],
        )
    except DomainError as error:
        failed["message"] = place_error(form, error)
        return render_order_detail(request, actor, number, failed=failed, status=error.status)
    messages.success(request, f"{reference.upper()}: case opened.")
    return redirect("dashboard:case", case_id=case.public_id)


@require_POST
@with_actor(Role.OWNER)
def chargeback_record_page(
    request: HttpRequest, actor: Actor, number: str, reference: str
) -> HttpResponse:
    """From the order page, owner: record a chargeback the bank reported on a seller order."""
    form = ChargebackForm(request.POST, auto_id=f"{reference}-chargeback-%s")
    failed = {"key": f"chargeback-{reference.upper()}", "action": "chargeback", "form": form}
    if not form.is_valid():
        return render_order_detail(request, actor, number, failed=failed, status=422)
    notice = chargebacks.ChargebackNotice(seller_order=reference, **form.cleaned_data)
    try:
        chargeback = chargebacks.chargeback_record(actor=actor, number=number, notice=notice)
    except DomainError as error:
        failed["message"] = place_error(form, error)
        return render_order_detail(request, actor, number, failed=failed, status=error.status)
    messages.success(request, f"{reference.upper()}: chargeback recorded.")
    return redirect("dashboard:case", case_id=chargeback.case.public_id)


@with_actor(Role.OWNER)
def evidence_pack_download(
    request: HttpRequest, actor: Actor, pack_id: UUID, which: str
) -> HttpResponseBase:
    try:
        pack = evidence_pack_get(actor=actor, pack_id=pack_id)
    except NotFound:
        return render(request, "dashboard/not_found.html", status=404)
    stored = pack.pdf if which == "pdf" else pack.archive
    return FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=f"evidence-{pack.chargeback.order.number}.{which}",
        content_type="application/pdf" if which == "pdf" else "application/zip",
    )
