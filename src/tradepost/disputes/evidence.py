"""One click builds a chargeback's evidence pack: what the bank needs to see the claim is wrong.

The pack is a PDF (order details, items, payment, tracking and delivery confirmation, the
timeline, every message) and a ZIP holding that PDF, every attachment sent on the order's cases
and ``evidence.json``, the export both are made from. Packs are kept (the default file storage,
under ``evidence/``) with their SHA-256, so what was sent to the bank can be shown later.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from typing import Any
from uuid import UUID

from django.core.files.base import ContentFile
from django.db.models import Prefetch

from tradepost.attachments.models import Attachment
from tradepost.attachments.representation import attachment_data
from tradepost.catalog.selectors import marketplace_get
from tradepost.core import clock
from tradepost.core.actors import Actor, Role
from tradepost.core.errors import NotFound
from tradepost.core.transactions import unit_of_work
from tradepost.disputes.events import UPDATED, evidence_built_event
from tradepost.disputes.evidence_pdf import evidence_pdf
from tradepost.disputes.lifecycle import commit_case_change, lock_chargeback
from tradepost.disputes.models import Case, Chargeback, EvidencePack, Resolution
from tradepost.disputes.representation import chargeback_data, message_data, person_label
from tradepost.disputes.status import TRACKED_OUTCOMES
from tradepost.messaging.selectors import ThreadView, order_threads
from tradepost.orders.representation import event_data, order_data
from tradepost.orders.selectors import order_get, order_timeline
from tradepost.payments.models import PaymentAttempt, Refund

EXPORT_FORMAT = "tradepost.evidence/1"
# Enough for any real conversation; the pack shows a thread's latest messages up to this many.
THREAD_MESSAGES = 2000


def evidence_pack_build(*, actor: Actor, chargeback_id: UUID | str) -> EvidencePack:
    """Owner: build the pack now (building again keeps the earlier ones)."""
    with unit_of_work():
        if actor.role is not Role.OWNER:
            raise NotFound(f"No chargeback {chargeback_id}.")
        locked, chargeback = lock_chargeback(actor=actor, chargeback_id=chargeback_id)
        export, attachments = evidence_export(actor=actor, chargeback=chargeback)
        pdf = evidence_pdf(export)
        archive = _archive(pdf, export, attachments)
        pack = EvidencePack(
            chargeback=chargeback,
            pdf_sha256=hashlib.sha256(pdf).hexdigest(),
            archive_sha256=hashlib.sha256(archive).hexdigest(),
            attachment_count=len(attachments),
            built_by_label=actor.label,
        )
        stem = f"evidence-{locked.order.number}"
        pack.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
        pack.archive.save(f"{stem}.zip", ContentFile(archive), save=False)
        pack.save()
        event = evidence_built_event(order=locked.order, chargeback=chargeback, actor=actor)
        commit_case_change(
            locked=locked,
            events=[event],
            type=UPDATED,
            change="evidence_pack",
            chargeback=chargeback,
        )
        return pack


def evidence_export(
    *, actor: Actor, chargeback: Chargeback
) -> tuple[dict[str, Any], list[tuple[str, Attachment]]]:
    """Everything the pack shows, as JSON-ready data, and the attachments with their ZIP paths."""
    number = chargeback.order.number
    cases = list(
        Case.objects.filter(order_id=chargeback.order_id)
        .select_related("seller", "seller_order")
        .prefetch_related(
            "messages__attachments",
            Prefetch("resolutions", queryset=Resolution.objects.order_by("created_at", "id")),
        )
        .order_by("created_at", "id")
    )
    threads = order_threads(
        actor=actor,
        references=list(
            chargeback.order.seller_orders.order_by("id").values_list("reference", flat=True)
        ),
        latest=THREAD_MESSAGES,
    )
    conversations = [_case_conversation(case, actor) for case in cases]
    conversations += [_thread_conversation(view) for _, view in sorted(threads.items())]
    files = _numbered(conversations, _refund_proofs(chargeback))
    export = {
        "format": EXPORT_FORMAT,
        "marketplace": marketplace_get().name,
        "built_at": clock.now().isoformat(),
        "chargeback": chargeback_data(chargeback, actor) | {"evidence_packs": []},
        "order": order_data(order_get(actor=actor, number=number), actor),
        "payments": _payments(chargeback),
        "refunds": _refunds(chargeback),
        "reships": [
            {
                "case": str(case.public_id),
                "outcome": resolution.outcome,
                "carrier": resolution.carrier,
                "tracking_number": resolution.tracking_number,
                "tracking_url": resolution.tracking_url,
                "created_at": resolution.created_at.isoformat(),
            }
            for case in cases
            for resolution in case.resolutions.all()
            if resolution.outcome in TRACKED_OUTCOMES and resolution.carrier
        ],
        "timeline": [event_data(e, actor) for e in order_timeline(actor=actor, number=number)],
        "conversations": conversations,
        "attachments": [
            {
                "path": path,
                "name": attachment.name,
                "content_type": attachment.content_type,
                "size": attachment.size,
                "sha256": attachment.sha256,
            }
            for path, attachment in files
        ],
    }
    for conversation in conversations:
        del conversation["files"]
    return export, files


def _case_conversation(case: Case, actor: Actor) -> dict[str, Any]:
    messages = sorted(case.messages.all(), key=lambda m: (m.created_at, m.pk))
    opening = {
        "author": person_label(
            role=case.opened_by_role,
            label=case.opened_by_label,
            viewer=actor,
            seller_name=case.seller.name,
        ),
        "author_role": case.opened_by_role,
        "body": case.description,
        "action": "open",
        "created_at": case.created_at.isoformat(),
        "attachments": [],
    }
    return {
        "source": "case",
        "case": str(case.public_id),
        "title": (
            f"{case.kind.replace('_', ' ').capitalize()} case on {case.seller_order.reference}, "
            f"opened {case.created_at:%Y-%m-%d} ({case.status.replace('_', ' ')})"
        ),
        "messages": [opening, *(message_data(m, actor, case.seller.name) for m in messages)],
        "files": [a for m in messages for a in m.attachments.all()],
    }


def _thread_conversation(view: ThreadView) -> dict[str, Any]:
    """The seller order's buyer-seller thread (``messaging``), as the owner reads it."""
    messages = []
    files: list[Attachment] = []
    for message in view.messages:
        attached = [link.attachment for link in message.attached.all()]
        files += attached
        messages.append(
            {
                "author": f"{message.author_label} ({message.author_party})",
                "author_role": message.author_party,
                "body": message.body,
                "action": "",
                "created_at": message.created_at.isoformat(),
                "attachments": [attachment_data(attachment) for attachment in attached],
            }
        )
    return {
        "source": "thread",
        "case": None,
        "title": f"Messages between buyer and seller on {view.seller_order.reference}",
        "messages": messages,
        "files": files,
    }


def _refund_proofs(chargeback: Chargeback) -> list[Attachment]:
    return list(
        Attachment.objects.filter(
            pk__in=Refund.proofs.through.objects.filter(
                refund__seller_order__order_id=chargeback.order_id
            ).values("attachment_id")
        ).order_by("id")
    )


def _numbered(
    conversations: list[dict[str, Any]], proofs: list[Attachment]
) -> list[tuple[str, Attachment]]:
    """Every file once, with its path in the ZIP: ``attachments/001-photo.jpg``."""
    seen: dict[int, Attachment] = {}
    for attachment in [a for c in conversations for a in c["files"]] + proofs:
        seen.setdefault(attachment.pk, attachment)
    return [
        (f"attachments/{index:03d}-{attachment.name}", attachment)
        for index, attachment in enumerate(seen.values(), start=1)
    ]


def _payments(chargeback: Chargeback) -> list[dict[str, Any]]:
    attempts = PaymentAttempt.objects.filter(order_id=chargeback.order_id).order_by("id")
    return [
        {
            "provider": attempt.provider,
            "reference": attempt.provider_reference,
            "status": attempt.status,
            "amount": attempt.amount,
            "currency": attempt.currency,
            "failure_reason": attempt.failure_reason,
            "created_at": attempt.created_at.isoformat(),
        }
        for attempt in attempts
    ]


def _refunds(chargeback: Chargeback) -> list[dict[str, Any]]:
    refunds = (
        Refund.objects.filter(seller_order__order_id=chargeback.order_id)
        .select_related("seller_order")
        .order_by("id")
    )
    return [
        {
            "seller_order": refund.seller_order.reference,
            "amount": refund.amount,
            "currency": refund.currency,
            "reason": refund.reason,
            "note": refund.note,
            "created_at": refund.created_at.isoformat(),
        }
        for refund in refunds
    ]


def _archive(
    pdf: bytes, export: dict[str, Any], attachments: list[tuple[str, Attachment]]
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("evidence.pdf", pdf)
        archive.writestr("evidence.json", json.dumps(export, indent=2, ensure_ascii=False))
        for path, attachment in attachments:
            with attachment.file.open("rb") as stored:
                archive.writestr(path, stored.read())
    return buffer.getvalue()
