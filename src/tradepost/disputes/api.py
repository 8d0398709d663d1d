"""Disputes API: cases and their steps, chargebacks, evidence packs, the provider's events."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import FileResponse, HttpRequest
from ninja import Query, Router

from tradepost.accounts.auth import request_actor
from tradepost.core.actors import SYSTEM
from tradepost.core.schemas import READ_ERRORS, WRITE_ERRORS, ProblemOut
from tradepost.disputes import chargebacks, resolutions, services
from tradepost.disputes.evidence import evidence_pack_build
from tradepost.disputes.inbound import provider_event_receive
from tradepost.disputes.lifecycle_table import dispute_lifecycle_tables
from tradepost.disputes.representation import (
    case_data,
    case_summary,
    chargeback_data,
    evidence_pack_data,
)
from tradepost.disputes.schemas import (
    CaseEscalateIn,
    CaseListQuery,
    CaseMessageIn,
    CaseOpenIn,
    CaseOut,
    CasePageOut,
    CaseReopenIn,
    CaseResolveIn,
    CaseRespondIn,
    ChargebackIn,
    ChargebackListQuery,
    ChargebackOut,
    ChargebackOutcomeIn,
    ChargebackPageOut,
    DisputeLifecycleOut,
    EvidencePackOut,
    ProviderEventOut,
)
from tradepost.disputes.selectors import (
    CaseFilters,
    ChargebackFilters,
    case_detail,
    case_list,
    chargeback_get,
    chargeback_list,
    evidence_pack_get,
)

router = Router(tags=["disputes"])
SIGNATURE_HEADERS = ("webhook-id", "webhook-timestamp", "webhook-signature")


def _case(request: HttpRequest, case_id: UUID | str) -> dict[str, Any]:
    actor = request_actor(request)
    return case_data(case_detail(actor=actor, case_id=case_id), actor)


@router.get("/disputes/lifecycle", response=DisputeLifecycleOut, auth=None, tags=["lifecycle"])
def dispute_lifecycle(request: HttpRequest) -> dict[str, Any]:
    """The case and chargeback tables: statuses, transitions, who may take them, outcomes."""
    return dispute_lifecycle_tables()


@router.get("/disputes", response={200: CasePageOut, **READ_ERRORS})
def list_cases(request: HttpRequest, query: Query[CaseListQuery]) -> dict[str, Any]:
    """Cases you may see: filter by status, kind, seller, order, who must act, overdue."""
    actor = request_actor(request)
    filters = CaseFilters(
        status=list(query.status),
        kind=list(query.kind),
        seller=query.seller,
        order=query.order,
        awaiting=query.awaiting,
        overdue=query.overdue,
    )
    page = case_list(
        actor=actor, filters=filters, sort=query.sort, limit=query.limit, cursor=query.cursor
    )
    return {
        "items": [case_summary(case, actor) for case in page.items],
        "next_cursor": page.next_cursor,
    }


@router.post("/disputes", response={201: CaseOut, **WRITE_ERRORS})
def open_case(request: HttpRequest, payload: CaseOpenIn) -> tuple[int, dict[str, Any]]:
    """Buyer, seller or owner: open a case on a paid seller order; the other party must answer."""
    case = services.case_open(
        actor=request_actor(request),
        reference=payload.seller_order,
        kind=payload.kind,
        description=payload.description,
    )
    return 201, _case(request, case.public_id)


@router.get("/disputes/{case_id}", response={200: CaseOut, **READ_ERRORS})
def get_case(request: HttpRequest, case_id: UUID) -> dict[str, Any]:
    """The case, its whole conversation and resolutions; for the owner, both parties' record."""
    return _case(request, case_id)


@router.post("/disputes/{case_id}/respond", response={200: CaseOut, **WRITE_ERRORS})
def respond(request: HttpRequest, case_id: UUID, payload: CaseRespondIn) -> dict[str, Any]:
    """Answer and hand the turn over: the seller to the buyer, the buyer to the seller; the owner
    asks the party it names in ``to``."""
    services.case_respond(
        actor=request_actor(request),
        case_id=case_id,
        message=payload.message,
        to=payload.to or "",
        attachment_ids=payload.attachment_ids,
    )
    return _case(request, case_id)


@router.post("/disputes/{case_id}/messages", response={200: CaseOut, **WRITE_ERRORS})
def add_message(request: HttpRequest, case_id: UUID, payload: CaseMessageIn) -> dict[str, Any]:
    """Write on the case without passing the turn; attach proof uploaded to /attachments."""
    services.case_message_add(
        actor=request_actor(request),
        case_id=case_id,
        message=payload.message,
        attachment_ids=payload.attachment_ids,
    )
    return _case(request, case_id)


@router.post("/disputes/{case_id}/escalate", response={200: CaseOut, **WRITE_ERRORS})
def escalate(request: HttpRequest, case_id: UUID, payload: CaseEscalateIn) -> dict[str, Any]:
    """Either party (or the owner): the owner reviews and decides."""
    services.case_escalate(actor=request_actor(request), case_id=case_id, message=payload.message)
    return _case(request, case_id)


@router.post("/disputes/{case_id}/resolve", response={200: CaseOut, **WRITE_ERRORS})
def resolve(request: HttpRequest, case_id: UUID, payload: CaseResolveIn) -> dict[str, Any]:
    """Record the outcome; refunds are issued with it, in the same transaction."""
    remedy = resolutions.Remedy(**payload.model_dump())
    resolutions.case_resolve(actor=request_actor(request), case_id=case_id, remedy=remedy)
    return _case(request, case_id)


@router.post("/disputes/{case_id}/reopen", response={200: CaseOut, **WRITE_ERRORS})
def reopen(request: HttpRequest, case_id: UUID, payload: CaseReopenIn) -> dict[str, Any]:
    """Buyer or owner: the remedy failed; the owner decides again."""
    services.case_reopen(actor=request_actor(request), case_id=case_id, message=payload.message)
    return _case(request, case_id)


@router.post("/disputes/{case_id}/close", response={200: CaseOut, **WRITE_ERRORS})
def close(request: HttpRequest, case_id: UUID) -> dict[str, Any]:
    """Buyer or owner: the resolved case is done."""
    services.case_close(actor=request_actor(request), case_id=case_id)
    return _case(request, case_id)


@router.post("/orders/{number}/chargebacks", response={201: ChargebackOut, **WRITE_ERRORS})
def record_chargeback(
    request: HttpRequest, number: str, payload: ChargebackIn
) -> tuple[int, dict[str, Any]]:
    """Owner: record a chargeback the bank reported; opens a chargeback case alongside."""
    actor = request_actor(request)
    notice = chargebacks.ChargebackNotice(**payload.model_dump())
    chargeback = chargebacks.chargeback_record(actor=actor, number=number, notice=notice)
    return 201, _chargeback(request, chargeback.public_id)


def _chargeback(request: HttpRequest, chargeback_id: UUID | str) -> dict[str, Any]:
    actor = request_actor(request)
    chargeback = chargeback_get(actor=actor, chargeback_id=chargeback_id)
    packs = list(chargeback.evidence_packs.order_by("-created_at"))
    return chargeback_data(chargeback, actor, packs)


@router.get("/chargebacks", response={200: ChargebackPageOut, **READ_ERRORS})
def list_chargebacks(request: HttpRequest, query: Query[ChargebackListQuery]) -> dict[str, Any]:
    """Owner: every chargeback; a seller: those on its seller orders."""
    actor = request_actor(request)
    filters = ChargebackFilters(status=list(query.status), order=query.order, overdue=query.overdue)
    page = chargeback_list(actor=actor, filters=filters, limit=query.limit, cursor=query.cursor)
    return {
        "items": [chargeback_data(chargeback, actor) for chargeback in page.items],
        "next_cursor": page.next_cursor,
    }


@router.get("/chargebacks/{chargeback_id}", response={200: ChargebackOut, **READ_ERRORS})
def get_chargeback(request: HttpRequest, chargeback_id: UUID) -> dict[str, Any]:
    return _chargeback(request, chargeback_id)


@router.post(
    "/chargebacks/{chargeback_id}/evidence-pack", response={201: EvidencePackOut, **WRITE_ERRORS}
)
def build_evidence_pack(request: HttpRequest, chargeback_id: UUID) -> tuple[int, dict[str, Any]]:
    """Owner: build the evidence pack now: a PDF, and a ZIP of the PDF, attachments and JSON."""
    pack = evidence_pack_build(actor=request_actor(request), chargeback_id=chargeback_id)
    return 201, evidence_pack_data(pack)


@router.post(
    "/chargebacks/{chargeback_id}/submit-evidence", response={200: ChargebackOut, **WRITE_ERRORS}
)
def submit_evidence(request: HttpRequest, chargeback_id: UUID) -> dict[str, Any]:
    """Owner: the evidence pack went to the bank; wait for its ruling."""
    chargebacks.chargeback_submit_evidence(
        actor=request_actor(request), chargeback_id=chargeback_id
    )
    return _chargeback(request, chargeback_id)


@router.post("/chargebacks/{chargeback_id}/outcome", response={200: ChargebackOut, **WRITE_ERRORS})
def record_outcome(
    request: HttpRequest, chargeback_id: UUID, payload: ChargebackOutcomeIn
) -> dict[str, Any]:
    """Owner: the bank's ruling. Lost takes the amount back; won reverses the chargeback."""
    chargebacks.chargeback_decide(
        actor=request_actor(request),
        chargeback_id=chargeback_id,
        outcome=payload.outcome,
        note=payload.note,
    )
    return _chargeback(request, chargeback_id)


def _pack_file(request: HttpRequest, pack_id: UUID, which: str) -> FileResponse:
    pack = evidence_pack_get(actor=request_actor(request), pack_id=pack_id)
    stored = pack.pdf if which == "pdf" else pack.archive
    return FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=f"evidence-{pack.chargeback.order.number}.{which}",
        content_type="application/pdf" if which == "pdf" else "application/zip",
    )


@router.get(
    "/evidence-packs/{pack_id}/pdf",
    response={200: None, **READ_ERRORS},
    url_name="evidence_pack_pdf",
)
def download_pack_pdf(request: HttpRequest, pack_id: UUID) -> FileResponse:
    """Owner: the evidence PDF."""
    return _pack_file(request, pack_id, "pdf")


@router.get(
    "/evidence-packs/{pack_id}/zip",
    response={200: None, **READ_ERRORS},
    url_name="evidence_pack_zip",
)
def download_pack_zip(request: HttpRequest, pack_id: UUID) -> FileResponse:
    """Owner: the ZIP: the PDF, every attachment and evidence.json."""
    return _pack_file(request, pack_id, "zip")


@router.post(
    "/provider-events/chargebacks",
    auth=None,
    response={
        200: ProviderEventOut,
        **dict.fromkeys((401, 404, 409, 422, 503), ProblemOut),
    },
    tags=["provider events"],
)
def provider_chargeback_event(request: HttpRequest) -> dict[str, Any]:
    """The payment provider's chargeback events, signed per Standard Webhooks with the shared
    secret; no API key. A redelivery (same ``webhook-id``) answers as the first and changes
    nothing; a bad signature answers 401."""
    headers = {name: request.headers.get(name, "") for name in SIGNATURE_HEADERS}
    received = provider_event_receive(body=request.body, headers=headers)
    chargeback = chargeback_get(actor=SYSTEM, chargeback_id=received.chargeback.public_id)
    return {
        "event_id": received.event_id,
        "replayed": received.replayed,
        "chargeback": chargeback_data(chargeback, SYSTEM),
    }
