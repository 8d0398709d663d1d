"""Dashboard forms for cases and chargebacks: shape only; the services check the rest."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from django import forms

from tradepost.core.actors import Actor, Role
from tradepost.dashboard.messaging_forms import MultipleFileField
from tradepost.disputes.status import (
    TRACKED_OUTCOMES,
    CaseKind,
    CaseStatus,
    ChargebackReason,
    Outcome,
)

OPENABLE_KINDS = [(k.value, k.value.replace("_", " ").capitalize()) for k in CaseKind]
OPENABLE_KINDS = [choice for choice in OPENABLE_KINDS if choice[0] != CaseKind.CHARGEBACK]


def _message(*, required: bool = True, label: str | None = None) -> forms.CharField:
    return forms.CharField(
        required=required, label=label, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


def _choices(values: list[str]) -> list[tuple[str, str]]:
    return [(value, value.replace("_", " ").capitalize()) for value in values]


class CaseOpenForm(forms.Form):
    kind = forms.ChoiceField(choices=OPENABLE_KINDS, label="What went wrong")
    description = _message(label="Describe the problem")


class CaseMessageForm(forms.Form):
    message = _message()
    attachments = MultipleFileField(label="Photos, videos or PDFs", required=False)


class CaseRespondForm(CaseMessageForm):
    to = forms.ChoiceField(
        choices=[("seller", "The seller"), ("buyer", "The buyer")],
        label="Ask",
        required=False,
    )


class CaseEscalateForm(forms.Form):
    message = _message(required=False, label="Why the owner should decide")


class CaseReopenForm(forms.Form):
    message = _message(label="Why the outcome did not work")


class CaseResolveForm(forms.Form):
    outcome = forms.ChoiceField(choices=_choices(Outcome.values))
    amount = forms.IntegerField(
        required=False, min_value=1, label="Amount (minor units, partial refund)"
    )
    carrier = forms.CharField(required=False, max_length=80, label="Carrier (reship, exchange)")
    tracking_number = forms.CharField(required=False, max_length=120, label="Tracking number")
    tracking_url = forms.URLField(
        required=False, max_length=500, label="Tracking URL", assume_scheme="https"
    )
    note = forms.CharField(
        required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, outcomes: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if outcomes is None:
            return
        self.fields["outcome"].choices = _choices(outcomes)  # type: ignore[attr-defined]
        # A buyer may only withdraw: no amount or parcel fields they could never use.
        if Outcome.PARTIAL_REFUND not in outcomes:
            del self.fields["amount"]
        if not TRACKED_OUTCOMES.intersection(outcomes):
            for name in ("carrier", "tracking_number", "tracking_url"):
                del self.fields[name]


class ChargebackForm(forms.Form):
    amount = forms.IntegerField(min_value=1, label="Amount (minor units)")
    reason = forms.ChoiceField(choices=_choices(ChargebackReason.values))
    respond_by = forms.DateTimeField(
        label="Respond by (UTC)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    provider_reference = forms.CharField(required=False, max_length=200, label="Bank reference")
    note = forms.CharField(
        required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_respond_by(self) -> Any:
        value = self.cleaned_data["respond_by"]
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


class ChargebackOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[("won", "Won"), ("lost", "Lost")], widget=forms.RadioSelect
    )
    note = forms.CharField(required=False, max_length=1000)


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(
        required=False,
        choices=[("", "Any"), ("active", "Open (before resolved)"), *_choices(CaseStatus.values)],
    )
    kind = forms.ChoiceField(required=False, choices=[("", "Any"), *_choices(CaseKind.values)])
    awaiting = forms.ChoiceField(
        required=False,
        label="Waiting on",
        choices=[("", "Anyone"), ("seller", "Seller"), ("buyer", "Buyer"), ("owner", "Owner")],
    )
    seller = forms.CharField(required=False, max_length=60, label="Seller (slug)")
    order = forms.CharField(required=False, max_length=32)
    overdue = forms.BooleanField(required=False, label="Overdue only")
    cursor = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if actor.role is not Role.OWNER:
            del self.fields["seller"]  # only the owner filters by seller


# The form behind each case step; ``close`` is a single button.
CASE_FORMS: dict[str, type[forms.Form]] = {
    "respond": CaseRespondForm,
    "message": CaseMessageForm,
    "escalate": CaseEscalateForm,
    "reopen": CaseReopenForm,
    "resolve": CaseResolveForm,
    "record_outcome": ChargebackOutcomeForm,
}
