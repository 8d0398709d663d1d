"""Seller performance pages: a seller's scorecard, and the owner's ranking of sellers."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tradepost.catalog.selectors import seller_choices
from tradepost.core import clock
from tradepost.core.actors import Actor, Role
from tradepost.core.errors import NotFound, ValidationFailed
from tradepost.dashboard.access import with_actor
from tradepost.dashboard.trend_chart import Series, rates_chart
from tradepost.performance.figures import FIGURE_NAMES, Figures
from tradepost.performance.periods import Interval, Span
from tradepost.performance.selectors import (
    DEFAULT_SORT,
    marketplace_trend,
    ranking_period,
    seller_ranking,
    seller_scorecard,
)

RANKING_PAGE_SIZE = 50
# The ranking table's sortable columns: a figure and its heading.
COLUMNS = [
    ("seller_orders", "Orders"),
    ("acknowledge_median_seconds", "Acknowledged (median)"),
    ("ship_median_seconds", "First parcel (median)"),
    ("late_rate_bps", "Late"),
    ("cancellation_rate_bps", "Canceled"),
    ("dispute_rate_bps", "Disputed"),
    ("refund_rate_bps", "Refunded"),
    ("rating_average", "Rating"),
]


class ScorecardForm(forms.Form):
    interval = forms.ChoiceField(
        choices=[(Interval.WEEK, "By week"), (Interval.MONTH, "By month")], required=False
    )


def _chart(trend: list[tuple[Span, Figures]]) -> Any:
    labels = [f"{span.start:%b} {span.start.day}" for span, _ in trend]
    return rates_chart(
        labels,
        [
            Series("Late", [f.late.rate_bps for _, f in trend]),
            Series("Canceled", [f.cancellation.rate_bps for _, f in trend]),
            Series("Disputed", [f.dispute.rate_bps for _, f in trend]),
            Series("Refunded", [f.refund.rate_bps for _, f in trend]),
        ],
    )


@with_actor(Role.SELLER)
def own_scorecard_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    """A seller member's own scorecard, at an address that needs no slug (the navigation's)."""
    ((slug, _name),) = seller_choices(actor=actor)  # a seller member sees its seller only
    return _scorecard_page(request, actor, slug)


@with_actor(Role.OWNER, Role.SELLER)
def seller_scorecard_page(request: HttpRequest, actor: Actor, slug: str) -> HttpResponse:
    """The seller's figures for this week or month against the last, and the trend."""
    return _scorecard_page(request, actor, slug)


def _scorecard_page(request: HttpRequest, actor: Actor, slug: str) -> HttpResponse:
    form = ScorecardForm(request.GET)
    form.is_valid()
    interval = Interval(form.cleaned_data.get("interval") or Interval.WEEK)
    periods = 12 if interval is Interval.WEEK else 6
    today = clock.now().astimezone(UTC).date()
    try:
        scorecard = seller_scorecard(
            actor=actor, slug=slug, interval=interval, periods=periods, day=today
        )
    except NotFound:
        return render(request, "dashboard/not_found.html", status=404)
    context = {
        "form": form,
        "scorecard": scorecard,
        "interval": interval,
        "chart": _chart(list(scorecard.trend)),
        "periods": list(reversed(scorecard.trend)),
    }
    return render(request, "dashboard/scorecard.html", context)


class RankingForm(forms.Form):
    sort = forms.ChoiceField(
        choices=[(s, s) for name in FIGURE_NAMES for s in (f"-{name}", name)], required=False
    )
    cursor = forms.CharField(required=False, max_length=200)


@with_actor(Role.OWNER)
def seller_performance_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Every seller's figures of the last 30 days, ranked by the column picked."""
    form = RankingForm(request.GET)
    context: dict[str, Any] = {"form": form, "ranking": None, "columns": COLUMNS}
    if not form.is_valid():
        return render(request, "dashboard/seller_performance.html", context, status=400)
    today = clock.now().astimezone(UTC).date()
    trend = marketplace_trend(actor=actor, interval=Interval.WEEK, periods=12, day=today)
    context["chart"] = _chart(trend)
    try:
        context["ranking"] = seller_ranking(
            actor=actor,
            period=ranking_period(date_from=None, date_to=None, today=today),
            sort=form.cleaned_data["sort"] or DEFAULT_SORT,
            limit=RANKING_PAGE_SIZE,
            cursor=form.cleaned_data["cursor"] or None,
        )
    except ValidationFailed as error:
        for problem in error.extra["errors"]:
            form.add_error(None, f"{problem['field']}: {problem['message']}")
        return render(request, "dashboard/seller_performance.html", context, status=400)
    return render(request, "dashboard/seller_performance.html", context)
