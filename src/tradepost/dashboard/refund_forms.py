"""The order page's after-sale forms: the owner's partial refund, the buyer's refund request,
approve / decline, and the seller's line cancellation. They check shape; services the rest.

Quantities per line come as ``qty-<sku>`` fields, as in the ship form.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time
from typing import Any

from django import forms

from tradepost.dashboard.messaging_forms import MultipleFileField
from tradepost.orders.status import LineCancelReason
from tradepost.payments.discounts import GoodwillCode
from tradepost.payments.refund_lines import LineQuantity
from tradepost.payments.status import BUYER_REASONS

# Short names, as in the refund-in-full form; "canceled" is left out: only cancellations set it.
REASONS = [(value, value.replace("_", " ").capitalize()) for value in BUYER_REASONS]
BUYER_REASON_CHOICES = REASONS
CODE_KINDS = [("", "No code"), ("percent", "Percent off"), ("fixed", "Amount off (minor units)")]
TEXTAREA = forms.Textarea(attrs={"rows": 2})


def line_quantities(data: Any, prefix: str = "qty-") -> list[LineQuantity]:
    """The ``qty-<sku>`` fields with a whole number above zero; blanks and zeros are skipped."""
    lines = []
    for name, value in data.items():
        if not name.startswith(prefix):
            continue
        text = str(value).strip()
        if text and (not text.isdigit()):
            raise forms.ValidationError(f"The quantity for {name[len(prefix) :]} must be a number.")
        if text and int(text):
            lines.append(LineQuantity(name[len(prefix) :], int(text)))
    return lines


class GoodwillFields(forms.Form):
    """Optional: a code for the buyer's next order, given with the refund."""

    code_kind = forms.ChoiceField(choices=CODE_KINDS, required=False, label="Goodwill code")
    code_value = forms.IntegerField(
        required=False, min_value=1, label="Percent, or amount in minor units"
    )
    code_expires = forms.DateField(
        required=False,
        label="Code valid until",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def goodwill(self) -> GoodwillCode | None:
        data = self.cleaned_data
        kind = data.get("code_kind")
        if not kind:
            return None
        value = data.get("code_value")
        expires = data.get("code_expires")
        return GoodwillCode(
            kind=kind,
            amount_off=value if kind == "fixed" else None,
            percent_off=value if kind == "percent" else None,
            expires_at=datetime.combine(expires, time.max, tzinfo=UTC) if expires else None,
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("code_kind") and not data.get("code_value"):
            self.add_error("code_value", "Say how much the code takes off.")
        return data


class PartialRefundForm(GoodwillFields):
    reason = forms.ChoiceField(choices=REASONS)
    amount = forms.IntegerField(
        required=False, min_value=1, label="Amount (minor units)", help_text="Or refund lines:"
    )
    restock = forms.BooleanField(required=False, label="Put refunded units back on sale")
    note = forms.CharField(max_length=1000, required=False, widget=TEXTAREA)
    proofs = MultipleFileField(label="Proof (photos, videos, PDFs)", required=False)
    policy_override_note = forms.CharField(
        max_length=1000,
        required=False,
        label="Policy override note",
        help_text="Needed only past the refund window: why this refund anyway.",
    )
    # A fresh key per rendered form: a double-submitted form makes one refund.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)


class RefundRequestForm(forms.Form):
    reason = forms.ChoiceField(choices=BUYER_REASON_CHOICES)
    note = forms.CharField(max_length=1000, required=False, widget=TEXTAREA, label="What happened?")
    proofs = MultipleFileField(label="Photos or videos of the item", required=False)


class ApproveForm(GoodwillFields):
    note = forms.CharField(max_length=1000, required=False, widget=TEXTAREA)
    restock = forms.BooleanField(required=False, label="Put refunded units back on sale")


class DeclineForm(forms.Form):
    reason = forms.CharField(max_length=1000, widget=TEXTAREA, label="Why (the buyer sees it)")


class CancelLinesForm(forms.Form):
    reason = forms.ChoiceField(choices=LineCancelReason.choices, initial="out_of_stock")
    note = forms.CharField(max_length=500, required=False, widget=TEXTAREA)
    alternative = forms.ChoiceField(required=False, label="Offer instead", choices=[])

    def __init__(self, *args: Any, alternatives: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["alternative"].choices = [("", "No alternative"), *alternatives]  # type: ignore[attr-defined]

    def alternative_id(self) -> uuid.UUID | None:
        value = self.cleaned_data.get("alternative")
        return uuid.UUID(value) if value else None


FORMS: dict[str, type[forms.Form]] = {
    "refund": PartialRefundForm,
    "request": RefundRequestForm,
    "approve": ApproveForm,
    "decline": DeclineForm,
}


def after_sale_form(
    name: str,
    key: str,
    data: Any = None,
    files: Any = None,
    *,
    alternatives: list[tuple[str, str]] | None = None,
) -> forms.Form:
    """Ids are prefixed with ``key`` (the seller order, or the request), so forms never clash."""
    if name == "cancel_lines":
        return CancelLinesForm(data, auto_id=f"{key}-cancel-%s", alternatives=alternatives or [])
    initial = {"idempotency_key": uuid.uuid4().hex} if name == "refund" else None
    return FORMS[name](data, files, auto_id=f"{key}-{name}-%s", initial=initial)
