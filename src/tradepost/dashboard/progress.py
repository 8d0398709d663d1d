"""The buyer's progress line: placed → paid → processing → shipped → delivered → completed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tradepost.orders.status import PROGRESS, TERMINAL, FulfilmentStatus, PaymentStatus

STEPS = [
    ("placed", "Placed"),
    ("paid", "Paid"),
    ("processing", "Processing"),
    ("shipped", "Shipped"),
    ("delivered", "Delivered"),
    ("completed", "Completed"),
]
# How many steps each seller-order status has reached (placed and paid come first).
REACHED = {
    FulfilmentStatus.AWAITING_PAYMENT: 1,
    FulfilmentStatus.PENDING: 2,
    FulfilmentStatus.PROCESSING: 3,
    FulfilmentStatus.SHIPPED: 4,
    FulfilmentStatus.DELIVERED: 5,
    FulfilmentStatus.COMPLETED: 6,
}
assert set(REACHED) == set(PROGRESS)


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    done: bool
    current: bool


def progress_steps(seller_order: dict[str, Any], payment_status: str) -> list[Step] | None:
    """The steps of one seller order (the unit that ships); None once canceled or refunded."""
    status = seller_order["status"]
    if status in TERMINAL:
        return None
    reached = REACHED[status]
    if status == FulfilmentStatus.AWAITING_PAYMENT and payment_status == PaymentStatus.PAID:
        reached = 2
    return [
        Step(key, label, done=index < reached, current=index == reached - 1)
        for index, (key, label) in enumerate(STEPS)
    ]
