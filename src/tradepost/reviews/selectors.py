"""Every read of reviews and ratings, scoped to the actor.

Reviews are public to everyone signed in, for the sellers they may see; hidden ones only to the
review's own parties and the owner. Which review belongs to which seller order is scoped as the
seller order is: outside your scope it does not exist (404).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from django.db.models import Q, QuerySet

from tradepost.catalog.models import Seller
from tradepost.catalog.selectors import seller_get
from tradepost.catalog.status import SellerStatus
from tradepost.core.actors import Actor, Role
from tradepost.core.errors import NotFound
from tradepost.core.pagination import Page, paginate
from tradepost.orders.selectors import seller_orders_visible_to
from tradepost.orders.status import FulfilmentStatus
from tradepost.reviews.models import Review, SellerRating


@dataclass(frozen=True)
class Rating:
    """A seller's visible reviews: how many, and their mean rating (None while there are none)."""

    average: float | None
    count: int


NO_RATING = Rating(average=None, count=0)


def _rating(count: int, total: int) -> Rating:
    return Rating(average=round(total / count, 2), count=count) if count else NO_RATING


def sellers_with_rating(sellers: QuerySet[Seller]) -> QuerySet[Seller]:
    """The sellers with their rating joined in, so ``seller_rating`` costs no query per seller."""
    return sellers.select_related("rating")


def seller_rating(seller: Seller) -> Rating:
    """The seller's average rating and count of visible reviews (one query unless joined in)."""
    try:
        summary = seller.rating
    except SellerRating.DoesNotExist:
        return NO_RATING
    return _rating(summary.review_count, summary.rating_total)


def seller_ratings(*, seller_slugs: Iterable[str]) -> dict[str, Rating]:
    """Ratings of several sellers by slug, in one query; sellers without reviews get NO_RATING."""
    slugs = set(seller_slugs)
    found = {
        slug: _rating(count, total)
        for slug, count, total in SellerRating.objects.filter(seller__slug__in=slugs).values_list(
            "seller__slug", "review_count", "rating_total"
        )
    }
    return {slug: found.get(slug, NO_RATING) for slug in slugs}


def reviews_visible_to(actor: Actor) -> QuerySet[Review]:
    """The owner reads every review; a seller those about it; a buyer their own and the visible
    reviews of the sellers on the storefront."""
    reviews = Review.objects.select_related("seller", "seller_order")
    if actor.role is Role.SELLER:
        return reviews.filter(seller_id=actor.seller_pk)
    if actor.role is Role.BUYER:
        public = Q(hidden_at__isnull=True, seller__status=SellerStatus.ACTIVE)
        return reviews.filter(Q(buyer_id=actor.buyer_pk) | public)
    return reviews


def review_list(*, actor: Actor, seller: str = "", limit: int, cursor: str | None) -> Page[Review]:
    """Visible reviews, newest first, of one seller (404 if you may not see it) or of all."""
    reviews = reviews_visible_to(actor).filter(hidden_at__isnull=True)
    if seller:
        reviews = reviews.filter(seller=seller_get(actor=actor, slug=seller))
    return paginate(reviews, sort="-created_at", limit=limit, cursor=cursor)


def review_get(*, actor: Actor, review_id: UUID) -> Review:
    review = reviews_visible_to(actor).filter(public_id=review_id).first()
    if review is None:
        raise NotFound(f"No review {review_id}.")
    return review


def _of_visible_seller_orders(actor: Actor, **lookup: object) -> QuerySet[Review]:
    seller_orders = seller_orders_visible_to(actor).filter(**lookup)
    return Review.objects.filter(seller_order__in=seller_orders).select_related(
        "seller", "seller_order"
    )


def seller_order_review(*, actor: Actor, reference: str) -> Review:
    """The review of a seller order you may see, in one query."""
    review = _of_visible_seller_orders(actor, reference=reference.upper()).first()
    if review is None:
        raise NotFound(f"No review of {reference}.")
    return review


def seller_order_reviews(*, actor: Actor, references: Iterable[str]) -> dict[str, Review]:
    """The reviews of several seller orders you may see, by reference, in one query."""
    reviews = _of_visible_seller_orders(actor, reference__in=list(references))
    return {review.seller_order.reference: review for review in reviews}


def can_review(*, actor: Actor, seller_order_status: str, review: Review | None) -> bool:
    """The buyer reviews a seller order once, after it is completed."""
    return (
        actor.role is Role.BUYER
        and seller_order_status == FulfilmentStatus.COMPLETED
        and review is None
    )


def review_actions(*, actor: Actor, review: Review) -> list[str]:
    """What the viewer may do to a review now: its seller replies once, the owner hides it."""
    if actor.role is Role.SELLER and actor.seller_id == review.seller_id and not review.replied_at:
        return ["reply"]
    if actor.role is Role.OWNER and review.hidden_at is None:
        return ["hide"]
    return []
