"""Request and response shapes of the reviews API, and the rating shown on sellers."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from ninja import Field, Schema

from tradepost.core.schemas import InputSchema, StrictInt
from tradepost.reviews.models import (
    COMMENT_MAX_LENGTH,
    HIDE_REASON_MAX_LENGTH,
    HIGHEST_RATING,
    LOWEST_RATING,
    REPLY_MAX_LENGTH,
)


class RatingOut(Schema):
    average: float | None = Field(
        description="Mean of the visible reviews, 1 to 5, to two decimals; null without reviews."
    )
    count: int = Field(description="How many visible reviews; hidden ones do not count.")


class ReviewSellerOut(Schema):
    slug: str
    name: str


class ReviewReplyOut(Schema):
    text: str
    created_at: datetime


class ReviewHiddenOut(Schema):
    at: datetime
    reason: str


class ReviewOut(Schema):
    id: UUID
    seller: ReviewSellerOut
    seller_order: str | None = Field(
        description="Shown to the review's buyer, its seller and the owner; null to others."
    )
    rating: int
    comment: str
    buyer_name: str = Field(description="First name and last initial only, e.g. 'John D.'.")
    created_at: datetime
    reply: ReviewReplyOut | None = Field(description="The seller's one reply.")
    hidden: ReviewHiddenOut | None = Field(
        description="Set when the owner hid the review; hidden reviews leave the seller's rating."
    )
    actions: list[str] = Field(description="What you may do now: 'reply' or 'hide'.")


class ReviewPageOut(Schema):
    items: list[ReviewOut]
    next_cursor: str | None


class ReviewCreateIn(InputSchema):
    rating: StrictInt = Field(
        ge=LOWEST_RATING, le=HIGHEST_RATING, strict=True, description="1 to 5."
    )
    comment: str = Field("", max_length=COMMENT_MAX_LENGTH)


class ReviewReplyIn(InputSchema):
    reply: str = Field(min_length=1, max_length=REPLY_MAX_LENGTH)


class ReviewHideIn(InputSchema):
    reason: str = Field(
        min_length=1, max_length=HIDE_REASON_MAX_LENGTH, description="Which rule it breaks."
    )


class ReviewListQuery(Schema):
    seller: str = Field("", max_length=60, description="A seller's slug; all sellers if empty.")
    limit: int = Field(20, ge=1, le=100)
    cursor: str | None = None
