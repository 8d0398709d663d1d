"""The review forms of the order page: each POST calls one review service, then shows the order.

Success redirects back to the seller order on the page; a refusal shows the page again with the
reason next to the field or at the top of the form, and the HTTP status of the error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from tradepost.core.actors import Actor
from tradepost.core.errors import DomainError
from tradepost.dashboard.access import with_actor
from tradepost.dashboard.form_errors import place_error
from tradepost.dashboard.review_forms import REVIEW_FORMS, review_form
from tradepost.dashboard.reviews import failure_key
from tradepost.dashboard.views.orders import render_order_detail
from tradepost.reviews import services
from tradepost.reviews.models import Review
from tradepost.reviews.selectors import seller_order_review


@dataclass(frozen=True)
class ReviewAction:
    run: Callable[[Actor, str, dict[str, Any]], Review]
    done: str


def _hide(actor: Actor, reference: str, data: dict[str, Any]) -> Review:
    review = seller_order_review(actor=actor, reference=reference)
    return services.review_hide(actor=actor, review_id=review.public_id, reason=data["reason"])


REVIEW_ACTIONS: dict[str, ReviewAction] = {
    "rate": ReviewAction(
        lambda actor, ref, data: services.review_create(
            actor=actor, reference=ref, rating=data["rating"], comment=data["comment"]
        ),
        "thank you for your review",
    ),
    "reply": ReviewAction(
        lambda actor, ref, data: services.review_reply(
            actor=actor, reference=ref, reply=data["reply"]
        ),
        "your reply is published",
    ),
    "hide": ReviewAction(_hide, "review hidden; it no longer counts in the seller's rating"),
}


@require_POST
@with_actor()
def seller_order_review_action(
    request: HttpRequest, actor: Actor, number: str, reference: str, action: str
) -> HttpResponse:
    chosen = REVIEW_ACTIONS.get(action)
    if chosen is None or action not in REVIEW_FORMS:
        return render_order_detail(request, actor, number, status=404)
    form = review_form(action, reference, request.POST)
    failed = {"key": failure_key(reference), "action": action, "form": form, "message": ""}
    if not form.is_valid():
        return render_order_detail(request, actor, number, failed=failed, status=422)
    try:
        chosen.run(actor, reference, dict(form.cleaned_data))
    except DomainError as error:
        failed["message"] = place_error(form, error)
        return render_order_detail(request, actor, number, failed=failed, status=error.status)
    messages.success(request, f"{reference}: {chosen.done}.")
    return redirect(reverse("dashboard:order", args=[number]) + f"#so-{reference}")
