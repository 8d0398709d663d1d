"""Reply templates: canned messages with ``{placeholder}`` names that a seller fills in from one
of its seller orders, then edits and sends.

The two built-in templates are the product documents' own shipping and delivery messages; every
seller has them and adds its own (``ReplyTemplate`` rows). Placeholders are checked when a
template is saved and filled in by name only (``core.text_templates``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tradepost.core.text_templates import InvalidTemplate, TemplateProblem, template_problems
from tradepost.orders.models import Order, OrderLine, SellerOrder, Shipment

NAME_MAX_LENGTH = 80
BODY_MAX_LENGTH = 2000
NAMED_PRODUCTS = 2  # "Mug, Bowl and 3 more" past this many titles

PLACEHOLDERS: dict[str, str] = {
    "customer_name": "The buyer's name, as given at checkout.",
    "product_name": "The seller order's items by title: 'Mug', 'Mug and Bowl', 'Mug, Bowl and 2 "
    "more'.",
    "delivery_days": "Days to delivery: the marketplace's delivery_estimate_days setting.",
    "order_number": "The order's number.",
    "carrier": "The carrier of the parcels (once shipped).",
    "tracking_number": "The parcels' tracking numbers (once shipped).",
    "tracking_url": "The carrier's tracking pages (once shipped, where the seller gave one).",
    "seller_name": "The seller's name.",
}


@dataclass(frozen=True)
class BuiltinTemplate:
    key: str
    name: str
    body: str


BUILTINS: dict[str, BuiltinTemplate] = {
    builtin.key: builtin
    for builtin in (
        BuiltinTemplate(
            key="shipped",
            name="Order shipped",
            body=(
                "Hello {customer_name}, your order for {product_name} has been shipped! "
                "You can expect delivery in {delivery_days} days. Thank you for shopping with us!"
            ),
        ),
        BuiltinTemplate(
            key="delivered",
            name="Order delivered",
            body=(
                "Hello {customer_name}, we hope you received your order in perfect condition! "
                "Let us know if you need any assistance. We'd also love to hear your feedback!"
            ),
        ),
    )
}


class InvalidReplyTemplate(InvalidTemplate):
    title = "Invalid reply template"


def reply_template_check(*, name: str, body: str) -> tuple[str, str]:
    """The name and body, trimmed, or ``InvalidReplyTemplate`` naming every problem."""
    name, body = name.strip(), body.strip()
    problems = []
    if not name:
        problems.append(TemplateProblem("name", "must not be empty", ""))
    elif len(name) > NAME_MAX_LENGTH:
        problems.append(
            TemplateProblem("name", f"must be at most {NAME_MAX_LENGTH} characters", "")
        )
    if not body:
        problems.append(TemplateProblem("body", "must not be empty", ""))
    elif len(body) > BODY_MAX_LENGTH:
        problems.append(
            TemplateProblem("body", f"must be at most {BODY_MAX_LENGTH} characters", "")
        )
    problems += template_problems(
        field="body", text=body, allowed=PLACEHOLDERS, whose="reply templates'"
    )
    if problems:
        raise InvalidReplyTemplate(problems)
    return name, body


def product_names(titles: Iterable[str]) -> str:
    unique = list(dict.fromkeys(titles))
    if len(unique) <= 1:
        return unique[0] if unique else ""
    if len(unique) <= NAMED_PRODUCTS + 1:
        return ", ".join(unique[:-1]) + " and " + unique[-1]
    return ", ".join(unique[:NAMED_PRODUCTS]) + f" and {len(unique) - NAMED_PRODUCTS} more"


def placeholder_values(
    *,
    order: Order,
    seller_order: SellerOrder,
    lines: list[OrderLine],
    shipments: list[Shipment],
    delivery_days: int,
) -> dict[str, str]:
    """Every placeholder the seller order gives a value; one it has none for yet (a carrier
    before shipment) is left out, so it stays as written for the seller to fill in."""
    values = {
        "customer_name": order.buyer_name,
        "product_name": product_names(line.title for line in lines),
        "delivery_days": str(delivery_days),
        "order_number": order.number,
        "seller_name": seller_order.seller.name,
        "carrier": ", ".join(dict.fromkeys(s.carrier for s in shipments if s.carrier)),
        "tracking_number": ", ".join(s.tracking_number for s in shipments if s.tracking_number),
        "tracking_url": " ".join(s.tracking_url for s in shipments if s.tracking_url),
    }
    return {name: value for name, value in values.items() if value}
