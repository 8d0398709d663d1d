"""The value of every placeholder, worked out from an order as outbox events carry it.

Input is the order in the API's format as the owner sees it (``orders.representation``), one of its
seller orders when the email is about a seller's part, and the refund for refund emails. Values
are plain text; money is formatted here, at the edge.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.dateparse import parse_datetime

from tradepost.core.money import format_money

NAMED_PRODUCTS = 2  # "Mug, Bowl and 3 more" past this many titles
NOT_PROVIDED = "not provided"
NONE_GIVEN = "none given"
TIMES = "\N{MULTIPLICATION SIGN}"
MINUS = "\N{MINUS SIGN}"
DISCOUNT_LABEL = "Goodwill discount"


@dataclass(frozen=True)
class MarketplaceFacts:
    name: str
    delivery_days: int


@dataclass(frozen=True)
class MessageAbout:
    """What one email is about: an order, maybe one seller's part of it, maybe a refund or a
    return (``returns.representation``)."""

    order: dict[str, Any]
    part: dict[str, Any] | None = None
    refund: dict[str, Any] | None = None
    returned: dict[str, Any] | None = None
    # Values people wrote, used as they are: a message and who wrote it, a decline's reason.
    written: dict[str, str] | None = None


def order_path(number: str) -> str:
    return reverse("dashboard:order", args=[number])


def order_url(number: str) -> str:
    return settings.TRADEPOST_PUBLIC_URL + order_path(number)


def part_of(order: dict[str, Any], reference: str) -> dict[str, Any] | None:
    return next((p for p in order["seller_orders"] if p["reference"] == reference), None)


def product_names(lines: list[dict[str, Any]]) -> str:
    titles = list(dict.fromkeys(line["title"] for line in lines))
    if len(titles) <= 1:
        return titles[0] if titles else ""
    if len(titles) <= NAMED_PRODUCTS + 1:
        return ", ".join(titles[:-1]) + " and " + titles[-1]
    rest = len(titles) - NAMED_PRODUCTS
    return ", ".join(titles[:NAMED_PRODUCTS]) + f" and {rest} more"


def items_text(lines: list[dict[str, Any]], currency: str, *, discount: int = 0) -> str:
    """One line per item; then the goodwill discount, so the lines lead to the total below."""
    rows = [
        f"  {line['quantity']} {TIMES} {line['title']} — "
        f"{format_money(line['line_total_amount'], currency)}"
        for line in lines
    ]
    if discount:
        rows.append(f"  {DISCOUNT_LABEL} — {MINUS}{format_money(discount, currency)}")
    return "\n".join(rows)


def when_text(value: str | None) -> str:
    moment = parse_datetime(value) if value else None
    return moment.astimezone(UTC).strftime("%a %-d %b %Y, %H:%M UTC") if moment else ""


def reason_text(refund: dict[str, Any]) -> str:
    """``not_as_described`` -> "not as described"; a cancellation's refund gives its reason."""
    if refund["reason"] == "canceled":
        return f"order canceled — {refund['note']}" if refund.get("note") else "order canceled"
    return str(refund["reason"]).replace("_", " ")


def _live_parts(order: dict[str, Any]) -> list[dict[str, Any]]:
    parts = order["seller_orders"]
    return [p for p in parts if p["status"] != "canceled"] or parts


def _order_total(order: dict[str, Any]) -> int:
    """What the buyer paid, else what they owe, else the order total."""
    return int(order.get("captured_amount") or order.get("amount_due") or order["total_amount"])


def _part_values(part: dict[str, Any], currency: str, fallback_url: str) -> dict[str, str]:
    shipments = part.get("shipments", [])
    carriers = dict.fromkeys(s["carrier"] for s in shipments if s["carrier"])
    numbers = [s["tracking_number"] for s in shipments if s["tracking_number"]]
    urls = [s["tracking_url"] for s in shipments if s["tracking_url"]]
    return {
        "seller_name": part["seller"]["name"],
        "seller_order": part["reference"],
        "total": format_money(part["total_amount"], currency),
        "carrier": ", ".join(carriers),
        "tracking_number": ", ".join(numbers) or (NOT_PROVIDED if shipments else ""),
        "tracking_url": " ".join(urls) or (fallback_url if shipments else ""),
        "reason": part.get("cancel_reason") or "",
        "acknowledge_by": when_text(part.get("acknowledge_due_at")),
        "ship_by": when_text(part.get("ship_due_at")),
    }


def placeholder_values(about: MessageAbout, marketplace: MarketplaceFacts) -> dict[str, str]:
    """Every placeholder that the order gives a value; empty where it has none (yet)."""
    order, currency = about.order, about.order["currency"]
    parts = [about.part] if about.part is not None else _live_parts(order)
    lines = [line for part in parts for line in part["lines"]]
    url = order_url(order["number"])
    values = {
        "customer_name": order["buyer"]["name"],
        "order_number": order["number"],
        "order_url": url,
        "retry_url": url,
        "product_name": product_names(lines),
        "items": items_text(
            lines, currency, discount=sum(part.get("discount_amount", 0) for part in parts)
        ),
        "total": format_money(_order_total(order), currency),
        "marketplace_name": marketplace.name,
        "delivery_days": str(marketplace.delivery_days),
    }
    if about.part is not None:
        values |= _part_values(about.part, currency, url)
    if about.refund is not None:
        values["refund_amount"] = format_money(about.refund["amount"], about.refund["currency"])
        values["reason"] = reason_text(about.refund)
    if about.returned is not None:
        values |= return_values(about.returned, url)
    if about.written is not None:
        values |= about.written
    return values


def return_values(returned: dict[str, Any], fallback_url: str) -> dict[str, str]:
    """A return's own placeholders; an exchange's carrier and tracking are its replacement's."""
    label = " ".join(
        part for part in (returned["return_carrier"], returned["return_tracking_number"]) if part
    )
    instructions = returned["instructions"] or ("" if label else NONE_GIVEN)
    if label:
        instructions = f"{instructions} Return label: {label}.".strip()
    values = {
        "return_items": "\n".join(
            f"  {line['quantity']} {TIMES} {line['title']}" for line in returned["lines"]
        ),
        "return_address": returned["return_address"],
        "return_instructions": instructions,
        "reason": returned["decline_reason"],
    }
    replacement = returned.get("replacement")
    if replacement is not None:
        values |= {
            "carrier": replacement["carrier"],
            "tracking_number": replacement["tracking_number"] or NOT_PROVIDED,
            "tracking_url": replacement["tracking_url"] or fallback_url,
        }
    return values
