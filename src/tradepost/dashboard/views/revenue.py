"""The owner's revenue page: the API's revenue report, for a period picked from presets or dates."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from tradepost.core.actors import Actor, Role
from tradepost.core.errors import ValidationFailed
from tradepost.dashboard.access import with_actor
from tradepost.dashboard.charts import revenue_chart
from tradepost.ledger.selectors import DEFAULT_PERIOD_DAYS, report_period, revenue_report

CUSTOM = "custom"
PERIODS = [
    ("7", "Last 7 days"),
    ("30", "Last 30 days"),
    ("90", "Last 90 days"),
    (CUSTOM, "Custom dates"),
]


class RevenuePeriodForm(forms.Form):
    """A preset (the last 7, 30 or 90 days, today included; it wins over dates) or two dates,
    both included."""

    period = forms.ChoiceField(choices=PERIODS, label="Period")

    def __init__(self, data: QueryDict) -> None:
        # No preset but dates means those dates; nothing at all means the default preset.
        data = data.copy()
        if not data.get("period"):
            dates_given = bool(data.get("from") or data.get("to"))
            data["period"] = CUSTOM if dates_given else str(DEFAULT_PERIOD_DAYS)
        super().__init__(data)
        # The API's parameter names, so the page's URL reads like its API twin's; ``from`` is
        # a Python keyword, hence added here rather than declared as class attributes.
        date_input = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        self.fields["from"] = forms.DateField(required=False, label="From", widget=date_input)
        self.fields["to"] = forms.DateField(
            required=False, label="To (inclusive)", widget=date_input
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("period") == CUSTOM:
            for name in ("from", "to"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, "Enter a date for a custom period.")
        return data

    def chosen_period(self) -> tuple[date, date]:
        data = self.cleaned_data
        if data["period"] == CUSTOM:
            return data["from"], data["to"]
        return report_period(days=int(data["period"]))


@with_actor(Role.OWNER)
def revenue_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Sales, commission, refunds and net for the period, by day (a chart), status and seller."""
    form = RevenuePeriodForm(request.GET)
    context: dict[str, Any] = {"form": form, "report": None}
    if not form.is_valid():
        return render(request, "dashboard/revenue.html", context, status=400)
    date_from, date_to = form.chosen_period()
    try:
        report = revenue_report(actor=actor, date_from=date_from, date_to=date_to)
    except ValidationFailed as error:
        for problem in error.extra["errors"]:
            form.add_error(problem["field"], problem["message"])
        return render(request, "dashboard/revenue.html", context, status=400)
    context["report"] = report
    context["chart"] = revenue_chart(report.daily, currency=report.currency)
    return render(request, "dashboard/revenue.html", context)
