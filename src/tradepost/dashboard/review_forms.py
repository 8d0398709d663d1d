"""The review forms on the order page: rate (buyer), reply (seller), hide (owner)."""

from __future__ import annotations

from django import forms

from tradepost.reviews.models import COMMENT_MAX_LENGTH, HIDE_REASON_MAX_LENGTH, REPLY_MAX_LENGTH

RATING_CHOICES = [
    (1, "1 · Poor"),
    (2, "2 · Fair"),
    (3, "3 · Good"),
    (4, "4 · Very good"),
    (5, "5 · Excellent"),
]


class ReviewRateForm(forms.Form):
    rating = forms.TypedChoiceField(
        choices=RATING_CHOICES,
        coerce=int,
        label="Rating",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a rating from 1 to 5."},
    )
    comment = forms.CharField(
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        label="Comment (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReviewReplyForm(forms.Form):
    reply = forms.CharField(
        max_length=REPLY_MAX_LENGTH,
        label="Your reply",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write your reply first."},
    )


class ReviewHideForm(forms.Form):
    reason = forms.CharField(
        max_length=HIDE_REASON_MAX_LENGTH,
        label="Which rule it breaks",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say which rule the review breaks."},
    )


REVIEW_FORMS: dict[str, type[forms.Form]] = {
    "rate": ReviewRateForm,
    "reply": ReviewReplyForm,
    "hide": ReviewHideForm,
}


def review_form(action: str, reference: str, data: object = None) -> forms.Form:
    """Ids carry the action and the seller order, so no two forms on the page share one."""
    return REVIEW_FORMS[action](data, auto_id=f"{action}-{reference}-%s")  # type: ignore[arg-type]
