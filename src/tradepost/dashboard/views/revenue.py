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
from tradepost.ledger.selectors import (
    DEFAULT_PERIOD_DAYS,
    Interval,
    report_period,
    revenue_report,
)

CUSTOM = "custom"
PERIODS = [
    ("7", "Last 7 days"),
    ("30", "Last 30 days"),
    ("90", "Last 90 days"),
    (CUSTOM, "Custom dates"),
]
INTERVALS = [(Interval.DAY, "By day"), (Interval.WEEK, "By week"), (Interval.MONTH, "By month")]


class RevenuePeriodForm(forms.Form):
    """A preset (the last 7, 30 or 90 days, today included; it wins over dates) or two dates,
    both included."""

    period = forms.ChoiceField(choices=PERIODS, label="Period")
    interval = forms.ChoiceField(choices=INTERVALS, label="Show", required=False)

    def __init__(self, data: QueryDict) -> None:
        # No preset but dates means those dates; nothing at all means the default preset.
        data = data.copy()
        if not data.get("interval"):
            data["interval"] = Interval.DAY
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

    def chosen_interval(self) -> Interval:
        return Interval(self.cleaned_data["interval"] or Interval.DAY)


@with_actor(Role.OWNER)
def revenue_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The ledger's sales, commission, refunds, chargebacks, net and payouts for the period, by
    day, week or month (a chart), by seller, and the orders by payment status."""
    form = RevenuePeriodForm(request.GET)
    context: dict[str, Any] = {"form": form, "report": None}
    if not form.is_valid():
        return render(request, "dashboard/revenue.html", context, status=400)
    date_from, date_to = form.chosen_period()
    interval = form.chosen_interval()
    try:
        report = revenue_report(
            actor=actor, date_from=date_from, date_to=date_to, interval=interval
        )
    except ValidationFailed as error:
        for problem in error.extra["errors"]:
            form.add_error(problem["field"], problem["message"])
        return render(request, "dashboard/revenue.html", context, status=400)
    context["report"] = report
    context["chart"] = revenue_chart(report.periods, currency=report.currency, interval=interval)
    return render(request, "dashboard/revenue.html", context)
