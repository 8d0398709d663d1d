"""Charts drawn on the server as inline SVG: no JavaScript, nothing fetched from elsewhere.

The SVG is an image to the assistive technologies (``role="img"`` with a title and a description
that says what it shows); the page puts the same figures in a table next to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from django.utils.safestring import SafeString, mark_safe

from tradepost.core.money import format_money
from tradepost.ledger.selectors import Interval, RevenuePeriod

WIDTH, HEIGHT = 760, 300
LEFT, RIGHT, TOP, BOTTOM = 88, 16, 36, 52
PLOT_WIDTH, PLOT_HEIGHT = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
MAX_DAY_LABELS = 8
# Markers on the commission line only while there is room for them.
MAX_MARKED_POINTS = 45


@dataclass(frozen=True)
class _Scale:
    """The y axis: a round step, and the multiples of it that hold every value and zero."""

    low: int
    high: int
    step: int

    @classmethod
    def around(cls, values: Sequence[int]) -> _Scale:
        low, high = min(0, *values), max(0, *values)
        if low == high:  # nothing to show: still draw an axis, from zero to one unit
            high = 100
        step = _round_step((high - low) / 4)
        return cls(low=low // step * step, high=-(-high // step) * step, step=step)

    def y(self, value: int) -> float:
        return TOP + PLOT_HEIGHT * (self.high - value) / (self.high - self.low)

    def ticks(self) -> range:
        return range(self.low, self.high + 1, self.step)


def _round_step(rough: float) -> int:
    """The smallest 1, 2 or 5 times a power of ten that is at least ``rough`` (minor units)."""
    magnitude = 1
    while True:
        for multiple in (1, 2, 5):
            if multiple * magnitude >= rough:
                return multiple * magnitude
        magnitude *= 10


def _day_label(day: date, previous: date | None, interval: Interval = Interval.DAY) -> str:
    """ "Nov 3" (a day, or the first day of a week) or "Nov" (a month); the year too on the
    first label and wherever the year changes."""
    label = f"{day:%b}" if interval is Interval.MONTH else f"{day:%b} {day.day}"
    return label if previous and previous.year == day.year else f"{label} {day.year}"


def revenue_chart(
    points: Sequence[RevenuePeriod],
    *,
    currency: str,
    interval: Interval = Interval.DAY,
    chart_id: str = "revenue-chart",
) -> SafeString:
    """Sales by day, week or month as bars and commission as a line, with both axes labelled,
    as inline SVG."""
    if not points:
        return mark_safe("")
    sales = [point.sales_amount for point in points]
    commission = [point.commission_amount for point in points]
    scale = _Scale.around([*sales, *commission])
    slot = PLOT_WIDTH / len(points)
    first, last, ident = points[0].start, points[-1].end, escape(chart_id)
    summary = (
        f"Sales and commission by {interval}, {first:%B} {first.day}, {first.year} to "
        f"{last:%B} {last.day}, {last.year} (UTC): sales {format_money(sum(sales), currency)} "
        f"in total, commission {format_money(sum(commission), currency)}; the highest "
        f"{interval}'s sales were {format_money(max(sales), currency)}."
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="{ident}-title" aria-describedby="{ident}-desc">',
        f'<title id="{ident}-title">Sales and commission by {interval} '
        f"({escape(currency)})</title>",
        f'<desc id="{ident}-desc">{escape(summary)}</desc>',
        *_grid(scale, currency),
        *_bars(points, scale, slot, currency),
        *_commission_line(commission, scale, slot),
        *_day_axis(points, slot, interval),
        *_legend(),
        "</svg>",
    ]
    # Safe: every piece of text in it went through escape().
    return mark_safe("\n".join(parts))


def _grid(scale: _Scale, currency: str) -> list[str]:
    lines = []
    for tick in scale.ticks():
        y = scale.y(tick)
        css = "chart-axis" if tick == 0 else "chart-grid"
        colour = "#5d6773" if tick == 0 else "#dde2e8"
        lines.append(
            f'<line class="{css}" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{colour}" />'
        )
        lines.append(
            f'<text class="chart-label" x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" '
            f'font-size="12">{escape(format_money(tick, currency))}</text>'
        )
    lines.append(
        f'<text class="chart-axis-title" transform="translate(14 {TOP + PLOT_HEIGHT / 2:.1f}) '
        f'rotate(-90)" text-anchor="middle" font-size="12">Amount ({escape(currency)})</text>'
    )
    return lines


def _bars(points: Sequence[RevenuePeriod], scale: _Scale, slot: float, currency: str) -> list[str]:
    bars = []
    zero = scale.y(0)
    for index, point in enumerate(points):
        top = scale.y(point.sales_amount)
        start, end = point.start, point.end
        days = f"{start:%b} {start.day}, {start.year}"
        if end != start:
            days += f" \u2013 {end:%b} {end.day}, {end.year}"
        tip = (
            f"{days}: sales {format_money(point.sales_amount, currency)}, "
            f"commission {format_money(point.commission_amount, currency)}"
        )
        bars.append(
            f'<rect class="chart-bar" x="{LEFT + index * slot + slot * 0.15:.1f}" y="{top:.1f}" '
            f'width="{slot * 0.7:.1f}" height="{zero - top:.1f}" fill="#1f5fbf">'
            f"<title>{escape(tip)}</title></rect>"
        )
    return bars


def _commission_line(commission: Sequence[int], scale: _Scale, slot: float) -> list[str]:
    points = [
        (LEFT + (index + 0.5) * slot, scale.y(value)) for index, value in enumerate(commission)
    ]
    drawn = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    shapes = [
        f'<polyline class="chart-line" points="{drawn}" fill="none" stroke="#c25e00" '
        f'stroke-width="2" />'
    ]
    if len(points) <= MAX_MARKED_POINTS:
        shapes += [
            f'<circle class="chart-point" cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#c25e00" />'
            for x, y in points
        ]
    return shapes


def _day_axis(points: Sequence[RevenuePeriod], slot: float, interval: Interval) -> list[str]:
    every = -(-len(points) // MAX_DAY_LABELS)
    baseline = TOP + PLOT_HEIGHT
    labels, previous = [], None
    for index in range(0, len(points), every):
        day = points[index].start
        labels.append(
            f'<text class="chart-label" x="{LEFT + (index + 0.5) * slot:.1f}" '
            f'y="{baseline + 18}" text-anchor="middle" font-size="12">'
            f"{escape(_day_label(day, previous, interval))}</text>"
        )
        previous = day
    axis = {Interval.DAY: "Day", Interval.WEEK: "Week from", Interval.MONTH: "Month"}[interval]
    labels.append(
        f'<text class="chart-axis-title" x="{LEFT + PLOT_WIDTH / 2:.1f}" y="{HEIGHT - 8}" '
        f'text-anchor="middle" font-size="12">{axis} (UTC)</text>'
    )
    return labels


def _legend() -> list[str]:
    x = WIDTH - RIGHT - 230
    return [
        f'<rect x="{x}" y="10" width="12" height="12" fill="#1f5fbf" class="chart-bar" />',
        f'<text class="chart-label" x="{x + 18}" y="20" font-size="12">Sales</text>',
        f'<line x1="{x + 90}" x2="{x + 110}" y1="16" y2="16" stroke="#c25e00" '
        f'stroke-width="2" class="chart-line" />',
        f'<text class="chart-label" x="{x + 116}" y="20" font-size="12">Commission</text>',
    ]
