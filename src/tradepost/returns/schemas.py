"""Request and response shapes of the returns API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from ninja import Field, Schema
from pydantic import BaseModel

from tradepost.attachments.schemas import AttachmentOut
from tradepost.core.schemas import InputSchema, StrictBool
from tradepost.orders.schemas import ShipmentOut, StatusOut, TransitionOut
from tradepost.payments.schemas import LineQuantityIn, RefundOut

ReturnReason = Literal["damaged", "wrong_item", "not_as_described"]
ReturnStatusName = Literal[
    "requested",
    "authorized",
    "shipped_back",
    "received",
    "refunded",
    "exchanged",
    "declined",
    "withdrawn",
]
TRACKING_URL = r"^(https?://\S+)?$"


class Out(BaseModel):
    """Built as plain dicts (returns.representation), as the other APIs' responses are."""


class ReturnCreateIn(InputSchema):
    reason: ReturnReason
    lines: list[LineQuantityIn] = Field(
        min_length=1, max_length=100, description="Units to send back, of what was shipped."
    )
    note: str = Field("", max_length=1000, description="What is wrong, in the buyer's words.")
    attachment_ids: list[UUID] = Field(
        default_factory=list,
        max_length=10,
        description="Photos, videos or PDFs uploaded to POST /attachments.",
    )
    policy_override_note: str = Field(
        "", max_length=1000, description="Owner: why this return goes outside the refund policy."
    )


class ReturnAuthorizeIn(InputSchema):
    return_address: str = Field(min_length=1, max_length=1000)
    instructions: str = Field("", max_length=2000, description="How to pack and send it.")
    return_carrier: str = Field("", max_length=80, description="A prepaid label's carrier.")
    return_tracking_number: str = Field("", max_length=120)
    return_tracking_url: str = Field("", max_length=500, pattern=TRACKING_URL)


class ReturnDeclineIn(InputSchema):
    reason: str = Field(min_length=1, max_length=1000, description="Shown to the buyer.")


class ReturnShipBackIn(InputSchema):
    carrier: str = Field("", max_length=80, description="Default: the label's carrier.")
    tracking_number: str = Field("", max_length=120, description="Default: the label's.")
    tracking_url: str = Field("", max_length=500, pattern=TRACKING_URL)


class ReturnNoteIn(InputSchema):
    note: str = Field("", max_length=1000)


class ReturnRefundIn(InputSchema):
    inspection_note: str = Field(min_length=1, max_length=2000)
    restock: StrictBool = Field(False, description="Put the returned units back on sale.")


class ReturnExchangeIn(InputSchema):
    inspection_note: str = Field(min_length=1, max_length=2000)
    carrier: str = Field(min_length=1, max_length=80, description="The replacement's carrier.")
    tracking_number: str = Field("", max_length=120)
    tracking_url: str = Field("", max_length=500, pattern=TRACKING_URL)


class ReturnListQuery(Schema):
    status: list[ReturnStatusName] = Field(default_factory=list)
    order: str = Field("", max_length=32)
    seller_order: str = Field("", max_length=40)
    limit: int = Field(50, ge=1, le=100)
    cursor: str | None = None


class ReturnLineOut(Out):
    sku: str
    title: str
    quantity: int
    unit_price_amount: int


class ReturnSellerOut(Out):
    slug: str
    name: str


class ReturnOut(Out):
    id: str
    order: str
    seller_order: str
    seller: ReturnSellerOut
    status: ReturnStatusName
    reason: ReturnReason
    note: str
    lines: list[ReturnLineOut]
    proofs: list[AttachmentOut]
    requested_by_role: str
    policy_override_note: str
    return_address: str
    instructions: str
    return_carrier: str
    return_tracking_number: str
    return_tracking_url: str
    decline_reason: str
    withdraw_note: str
    received_note: str
    inspection_note: str
    restocked: bool
    requested_at: datetime
    authorized_at: datetime | None
    shipped_back_at: datetime | None
    received_at: datetime | None
    closed_at: datetime | None
    decided_by_role: str | None
    refund: RefundOut | None = Field(description="The refund of the returned lines, once issued.")
    replacement: ShipmentOut | None = Field(description="An exchange's replacement parcel.")
    actions: list[str] = Field(description="Steps the caller may take now (lifecycle table).")


class ReturnPageOut(Out):
    items: list[ReturnOut]
    next_cursor: str | None


class ReturnLifecycleOut(Out):
    field: str
    reasons: list[str]
    statuses: list[StatusOut]
    transitions: list[TransitionOut]
