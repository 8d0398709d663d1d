"""Request and response shapes of the orders API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from ninja import Field, Schema
from pydantic import BaseModel

from tradepost.core.schemas import InputSchema, StrictInt, UtcDatetime
from tradepost.orders.status import FulfilmentStatus, PaymentStatus
from tradepost.payments.schemas import OrderRefundPolicyOut

Amount = int
NonNegativeAmount = Field(ge=0, le=10**13)


class Out(BaseModel):
    """Responses here are built as plain dicts (orders.representation), so they skip ninja's
    ORM-attribute getter, which costs more than the rest of a list page's rendering."""


class AddressIn(InputSchema):
    name: str = Field(min_length=1, max_length=200)
    line1: str = Field(min_length=1, max_length=200)
    line2: str = Field("", max_length=200)
    city: str = Field(min_length=1, max_length=100)
    region: str = Field("", max_length=100)
    postal_code: str = Field(min_length=1, max_length=20)
    country: str = Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2, e.g. US")
    phone: str = Field("", max_length=32)


class ContactIn(InputSchema):
    name: str = Field(min_length=1, max_length=200)
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)
    phone: str = Field("", max_length=32)


class CartLineIn(InputSchema):
    listing_id: UUID
    quantity: StrictInt = Field(ge=1, le=10_000)


class OrderCreateIn(InputSchema):
    lines: list[CartLineIn] = Field(min_length=1, max_length=100)
    shipping_address: AddressIn
    shipping_amounts: dict[str, Annotated[int, Field(ge=0, le=10**13)]] = Field(
        default_factory=dict, description="Shipping charged per seller slug, in minor units."
    )
    tax_amount: StrictInt = Field(0, ge=0, le=10**13)
    buyer: ContactIn | None = Field(
        None, description="Required when the owner orders for a buyer; buyers may override."
    )
    discount_code: str | None = Field(
        None,
        min_length=1,
        max_length=32,
        description="A goodwill code of the buyer's: taken off the items, used once.",
    )


class ParcelLineIn(InputSchema):
    sku: str = Field(min_length=1, max_length=64)
    quantity: StrictInt = Field(ge=1, le=10_000)


class ShipIn(InputSchema):
    carrier: str = Field(min_length=1, max_length=80)
    tracking_number: str = Field("", max_length=120)
    tracking_url: str = Field("", max_length=500, pattern=r"^(https?://\S+)?$")
    lines: list[ParcelLineIn] | None = Field(
        None,
        min_length=1,
        description="Lines and quantities in this parcel; leave out for all not yet shipped.",
    )


class CancelIn(InputSchema):
    reason: str = Field("", max_length=500)


class RefundIn(InputSchema):
    reason: str = Field(
        min_length=1,
        max_length=40,
        description="damaged, wrong_item, not_as_described, lost_in_transit, canceled, other",
    )
    note: str = Field("", max_length=1000)
    policy_override_note: str = Field(
        "", max_length=1000, description="Required to refund after the refund window closed."
    )


class CancelLineIn(InputSchema):
    sku: str = Field(min_length=1, max_length=64)
    quantity: StrictInt = Field(ge=1, le=10_000)


class CancelLinesIn(InputSchema):
    lines: list[CancelLineIn] = Field(min_length=1, max_length=100)
    reason: Literal["out_of_stock", "other"] = Field(
        "out_of_stock",
        description="out_of_stock units are not restocked (the seller has none); other units are.",
    )
    note: str = Field("", max_length=500, description="Required with reason other.")
    alternative_listing_id: UUID | None = Field(
        None, description="One of the seller's listings to offer the buyer instead."
    )


class AlternativeOut(Out):
    listing_id: UUID
    sku: str
    title: str
    unit_price_amount: Amount
    currency: str


class LineCancellationOut(Out):
    seller_order: str
    reason: str
    note: str
    lines: list[CancelLineIn]
    refunded_amount: Amount
    alternative: AlternativeOut | None
    created_at: datetime


class SellerRefOut(Out):
    slug: str
    name: str


class LineOut(Out):
    sku: str
    title: str
    listing_id: UUID
    unit_price_amount: Amount
    quantity: int
    quantity_shipped: int
    quantity_canceled: int = Field(description="Units the seller canceled before shipping.")
    quantity_refunded: int = Field(description="Units paid back by refunds of lines.")
    line_total_amount: Amount


class ShipmentLineOut(Out):
    sku: str
    quantity: int


class ShipmentOut(Out):
    id: int
    carrier: str
    tracking_number: str
    tracking_url: str
    created_at: datetime
    lines: list[ShipmentLineOut]


class SellerOrderSummaryOut(Out):
    reference: str
    seller: SellerRefOut
    status: str
    total_amount: Amount
    actions: list[str] = Field(description="Lifecycle actions the caller may take now.")


class SellerOrderOut(SellerOrderSummaryOut):
    partially_shipped: bool
    subtotal_amount: Amount
    shipping_amount: Amount
    tax_amount: Amount
    discount_amount: Amount = Field(description="A goodwill code's discount on these items.")
    refunded_amount: Amount
    commission_rate_bps: int | None = None
    commission_amount: Amount | None = None
    commission_reversed_amount: Amount | None = None
    acknowledged_at: datetime | None
    shipped_at: datetime | None
    delivered_at: datetime | None
    completed_at: datetime | None
    canceled_at: datetime | None
    cancel_reason: str
    acknowledge_due_at: datetime | None = Field(
        description="Set at payment: acknowledge by then (the marketplace SLA)."
    )
    ship_due_at: datetime | None = Field(
        description="Set at payment: ship by then (the seller's or the marketplace's days)."
    )
    shipping_promise: str = Field(
        description="Set at payment from the seller's handling times: 'Ships within 2-3 days'."
    )
    lines: list[LineOut]
    shipments: list[ShipmentOut]


class BuyerOut(Out):
    name: str
    email: str = Field(description="Masked for sellers.")
    phone: str


class OrderSummaryOut(Out):
    number: str
    status: str
    payment_status: str
    currency: str
    buyer_name: str
    created_at: datetime
    subtotal_amount: Amount
    shipping_amount: Amount
    tax_amount: Amount
    discount_amount: Amount
    total_amount: Amount
    seller_orders: list[SellerOrderSummaryOut]


class OrderOut(Out):
    number: str
    status: str
    payment_status: str
    currency: str
    subtotal_amount: Amount
    shipping_amount: Amount
    tax_amount: Amount
    discount_amount: Amount = Field(description="Taken off the items by a goodwill code.")
    total_amount: Amount
    amount_due: Amount | None = Field(None, description="Left to pay; not shown to sellers.")
    captured_amount: Amount | None = None
    refunded_amount: Amount | None = None
    buyer: BuyerOut
    shipping_address: dict[str, str]
    created_at: datetime
    paid_at: datetime | None
    seller_orders: list[SellerOrderOut]
    payment_actions: list[str] = Field(
        description="Payment steps the caller may take now (record_payment, retry_payment)."
    )
    refund_policy: OrderRefundPolicyOut | None = Field(
        None, description="The refund policy and what it means for this order (order detail only)."
    )


class LinesCanceledOut(Out):
    cancellation: LineCancellationOut
    refund_id: str | None = Field(description="The refund of the canceled units, once paid.")
    order: OrderOut


class OrderPageOut(Out):
    items: list[OrderSummaryOut]
    next_cursor: str | None


class OrderListQuery(Schema):
    q: str = Field("", max_length=200, description="Order number, buyer name or email.")
    status: list[FulfilmentStatus] = Field(default_factory=list)
    payment_status: list[PaymentStatus] = Field(default_factory=list)
    seller: str = Field("", max_length=60, description="Seller slug (owner only).")
    created_from: UtcDatetime | None = Field(None, description="Inclusive; no zone means UTC.")
    created_to: UtcDatetime | None = Field(None, description="Exclusive; no zone means UTC.")
    total_min: int | None = Field(None, ge=0)
    total_max: int | None = Field(None, ge=0)
    late: bool = Field(False, description="Only orders with a seller order past its SLA.")
    part_status: list[FulfilmentStatus] = Field(
        default_factory=list,
        description="Only orders with a seller order (a seller: its own) in this status.",
    )
    sort: Literal["created_at", "-created_at", "total", "-total", "status", "-status"] = (
        "-created_at"
    )
    limit: int = Field(50, ge=1, le=100)
    cursor: str | None = None


class OrderEventOut(Out):
    kind: str
    seller_order: str | None
    field: str
    from_status: str
    to_status: str
    actor_role: str
    actor_label: str
    message: str
    details: dict[str, object]
    created_at: datetime


class TransitionOut(Out):
    source: str
    target: str
    roles: list[str]
    action: str
    note: str


class StatusOut(Out):
    value: str
    meaning: str


class LifecycleTableOut(Out):
    field: str
    statuses: list[StatusOut]
    transitions: list[TransitionOut]


class LifecycleOut(Out):
    fulfilment: LifecycleTableOut
    payment: LifecycleTableOut
    refund_request: LifecycleTableOut
    order_status_rule: str
