"""Weeks and months of UTC days: the periods a scorecard's trend is cut into."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from django.db.models import DateField, Func
from django.db.models.functions import TruncMonth, TruncWeek


class Interval(StrEnum):
    WEEK = "week"  # ISO weeks, Monday to Sunday
    MONTH = "month"  # calendar months


MAX_PERIODS = {Interval.WEEK: 52, Interval.MONTH: 24}


@dataclass(frozen=True)
class Span:
    """The days ``start`` to ``end``, ``end`` excluded."""

    start: date
    end: date

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)


def span_containing(day: date, interval: Interval) -> Span:
    if interval is Interval.WEEK:
        start = day - timedelta(days=day.weekday())
        return Span(start, start + timedelta(days=7))
    start = day.replace(day=1)
    return Span(start, (start + timedelta(days=32)).replace(day=1))


def spans_ending_with(day: date, interval: Interval, count: int) -> list[Span]:
    """The ``count`` periods up to and including the one holding ``day``, oldest first."""
    spans = [span_containing(day, interval)]
    while len(spans) < count:
        spans.insert(0, span_containing(spans[0].start - timedelta(days=1), interval))
    return spans


def period_start(interval: Interval) -> Func:
    """The database expression for the first day of a stats row's period."""
    trunc = TruncWeek if interval is Interval.WEEK else TruncMonth
    return trunc("day", output_field=DateField())
