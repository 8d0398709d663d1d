"""The order lifecycle as data: statuses with their meaning and the allowed transitions.

Services, the API (``GET /api/v1/lifecycle``), the dashboard's buttons and ``docs/lifecycle.md``
all read these tables; nothing else decides whether a status may change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models

from tradepost.core.actors import Role


class FulfilmentStatus(models.TextChoices):
    AWAITING_PAYMENT = "awaiting_payment", "Placed; waiting for the payment to succeed."
    PENDING = "pending", "Pending / New: paid; the seller must acknowledge within the SLA."
    PROCESSING = "processing", "The seller is preparing the order for shipment."
    SHIPPED = "shipped", "Shipped / In transit: every line is in a parcel with the carrier."
    DELIVERED = "delivered", "The carrier or seller reports the parcel delivered."
    COMPLETED = "completed", "The buyer confirmed delivery (or the confirmation window passed)."
    CANCELED = "canceled", "Canceled before shipment; stock released, any payment refunded."
    REFUNDED = "refunded", "The payment for this seller order was refunded in full."


class PaymentStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the payment result."
    PAID = "paid", "The payment succeeded and the full order total was captured."
    FAILED = "failed", "The payment failed; the buyer may retry."
    PARTIALLY_REFUNDED = "partially_refunded", "Part of the captured amount was refunded."
    REFUNDED = "refunded", "The whole captured amount was refunded."


class LineCancelReason(models.TextChoices):
    # The seller has none left: the units are not put back on the listing.
    OUT_OF_STOCK = "out_of_stock", "Out of stock"
    # Any other reason, told in the note: the units exist, so they go back on sale.
    OTHER = "other", "Other reason"


# The order's own status is derived from its seller orders; it takes the same values.
OrderStatus = FulfilmentStatus

# How far along the happy path each status is; the order shows its least advanced seller order.
PROGRESS: tuple[str, ...] = (
    FulfilmentStatus.AWAITING_PAYMENT,
    FulfilmentStatus.PENDING,
    FulfilmentStatus.PROCESSING,
    FulfilmentStatus.SHIPPED,
    FulfilmentStatus.DELIVERED,
    FulfilmentStatus.COMPLETED,
)
TERMINAL: frozenset[str] = frozenset({FulfilmentStatus.CANCELED, FulfilmentStatus.REFUNDED})

OWNER, SELLER, BUYER, SYSTEM = Role.OWNER, Role.SELLER, Role.BUYER, Role.SYSTEM


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    roles: frozenset[Role]
    action: str
    note: str


def _rule(source: str, target: str, roles: Iterable[Role], action: str, note: str) -> Transition:
    return Transition(source, target, frozenset(roles), action, note)


F = FulfilmentStatus
FULFILMENT_TRANSITIONS: tuple[Transition, ...] = (
    _rule(F.AWAITING_PAYMENT, F.PENDING, [SYSTEM], "pay", "payment succeeded"),
    _rule(
        F.AWAITING_PAYMENT,
        F.CANCELED,
        [BUYER, OWNER, SYSTEM],
        "cancel",
        "payment abandoned; stock released",
    ),
    _rule(
        F.PENDING,
        F.PROCESSING,
        [SELLER, OWNER],
        "acknowledge",
        "the seller acknowledges and prepares the order",
    ),
    _rule(
        F.PENDING,
        F.CANCELED,
        [SELLER, OWNER, BUYER, SYSTEM],
        "cancel",
        "reason required; paid amount refunded in full; stock released; the system when "
        "never acknowledged (the auto-cancel setting)",
    ),
    _rule(
        F.PROCESSING,
        F.CANCELED,
        [SELLER, OWNER],
        "cancel",
        "reason required; paid amount refunded in full; stock released; "
        "refused once any parcel has shipped",
    ),
    _rule(
        F.PROCESSING,
        F.SHIPPED,
        [SELLER, OWNER],
        "ship",
        "when every line is in a shipment; partially shipped until the last parcel",
    ),
    _rule(
        F.SHIPPED,
        F.DELIVERED,
        [SELLER, OWNER, SYSTEM],
        "deliver",
        "seller, owner or a carrier update reports delivery",
    ),
    _rule(
        F.SHIPPED,
        F.COMPLETED,
        [BUYER, OWNER, SYSTEM],
        "complete",
        "the buyer confirms delivery; the system after N days with no open dispute",
    ),
    _rule(
        F.DELIVERED,
        F.COMPLETED,
        [BUYER, OWNER, SYSTEM],
        "complete",
        "the buyer confirms delivery; the system after N days with no open dispute",
    ),
    _rule(F.SHIPPED, F.REFUNDED, [OWNER, SYSTEM], "refund", "the full amount was refunded"),
    _rule(F.DELIVERED, F.REFUNDED, [OWNER, SYSTEM], "refund", "the full amount was refunded"),
    _rule(F.COMPLETED, F.REFUNDED, [OWNER, SYSTEM], "refund", "the full amount was refunded"),
)

P = PaymentStatus
PAYMENT_TRANSITIONS: tuple[Transition, ...] = (
    _rule(
        P.PENDING,
        P.PAID,
        [OWNER, SYSTEM],
        "record_payment",
        "the provider reports success for the full order total",
    ),
    _rule(P.PENDING, P.FAILED, [OWNER, SYSTEM], "record_payment", "the provider reports a failure"),
    _rule(P.FAILED, P.PENDING, [BUYER, OWNER], "retry_payment", "the buyer tries to pay again"),
    _rule(
        P.PAID,
        P.PARTIALLY_REFUNDED,
        [OWNER, SYSTEM],
        "refund",
        "part of the captured amount is refunded",
    ),
    _rule(P.PAID, P.REFUNDED, [OWNER, SYSTEM], "refund", "the whole captured amount is refunded"),
    _rule(
        P.PARTIALLY_REFUNDED,
        P.PARTIALLY_REFUNDED,
        [OWNER, SYSTEM],
        "refund",
        "a further partial refund",
    ),
    _rule(
        P.PARTIALLY_REFUNDED,
        P.REFUNDED,
        [OWNER, SYSTEM],
        "refund",
        "the rest of the captured amount is refunded",
    ),
)


@dataclass(frozen=True)
class Lifecycle:
    """One status field's table, with the questions services and pages ask of it."""

    field: str
    statuses: type[models.TextChoices]
    transitions: tuple[Transition, ...]

    def rule(self, source: str, target: str) -> Transition | None:
        return next(
            (t for t in self.transitions if t.source == source and t.target == target), None
        )

    def allowed_targets(self, source: str, role: Role | None = None) -> list[str]:
        targets = [
            t.target
            for t in self.transitions
            if t.source == source and (role is None or role in t.roles)
        ]
        return list(dict.fromkeys(targets))

    def actions_for(self, source: str, role: Role) -> list[str]:
        """The actions a role may take now, e.g. to decide which buttons a page shows."""
        actions = [t.action for t in self.transitions if t.source == source and role in t.roles]
        return list(dict.fromkeys(actions))


FULFILMENT = Lifecycle("fulfilment_status", FulfilmentStatus, FULFILMENT_TRANSITIONS)
PAYMENT = Lifecycle("payment_status", PaymentStatus, PAYMENT_TRANSITIONS)


def derive_order_status(seller_order_statuses: Iterable[str]) -> str:
    """The order shows its least advanced live seller order.

    Canceled and refunded seller orders are no longer live. When none is live the order is
    refunded if any seller order was refunded after shipping, else canceled.
    """
    statuses = list(seller_order_statuses)
    live = [status for status in statuses if status not in TERMINAL]
    if live:
        return min(live, key=PROGRESS.index)
    return F.REFUNDED if F.REFUNDED in statuses else F.CANCELED
