"""Request and response shapes of the disputes and chargebacks API."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from ninja import Field, Schema
from pydantic import BaseModel

from tradepost.core.schemas import InputSchema, StrictInt, UtcDatetime
from tradepost.disputes.status import CaseKind, CaseStatus, ChargebackReason, ChargebackStatus
from tradepost.orders.schemas import LifecycleTableOut

OpenableKind = Literal[
    "late_shipment",
    "not_as_described",
    "damaged",
    "wrong_item",
    "lost_in_transit",
    "not_received",
    "other",
]
ChosenOutcome = Literal["full_refund", "partial_refund", "reship", "exchange", "no_action"]
Party = Literal["seller", "buyer"]
Message = Field(min_length=1, max_length=4000)
AttachmentIds: Any = Field(
    default_factory=list,
    max_length=10,
    description="Files uploaded to POST /attachments first: photos, PDFs, short videos.",
)


class CaseOpenIn(InputSchema):
    seller_order: str = Field(min_length=1, max_length=40, description="e.g. ORD-1001-1")
    kind: OpenableKind
    description: str = Field(min_length=1, max_length=4000, description="What went wrong.")


class CaseRespondIn(InputSchema):
    message: str = Message
    to: Party | None = Field(None, description="Owner only: whom the owner asks to answer.")
    attachment_ids: list[UUID] = AttachmentIds


class CaseMessageIn(InputSchema):
    message: str = Message
    attachment_ids: list[UUID] = AttachmentIds


class CaseEscalateIn(InputSchema):
    message: str = Field("", max_length=4000)


class CaseReopenIn(InputSchema):
    message: str = Field(min_length=1, max_length=4000, description="Why the remedy failed.")


class CaseResolveIn(InputSchema):
    outcome: ChosenOutcome
    amount: StrictInt | None = Field(
        None, ge=1, le=10**13, description="partial_refund: minor units."
    )
    carrier: str = Field("", max_length=80, description="reship / exchange: the new parcel.")
    tracking_number: str = Field("", max_length=120)
    tracking_url: str = Field("", max_length=500, pattern=r"^(https?://\S+)?$")
    note: str = Field("", max_length=1000)


class CaseListQuery(Schema):
    status: list[CaseStatus] = Field(default_factory=list)
    kind: list[CaseKind] = Field(default_factory=list)
    seller: str = Field("", max_length=60, description="Seller slug (owner only).")
    order: str = Field("", max_length=32, description="Order number.")
    awaiting: Literal["", "seller", "buyer", "owner"] = Field(
        "", description="Only cases waiting on this party."
    )
    overdue: bool = Field(False, description="Only open cases past their due time.")
    sort: Literal["-created_at", "created_at"] = "-created_at"
    limit: int = Field(50, ge=1, le=100)
    cursor: str | None = None


class Out(BaseModel):
    """Built from plain dicts (disputes.representation)."""


class SellerRefOut(Out):
    slug: str
    name: str


class OpenedByOut(Out):
    role: str
    label: str


class CaseSummaryOut(Out):
    id: str
    order: str
    seller_order: str
    seller: SellerRefOut
    kind: str
    status: str
    awaiting: str | None = Field(description="Who must act now: seller, buyer or owner.")
    due_at: datetime | None = Field(description="When the current step is due.")
    overdue: bool
    opened_by: OpenedByOut
    description: str
    outcome: str | None
    created_at: datetime
    resolved_at: datetime | None
    closed_at: datetime | None
    actions: list[str] = Field(description="Steps the caller may take now.")
    outcomes: list[str] = Field(description="Outcomes the caller may resolve with.")


class CasePageOut(Out):
    items: list[CaseSummaryOut]
    next_cursor: str | None


class AttachmentOut(Out):
    id: str
    name: str
    content_type: str
    kind: str
    size: int
    sha256: str
    created_at: datetime
    download_url: str


class MessageOut(Out):
    author_role: str
    author: str
    body: str
    action: str
    created_at: datetime
    attachments: list[AttachmentOut]


class ResolutionOut(Out):
    outcome: str
    amount: int | None
    carrier: str
    tracking_number: str
    tracking_url: str
    note: str
    by: str
    created_at: datetime


class EvidencePackOut(Out):
    id: str
    created_at: datetime
    built_by: str
    attachment_count: int
    pdf_sha256: str
    archive_sha256: str
    pdf_url: str
    zip_url: str


class ChargebackOut(Out):
    id: str
    order: str
    seller_order: str
    case: str
    provider: str
    provider_reference: str
    amount: int
    currency: str
    reason: str
    note: str
    respond_by: datetime
    status: str
    taken_back_amount: int = Field(description="What the bank took back when it was lost.")
    decided_at: datetime | None
    created_at: datetime
    actions: list[str]
    evidence_packs: list[EvidencePackOut] = Field(description="Owner only; newest first.")


class RateOut(Out):
    count: int
    of: int
    percent: float | None


class RatingOut(Out):
    average: float | None
    count: int


class SellerRecordOut(Out):
    paid_orders: int
    late: RateOut
    canceled: RateOut
    disputed: RateOut
    rating: RatingOut


class BuyerRecordOut(Out):
    paid_orders: int
    other_cases: int
    cases_opened: int
    refunds: int
    refunded_amount: int
    chargebacks: int
    currency: str


class RecordsOut(Out):
    seller: SellerRecordOut
    buyer: BuyerRecordOut


class CaseOut(CaseSummaryOut):
    currency: str
    messages: list[MessageOut]
    resolutions: list[ResolutionOut]
    chargeback: ChargebackOut | None
    records: RecordsOut | None = Field(None, description="Owner only: both parties' history.")


class ChargebackIn(InputSchema):
    amount: StrictInt = Field(ge=1, le=10**13, description="Minor units, the order's currency.")
    reason: ChargebackReason
    respond_by: UtcDatetime = Field(description="The bank's deadline for evidence.")
    seller_order: str = Field(
        "", max_length=40, description="Required when the order has several live seller orders."
    )
    provider_reference: str = Field("", max_length=200)
    note: str = Field("", max_length=1000)


class ChargebackOutcomeIn(InputSchema):
    outcome: Literal["won", "lost"]
    note: str = Field("", max_length=1000)


class ChargebackListQuery(Schema):
    status: list[ChargebackStatus] = Field(default_factory=list)
    order: str = Field("", max_length=32)
    overdue: bool = Field(False, description="Still open past the bank's deadline.")
    limit: int = Field(50, ge=1, le=100)
    cursor: str | None = None


class ChargebackPageOut(Out):
    items: list[ChargebackOut]
    next_cursor: str | None


class ProviderEventOut(Out):
    event_id: str
    replayed: bool = Field(description="True when this webhook-id was processed before.")
    chargeback: ChargebackOut


class OutcomeRuleOut(Out):
    outcome: str
    meaning: str
    roles: list[str]
    note: str


class DisputeLifecycleOut(Out):
    case: LifecycleTableOut
    outcomes: list[OutcomeRuleOut]
    chargeback: LifecycleTableOut
