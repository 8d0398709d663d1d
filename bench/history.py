"""Order history as a live marketplace accumulates it, as rows for COPY.

Older orders are further along: recent ones wait for payment or for the seller, most of the
history is completed, a few orders were canceled or refunded. Each order's status is that of its
seller orders, with a payment status the lifecycle allows. Money adds up as checkout and the
payment service make it add up, and as the database's check constraints insist: line total =
price x quantity, seller order = lines + shipping + tax, order = sum of its seller orders;
commission is taken at payment and reversed pro rata with refunds.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bench.marketplace import CURRENCY, Listing, Marketplace, Row, Seller
from tradepost.core.money import allocate, commission_for
from tradepost.orders.status import FulfilmentStatus as F
from tradepost.orders.status import PaymentStatus as P

DAY = 86_400.0
DEFAULT_COMMISSION_BPS = 1_000  # the marketplace default the payment service falls back to
# The marketplace's other defaults (catalog.models.Marketplace) that the SLA columns follow.
ACKNOWLEDGE_HOURS, SHIP_WITHIN_DAYS, REMINDER_HOURS = 48, 3, 12
DELIVERY_ESTIMATE_DAYS = 5

# How far along an order is depends on its age: (younger than this many days, status weights).
STATUS_BY_AGE: tuple[tuple[float, dict[str, int]], ...] = (
    (2, {F.AWAITING_PAYMENT: 20, F.PENDING: 45, F.PROCESSING: 25, F.SHIPPED: 5, F.CANCELED: 5}),
    (
        10,
        {
            F.PENDING: 3,
            F.PROCESSING: 10,
            F.SHIPPED: 35,
            F.DELIVERED: 25,
            F.COMPLETED: 20,
            F.CANCELED: 5,
            F.REFUNDED: 2,
        },
    ),
    # No delivered order this old: the SLA automation completes one auto_complete_days (7) after
    # delivery, so a running marketplace has none left (the generator makes no dispute cases).
    (math.inf, {F.COMPLETED: 89, F.CANCELED: 7, F.REFUNDED: 4}),
)
ACKNOWLEDGED = frozenset({F.PROCESSING, F.SHIPPED, F.DELIVERED, F.COMPLETED, F.REFUNDED})
SHIPPED = frozenset({F.SHIPPED, F.DELIVERED, F.COMPLETED, F.REFUNDED})
DELIVERED = frozenset({F.DELIVERED, F.COMPLETED, F.REFUNDED})
COMPLETED = frozenset({F.COMPLETED, F.REFUNDED})
CAPTURED = frozenset({P.PAID, P.PARTIALLY_REFUNDED, P.REFUNDED})
CANCEL_REASONS = ("buyer changed their mind", "item damaged before dispatch", "address invalid")

SELLERS_PER_ORDER, SELLERS_PER_ORDER_WEIGHTS = (1, 2, 3), (60, 30, 10)
MAX_LINES_PER_ORDER = 4
QUANTITIES, QUANTITY_WEIGHTS = (1, 2, 3), (75, 18, 7)
SHIPPING_AMOUNTS = (0, 0, 499, 599, 899, 1_299)
TAX_RATES_BPS = (0, 500, 725, 825, 1_000)

ORDER_COLUMNS: tuple[str, ...] = (
    "id", "created_at", "updated_at", "number", "buyer_id", "buyer_name", "buyer_email",
    "buyer_phone", "shipping_address", "currency", "subtotal_amount", "shipping_amount",
    "tax_amount", "total_amount", "captured_amount", "refunded_amount", "status",
    "payment_status", "paid_at",
)  # fmt: skip
SELLER_ORDER_COLUMNS: tuple[str, ...] = (
    "id", "created_at", "updated_at", "order_id", "seller_id", "reference", "status",
    "subtotal_amount", "shipping_amount", "tax_amount", "total_amount", "commission_rate_bps",
    "commission_amount", "refunded_amount", "commission_reversed_amount", "acknowledged_at",
    "shipped_at", "delivered_at", "completed_at", "canceled_at", "cancel_reason",
    "acknowledge_due_at", "ship_due_at", "acknowledge_reminded_at", "acknowledge_late_at",
    "ship_reminded_at", "ship_late_at", "delivery_confirmation_requested_at",
)  # fmt: skip
LINE_COLUMNS: tuple[str, ...] = (
    "id", "seller_order_id", "listing_id", "sku", "title", "unit_price_amount", "quantity",
    "line_total_amount", "quantity_shipped",
)  # fmt: skip
EVENT_COLUMNS: tuple[str, ...] = (
    "id", "order_id", "kind", "field", "from_status", "to_status", "actor_role", "actor_label",
    "message", "details", "created_at",
)  # fmt: skip

Cart = list[tuple[Seller, list[tuple[Listing, int]]]]  # per seller, its listings and quantities


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    rows: list[Row]


@dataclass(frozen=True)
class Money:
    """An order's amounts per seller order, split as checkout splits them."""

    subtotals: list[int]
    shippings: list[int]
    taxes: list[int]
    totals: list[int]


@dataclass(frozen=True)
class Timeline:
    """When each step happened: each took its usual time, squeezed for orders younger than that."""

    created: datetime
    age_seconds: float

    def after(self, usual_days: float, share_of_age: float) -> datetime:
        return self.created + timedelta(
            seconds=min(usual_days * DAY, self.age_seconds * share_of_age)
        )


class OrderHistory:
    """Builds orders chunk by chunk, handing out ids so that rows can reference each other."""

    def __init__(self, rng: random.Random, marketplace: Marketplace, now: datetime) -> None:
        self.rng = rng
        self.marketplace = marketplace
        self.now = now
        self.listings_of: dict[int, list[Listing]] = {}
        for listing in marketplace.listings:
            self.listings_of.setdefault(listing.seller.id, []).append(listing)
        self.order_id = self.seller_order_id = self.line_id = 0
        self.orders: list[Row] = []
        self.seller_orders: list[Row] = []
        self.lines: list[Row] = []
        self.events: list[Row] = []

    def chunk(self, placed: Sequence[datetime], first_number: int) -> list[Table]:
        """Orders placed at these times, numbered from ``first_number``, with all their rows."""
        self.orders, self.seller_orders, self.lines, self.events = [], [], [], []
        for offset, created in enumerate(placed):
            self._order(created, f"ORD-{first_number + offset}")
        return [
            Table("orders_order", ORDER_COLUMNS, self.orders),
            Table("orders_sellerorder", SELLER_ORDER_COLUMNS, self.seller_orders),
            Table("orders_orderline", LINE_COLUMNS, self.lines),
            Table("orders_orderevent", EVENT_COLUMNS, self.events),
        ]

    def _status(self, age_seconds: float) -> str:
        for younger_than_days, weights in STATUS_BY_AGE:
            if age_seconds < younger_than_days * DAY:
                return self.rng.choices(list(weights), list(weights.values()))[0]
        raise AssertionError("the last age bracket is unbounded")

    def _payment_status(self, status: str) -> str:
        roll = self.rng.random()
        if status == F.AWAITING_PAYMENT:
            return P.FAILED if roll < 0.25 else P.PENDING
        if status == F.CANCELED:  # canceled after payment (refunded), or the payment abandoned
            return P.REFUNDED if roll < 0.4 else P.FAILED if roll < 0.6 else P.PENDING
        if status == F.REFUNDED:
            return P.REFUNDED
        if status == F.COMPLETED and roll < 0.03:
            return P.PARTIALLY_REFUNDED
        return P.PAID

    def _cart(self) -> Cart:
        """1-3 sellers in slug order (as checkout orders them), 1-4 lines, each seller with one."""
        rng = self.rng
        count = rng.choices(SELLERS_PER_ORDER, SELLERS_PER_ORDER_WEIGHTS)[0]
        sellers = sorted(rng.sample(self.marketplace.sellers, count), key=lambda s: s.slug)
        line_counts = [1] * count
        for _ in range(rng.randint(count, MAX_LINES_PER_ORDER) - count):
            line_counts[rng.randrange(count)] += 1
        cart: Cart = []
        for seller, line_count in zip(sellers, line_counts, strict=True):
            chosen = sorted(
                rng.sample(self.listings_of[seller.id], line_count), key=lambda x: x.sku
            )
            cart.append(
                (seller, [(item, rng.choices(QUANTITIES, QUANTITY_WEIGHTS)[0]) for item in chosen])
            )
        return cart

    def _money(self, cart: Cart) -> Money:
        rng = self.rng
        subtotals = [sum(item.unit_price_amount * qty for item, qty in lines) for _, lines in cart]
        shippings = [rng.choice(SHIPPING_AMOUNTS) for _ in cart]
        before_tax = [s + h for s, h in zip(subtotals, shippings, strict=True)]
        # Tax is charged on the whole order; each seller's share follows what it sells and ships.
        taxes = allocate(sum(subtotals) * rng.choice(TAX_RATES_BPS) // 10_000, before_tax)
        totals = [amount + tax for amount, tax in zip(before_tax, taxes, strict=True)]
        return Money(subtotals, shippings, taxes, totals)

    @staticmethod
    def _refunds(payment_status: str, totals: list[int]) -> list[int]:
        if payment_status == P.REFUNDED:  # refunded, or canceled after payment: all of it back
            return list(totals)
        if payment_status == P.PARTIALLY_REFUNDED:
            return [totals[0] // 2] + [0] * (len(totals) - 1)
        return [0] * len(totals)

    def _sla(
        self, paid_at: datetime | None, milestones: tuple[datetime | None, ...]
    ) -> tuple[datetime | None, ...]:
        """The due times fixed at payment, and each SLA notice as the worker would have sent it:
        at its moment, if that has passed and the order was still waiting then. The bench's
        workers then find the steady state of a running marketplace, not a backlog of notices
        that a marketplace which has been running never has."""
        if paid_at is None:
            return (None,) * 7
        acknowledged, shipped, _, completed, canceled = milestones
        acknowledge_due = paid_at + timedelta(hours=ACKNOWLEDGE_HOURS)
        ship_due = paid_at + timedelta(days=SHIP_WITHIN_DAYS)
        lead = timedelta(hours=REMINDER_HOURS)

        def sent(moment: datetime, *, until: tuple[datetime | None, ...]) -> datetime | None:
            still = all(end is None or end > moment for end in until)
            return moment if moment <= self.now and still else None

        unacknowledged = (acknowledged, canceled)
        unshipped = (shipped, canceled)
        confirmation = (
            sent(shipped + timedelta(days=DELIVERY_ESTIMATE_DAYS), until=(completed,))
            if shipped is not None
            else None
        )
        return (
            acknowledge_due,
            ship_due,
            sent(acknowledge_due - lead, until=unacknowledged),
            sent(acknowledge_due, until=unacknowledged),
            sent(ship_due - lead, until=unshipped),
            sent(ship_due, until=unshipped),
            confirmation,
        )

    def _order(self, created: datetime, number: str) -> None:
        rng = self.rng
        timeline = Timeline(created, (self.now - created).total_seconds())
        status = self._status(timeline.age_seconds)
        payment_status = self._payment_status(status)
        captured = payment_status in CAPTURED
        paid_at = timeline.after(0.01, 0.05) if captured else None
        cart = self._cart()
        money = self._money(cart)
        refunds = self._refunds(payment_status, money.totals)
        milestones = (
            timeline.after(1, 0.2) if status in ACKNOWLEDGED else None,
            timeline.after(2, 0.4) if status in SHIPPED else None,
            timeline.after(5, 0.6) if status in DELIVERED else None,
            timeline.after(8, 0.8) if status in COMPLETED else None,
            timeline.after(1, 0.3) if status == F.CANCELED else None,
        )
        updated = max([created, *(m for m in (paid_at, *milestones) if m is not None)])
        self.order_id += 1
        references = []
        for position, (seller, lines) in enumerate(cart):
            self.seller_order_id += 1
            references.append(f"{number}-{position + 1}")
            total, refunded = money.totals[position], refunds[position]
            rate = seller.commission_rate_bps or DEFAULT_COMMISSION_BPS
            commission = commission_for(total, rate) if captured else None
            self.seller_orders.append(
                (
                    self.seller_order_id,
                    created,
                    updated,
                    self.order_id,
                    seller.id,
                    references[-1],
                    status,
                    money.subtotals[position],
                    money.shippings[position],
                    money.taxes[position],
                    total,
                    rate if captured else None,
                    commission,
                    refunded,
                    (commission or 0) * refunded // total,
                    *milestones,
                    rng.choice(CANCEL_REASONS) if status == F.CANCELED and captured else "",
                    *self._sla(paid_at, milestones),
                )
            )
            for listing, quantity in lines:
                self.line_id += 1
                self.lines.append(
                    (
                        self.line_id,
                        self.seller_order_id,
                        listing.id,
                        listing.sku,
                        listing.title,
                        listing.unit_price_amount,
                        quantity,
                        listing.unit_price_amount * quantity,
                        quantity if status in SHIPPED else 0,
                    )
                )
        buyer = rng.choice(self.marketplace.buyers)
        total = sum(money.totals)
        self.orders.append(
            (
                self.order_id,
                created,
                updated,
                number,
                buyer.id,
                buyer.name,
                buyer.email,
                buyer.phone,
                buyer.address,
                CURRENCY,
                sum(money.subtotals),
                sum(money.shippings),
                sum(money.taxes),
                total,
                total if captured else 0,
                sum(refunds),
                status,
                payment_status,
                paid_at,
            )
        )
        self.events.append(
            (
                self.order_id,  # one event per order: the event ids follow the order ids
                self.order_id,
                "order.placed",
                "status",
                "",
                F.AWAITING_PAYMENT,
                "buyer",
                buyer.name,
                f"Order placed with {len(cart)} seller{'s' if len(cart) != 1 else ''}.",
                json.dumps({"seller_orders": references, "total_amount": total}),
                created,
            )
        )
