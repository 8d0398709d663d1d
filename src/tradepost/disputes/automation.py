"""Deadlines the worker enforces on disputes (``disputes.tasks.run_dispute_deadlines``).

A case whose due time passed while it waited on the buyer or the seller goes to the owner to
decide (``under_review``), as the system; a chargeback whose response deadline passed without
evidence is lost, as its lifecycle table's system row says. Each takes a bounded batch from its
status-and-due-time index, and each case or chargeback is read again under its locks (the house
order: order, seller orders, case, chargeback) before it moves, so a rerun or a second worker
finds it already moved and does nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from django.db import transaction

from tradepost.core import clock
from tradepost.core.actors import SYSTEM
from tradepost.core.batches import each_on_its_own
from tradepost.core.clock import iso_or_none
from tradepost.disputes.chargebacks import chargeback_decide
from tradepost.disputes.events import UPDATED
from tradepost.disputes.lifecycle import commit_case_change, lock_case, move_case
from tradepost.disputes.models import Case, Chargeback
from tradepost.disputes.status import CaseStatus, ChargebackStatus, awaiting_party

BATCH_SIZE = 100
# The steps that wait on a party; an overdue case under review waits on the owner already.
WAITING_ON_A_PARTY = (CaseStatus.OPEN, CaseStatus.AWAITING_SELLER, CaseStatus.AWAITING_BUYER)
OVERDUE = "overdue"


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%a %-d %b %Y, %H:%M UTC")


def overdue_cases_escalate(*, now: datetime) -> int:
    """Hand every case (a batch) that a party let pass its due time to the owner."""
    overdue = (
        Case.objects.filter(status__in=WAITING_ON_A_PARTY, due_at__lt=now)
        .order_by("due_at", "id")
        .values_list("public_id", flat=True)[:BATCH_SIZE]
    )
    return each_on_its_own("overdue cases", list(overdue), lambda case_id: _escalate(case_id, now))


def _escalate(case_id: UUID, now: datetime) -> bool:
    with transaction.atomic():
        locked = lock_case(actor=SYSTEM, case_id=case_id)
        case = locked.case
        if case.status not in WAITING_ON_A_PARTY or case.due_at is None or case.due_at >= now:
            return False  # answered, or moved by another worker, since the batch was read
        missed = awaiting_party(case.status, case.opened_by_role)
        assert missed is not None  # every step waiting on a party names it
        due = case.due_at
        event = move_case(
            locked=locked,
            target=CaseStatus.UNDER_REVIEW,
            actor=SYSTEM,
            note=f"The {missed.value} did not answer by {_when(due)}; the marketplace decides.",
            details={"reason": OVERDUE, "missed_by": missed.value, "was_due_at": iso_or_none(due)},
        )
        commit_case_change(
            locked=locked,
            events=[event],
            type=UPDATED,
            change=OVERDUE,
            context={"missed_by": missed.value, "was_due_at": iso_or_none(due)},
        )
        return True


def unanswered_chargebacks_lose(*, now: datetime) -> int:
    """Record as lost every chargeback (a batch) whose evidence was never sent by the deadline:
    the bank keeps the money, and the case is resolved with it."""
    expired = (
        Chargeback.objects.filter(status=ChargebackStatus.NEEDS_RESPONSE, respond_by__lt=now)
        .order_by("respond_by", "id")
        .values_list("public_id", flat=True)[:BATCH_SIZE]
    )

    def lose(chargeback_id: UUID) -> bool:
        # Evidence sent, or another worker's decision, since the batch was read: the lifecycle
        # table refuses the move under the lock (a DomainError), and nothing changes.
        chargeback_decide(
            actor=SYSTEM,
            chargeback_id=chargeback_id,
            outcome=ChargebackStatus.LOST,
            note="The bank's response deadline passed without evidence.",
        )
        return True

    return each_on_its_own("unanswered chargebacks", list(expired), lose)


def dispute_deadlines_run(*, now: datetime | None = None) -> dict[str, int]:
    now = now or clock.now()
    return {
        "cases_escalated": overdue_cases_escalate(now=now),
        "chargebacks_lost": unanswered_chargebacks_lose(now=now),
    }
