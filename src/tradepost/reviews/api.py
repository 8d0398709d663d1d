"""Reviews API: the buyer reviews a completed seller order, the seller replies, the owner hides;
everyone signed in reads the visible reviews of the sellers they may see."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Query, Router

from tradepost.accounts.auth import request_actor
from tradepost.core.schemas import READ_ERRORS, WRITE_ERRORS
from tradepost.reviews import services
from tradepost.reviews.representation import review_data
from tradepost.reviews.schemas import (
    ReviewCreateIn,
    ReviewHideIn,
    ReviewListQuery,
    ReviewOut,
    ReviewPageOut,
    ReviewReplyIn,
)
from tradepost.reviews.selectors import review_list, seller_order_review

router = Router(tags=["reviews"])


@router.post("/seller-orders/{reference}/review", response={201: ReviewOut, **WRITE_ERRORS})
def create_review(
    request: HttpRequest, reference: str, payload: ReviewCreateIn
) -> tuple[int, dict[str, Any]]:
    """Buyer: rate a completed seller order 1 to 5 with an optional comment, once."""
    actor = request_actor(request)
    review = services.review_create(
        actor=actor, reference=reference, rating=payload.rating, comment=payload.comment
    )
    return 201, review_data(review, actor)


@router.get("/seller-orders/{reference}/review", response={200: ReviewOut, **READ_ERRORS})
def get_review(request: HttpRequest, reference: str) -> dict[str, Any]:
    """The review of a seller order you may see, hidden or not."""
    actor = request_actor(request)
    return review_data(seller_order_review(actor=actor, reference=reference), actor)


@router.post("/seller-orders/{reference}/review/reply", response={200: ReviewOut, **WRITE_ERRORS})
def reply_to_review(request: HttpRequest, reference: str, payload: ReviewReplyIn) -> dict[str, Any]:
    """Seller: answer the review of your seller order, once."""
    actor = request_actor(request)
    review = services.review_reply(actor=actor, reference=reference, reply=payload.reply)
    return review_data(review, actor)


@router.post("/reviews/{review_id}/hide", response={200: ReviewOut, **WRITE_ERRORS})
def hide_review(request: HttpRequest, review_id: UUID, payload: ReviewHideIn) -> dict[str, Any]:
    """Owner: hide a review that breaks the rules, saying which; it leaves the seller's rating."""
    actor = request_actor(request)
    review = services.review_hide(actor=actor, review_id=review_id, reason=payload.reason)
    return review_data(review, actor)


@router.get("/reviews", response={200: ReviewPageOut, **READ_ERRORS})
def list_reviews(request: HttpRequest, query: Query[ReviewListQuery]) -> dict[str, Any]:
    """Visible reviews, newest first, of one seller or of every seller you may see."""
    actor = request_actor(request)
    page = review_list(actor=actor, seller=query.seller, limit=query.limit, cursor=query.cursor)
    return {
        "items": [review_data(review, actor) for review in page.items],
        "next_cursor": page.next_cursor,
    }
