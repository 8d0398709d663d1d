"""The forms of the payouts pages: pay out, mark paid, mark failed, filter the list."""

from __future__ import annotations

from django import forms

from tradepost.ledger.status import PayoutStatus


class PayoutCreateForm(forms.Form):
    """No seller pays every seller all that is available; a seller and an amount pay part."""

    seller = forms.CharField(required=False, max_length=50, widget=forms.HiddenInput)
    amount = forms.IntegerField(
        required=False, min_value=1, max_value=10**13, label="Amount (minor units)"
    )


class PayoutMarkPaidForm(forms.Form):
    reference = forms.CharField(max_length=200, label="Transfer reference")


class PayoutMarkFailedForm(forms.Form):
    reason = forms.CharField(max_length=500, label="Why it failed")


class PayoutFilterForm(forms.Form):
    status = forms.ChoiceField(
        required=False,
        choices=[("", "Any status"), *((s.value, s.value.title()) for s in PayoutStatus)],
        label="Status",
    )
    seller = forms.CharField(required=False, max_length=50, label="Seller (slug)")
