"""Orders, their per-seller parts, lines, shipments and the timeline.

Only ``orders.services``, ``orders.lifecycle`` and ``payments.services`` write these models.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tradepost.accounts.models import Buyer
from tradepost.catalog.models import Listing, Seller
from tradepost.core import clock
from tradepost.core.models import TimeStampedModel
from tradepost.orders.status import FulfilmentStatus, LineCancelReason, PaymentStatus

NON_NEGATIVE_AMOUNTS = (
    "subtotal_amount",
    "shipping_amount",
    "tax_amount",
    "discount_amount",
    "total_amount",
)


def _non_negative(prefix: str, *fields: str) -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(condition=models.Q(**{f"{name}__gte": 0}), name=f"{prefix}_{name}")
        for name in fields
    ]


def _adds_up(prefix: str) -> list[models.CheckConstraint]:
    """Lines + shipping + tax - discount = total; a discount comes off the items only."""
    return [
        models.CheckConstraint(
            condition=models.Q(
                total_amount=models.F("subtotal_amount")
                + models.F("shipping_amount")
                + models.F("tax_amount")
                - models.F("discount_amount")
            ),
            name=f"{prefix}_total_adds_up",
        ),
        models.CheckConstraint(
            condition=models.Q(discount_amount__lte=models.F("subtotal_amount")),
            name=f"{prefix}_discount_not_above_subtotal",
        ),
    ]


def _discount_amount() -> models.BigIntegerField:
    # A database default too: rows written by hand-made INSERTs (checkout) get 0 without naming it.
    return models.BigIntegerField(default=0, db_default=0)


class OrderNumberCounter(models.Model):
    """Hands out order numbers on databases without sequences (SQLite, where writes are serial).

    PostgreSQL uses the ``orders_order_number_seq`` sequence instead, which never blocks.
    """

    last_value = models.BigIntegerField(default=1000)

    def __str__(self) -> str:
        return str(self.last_value)


class OrderNumberField(models.CharField):
    """A number the database may fill in (see orders.numbering); the INSERT returns it."""

    db_returning = True


class Order(TimeStampedModel):
    """A buyer's purchase, possibly from several sellers; money in integer minor units."""

    number = OrderNumberField(max_length=32, unique=True)
    buyer = models.ForeignKey(Buyer, on_delete=models.PROTECT, related_name="orders")
    # Snapshots: what the buyer entered at checkout, unaffected by later profile edits.
    buyer_name = models.CharField(max_length=200)
    buyer_email = models.EmailField()
    buyer_phone = models.CharField(max_length=32, blank=True)
    shipping_address = models.JSONField()
    currency = models.CharField(max_length=3)
    subtotal_amount = models.BigIntegerField()
    shipping_amount = models.BigIntegerField(default=0)
    tax_amount = models.BigIntegerField(default=0)
    # A goodwill code's discount (payments.discounts), spread over the seller orders it covers.
    discount_amount = _discount_amount()
    discount_code = models.OneToOneField(
        "payments.DiscountCode",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="redeemed_order",
    )
    total_amount = models.BigIntegerField()
    captured_amount = models.BigIntegerField(default=0)
    refunded_amount = models.BigIntegerField(default=0)
    # Derived from the seller orders by orders.lifecycle; stored so lists filter on an index.
    status = models.CharField(
        max_length=20, choices=FulfilmentStatus.choices, default=FulfilmentStatus.AWAITING_PAYMENT
    )
    payment_status = models.CharField(
        max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            *_non_negative("order", *NON_NEGATIVE_AMOUNTS, "captured_amount", "refunded_amount"),
            *_adds_up("order"),
            models.CheckConstraint(
                condition=models.Q(refunded_amount__lte=models.F("captured_amount")),
                name="order_refunded_not_above_captured",
            ),
            models.CheckConstraint(
                condition=models.Q(captured_amount__lte=models.F("total_amount")),
                name="order_captured_not_above_total",
            ),
        ]
        # Each list filter and sort has an index that serves it; ties break on id.
        indexes = [
            models.Index(fields=["created_at", "id"], name="order_created_idx"),
            models.Index(fields=["status", "created_at", "id"], name="order_status_created_idx"),
            models.Index(
                fields=["payment_status", "created_at", "id"], name="order_payment_created_idx"
            ),
            models.Index(fields=["total_amount", "id"], name="order_total_idx"),
            models.Index(fields=["buyer", "created_at"], name="order_buyer_created_idx"),
            # Revenue reports take sales by the day they were paid.
            models.Index(fields=["paid_at"], name="order_paid_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class PaymentStatusTally(models.Model):
    """How many orders placed on one UTC day have one payment status now, and their totals.

    Rows are additive: the figure of a day and status is the sum of its rows. Placing an order
    adds one row per status count it changes, and every payment move adds a pair, one off the
    old status and one onto the new, in the transaction of the change (``orders.payment_tallies``),
    so a sum read in one statement is exact and as fresh as the last commit. A job merges each
    day's rows into one (``merged``), so a report reads days x statuses rows, not orders.
    Rows with no seller count whole orders (the owner's report); rows with a seller count that
    seller's parts of them, each part with its own total (the seller's report).
    """

    currency = models.CharField(max_length=3)
    day = models.DateField()
    # No database constraint, as for the ledger's day totals: the merge job would take a
    # key-share lock on each seller row and wait on payouts that lock sellers for update.
    seller = models.ForeignKey(
        Seller,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    payment_status = models.CharField(max_length=20, choices=PaymentStatus.choices)
    # Negative in a row that takes an order off its old status.
    orders = models.IntegerField()
    amount = models.BigIntegerField()
    merged = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "day", "seller", "payment_status"],
                condition=models.Q(merged=True, seller__isnull=False),
                name="tally_merged_seller_unique",
            ),
            models.UniqueConstraint(
                fields=["currency", "day", "payment_status"],
                condition=models.Q(merged=True, seller__isnull=True),
                name="tally_merged_orders_unique",
            ),
        ]
        indexes = [
            # A report reads one seller's rows (or the no-seller rows) of a period.
            models.Index(fields=["seller", "day"], name="tally_seller_day_idx"),
            # The merge job takes the rows not merged yet, oldest first.
            models.Index(
                fields=["id"], name="tally_unmerged_idx", condition=models.Q(merged=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.orders} {self.payment_status} on {self.day}"


# The SLA rules (orders.automation) each look for rows with a notice still to send, by due time.
# Partial indexes hold only those rows, so they stay small however many orders there are, and a
# rule's batch is one index range scan.
_UNSHIPPED = [FulfilmentStatus.PENDING, FulfilmentStatus.PROCESSING]
_SHIPPED = [FulfilmentStatus.SHIPPED, FulfilmentStatus.DELIVERED]
SLA_INDEXES = [
    models.Index(
        fields=["acknowledge_due_at"],
        name="so_ack_remind_idx",
        condition=models.Q(status=FulfilmentStatus.PENDING, acknowledge_reminded_at__isnull=True),
    ),
    models.Index(
        fields=["acknowledge_due_at"],
        name="so_ack_late_idx",
        condition=models.Q(status=FulfilmentStatus.PENDING, acknowledge_late_at__isnull=True),
    ),
    # Also the auto-cancel rule's and the "not acknowledged in time" half of the late filter.
    models.Index(
        fields=["acknowledge_due_at"],
        name="so_pending_ack_due_idx",
        condition=models.Q(status=FulfilmentStatus.PENDING),
    ),
    models.Index(
        fields=["ship_due_at"],
        name="so_ship_remind_idx",
        condition=models.Q(status__in=_UNSHIPPED, ship_reminded_at__isnull=True),
    ),
    models.Index(
        fields=["ship_due_at"],
        name="so_ship_late_idx",
        condition=models.Q(status__in=_UNSHIPPED, ship_late_at__isnull=True),
    ),
    models.Index(
        fields=["shipped_at"],
        name="so_confirm_ask_idx",
        condition=models.Q(status__in=_SHIPPED, delivery_confirmation_requested_at__isnull=True),
    ),
    models.Index(
        fields=["delivered_at"],
        name="so_delivered_idx",
        condition=models.Q(status=FulfilmentStatus.DELIVERED),
    ),
]


class SellerOrder(TimeStampedModel):
    """One seller's part of an order, fulfilled and paid out on its own."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="seller_orders")
    seller = models.ForeignKey(Seller, on_delete=models.PROTECT, related_name="seller_orders")
    reference = models.CharField(max_length=40, unique=True, help_text="e.g. ORD-1001-1")
    status = models.CharField(
        max_length=20, choices=FulfilmentStatus.choices, default=FulfilmentStatus.AWAITING_PAYMENT
    )
    subtotal_amount = models.BigIntegerField()
    shipping_amount = models.BigIntegerField(default=0)
    tax_amount = models.BigIntegerField(default=0)
    discount_amount = _discount_amount()
    total_amount = models.BigIntegerField()
    # Taken at payment: later changes to the seller's rate never rewrite a paid order.
    commission_rate_bps = models.PositiveIntegerField(null=True, blank=True)
    commission_amount = models.BigIntegerField(null=True, blank=True)
    refunded_amount = models.BigIntegerField(default=0)
    commission_reversed_amount = models.BigIntegerField(default=0)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    canceled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=500, blank=True)
    # Who canceled the whole seller order (a role), for the seller's cancellation rate.
    canceled_by_role = models.CharField(max_length=10, blank=True, default="", db_default="")
    # Set at payment from the marketplace SLA and the seller's ship-within days, so "late" is a
    # plain indexed comparison and a later change of policy never makes a paid order late.
    acknowledge_due_at = models.DateTimeField(null=True, blank=True)
    ship_due_at = models.DateTimeField(null=True, blank=True)
    # What buyers are promised, as the seller's handling times were at payment: "Ships within
    # 2-3 days". A snapshot, as the due times are.
    shipping_promise = models.CharField(max_length=60, blank=True, default="", db_default="")
    # When each SLA notice went out (orders.automation). Each is set once, by the conditional
    # UPDATE that claims the notice, so a rerun or a second worker never sends it twice.
    acknowledge_reminded_at = models.DateTimeField(null=True, blank=True)
    acknowledge_late_at = models.DateTimeField(null=True, blank=True)
    ship_reminded_at = models.DateTimeField(null=True, blank=True)
    ship_late_at = models.DateTimeField(null=True, blank=True)
    delivery_confirmation_requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            *_non_negative("seller_order", *NON_NEGATIVE_AMOUNTS, "refunded_amount"),
            *_adds_up("seller_order"),
            models.CheckConstraint(
                condition=models.Q(refunded_amount__lte=models.F("total_amount")),
                name="seller_order_refunded_not_above_total",
            ),
            models.UniqueConstraint(fields=["order", "seller"], name="one_seller_order_per_seller"),
        ]
        indexes = [
            models.Index(fields=["seller", "status", "created_at"], name="so_seller_status_idx"),
            models.Index(fields=["seller", "created_at"], name="so_seller_created_idx"),
            models.Index(fields=["status", "ship_due_at"], name="so_status_ship_due_idx"),
            *SLA_INDEXES,
        ]

    def __str__(self) -> str:
        return self.reference


class OrderLine(models.Model):
    """A listing bought in a quantity, with its title and price as they were at checkout."""

    seller_order = models.ForeignKey(SellerOrder, on_delete=models.CASCADE, related_name="lines")
    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="+")
    sku = models.CharField(max_length=64)
    title = models.CharField(max_length=200)
    unit_price_amount = models.BigIntegerField()
    quantity = models.PositiveIntegerField()
    line_total_amount = models.BigIntegerField()
    quantity_shipped = models.PositiveIntegerField(default=0)
    # Units the seller canceled before shipping them (out of stock, say); they never ship.
    quantity_canceled = models.PositiveIntegerField(default=0, db_default=0)
    # Units paid back by a refund of lines (canceled units included): a unit is refunded once.
    quantity_refunded = models.PositiveIntegerField(default=0, db_default=0)
    # Units a refund or a line cancellation put back on the listing's stock.
    quantity_restocked = models.PositiveIntegerField(default=0, db_default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="line_quantity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    line_total_amount=models.F("unit_price_amount") * models.F("quantity")
                ),
                name="line_total_is_price_times_quantity",
            ),
            models.CheckConstraint(
                condition=models.Q(quantity_shipped__lte=models.F("quantity")),
                name="line_not_shipped_beyond_quantity",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    quantity__gte=models.F("quantity_shipped") + models.F("quantity_canceled")
                ),
                name="line_shipped_and_canceled_within_quantity",
            ),
            models.CheckConstraint(
                condition=models.Q(quantity_refunded__lte=models.F("quantity")),
                name="line_not_refunded_beyond_quantity",
            ),
            models.CheckConstraint(
                condition=models.Q(quantity_restocked__lte=models.F("quantity_refunded")),
                name="line_restocks_only_refunded_units",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.sku}"

    @property
    def quantity_to_ship(self) -> int:
        return self.quantity - self.quantity_shipped - self.quantity_canceled

    @property
    def quantity_refundable(self) -> int:
        return self.quantity - self.quantity_refunded


class Shipment(TimeStampedModel):
    """A parcel handed to a carrier; a seller order may ship in several."""

    seller_order = models.ForeignKey(
        SellerOrder, on_delete=models.CASCADE, related_name="shipments"
    )
    carrier = models.CharField(max_length=80)
    tracking_number = models.CharField(max_length=120, blank=True)
    tracking_url = models.URLField(max_length=500, blank=True)

    def __str__(self) -> str:
        return f"{self.carrier} {self.tracking_number}".strip()


class ShipmentLine(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="lines")
    line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="shipment_lines")
    quantity = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="shipment_line_quantity_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.quantity} of line {self.line_id}"


class LineCancellation(TimeStampedModel):
    """The seller canceled some units of its seller order before shipping them, with a reason,
    and may have offered the buyer another listing instead."""

    seller_order = models.ForeignKey(
        SellerOrder, on_delete=models.CASCADE, related_name="line_cancellations"
    )
    reason = models.CharField(max_length=20, choices=LineCancelReason.choices)
    note = models.CharField(max_length=500, blank=True)
    lines = models.JSONField(help_text='What was canceled: [{"sku": ..., "quantity": ...}].')
    refunded_amount = models.BigIntegerField(default=0)
    alternative_listing = models.ForeignKey(
        Listing, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_role = models.CharField(max_length=10)
    actor_label = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(refunded_amount__gte=0),
                name="line_cancellation_refund_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.seller_order_id}: {self.lines}"


class OrderEvent(models.Model):
    """The timeline: an append-only record of everything that happened to an order."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    seller_order = models.ForeignKey(
        SellerOrder, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=40)
    field = models.CharField(max_length=20, blank=True, help_text="The status field that moved.")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    actor_role = models.CharField(max_length=10)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=200)
    message = models.CharField(max_length=500)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        indexes = [models.Index(fields=["order", "created_at", "id"], name="order_event_timeline")]

    def __str__(self) -> str:
        return f"{self.order_id} {self.kind}"
