"""Dashboard forms: they check the shape of what people type; services check the rest."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from django import forms
from django.core.validators import MaxValueValidator
from django.db import models

from tradepost.core import clock
from tradepost.core.clock import utc_midnight
from tradepost.orders.selectors import OrderFilters
from tradepost.orders.status import FulfilmentStatus, PaymentStatus

PERIODS = [
    ("", "Any time"),
    ("today", "Today"),
    ("7d", "Last 7 days"),
    ("30d", "Last 30 days"),
    ("custom", "Custom range"),
]
SORT_LABELS = {  # every key of ORDER_SORTS, in the order the select shows them
    "-created_at": "Newest first",
    "created_at": "Oldest first",
    "-total": "Amount, high to low",
    "total": "Amount, low to high",
    "status": "Status, A to Z",
    "-status": "Status, Z to A",
}


def _status_choices(statuses: type[models.TextChoices]) -> list[tuple[str, str]]:
    return [
        ("", "Any"),
        *((value, value.replace("_", " ").capitalize()) for value in statuses.values),
    ]


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The last day whose next midnight still exists: ranges end at the midnight after their last day.
LAST_DAY = date(9999, 12, 30)


class OrderFilterForm(forms.Form):
    """The orders list's search, filters and sort; every field lives in the URL."""

    q = forms.CharField(required=False, max_length=200, label="Search")
    status = forms.ChoiceField(required=False, choices=_status_choices(FulfilmentStatus))
    payment_status = forms.ChoiceField(
        required=False, choices=_status_choices(PaymentStatus), label="Payment"
    )
    seller = forms.ChoiceField(required=False, choices=[("", "All sellers")])
    period = forms.ChoiceField(required=False, choices=PERIODS, label="Date")
    created_from = forms.DateField(
        required=False, label="From", widget=DATE, validators=[MaxValueValidator(LAST_DAY)]
    )
    created_to = forms.DateField(
        required=False,
        label="To (inclusive)",
        widget=DATE,
        validators=[MaxValueValidator(LAST_DAY)],
    )
    part_status = forms.ChoiceField(
        required=False,
        choices=[("", "Anything"), ("pending", "Acknowledgement"), ("processing", "Shipping")],
        label="Waiting for",
    )
    late = forms.BooleanField(required=False, label="Late only")
    # The default (newest first) comes first, so a list without ``sort`` shows it selected.
    sort = forms.ChoiceField(required=False, choices=list(SORT_LABELS.items()))
    cursor = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: object,
        sellers: list[tuple[str, str]] | None = None,
        time_sorts_only: bool = False,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if sellers is None:
            del self.fields["seller"]  # only the owner filters by seller
        else:
            self.fields["seller"].choices = [("", "All sellers"), *sellers]  # type: ignore[attr-defined]
        if time_sorts_only:  # a seller: see orders.selectors.SELLER_SORTS
            self.fields["sort"].choices = [  # type: ignore[attr-defined]
                (key, SORT_LABELS[key]) for key in ("-created_at", "created_at")
            ]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("created_from"), data.get("created_to")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            self.add_error("created_to", "must be on or after the start date")
        return data

    def to_filters(self) -> OrderFilters:
        data = self.cleaned_data
        created_from, created_to = self._range(data.get("period") or "")
        return OrderFilters(
            q=data.get("q") or "",
            status=[data["status"]] if data.get("status") else [],
            payment_status=[data["payment_status"]] if data.get("payment_status") else [],
            seller=data.get("seller") or "",
            created_from=created_from,
            created_to=created_to,
            late=bool(data.get("late")),
            part_status=[data["part_status"]] if data.get("part_status") else [],
        )

    @property
    def chosen_sort(self) -> str:
        return self.cleaned_data.get("sort") or "-created_at"

    @property
    def chosen_cursor(self) -> str | None:
        return self.cleaned_data.get("cursor") or None

    def _range(self, period: str) -> tuple[datetime | None, datetime | None]:
        """Presets end now; a custom range takes whole days, the end day included."""
        today = clock.now().astimezone(UTC).date()
        if period == "today":
            return utc_midnight(today), None
        if period == "7d":
            return utc_midnight(today - timedelta(days=6)), None
        if period == "30d":
            return utc_midnight(today - timedelta(days=29)), None
        start, end = self.cleaned_data.get("created_from"), self.cleaned_data.get("created_to")
        return (
            utc_midnight(start) if start else None,
            utc_midnight(end + timedelta(days=1)) if end else None,
        )


class ShipForm(forms.Form):
    carrier = forms.CharField(max_length=80)
    tracking_number = forms.CharField(max_length=120, required=False, label="Tracking number")
    tracking_url = forms.URLField(
        max_length=500, required=False, label="Tracking URL", assume_scheme="https"
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RefundForm(forms.Form):
    REASONS = [
        ("damaged", "Damaged"),
        ("wrong_item", "Wrong item"),
        ("not_as_described", "Not as described"),
        ("lost_in_transit", "Lost in transit"),
        ("other", "Other"),
    ]
    reason = forms.ChoiceField(choices=REASONS)
    note = forms.CharField(
        max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PaymentRecordForm(forms.Form):
    OUTCOMES = [("succeeded", "Succeeded"), ("failed", "Failed")]
    reference = forms.CharField(max_length=120, label="Provider reference")
    amount = forms.IntegerField(min_value=0, label="Amount (minor units)")
    outcome = forms.ChoiceField(choices=OUTCOMES, widget=forms.RadioSelect, initial="succeeded")
    failure_reason = forms.CharField(max_length=200, required=False, label="Failure reason")


# The forms behind the order page's actions; an action not listed here is a single button.
SELLER_ORDER_FORMS: dict[str, type[forms.Form]] = {
    "ship": ShipForm,
    "cancel": CancelForm,
    "refund": RefundForm,
}
PAYMENT_FORMS: dict[str, type[forms.Form]] = {"record_payment": PaymentRecordForm}


def action_form(
    form_class: type[forms.Form],
    key: str,
    data: object = None,
    initial: dict[str, object] | None = None,
) -> forms.Form:
    """Ids are prefixed with the seller order (or "payment"), so two forms on a page never clash."""
    return form_class(data, auto_id=f"{key}-%s", initial=initial)  # type: ignore[arg-type]
