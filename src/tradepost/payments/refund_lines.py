"""What a refund by lines and quantities is worth: the rule, in one place.

A seller order's money is its items (less any discount), its shipping and its tax. Units refunded
by line take the same share of each of the three as their list value takes of the seller order's
items. The share is computed **cumulatively**: after a refund, everything ever refunded by line
has given back ``floor(part * refunded_value / items_value)`` of each part, and this refund is the
difference from before. Rounding never drifts, and once every unit is refunded exactly the whole
seller order has been (items - discount + shipping + tax = total). Free items (a seller order
whose items are worth nothing) share by unit count instead.

When refunds by amount already gave back part of the seller order, a refund by lines is capped at
what is left, so no seller order ever refunds more than its total.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tradepost.core.errors import ValidationFailed
from tradepost.core.money import allocate
from tradepost.orders.models import OrderLine, SellerOrder


@dataclass(frozen=True)
class LineQuantity:
    """A line named by SKU, and how many of its units."""

    sku: str
    quantity: int


@dataclass(frozen=True)
class LineShare:
    line: OrderLine
    quantity: int
    amount: int  # this line's part of the items' money


@dataclass(frozen=True)
class LineRefundAmounts:
    shares: list[LineShare]
    items_amount: int
    shipping_amount: int
    tax_amount: int
    capped_by: int = 0  # what earlier refunds by amount took off the rule's figure

    @property
    def amount(self) -> int:
        return self.items_amount + self.shipping_amount + self.tax_amount - self.capped_by


def resolve_quantities(
    lines: Sequence[OrderLine],
    wanted: Sequence[LineQuantity],
    *,
    available: str,
    field: str = "lines",
    held: Mapping[int, int] | None = None,
) -> list[tuple[OrderLine, int]]:
    """Match ``wanted`` to the seller order's lines by SKU (adding up repeats), refusing more
    than ``available`` (an ``OrderLine`` property: units refundable, or left to ship) less the
    units ``held`` by line id (those in returns, which the return settles)."""
    held = held or {}
    if not wanted:
        raise ValidationFailed(field, "name at least one line")
    by_sku = {line.sku: line for line in lines}
    totals: dict[str, int] = {}
    for index, item in enumerate(wanted):
        line = by_sku.get(item.sku)
        if line is None:
            raise ValidationFailed(f"{field}[{index}].sku", f"{item.sku} is not in this order")
        if item.quantity < 1:
            raise ValidationFailed(f"{field}[{index}].quantity", "must be at least 1")
        totals[item.sku] = totals.get(item.sku, 0) + item.quantity
        in_returns = held.get(line.pk, 0)
        left = max(0, getattr(line, available) - in_returns)
        if totals[item.sku] > left:
            because = f" ({in_returns} are in a return)" if in_returns else ""
            raise ValidationFailed(
                f"{field}[{index}].quantity",
                f"only {left} of {item.sku} can be {_verb(available)}{because}",
            )
    return [(by_sku[sku], quantity) for sku, quantity in totals.items()]


def _verb(available: str) -> str:
    return "canceled" if available == "quantity_to_ship" else "refunded"


def line_refund_amounts(
    seller_order: SellerOrder, lines: Sequence[OrderLine], chosen: Sequence[tuple[OrderLine, int]]
) -> LineRefundAmounts:
    """The amount ``chosen`` units are worth under the rule above; ``lines`` are all the seller
    order's lines as they stand (their ``quantity_refunded`` says what went before)."""
    by_value = seller_order.subtotal_amount > 0

    def value(line: OrderLine, quantity: int) -> int:
        return line.unit_price_amount * quantity if by_value else quantity

    basis = sum(value(line, line.quantity) for line in lines)
    before = sum(value(line, line.quantity_refunded) for line in lines)
    after = before + sum(value(line, quantity) for line, quantity in chosen)

    def share(part: int) -> int:
        return part * after // basis - part * before // basis

    items = share(seller_order.subtotal_amount - seller_order.discount_amount)
    amounts = LineRefundAmounts(
        shares=[
            LineShare(line, quantity, amount)
            for (line, quantity), amount in zip(
                chosen, allocate(items, [value(line, qty) for line, qty in chosen]), strict=True
            )
        ],
        items_amount=items,
        shipping_amount=share(seller_order.shipping_amount),
        tax_amount=share(seller_order.tax_amount),
    )
    refundable = seller_order.total_amount - seller_order.refunded_amount
    excess = amounts.amount - refundable
    if excess > 0:
        return LineRefundAmounts(
            amounts.shares, items, amounts.shipping_amount, amounts.tax_amount, capped_by=excess
        )
    return amounts
