"""Scorecard figures as people read them: rates in percent, durations in hours or days."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def percent_bps(bps: int | None) -> str:
    """2500 -> "25.0 %"; no value (no orders) -> an em dash."""
    return "—" if bps is None else f"{bps / 100:.1f} %"


@register.filter
def hours(seconds: int | None) -> str:
    """A duration in hours under two days, else in days: "3.5 h", "2.4 days"."""
    if seconds is None:
        return "—"
    if seconds < 48 * 3600:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"
