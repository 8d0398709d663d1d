"""Formatting at the edge: money for people, times relative to now, status labels."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.forms import BoundField
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from tradepost.core import clock
from tradepost.core.money import format_money

register = template.Library()


@register.filter
def money(amount: int | None, currency: str) -> str:
    """``8500|money:"USD"`` -> ``$85.00``."""
    if amount is None:
        return "—"
    return format_money(int(amount), currency)


def _as_datetime(value: datetime | str | None) -> datetime | None:
    if isinstance(value, str):
        return parse_datetime(value)
    return value


@register.filter
def ago(value: datetime | str | None) -> str:
    """ "just now", "5 minutes ago", "2 hours ago", "Yesterday", "3 days ago", then the date."""
    when = _as_datetime(value)
    if when is None:
        return ""
    seconds = int((clock.now() - when).total_seconds())
    if seconds < 0:
        return _until(-seconds)
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return _plural(seconds // 60, "minute") + " ago"
    if seconds < 86400:
        return _plural(seconds // 3600, "hour") + " ago"
    days = seconds // 86400
    if days == 1:
        return "Yesterday"
    if days < 7:
        return f"{days} days ago"
    return timezone.localtime(when).strftime("%b %-d, %Y")


@register.filter
def time_left(value: datetime | str | None) -> str:
    """Time to a deadline: "5 hours left", or "3 hours overdue"."""
    when = _as_datetime(value)
    if when is None:
        return ""
    seconds = int((when - clock.now()).total_seconds())
    if seconds < 0:
        return _span(-seconds) + " overdue"
    return _span(seconds) + " left"


@register.filter
def is_past(value: datetime | str | None) -> bool:
    when = _as_datetime(value)
    return when is not None and when < clock.now()


@register.filter
def exact_time(value: datetime | str | None) -> str:
    """The full time, for a ``<time>`` title next to a relative one."""
    when = _as_datetime(value)
    return "" if when is None else timezone.localtime(when).strftime("%Y-%m-%d %H:%M %Z")


@register.filter
def iso(value: datetime | str | None) -> str:
    when = _as_datetime(value)
    return "" if when is None else when.isoformat()


@register.filter
def label(value: str | None) -> str:
    """``awaiting_payment`` -> ``Awaiting payment``."""
    return (value or "").replace("_", " ").capitalize()


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"


def _span(seconds: int) -> str:
    if seconds < 3600:
        return _plural(max(seconds // 60, 1), "minute")
    if seconds < 2 * 86400:
        return _plural(seconds // 3600, "hour")
    return _plural(seconds // 86400, "day")


def _until(seconds: int) -> str:
    return "in " + _span(seconds)


@register.filter
def accessible(field: BoundField) -> str:
    """The widget, marked invalid and pointing at its error message when it has one."""
    if not field.errors:
        return field.as_widget()
    attrs: dict[str, str | bool] = {
        "aria-invalid": "true",
        "aria-describedby": f"{field.auto_id}-error",
    }
    return field.as_widget(attrs=attrs)


@register.filter
def bps(rate: int | None) -> str:
    """Basis points as a percentage: 1250 -> "12.5%"."""
    if rate is None:
        return "—"
    whole, part = divmod(int(rate), 100)
    return f"{whole}%" if part == 0 else f"{whole}.{part:02d}".rstrip("0") + "%"


@register.filter
def get(mapping: dict[str, object], key: str) -> object:
    return mapping.get(key)


# Button captions, by action, with the buyer's own words where they differ.
ACTION_LABELS = {
    "acknowledge": "Acknowledge",
    "deliver": "Mark delivered",
    "complete": "Mark completed",
    "retry_payment": "Retry payment",
}
BUYER_ACTION_LABELS = {"complete": "Confirm delivery", "retry_payment": "Retry payment"}


@register.filter
def action_label(action: str, role: str) -> str:
    if role == "buyer" and action in BUYER_ACTION_LABELS:
        return BUYER_ACTION_LABELS[action]
    return ACTION_LABELS.get(action, action.replace("_", " ").capitalize())


@register.filter
def remaining(line: dict[str, int]) -> int:
    """Units of an order line still to ship: not yet in a parcel, nor canceled by the seller."""
    return int(line["quantity"]) - int(line["quantity_shipped"]) - int(line["quantity_canceled"])
