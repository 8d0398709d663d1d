"""Every read of cases and chargebacks, scoped to the actor: outside your scope they do not exist.

The owner sees every case; a seller the cases on its own seller orders; a buyer the cases on their
own orders. Chargebacks are the owner's and the charged seller's business; buyers never see them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum

from tradepost.attachments.models import Attachment
from tradepost.core import clock
from tradepost.core.actors import Actor, Role
from tradepost.core.errors import NotFound, ValidationFailed
from tradepost.core.pagination import Page, paginate
from tradepost.disputes.models import Case, CaseMessage, Chargeback, EvidencePack, Resolution
from tradepost.disputes.status import ACTIVE, OPEN_CHARGEBACK, CaseStatus, awaiting_party
from tradepost.orders.models import Order, SellerOrder
from tradepost.orders.seller_rates import SELLER_CANCELED, with_seller_cancellation
from tradepost.orders.status import FulfilmentStatus
from tradepost.payments.chargebacks import CHARGEBACK_REASON
from tradepost.payments.models import Refund
from tradepost.reviews.selectors import Rating, seller_rating

CASE_SORTS = {"created_at": "created_at", "-created_at": "-created_at"}
# Waiting on a party: the case statuses in which that party must act (an open case waits on the
# party it was opened against, so it counts for both sides' filters by its opener).
WAITING_ON: dict[str, Q] = {
    Role.SELLER: Q(status=CaseStatus.AWAITING_SELLER)
    | Q(status=CaseStatus.OPEN) & ~Q(opened_by_role=Role.SELLER),
    Role.BUYER: Q(status__in=[CaseStatus.AWAITING_BUYER, CaseStatus.RESOLVED])
    | Q(status=CaseStatus.OPEN, opened_by_role=Role.SELLER),
    Role.OWNER: Q(status=CaseStatus.UNDER_REVIEW),
}


def cases_visible_to(actor: Actor) -> QuerySet[Case]:
    cases = Case.objects.all()
    if actor.role is Role.SELLER:
        return cases.filter(seller_id=actor.seller_pk)
    if actor.role is Role.BUYER:
        return cases.filter(buyer_id=actor.buyer_pk)
    return cases


def chargebacks_visible_to(actor: Actor) -> QuerySet[Chargeback]:
    chargebacks = Chargeback.objects.all()
    if actor.role is Role.SELLER:
        return chargebacks.filter(seller_order__seller_id=actor.seller_pk)
    if actor.role is Role.BUYER:
        return chargebacks.none()
    return chargebacks


def overdue_q() -> Q:
    return Q(status__in=ACTIVE, due_at__lt=clock.now())


@dataclass(frozen=True)
class CaseFilters:
    status: list[str] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)
    seller: str = ""
    order: str = ""
    awaiting: str = ""
    overdue: bool = False


def _filtered_cases(actor: Actor, filters: CaseFilters) -> QuerySet[Case]:
    cases = cases_visible_to(actor)
    if filters.status:
        cases = cases.filter(status__in=filters.status)
    if filters.kind:
        cases = cases.filter(kind__in=filters.kind)
    if filters.seller and actor.role is not Role.OWNER:
        raise ValidationFailed("seller", "only the marketplace owner filters by seller")
    if filters.seller:
        cases = cases.filter(seller__slug=filters.seller)
    if filters.order:
        cases = cases.filter(order__number=filters.order.strip().upper())
    if filters.awaiting:
        cases = cases.filter(WAITING_ON[filters.awaiting])
    if filters.overdue:
        cases = cases.filter(overdue_q())
    return cases


def case_list(
    *, actor: Actor, filters: CaseFilters, sort: str, limit: int, cursor: str | None
) -> Page[Case]:
    """One page of cases with their order, seller order and seller joined in (one query)."""
    cases = _filtered_cases(actor, filters).select_related("order", "seller_order", "seller")
    return paginate(cases, sort=CASE_SORTS[sort], limit=limit, cursor=cursor)


@dataclass(frozen=True)
class DisputeCounts:
    """The counters on the orders list: cases still waiting on someone, and those past due."""

    open: int
    overdue: int


def dispute_counts(*, actor: Actor) -> DisputeCounts:
    counts = (
        cases_visible_to(actor)
        .filter(status__in=ACTIVE)
        .aggregate(open=Count("pk"), overdue=Count("pk", filter=overdue_q()))
    )
    return DisputeCounts(**counts)


def case_get(*, actor: Actor, case_id: UUID | str) -> Case:
    case = (
        cases_visible_to(actor)
        .select_related("order", "seller_order__seller", "seller", "buyer")
        .filter(public_id=case_id)
        .first()
    )
    if case is None:
        raise NotFound(f"No dispute {case_id}.")
    return case


@dataclass
class CaseDetail:
    """A case with its conversation, resolutions and, for a chargeback case, the chargeback."""

    case: Case
    messages: list[CaseMessage]
    resolutions: list[Resolution]
    chargeback: Chargeback | None
    evidence_packs: list[EvidencePack]
    # Both parties' history, for the owner who mediates; nobody else reads it.
    seller_record: SellerRecord | None = None
    buyer_record: BuyerRecord | None = None

    @property
    def awaiting(self) -> Role | None:
        return awaiting_party(self.case.status, self.case.opened_by_role)


def case_detail(*, actor: Actor, case_id: UUID | str) -> CaseDetail:
    """The case and everything its page shows, in a constant number of queries."""
    case = case_get(actor=actor, case_id=case_id)
    messages = list(
        case.messages.order_by("created_at", "id").prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("id"))
        )
    )
    resolutions = list(case.resolutions.order_by("created_at", "id"))
    chargeback = Chargeback.objects.filter(case=case).first()
    if actor.role is Role.BUYER:
        chargeback = None
    packs = list(chargeback.evidence_packs.order_by("-created_at")) if chargeback else []
    detail = CaseDetail(case, messages, resolutions, chargeback, packs)
    if actor.role is Role.OWNER:
        detail.seller_record = seller_record(case=case)
        detail.buyer_record = buyer_record(case=case)
    return detail


def case_attachments_visible_to(actor: Actor) -> QuerySet[Any]:
    """Attachment ids on the cases the actor may see (an attachments scope, see settings)."""
    return CaseMessage.attachments.through.objects.filter(
        casemessage__case__in=cases_visible_to(actor).values("pk")
    ).values("attachment_id")


@dataclass(frozen=True)
class Rate:
    """``count`` of ``total``; a rate is shown as a share of what it counts."""

    count: int
    total: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.count / self.total, 1) if self.total else None


@dataclass(frozen=True)
class SellerRecord:
    paid_orders: int
    late: Rate
    canceled: Rate
    disputed: Rate
    rating: Rating


def seller_record(*, case: Case) -> SellerRecord:
    """The seller's history, for the owner deciding a case: how often it ships late, cancels
    (whole or in part) after payment and is disputed, and its rating. Late means shipped after
    ``ship_due_at``, or still unshipped past it."""
    now = clock.now()
    paid = with_seller_cancellation(
        SellerOrder.objects.filter(seller_id=case.seller_id, commission_amount__isnull=False)
    )
    unshipped_late = Q(
        shipped_at__isnull=True,
        status__in=[FulfilmentStatus.PENDING, FulfilmentStatus.PROCESSING],
        ship_due_at__lt=now,
    )
    counts = paid.aggregate(
        paid=Count("pk"),
        due=Count(
            "pk", filter=Q(shipped_at__isnull=False, ship_due_at__isnull=False) | unshipped_late
        ),
        late=Count("pk", filter=Q(shipped_at__gt=F("ship_due_at")) | unshipped_late),
        # The seller's own cancellations only (orders.seller_rates), not the buyer's.
        canceled=Count("pk", filter=SELLER_CANCELED),
    )
    disputed = (
        Case.objects.filter(seller_id=case.seller_id).values("seller_order_id").distinct().count()
    )
    return SellerRecord(
        paid_orders=counts["paid"],
        late=Rate(counts["late"], counts["due"]),
        canceled=Rate(counts["canceled"], counts["paid"]),
        disputed=Rate(disputed, counts["paid"]),
        rating=seller_rating(case.seller),
    )


@dataclass(frozen=True)
class BuyerRecord:
    paid_orders: int
    other_cases: int
    cases_opened: int
    refunds: int
    refunded_amount: int
    chargebacks: int
    currency: str


def buyer_record(*, case: Case) -> BuyerRecord:
    """The buyer's history: other disputes, refunds (in the case's currency) and chargebacks."""
    currency = case.order.currency
    cases = Case.objects.filter(buyer_id=case.buyer_id).exclude(pk=case.pk)
    case_counts = cases.aggregate(
        other=Count("pk"), opened=Count("pk", filter=Q(opened_by_role=Role.BUYER))
    )
    refunds = (
        Refund.objects.filter(seller_order__order__buyer_id=case.buyer_id, currency=currency)
        .exclude(reason=CHARGEBACK_REASON)
        .aggregate(count=Count("pk"), amount=Sum("amount"))
    )
    return BuyerRecord(
        paid_orders=Order.objects.filter(buyer_id=case.buyer_id, captured_amount__gt=0).count(),
        other_cases=case_counts["other"],
        cases_opened=case_counts["opened"],
        refunds=refunds["count"],
        refunded_amount=refunds["amount"] or 0,
        chargebacks=Chargeback.objects.filter(order__buyer_id=case.buyer_id).count(),
        currency=currency,
    )


def chargeback_get(*, actor: Actor, chargeback_id: UUID | str) -> Chargeback:
    chargeback = (
        chargebacks_visible_to(actor)
        .select_related("order", "seller_order__seller", "case")
        .filter(public_id=chargeback_id)
        .first()
    )
    if chargeback is None:
        raise NotFound(f"No chargeback {chargeback_id}.")
    return chargeback


@dataclass(frozen=True)
class ChargebackFilters:
    status: list[str] = field(default_factory=list)
    order: str = ""
    overdue: bool = False  # still open past the bank's response deadline


def chargeback_list(
    *, actor: Actor, filters: ChargebackFilters, limit: int, cursor: str | None
) -> Page[Chargeback]:
    chargebacks = chargebacks_visible_to(actor).select_related(
        "order", "seller_order__seller", "case"
    )
    if filters.status:
        chargebacks = chargebacks.filter(status__in=filters.status)
    if filters.order:
        chargebacks = chargebacks.filter(order__number=filters.order.strip().upper())
    if filters.overdue:
        chargebacks = chargebacks.filter(status__in=OPEN_CHARGEBACK, respond_by__lt=clock.now())
    return paginate(chargebacks, sort="-created_at", limit=limit, cursor=cursor)


def open_chargeback_amount(seller_order: SellerOrder) -> int:
    """What open chargebacks may still take from the seller order: refunds must leave it."""
    total = Chargeback.objects.filter(
        seller_order=seller_order, status__in=OPEN_CHARGEBACK
    ).aggregate(total=Sum("amount"))["total"]
    return int(total or 0)


def evidence_pack_get(*, actor: Actor, pack_id: UUID | str) -> EvidencePack:
    """An evidence pack, to download; the owner's alone."""
    pack = None
    if actor.role is Role.OWNER:
        pack = (
            EvidencePack.objects.select_related("chargeback__order")
            .filter(public_id=pack_id)
            .first()
        )
    if pack is None:
        raise NotFound(f"No evidence pack {pack_id}.")
    return pack
