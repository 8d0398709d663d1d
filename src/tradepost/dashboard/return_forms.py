"""The order page's return forms: the buyer's request with photos, and one per step of the
return lifecycle. They check shape; returns.services and returns.outcomes the rest.

Quantities per line come as ``qty-<sku>`` fields, as in the refund forms.
"""

from __future__ import annotations

from typing import Any

from django import forms

from tradepost.dashboard.messaging_forms import MultipleFileField
from tradepost.returns.status import RETURN_REASONS

TEXTAREA = forms.Textarea(attrs={"rows": 2})
REASON_CHOICES = [(value, value.replace("_", " ").capitalize()) for value in RETURN_REASONS]


class ReturnRequestForm(forms.Form):
    reason = forms.ChoiceField(choices=REASON_CHOICES)
    note = forms.CharField(max_length=1000, required=False, widget=TEXTAREA, label="What is wrong?")
    proofs = MultipleFileField(label="Photos, videos or PDFs of the item", required=False)
    # Shown to the owner only: the service reads it from the owner alone.
    policy_override_note = forms.CharField(
        max_length=1000,
        required=False,
        label="Policy override note",
        help_text="Needed only outside the refund policy: why this return anyway.",
    )


class ReturnAuthorizeForm(forms.Form):
    return_address = forms.CharField(max_length=1000, widget=TEXTAREA, label="Return address")
    instructions = forms.CharField(max_length=2000, required=False, widget=TEXTAREA)
    return_carrier = forms.CharField(max_length=80, required=False, label="Label carrier")
    return_tracking_number = forms.CharField(
        max_length=120, required=False, label="Label tracking number"
    )
    return_tracking_url = forms.URLField(
        max_length=500, required=False, label="Label tracking URL", assume_scheme="https"
    )


class ReturnDeclineForm(forms.Form):
    reason = forms.CharField(max_length=1000, widget=TEXTAREA, label="Why (the buyer sees it)")


class ReturnShipBackForm(forms.Form):
    carrier = forms.CharField(max_length=80, required=False, label="Return carrier")
    tracking_number = forms.CharField(
        max_length=120, required=False, label="Return tracking number"
    )
    tracking_url = forms.URLField(
        max_length=500, required=False, label="Return tracking URL", assume_scheme="https"
    )


class ReturnNoteForm(forms.Form):
    note = forms.CharField(max_length=1000, required=False, widget=TEXTAREA)


class ReturnRefundForm(forms.Form):
    inspection_note = forms.CharField(max_length=2000, widget=TEXTAREA, label="Inspection note")
    restock = forms.BooleanField(required=False, label="Put returned units back on sale")


class ReturnExchangeForm(forms.Form):
    inspection_note = forms.CharField(max_length=2000, widget=TEXTAREA, label="Inspection note")
    carrier = forms.CharField(max_length=80, label="Replacement carrier")
    tracking_number = forms.CharField(
        max_length=120, required=False, label="Replacement tracking number"
    )
    tracking_url = forms.URLField(
        max_length=500, required=False, label="Replacement tracking URL", assume_scheme="https"
    )


# One form per lifecycle action (returns.status), and the request.
RETURN_FORMS: dict[str, type[forms.Form]] = {
    "request": ReturnRequestForm,
    "authorize": ReturnAuthorizeForm,
    "decline": ReturnDeclineForm,
    "ship_back": ReturnShipBackForm,
    "receive": ReturnNoteForm,
    "withdraw": ReturnNoteForm,
    "refund": ReturnRefundForm,
    "exchange": ReturnExchangeForm,
}


def return_form(action: str, key: str, data: Any = None, files: Any = None) -> forms.Form:
    """Ids are prefixed with ``key`` (the seller order, or the return), so forms never clash."""
    return RETURN_FORMS[action](data, files, auto_id=f"{key}-{action}-%s")
