"""Reviews and ratings as the API, the webhooks and the dashboard show them."""

from __future__ import annotations

from typing import Any

from tradepost.core.actors import Actor, Role
from tradepost.core.clock import iso_or_none
from tradepost.reviews.models import Review
from tradepost.reviews.selectors import Rating, review_actions

ANONYMOUS = "A buyer"


def public_name(full_name: str) -> str:
    """``John Doe`` -> ``John D.``: the first name and the last name's initial, nothing more.

    Words with an ``@`` are left out, so an address typed as a name never reaches the public.
    """
    words = [word for word in full_name.split() if "@" not in word]
    if not words:
        return ANONYMOUS
    first, *rest = words
    return f"{first} {rest[-1][0].upper()}." if rest else first


def _is_party(review: Review, viewer: Actor) -> bool:
    """The buyer who wrote it, the seller it is about, the owner and the system."""
    if viewer.role is Role.SELLER:
        return viewer.seller_id == review.seller_id
    if viewer.role is Role.BUYER:
        return viewer.buyer_id == review.buyer_id
    return True


def review_data(review: Review, viewer: Actor) -> dict[str, Any]:
    """Everyone reads the review; only its parties learn which seller order it is about."""
    return {
        "id": str(review.public_id),
        "seller": {"slug": review.seller.slug, "name": review.seller.name},
        "seller_order": review.seller_order.reference if _is_party(review, viewer) else None,
        "rating": review.rating,
        "comment": review.comment,
        "buyer_name": review.buyer_name,
        "created_at": iso_or_none(review.created_at),
        "reply": {"text": review.reply, "created_at": iso_or_none(review.replied_at)}
        if review.replied_at
        else None,
        "hidden": {"at": iso_or_none(review.hidden_at), "reason": review.hidden_reason}
        if review.hidden_at
        else None,
        "actions": review_actions(actor=viewer, review=review),
    }


def rating_data(rating: Rating) -> dict[str, Any]:
    return {"average": rating.average, "count": rating.count}
