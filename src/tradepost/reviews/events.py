"""Timeline rows and outbox events for reviews; the only place either is built for a review.

Timeline rows sit on the order, scoped to the reviewed seller order, so its seller sees them and
other sellers of the same order do not.
"""

from __future__ import annotations

from tradepost.core.actors import SYSTEM, Actor
from tradepost.core.models import OutboxEvent
from tradepost.core.outbox import outbox_event
from tradepost.orders.events import timeline_event
from tradepost.orders.models import OrderEvent, SellerOrder
from tradepost.reviews.models import Review
from tradepost.reviews.representation import review_data


def _details(review: Review) -> dict[str, object]:
    return {"review_id": str(review.public_id), "rating": review.rating}


def review_created_event(*, review: Review, seller_order: SellerOrder, actor: Actor) -> OrderEvent:
    return timeline_event(
        order=seller_order.order,
        seller_order=seller_order,
        actor=actor,
        kind="review.created",
        message=f"{seller_order.reference}: reviewed, {review.rating} out of 5.",
        details=_details(review),
    )


def review_replied_event(*, review: Review, seller_order: SellerOrder, actor: Actor) -> OrderEvent:
    return timeline_event(
        order=seller_order.order,
        seller_order=seller_order,
        actor=actor,
        kind="review.replied",
        message=f"{seller_order.reference}: the seller replied to the review.",
        details=_details(review),
    )


def review_hidden_event(*, review: Review, seller_order: SellerOrder, actor: Actor) -> OrderEvent:
    return timeline_event(
        order=seller_order.order,
        seller_order=seller_order,
        actor=actor,
        kind="review.hidden",
        message=f"{seller_order.reference}: review hidden by the marketplace. "
        f"Reason: {review.hidden_reason}",
        details={**_details(review), "reason": review.hidden_reason},
    )


def review_created_outbox_event(*, review: Review, seller_order: SellerOrder) -> OutboxEvent:
    """``review.created``: the review as its parties see it, for the seller's and owner's hooks."""
    return outbox_event(
        type="review.created",
        data={
            "review": review_data(review, SYSTEM),
            "order_number": seller_order.order.number,
        },
        order_number=seller_order.order.number,
        seller_ids=[seller_order.seller_id],
    )
