"""The order page's review panel for each seller order: the seller's rating beside its name, the
review with the seller's reply, and the one form the viewer may use now (rate, reply or hide).

Two queries for the whole page, however many seller orders it shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms

from tradepost.core.actors import Actor, Role
from tradepost.dashboard.review_forms import review_form
from tradepost.reviews.models import HIGHEST_RATING
from tradepost.reviews.representation import review_data
from tradepost.reviews.selectors import (
    Rating,
    can_review,
    review_actions,
    seller_order_reviews,
    seller_ratings,
)

STAR, NO_STAR = "\N{BLACK STAR}", "\N{WHITE STAR}"


@dataclass(frozen=True)
class RatingView:
    average: str  # "4.5"; empty without reviews
    count_text: str  # "12 reviews", "No reviews yet"


@dataclass
class ReviewPanel:
    rating: RatingView
    review: dict[str, Any] | None = None
    heading: str = ""
    stars: str = ""
    forms: dict[str, forms.Form] = field(default_factory=dict)
    message: str = ""  # why the last attempt was refused, shown at the top of the panel


def failure_key(reference: str) -> str:
    """How a refused review form names its seller order in ``render_order_detail(failed=…)``,
    apart from the seller-order actions' own key."""
    return f"review:{reference}"


def attach_review_panels(order: dict[str, Any], actor: Actor, failed: dict[str, Any]) -> None:
    """Give each seller order of the page its ``review_panel``."""
    parts = order["seller_orders"]
    reviews = seller_order_reviews(actor=actor, references=[p["reference"] for p in parts])
    ratings = seller_ratings(seller_slugs=[p["seller"]["slug"] for p in parts])
    for part in parts:
        review = reviews.get(part["reference"])
        panel = ReviewPanel(rating=_rating_view(ratings[part["seller"]["slug"]]))
        if review is not None:
            panel.review = review_data(review, actor)
            panel.heading = "Your review" if actor.role is Role.BUYER else "Review"
            panel.stars = STAR * review.rating + NO_STAR * (HIGHEST_RATING - review.rating)
            actions = review_actions(actor=actor, review=review)
        elif can_review(actor=actor, seller_order_status=part["status"], review=None):
            actions = ["rate"]
        else:
            actions = []
        panel.forms = {name: review_form(name, part["reference"]) for name in actions}
        if failed.get("key") == failure_key(part["reference"]):
            if failed["action"] in actions:
                panel.forms[failed["action"]] = failed["form"]
            panel.message = failed.get("message", "")
        part["review_panel"] = panel


def _rating_view(rating: Rating) -> RatingView:
    if rating.average is None:
        return RatingView(average="", count_text="No reviews yet")
    count = f"{rating.count} review" if rating.count == 1 else f"{rating.count} reviews"
    return RatingView(average=f"{rating.average:.1f}", count_text=count)
