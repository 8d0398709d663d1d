"""The webhook pages' forms. They check shapes; which URLs and event types are allowed, and
whether a replay time is acceptable, is the webhooks services' to say, in the API's words."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone

from tradepost.dashboard.forms import DATE, LAST_DAY
from tradepost.webhooks.events import EVENT_TYPES
from tradepost.webhooks.models import DeliveryStatus
from tradepost.webhooks.selectors import DeliveryFilters


class EventTypesField(forms.MultipleChoiceField):
    """A checkbox per known type. Membership is left to the service, so a type that is not
    (or no longer) known gets the service's message, naming the known ones."""

    def valid_value(self, value: str) -> bool:
        return True


class EndpointForm(forms.Form):
    """Where to send events and which ones: used to register an endpoint and to edit one."""

    url = forms.URLField(max_length=1000, label="URL", assume_scheme="https")
    description = forms.CharField(max_length=200, required=False)
    event_types = EventTypesField(
        required=False,
        label="Event types",
        choices=[(name, name) for name in EVENT_TYPES],
        widget=forms.CheckboxSelectMultiple,
    )

    def changes(self) -> dict[str, Any]:
        """The fields that differ from the endpoint as shown (the form's ``initial``): saving a
        new description does not send, and so re-check, a URL that did not change."""
        return {name: self.cleaned_data[name] for name in self.changed_data}


class EndpointEnabledForm(forms.Form):
    enabled = forms.BooleanField(required=False)


class ReplayForm(forms.Form):
    since = forms.DateTimeField(
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local", "step": "1"}, format="%Y-%m-%dT%H:%M:%S"
        )
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A time without a zone is read in the dashboard's zone, the one its times are shown in.
        self.fields["since"].label = f"Since ({timezone.get_current_timezone_name()})"


class DeliveryFilterForm(forms.Form):
    """The delivery log's filters and cursor; every field lives in the URL."""

    endpoint = forms.ChoiceField(required=False)
    status = forms.ChoiceField(
        required=False,
        choices=[("", "Any"), *((value, value.capitalize()) for value in DeliveryStatus.values)],
    )
    event_type = forms.ChoiceField(
        required=False,
        label="Event type",
        choices=[("", "Any"), *((name, name) for name in EVENT_TYPES)],
    )
    created_from = forms.DateField(
        required=False, label="From", widget=DATE, validators=[MaxValueValidator(LAST_DAY)]
    )
    created_to = forms.DateField(
        required=False,
        label="To (inclusive)",
        widget=DATE,
        validators=[MaxValueValidator(LAST_DAY)],
    )
    cursor = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

    def __init__(
        self, data: Any, *, endpoints: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        if endpoints is None:
            del self.fields["endpoint"]  # the log of one endpoint: the page names it
        else:
            self.fields["endpoint"].choices = [("", "All endpoints"), *endpoints]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("created_from"), data.get("created_to")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            self.add_error("created_to", "must be on or after the start date")
        return data

    def to_filters(self, *, endpoint: UUID | None = None) -> DeliveryFilters:
        """Whole days in the dashboard's zone, the end day included."""
        data = self.cleaned_data
        chosen = data.get("endpoint")
        start, end = data.get("created_from"), data.get("created_to")
        return DeliveryFilters(
            endpoint=endpoint or (UUID(chosen) if chosen else None),
            status=data.get("status") or "",
            event_type=data.get("event_type") or "",
            created_from=_midnight(start) if start else None,
            created_to=_midnight(end + timedelta(days=1)) if end else None,
        )

    @property
    def chosen_cursor(self) -> str | None:
        return self.cleaned_data.get("cursor") or None


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
