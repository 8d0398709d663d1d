"""Cases and chargebacks as the API, the outbox and the dashboard show them: JSON-ready dicts.

What a viewer reads depends on their role, as for orders: only the owner sees people's own names
(a buyer reads "Marketplace" and the seller's name, a seller reads "Buyer"), buyers never see a
chargeback, and the actions listed are the ones the lifecycle table gives the viewer's role now.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from tradepost.attachments.representation import attachment_data
from tradepost.core import clock
from tradepost.core.actors import Actor, Role
from tradepost.core.clock import iso_or_none
from tradepost.disputes.models import Case, CaseMessage, Chargeback, EvidencePack, Resolution
from tradepost.disputes.selectors import BuyerRecord, CaseDetail, Rate, SellerRecord
from tradepost.disputes.status import (
    ACTIVE,
    CASE,
    CHARGEBACK,
    OUTCOMES,
    CaseKind,
    CaseStatus,
    awaiting_party,
)


def person_label(*, role: str, label: str, viewer: Actor, seller_name: str) -> str:
    """Who wrote or acted, in words the viewer may read."""
    if viewer.role in (Role.OWNER, Role.SYSTEM) or role == Role.SYSTEM:
        return label
    if role == Role.OWNER:
        return "Marketplace"
    if role == Role.BUYER:
        return "You" if viewer.role is Role.BUYER else "Buyer"
    return label if viewer.role is Role.SELLER else seller_name


def case_actions(case: Case, viewer: Actor) -> list[str]:
    """The steps the viewer may take now, plus ``message`` while the case is not closed.

    A chargeback case is resolved by its chargeback's outcome, never by hand.
    """
    if viewer.role is Role.SYSTEM:
        return []
    actions = CASE.actions_for(case.status, viewer.role)
    if case.kind == CaseKind.CHARGEBACK:
        actions = [action for action in actions if action != "resolve"]
    if case.status != CaseStatus.CLOSED:
        actions.append("message")
    return actions


def outcomes_for(viewer: Actor) -> list[str]:
    return [outcome for outcome, rule in OUTCOMES.items() if viewer.role in rule.roles]


def case_summary(case: Case, viewer: Actor) -> dict[str, Any]:
    """A list row; the case's order, seller order and seller are joined in."""
    awaiting = awaiting_party(case.status, case.opened_by_role)
    actions = case_actions(case, viewer)
    return {
        "id": str(case.public_id),
        "order": case.order.number,
        "seller_order": case.seller_order.reference,
        "seller": {"slug": case.seller.slug, "name": case.seller.name},
        "kind": case.kind,
        "status": case.status,
        "awaiting": awaiting.value if awaiting else None,
        "due_at": iso_or_none(case.due_at),
        "overdue": bool(case.status in ACTIVE and case.due_at and case.due_at < clock.now()),
        "opened_by": {
            "role": case.opened_by_role,
            "label": person_label(
                role=case.opened_by_role,
                label=case.opened_by_label,
                viewer=viewer,
                seller_name=case.seller.name,
            ),
        },
        "description": case.description,
        "outcome": case.outcome or None,
        "created_at": iso_or_none(case.created_at),
        "resolved_at": iso_or_none(case.resolved_at),
        "closed_at": iso_or_none(case.closed_at),
        "actions": actions,
        "outcomes": outcomes_for(viewer) if "resolve" in actions else [],
    }


def message_data(message: CaseMessage, viewer: Actor, seller_name: str) -> dict[str, Any]:
    return {
        "author_role": message.author_role,
        "author": person_label(
            role=message.author_role,
            label=message.author_label,
            viewer=viewer,
            seller_name=seller_name,
        ),
        "body": message.body,
        "action": message.action,
        "created_at": iso_or_none(message.created_at),
        "attachments": [attachment_data(attachment) for attachment in message.attachments.all()],
    }


def resolution_data(resolution: Resolution, viewer: Actor, seller_name: str) -> dict[str, Any]:
    return {
        "outcome": resolution.outcome,
        "amount": resolution.amount,
        "carrier": resolution.carrier,
        "tracking_number": resolution.tracking_number,
        "tracking_url": resolution.tracking_url,
        "note": resolution.note,
        "by": person_label(
            role=resolution.actor_role,
            label=resolution.actor_label,
            viewer=viewer,
            seller_name=seller_name,
        ),
        "created_at": iso_or_none(resolution.created_at),
    }


def case_data(detail: CaseDetail, viewer: Actor) -> dict[str, Any]:
    """The whole case: the summary, the conversation, every resolution, and the chargeback."""
    case, seller_name = detail.case, detail.case.seller.name
    data = case_summary(case, viewer)
    data |= {
        "currency": case.order.currency,
        "messages": [message_data(m, viewer, seller_name) for m in detail.messages],
        "resolutions": [resolution_data(r, viewer, seller_name) for r in detail.resolutions],
        "chargeback": (
            chargeback_data(detail.chargeback, viewer, detail.evidence_packs)
            if detail.chargeback is not None
            else None
        ),
        "records": None,
    }
    if detail.seller_record is not None and detail.buyer_record is not None:
        data["records"] = {
            "seller": seller_record_data(detail.seller_record),
            "buyer": buyer_record_data(detail.buyer_record),
        }
    return data


def evidence_pack_data(pack: EvidencePack) -> dict[str, Any]:
    pack_id = str(pack.public_id)
    return {
        "id": pack_id,
        "created_at": iso_or_none(pack.created_at),
        "built_by": pack.built_by_label,
        "attachment_count": pack.attachment_count,
        "pdf_sha256": pack.pdf_sha256,
        "archive_sha256": pack.archive_sha256,
        "pdf_url": reverse("api-v1:evidence_pack_pdf", kwargs={"pack_id": pack_id}),
        "zip_url": reverse("api-v1:evidence_pack_zip", kwargs={"pack_id": pack_id}),
    }


def chargeback_data(
    chargeback: Chargeback, viewer: Actor, packs: list[EvidencePack] | None = None
) -> dict[str, Any]:
    """A chargeback; its evidence packs are listed for the owner, who alone builds them."""
    data: dict[str, Any] = {
        "id": str(chargeback.public_id),
        "order": chargeback.order.number,
        "seller_order": chargeback.seller_order.reference,
        "case": str(chargeback.case.public_id),
        "provider": chargeback.provider,
        "provider_reference": chargeback.provider_reference,
        "amount": chargeback.amount,
        "currency": chargeback.currency,
        "reason": chargeback.reason,
        "note": chargeback.note,
        "respond_by": iso_or_none(chargeback.respond_by),
        "status": chargeback.status,
        "taken_back_amount": chargeback.taken_back_amount,
        "decided_at": iso_or_none(chargeback.decided_at),
        "created_at": iso_or_none(chargeback.created_at),
        "actions": _chargeback_actions(chargeback, viewer),
        "evidence_packs": [],
    }
    if viewer.role is Role.OWNER:
        data["evidence_packs"] = [evidence_pack_data(pack) for pack in packs or []]
    return data


def _chargeback_actions(chargeback: Chargeback, viewer: Actor) -> list[str]:
    if viewer.role is Role.SYSTEM:
        return []
    actions = CHARGEBACK.actions_for(chargeback.status, viewer.role)
    # The bank takes no evidence after its deadline (chargebacks.chargeback_submit_evidence).
    if chargeback.deadline_passed():
        actions = [action for action in actions if action != "submit_evidence"]
    return actions


def rate_data(rate: Rate) -> dict[str, Any]:
    return {"count": rate.count, "of": rate.total, "percent": rate.percent}


def seller_record_data(record: SellerRecord) -> dict[str, Any]:
    return {
        "paid_orders": record.paid_orders,
        "late": rate_data(record.late),
        "canceled": rate_data(record.canceled),
        "disputed": rate_data(record.disputed),
        "rating": {"average": record.rating.average, "count": record.rating.count},
    }


def buyer_record_data(record: BuyerRecord) -> dict[str, Any]:
    return {
        "paid_orders": record.paid_orders,
        "other_cases": record.other_cases,
        "cases_opened": record.cases_opened,
        "refunds": record.refunds,
        "refunded_amount": record.refunded_amount,
        "chargebacks": record.chargebacks,
        "currency": record.currency,
    }
