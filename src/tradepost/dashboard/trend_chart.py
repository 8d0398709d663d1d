"""A scorecard's rates per period as lines, drawn as inline SVG on ``charts``' frame and axes.

Rates are in basis points; the y axis reads in percent. A period without a value (no orders)
breaks the line there rather than drawing it as zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

from tradepost.dashboard.charts import HEIGHT, LEFT, PLOT_HEIGHT, PLOT_WIDTH, RIGHT, TOP, WIDTH

COLOURS = ("#1f5fbf", "#c25e00", "#2e7d32", "#8e24aa")
TOP_BPS = 10_000


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[int | None]  # basis points, one per period


def _y(bps: int, high: int) -> float:
    return TOP + PLOT_HEIGHT * (high - bps) / high


def _high(series: Sequence[Series]) -> int:
    """The axis top: the next 10 % above the highest value, at least 10 %, at most 100 %."""
    highest = max((v for s in series for v in s.values if v is not None), default=0)
    return min(max(-(-highest // 1000) * 1000, 1000), TOP_BPS)


def rates_chart(
    labels: Sequence[str], series: Sequence[Series], *, chart_id: str = "trend-chart"
) -> SafeString:
    """One line per rate over the periods named by ``labels``, with a table-equivalent summary."""
    if not labels:
        return mark_safe("")
    high, slot, ident = _high(series), PLOT_WIDTH / len(labels), escape(chart_id)
    summary = "; ".join(
        f"{s.label}: "
        + ", ".join(
            f"{label} {'no orders' if v is None else f'{v / 100:.1f} %'}"
            for label, v in zip(labels, s.values, strict=True)
        )
        for s in series
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="{ident}-title" aria-describedby="{ident}-desc">',
        f'<title id="{ident}-title">Rates by period</title>',
        f'<desc id="{ident}-desc">{escape(summary)}</desc>',
        *_grid(high),
        *[part for index, s in enumerate(series) for part in _line(s, index, high, slot)],
        *_labels(labels, slot),
        *_legend(series),
        "</svg>",
    ]
    # Safe: every piece of text in it went through escape().
    return mark_safe("\n".join(parts))


def _grid(high: int) -> list[str]:
    lines = []
    for tick in range(0, high + 1, high // 5):
        y = _y(tick, high)
        lines.append(
            f'<line class="chart-grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" '
            f'y2="{y:.1f}" stroke="{"#5d6773" if tick == 0 else "#dde2e8"}" />'
        )
        lines.append(
            f'<text class="chart-label" x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" '
            f'font-size="12">{tick / 100:g} %</text>'
        )
    return lines


def _line(series: Series, index: int, high: int, slot: float) -> list[str]:
    colour, shapes, run = COLOURS[index % len(COLOURS)], [], []
    points = [
        None if v is None else (LEFT + (i + 0.5) * slot, _y(v, high))
        for i, v in enumerate(series.values)
    ]
    for point in [*points, None]:
        if point is not None:
            run.append(point)
            continue
        if run:
            drawn = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
            shapes.append(
                f'<polyline class="chart-line" points="{drawn}" fill="none" '
                f'stroke="{colour}" stroke-width="2" />'
            )
            shapes += [
                f'<circle class="chart-point" cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}" />'
                for x, y in run
            ]
        run = []
    return shapes


def _labels(labels: Sequence[str], slot: float) -> list[str]:
    every = -(-len(labels) // 8)
    return [
        f'<text class="chart-label" x="{LEFT + (i + 0.5) * slot:.1f}" y="{TOP + PLOT_HEIGHT + 18}" '
        f'text-anchor="middle" font-size="12">{escape(labels[i])}</text>'
        for i in range(0, len(labels), every)
    ]


def _legend(series: Sequence[Series]) -> list[str]:
    parts = []
    for index, s in enumerate(series):
        x, colour = LEFT + index * 150, COLOURS[index % len(COLOURS)]
        parts += [
            f'<rect x="{x}" y="10" width="12" height="12" fill="{colour}" />',
            f'<text class="chart-label" x="{x + 18}" y="20" font-size="12">'
            f"{escape(s.label)}</text>",
        ]
    return parts
