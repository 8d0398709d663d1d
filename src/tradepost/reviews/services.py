"""Every write of reviews: the buyer reviews, the seller replies, the owner hides.

Each service is one unit of work: the review, the seller's rating, the order's timeline event and
(for a new review) the outbox event commit together or not at all.
"""

from __future__ import annotations

from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet

from tradepost.core import clock
from tradepost.core.actors import Actor, Role
from tradepost.core.errors import NotFound, PermissionDenied, ValidationFailed
from tradepost.core.outbox import publish
from tradepost.core.transactions import unit_of_work
from tradepost.orders.models import SellerOrder
from tradepost.orders.selectors import seller_orders_visible_to
from tradepost.orders.status import FulfilmentStatus
from tradepost.reviews.errors import (
    AlreadyHidden,
    AlreadyReplied,
    AlreadyReviewed,
    NotOpenForReview,
)
from tradepost.reviews.events import (
    review_created_event,
    review_created_outbox_event,
    review_hidden_event,
    review_replied_event,
)
from tradepost.reviews.models import (
    COMMENT_MAX_LENGTH,
    HIDE_REASON_MAX_LENGTH,
    HIGHEST_RATING,
    LOWEST_RATING,
    REPLY_MAX_LENGTH,
    Review,
    SellerRating,
)
from tradepost.reviews.representation import public_name
from tradepost.reviews.selectors import reviews_visible_to


def review_create(*, actor: Actor, reference: str, rating: int, comment: str = "") -> Review:
    """The buyer rates a completed seller order 1 to 5, with an optional comment, once.

    The unique constraint on the seller order is what makes it once: of two submits at the same
    moment, the second insert fails and is answered as "already reviewed".
    """
    comment = comment.strip()
    _check_rating(rating)
    _check_length("comment", comment, COMMENT_MAX_LENGTH)
    with unit_of_work():
        seller_order = _seller_order(actor, reference)
        if actor.role is not Role.BUYER:
            raise PermissionDenied(f"Only the buyer of {seller_order.reference} reviews it.")
        if seller_order.status != FulfilmentStatus.COMPLETED:
            raise NotOpenForReview(reference=seller_order.reference, status=seller_order.status)
        review = Review(
            seller_order=seller_order,
            seller=seller_order.seller,
            buyer_id=seller_order.order.buyer_id,
            buyer_name=public_name(seller_order.order.buyer_name),
            rating=rating,
            comment=comment,
        )
        try:
            with transaction.atomic():  # a savepoint: the transaction stays usable on failure
                review.save(force_insert=True)
        except IntegrityError:
            if Review.objects.filter(seller_order=seller_order).exists():
                raise AlreadyReviewed(reference=seller_order.reference) from None
            raise
        _rating_change(seller_id=seller_order.seller_id, count=1, total=rating)
        review_created_event(review=review, seller_order=seller_order, actor=actor).save(
            force_insert=True
        )
        publish(review_created_outbox_event(review=review, seller_order=seller_order))
        return review


def review_reply(*, actor: Actor, reference: str, reply: str) -> Review:
    """The seller answers the review of its seller order, once."""
    reply = reply.strip()
    if not reply:
        raise ValidationFailed("reply", "must not be empty")
    _check_length("reply", reply, REPLY_MAX_LENGTH)
    with unit_of_work():
        seller_orders = seller_orders_visible_to(actor).filter(reference=reference.upper())
        review = _locked(Review.objects.filter(seller_order__in=seller_orders))
        if review is None:
            raise NotFound(f"No review of {reference}.")
        if actor.role is not Role.SELLER:
            raise PermissionDenied(f"Only {review.seller.name} replies to its reviews.")
        if review.replied_at is not None:
            raise AlreadyReplied(reference=review.seller_order.reference)
        review.reply, review.replied_at = reply, clock.now()
        review.save(update_fields=["reply", "replied_at", "updated_at"])
        review_replied_event(review=review, seller_order=review.seller_order, actor=actor).save(
            force_insert=True
        )
        return review


def review_hide(*, actor: Actor, review_id: UUID, reason: str) -> Review:
    """The owner hides a review that breaks the marketplace's rules; it leaves the rating."""
    reason = reason.strip()
    if not reason:
        raise ValidationFailed("reason", "is required: say which rule the review breaks")
    _check_length("reason", reason, HIDE_REASON_MAX_LENGTH)
    with unit_of_work():
        review = _locked(reviews_visible_to(actor).filter(public_id=review_id))
        if review is None:
            raise NotFound(f"No review {review_id}.")
        if actor.role is not Role.OWNER:
            raise PermissionDenied("Only the marketplace hides reviews.")
        if review.hidden_at is not None:
            raise AlreadyHidden(review_id=str(review.public_id))
        review.hidden_at, review.hidden_reason = clock.now(), reason
        review.hidden_by_id = actor.user_id
        review.save(update_fields=["hidden_at", "hidden_reason", "hidden_by", "updated_at"])
        _rating_change(seller_id=review.seller_id, count=-1, total=-review.rating)
        review_hidden_event(review=review, seller_order=review.seller_order, actor=actor).save(
            force_insert=True
        )
        return review


def _seller_order(actor: Actor, reference: str) -> SellerOrder:
    seller_order = (
        seller_orders_visible_to(actor)
        .select_related("order", "seller")
        .filter(reference=reference.upper())
        .first()
    )
    if seller_order is None:
        raise NotFound(f"No seller order {reference}.")
    return seller_order


def _locked(reviews: QuerySet[Review]) -> Review | None:
    """The review, locked (not the rows joined to it), with what its timeline event needs."""
    return (
        reviews.select_for_update(no_key=True, of=("self",))
        .select_related("seller", "seller_order__order")
        .first()
    )


def _rating_change(*, seller_id: int, count: int, total: int) -> None:
    """Move the seller's counters by one review; the seller's first review creates its row."""
    change = {"review_count": F("review_count") + count, "rating_total": F("rating_total") + total}
    if SellerRating.objects.filter(seller_id=seller_id).update(**change):
        return
    SellerRating.objects.get_or_create(seller_id=seller_id)  # safe against a concurrent create
    SellerRating.objects.filter(seller_id=seller_id).update(**change)


def _check_rating(rating: int) -> None:
    if isinstance(rating, bool) or not LOWEST_RATING <= rating <= HIGHEST_RATING:
        raise ValidationFailed(
            "rating", f"must be a whole number from {LOWEST_RATING} to {HIGHEST_RATING}"
        )


def _check_length(field: str, text: str, limit: int) -> None:
    if len(text) > limit:
        raise ValidationFailed(field, f"must be at most {limit} characters ({len(text)} given)")
