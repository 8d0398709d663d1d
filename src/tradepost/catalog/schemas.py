"""Request and response shapes of the catalog API."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from ninja import Field, Schema
from pydantic import AfterValidator

from tradepost.catalog.status import SellerStatus
from tradepost.core.schemas import InputSchema, StrictBool, StrictInt
from tradepost.payments.status import BUYER_REASONS
from tradepost.reviews.schemas import RatingOut


def _buyer_reason(value: str) -> str:
    if value not in BUYER_REASONS:
        raise ValueError(f"must be one of {', '.join(BUYER_REASONS)}")
    return value


# The reasons a refund policy may accept: the ones a buyer may give.
BuyerRefundReason = Annotated[str, AfterValidator(_buyer_reason)]

Rate = Field(None, ge=0, le=10_000, description="Basis points: 1000 = 10 %.")


class SellerOut(Schema):
    slug: str
    name: str
    status: SellerStatus
    ship_within_days: int | None
    ship_within_min_days: int | None = Field(
        description="With ship_within_days, the range buyers are shown; null: no range."
    )
    acknowledgement_sla_hours: int | None = Field(
        description="The seller's own acknowledgement SLA; null means the marketplace's."
    )
    shipping_promise: str = Field(
        description="What buyers are told, from the seller's times or the marketplace's: "
        "'Ships within 2-3 days'."
    )
    email: str | None = Field(None, description="Shown to the owner and the seller itself.")
    commission_rate_bps: int | None = Field(
        None, description="Shown to the owner and the seller itself; null means the default."
    )
    rating: RatingOut = Field(description="The seller's visible reviews: average and count.")


class SellerCreateIn(InputSchema):
    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,59}$")
    name: str = Field(min_length=1, max_length=120)
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)
    commission_rate_bps: StrictInt | None = Rate
    ship_within_days: StrictInt | None = Field(None, ge=1, le=365)
    ship_within_min_days: StrictInt | None = Field(None, ge=1, le=365)
    acknowledgement_sla_hours: StrictInt | None = Field(None, ge=1, le=24 * 30)


class SellerUpdateIn(InputSchema):
    name: str | None = Field(None, min_length=1, max_length=120)
    email: str | None = Field(None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)
    status: SellerStatus | None = None
    commission_rate_bps: StrictInt | None = Rate
    ship_within_days: StrictInt | None = Field(None, ge=1, le=365)
    ship_within_min_days: StrictInt | None = Field(
        None, ge=1, le=365, description="The low end of 'ships within 2-3 days'; null clears it."
    )
    acknowledgement_sla_hours: StrictInt | None = Field(
        None, ge=1, le=24 * 30, description="Null goes back to the marketplace's SLA."
    )


class ListingOut(Schema):
    id: UUID = Field(alias="public_id")
    seller: str = Field(alias="seller.slug")
    sku: str
    title: str
    unit_price_amount: int
    currency: str
    stock_quantity: int
    is_active: bool


class ListingCreateIn(InputSchema):
    seller: str | None = Field(None, description="Seller slug; required for the owner.")
    sku: str = Field(min_length=1, max_length=64)
    title: str = Field(min_length=1, max_length=200)
    unit_price_amount: StrictInt = Field(ge=0, le=10**12)
    currency: str | None = Field(None, pattern=r"^[A-Z]{3}$")
    stock_quantity: StrictInt = Field(0, ge=0, le=10**9)


class ListingUpdateIn(InputSchema):
    title: str | None = Field(None, min_length=1, max_length=200)
    unit_price_amount: StrictInt | None = Field(None, ge=0, le=10**12)
    stock_quantity: StrictInt | None = Field(None, ge=0, le=10**9)
    is_active: StrictBool | None = None


class ListingPageOut(Schema):
    items: list[ListingOut]
    next_cursor: str | None


class MarketplaceOut(Schema):
    name: str
    default_currency: str
    default_commission_rate_bps: int
    acknowledgement_sla_hours: int
    ship_within_days: int
    auto_complete_days: int
    tracking_required: bool
    delivery_estimate_days: int = Field(
        description="Days from shipment to delivery, as the buyer's shipment email promises."
    )
    dispute_response_hours: int = Field(
        description="Hours each party has to answer a dispute case at each step."
    )
    refund_window_days: int = Field(
        description="Buyers request refunds within this many days of delivery."
    )
    refund_reasons_accepted: list[str] = Field(
        description="The reasons a buyer may request a refund for."
    )
    refund_proof_required: bool = Field(
        description="Whether a request for a damaged, wrong or not-as-described item needs a "
        "photo or video."
    )
    sla_reminder_hours: int = Field(
        description="Sellers are reminded this many hours before an acknowledgement or shipping "
        "deadline (0: at the deadline)."
    )
    auto_cancel_unacknowledged_days: int | None = Field(
        description="Cancel (and refund in full) a seller order still not acknowledged this many "
        "days after its acknowledgement was due; null: never."
    )


class MarketplaceUpdateIn(InputSchema):
    name: str | None = Field(None, min_length=1, max_length=120)
    default_currency: str | None = Field(None, pattern=r"^[A-Z]{3}$")
    default_commission_rate_bps: StrictInt | None = Field(None, ge=0, le=10_000)
    acknowledgement_sla_hours: StrictInt | None = Field(None, ge=1, le=24 * 30)
    ship_within_days: StrictInt | None = Field(None, ge=1, le=365)
    auto_complete_days: StrictInt | None = Field(None, ge=1, le=365)
    tracking_required: StrictBool | None = None
    delivery_estimate_days: StrictInt | None = Field(None, ge=1, le=60)
    dispute_response_hours: StrictInt | None = Field(None, ge=1, le=24 * 30)
    refund_window_days: StrictInt | None = Field(None, ge=1, le=365)
    refund_reasons_accepted: list[BuyerRefundReason] | None = Field(
        None, min_length=1, description="At least one of the buyer's reasons."
    )
    refund_proof_required: StrictBool | None = None
    sla_reminder_hours: StrictInt | None = Field(None, ge=0, le=24 * 7)
    auto_cancel_unacknowledged_days: StrictInt | None = Field(
        None, ge=1, le=90, description="Send null to turn auto-cancel off."
    )
