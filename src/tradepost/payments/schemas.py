"""Request and response shapes of the payments API: payments, refunds, refund requests, codes."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from ninja import Field, Schema
from pydantic import BaseModel

from tradepost.attachments.schemas import AttachmentOut
from tradepost.core.schemas import InputSchema, StrictBool, StrictInt, UtcDatetime

Reason = Literal[
    "damaged", "wrong_item", "not_as_described", "lost_in_transit", "canceled", "other"
]
BuyerReason = Literal["damaged", "wrong_item", "not_as_described", "lost_in_transit", "other"]
Amount = int


class Out(BaseModel):
    """Built as plain dicts (payments.representation), as the orders API's responses are."""


class PaymentIn(InputSchema):
    provider: str = Field("manual", max_length=40)
    status: Literal["succeeded", "failed"]
    reference: str = Field(min_length=1, max_length=200, description="The provider's reference.")
    amount: StrictInt = Field(
        ge=0, le=10**13, description="Minor units; must equal the order total."
    )
    currency: str | None = Field(None, pattern=r"^[A-Z]{3}$")
    failure_reason: str = Field("", max_length=500)


class LineQuantityIn(InputSchema):
    sku: str = Field(min_length=1, max_length=64)
    quantity: StrictInt = Field(ge=1, le=10_000)


class GoodwillCodeIn(InputSchema):
    kind: Literal["fixed", "percent"]
    amount_off: StrictInt | None = Field(None, ge=1, le=10**12, description="Minor units (fixed).")
    percent_off: StrictInt | None = Field(
        None, ge=1, le=100, description="Whole percent (percent)."
    )
    expires_at: UtcDatetime | None = Field(None, description="Default: 90 days from now.")
    note: str = Field("", max_length=500)
    seller_only: StrictBool = Field(
        False, description="Owner: cover only this seller's items (a seller's code always does)."
    )


class RefundCreateIn(InputSchema):
    reason: Reason
    amount: StrictInt | None = Field(
        None, ge=1, le=10**13, description="Refund this much; leave out to refund by lines."
    )
    lines: list[LineQuantityIn] | None = Field(
        None,
        min_length=1,
        max_length=100,
        description="Refund these units: their share of items, shipping and tax (docs/refunds.md).",
    )
    full: StrictBool = Field(
        False, description="Refund everything left. One of amount, lines or full is required."
    )
    note: str = Field("", max_length=1000)
    restock: StrictBool = Field(False, description="Put the refunded line units back on sale.")
    attachment_ids: list[UUID] = Field(
        default_factory=list, max_length=10, description="Proof uploaded to POST /attachments."
    )
    policy_override_note: str = Field(
        "", max_length=1000, description="Required to refund after the refund window closed."
    )
    discount_code: GoodwillCodeIn | None = Field(
        None, description="Also give the buyer a goodwill code for a next order."
    )


class RefundRequestCreateIn(InputSchema):
    reason: BuyerReason
    note: str = Field("", max_length=1000, description="What happened, in the buyer's words.")
    amount: StrictInt | None = Field(None, ge=1, le=10**13)
    lines: list[LineQuantityIn] | None = Field(None, min_length=1, max_length=100)
    full: StrictBool = Field(
        False, description="Ask for everything left. One of amount, lines or full is required."
    )
    attachment_ids: list[UUID] = Field(
        default_factory=list,
        max_length=10,
        description="Photos or videos uploaded to POST /attachments.",
    )


class RefundRequestApproveIn(InputSchema):
    note: str = Field("", max_length=1000)
    restock: StrictBool = Field(False, description="Put the refunded line units back on sale.")
    discount_code: GoodwillCodeIn | None = None


class RefundRequestDeclineIn(InputSchema):
    reason: str = Field(min_length=1, max_length=1000, description="Shown to the buyer.")


class DiscountCodeCreateIn(GoodwillCodeIn):
    seller_order: str = Field(min_length=1, max_length=40, description="e.g. ORD-1001-1")
    refund_id: UUID | None = Field(None, description="The refund this code goes with.")


class PageQuery(Schema):
    limit: int = Field(50, ge=1, le=100)
    cursor: str | None = None


class RefundListQuery(PageQuery):
    order: str = Field("", max_length=32)
    seller_order: str = Field("", max_length=40)
    reason: Reason | None = None


class RefundRequestListQuery(PageQuery):
    status: Literal["requested", "approved", "declined"] | None = None
    seller_order: str = Field("", max_length=40)


class DiscountCodeListQuery(PageQuery):
    seller_order: str = Field("", max_length=40)


class RefundLineOut(Out):
    sku: str
    title: str
    quantity: int
    amount: Amount = Field(description="This line's part of the items' money.")
    quantity_restocked: int


class DiscountCodeOut(Out):
    code: str
    status: Literal["active", "redeemed", "expired"]
    kind: str
    amount_off: Amount | None
    currency: str | None
    percent_off: int | None
    seller: str | None = Field(description="Covers this seller's items only; null: any item.")
    applies_to: str
    expires_at: datetime
    redeemed_at: datetime | None
    seller_order: str = Field(description="The seller order it was given for.")
    note: str
    issued_by_role: str
    created_at: datetime


class RefundOut(Out):
    id: str
    order: str
    seller_order: str
    amount: Amount
    currency: str
    reason: str
    note: str
    lines: list[RefundLineOut] = Field(description="Empty for a refund by amount.")
    shipping_share_amount: Amount
    tax_share_amount: Amount
    policy_override_note: str
    refund_request_id: str | None
    proofs: list[AttachmentOut]
    discount_codes: list[DiscountCodeOut]
    commission_reversed_amount: Amount | None = Field(None, description="Not shown to buyers.")
    provider: str | None = None
    provider_reference: str | None = None
    created_at: datetime


class RefundRequestLineOut(Out):
    sku: str
    title: str
    quantity: int


class RefundRequestOut(Out):
    id: str
    order: str
    seller_order: str
    status: str
    reason: str
    note: str
    amount: Amount | None = Field(description="Null with no lines: everything still refundable.")
    lines: list[RefundRequestLineOut]
    proofs: list[AttachmentOut]
    requested_at: datetime
    decided_at: datetime | None
    decided_by_role: str | None
    decision_note: str
    refund: RefundOut | None
    actions: list[str] = Field(description="approve / decline, when the caller may take them.")


class RefundPageOut(Out):
    items: list[RefundOut]
    next_cursor: str | None


class RefundRequestPageOut(Out):
    items: list[RefundRequestOut]
    next_cursor: str | None


class DiscountCodePageOut(Out):
    items: list[DiscountCodeOut]
    next_cursor: str | None


class RefundPolicyOut(Out):
    window_days: int
    reasons_accepted: list[str]
    proof_required: bool
    proof_required_for: list[str] = Field(description="Reasons that need a photo or video.")
    summary: str


class SellerOrderRefundWindowOut(Out):
    reference: str
    window_starts_at: datetime | None = Field(description="Delivery; null until delivered.")
    deadline: datetime | None = Field(description="Last moment to request; null until delivered.")
    requests_open: bool = Field(description="Whether the buyer may request a refund now.")


class OrderRefundPolicyOut(RefundPolicyOut):
    seller_orders: list[SellerOrderRefundWindowOut]
