"""The floor under the API: the rows one checkout writes, inserted with plain psycopg3.

One transaction per order on a persistent connection, with the writes the checkout makes: a
conditional stock UPDATE per listing in id order (RETURNING the listing's price and title, which
spares a separate read), the order with its number drawn from the sequence, its seller orders, its
lines, the timeline event, the outbox event and the idempotency record, with JSON payloads copied
from a real order so every row is the size the API writes. No HTTP, no Django, no authentication:
what is left is what PostgreSQL itself needs per order on this machine.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psycopg

from bench.carts import SHIPPING_ADDRESS, Cart
from bench.threads import run_together

FINISH_GRACE_SECONDS = 15.0  # for the last transaction and closing the connection
# BEGIN, one conditional stock update per listing (the carts hold three), one insert per table
# (seven), COMMIT: counted as Django's query log counts the API's statements.
STATEMENTS_PER_ORDER = 1 + 3 + 7 + 1
BENCH_SCOPE = hashlib.sha256(b"baseline").hexdigest()  # idempotency keys are per caller

UPDATE_STOCK = """
    UPDATE catalog_listing SET stock_quantity = stock_quantity - %(quantity)s
    WHERE id = %(id)s AND stock_quantity >= %(quantity)s
    RETURNING seller_id, sku, title, unit_price_amount
"""
INSERT_ORDER = """
    INSERT INTO orders_order (
        created_at, updated_at, number, buyer_id, buyer_name, buyer_email, buyer_phone,
        shipping_address, currency, subtotal_amount, shipping_amount, tax_amount, total_amount,
        captured_amount, refunded_amount, status, payment_status
    ) VALUES (
        now(), now(), 'ORD-' || nextval('orders_order_number_seq'), %s, %s, %s, '',
        %s::jsonb, 'USD', %s, %s, %s, %s, 0, 0, 'awaiting_payment', 'pending'
    ) RETURNING id, number
"""
INSERT_SELLER_ORDERS = """
    INSERT INTO orders_sellerorder (
        created_at, updated_at, order_id, seller_id, reference, status, subtotal_amount,
        shipping_amount, tax_amount, total_amount, refunded_amount, commission_reversed_amount,
        cancel_reason
    )
    SELECT now(), now(), %s, seller_id, reference, 'awaiting_payment', subtotal, shipping, 0,
        subtotal + shipping, 0, 0, ''
    FROM unnest(%s::bigint[], %s::text[], %s::bigint[], %s::bigint[])
        AS parts(seller_id, reference, subtotal, shipping)
    RETURNING id, seller_id
"""
INSERT_TALLIES = """
    INSERT INTO orders_paymentstatustally (
        currency, day, seller_id, payment_status, orders, amount, merged
    )
    SELECT 'USD', (now() AT TIME ZONE 'UTC')::date, seller_id, 'pending', 1, amount, false
    FROM unnest(%s::bigint[], %s::bigint[]) AS parts(seller_id, amount)
"""
INSERT_LINES = """
    INSERT INTO orders_orderline (
        seller_order_id, listing_id, sku, title, unit_price_amount, quantity, line_total_amount,
        quantity_shipped
    )
    SELECT seller_order_id, listing_id, sku, title, price, quantity, price * quantity, 0
    FROM unnest(%s::bigint[], %s::bigint[], %s::text[], %s::text[], %s::bigint[], %s::int[])
        AS lines(seller_order_id, listing_id, sku, title, price, quantity)
"""
INSERT_EVENT = """
    INSERT INTO orders_orderevent (
        order_id, kind, field, from_status, to_status, actor_role, actor_label, message, details,
        created_at
    ) VALUES (%s, 'order.placed', 'status', '', 'awaiting_payment', 'buyer', %s, %s, %s::jsonb,
        now())
"""
INSERT_OUTBOX = """
    INSERT INTO core_outboxevent (
        id, type, created_at, order_number, seller_ids, data, dispatch_failures
    ) VALUES (%s, 'order.created', now(), %s, %s::jsonb, %s::jsonb, 0)
"""
INSERT_IDEMPOTENCY = """
    INSERT INTO core_idempotencyrecord (
        scope, key, request_fingerprint, response_status, response_body, created_at
    ) VALUES (%s, %s, %s, 201, %s, now())
"""


@dataclass(frozen=True)
class Payloads:
    """JSON copied from an order the API wrote, so baseline rows weigh what real rows weigh."""

    outbox_data: str
    response_body: bytes
    shipping_address: str


@dataclass(frozen=True)
class Throughput:
    connections: int
    orders: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.orders / self.seconds if self.seconds else 0.0


def payloads(url: str) -> Payloads:
    with psycopg.connect(url) as connection:
        row = connection.execute(
            "SELECT data::text FROM core_outboxevent WHERE type = 'order.created' "
            "ORDER BY created_at DESC LIMIT 1"
        ).fetchone()
        record = connection.execute(
            "SELECT response_body FROM core_idempotencyrecord ORDER BY id DESC LIMIT 1"
        ).fetchone()
    if row is None or record is None:
        raise RuntimeError("the baseline copies its payloads from an order the API placed first")
    return Payloads(row[0], bytes(record[0]), json.dumps(SHIPPING_ADDRESS))


@dataclass(frozen=True)
class _Reserved:
    listing_id: int
    quantity: int
    seller_id: int
    sku: str
    title: str
    unit_price_amount: int


def _place(cursor: psycopg.Cursor[Any], cart: Cart, payloads: Payloads, buyer_id: int) -> None:
    reserved = []
    # Locked in id order, as the checkout locks them, so concurrent writers never deadlock.
    for listing, quantity in sorted(cart.lines, key=lambda line: line[0].id):
        row = cursor.execute(UPDATE_STOCK, {"id": listing.id, "quantity": quantity}).fetchone()
        if row is None:
            raise RuntimeError(f"listing {listing.id} ran out of stock")
        reserved.append(_Reserved(listing.id, quantity, *row))
    shipping_of = {seller.id: amount for seller, amount in cart.shipping.items()}
    sellers = sorted(shipping_of)
    subtotals = dict.fromkeys(sellers, 0)
    for line in reserved:
        subtotals[line.seller_id] += line.unit_price_amount * line.quantity
    subtotal, shipping = sum(subtotals.values()), sum(shipping_of.values())
    total = subtotal + shipping
    order = cursor.execute(
        INSERT_ORDER,
        [
            buyer_id,
            "Bench Buyer",
            "bench@example.com",
            payloads.shipping_address,
            subtotal,
            shipping,
            0,
            total,
        ],
    ).fetchone()
    assert order is not None
    order_id, number = order
    references = [f"{number}-{position}" for position in range(1, len(sellers) + 1)]
    parts = cursor.execute(
        INSERT_SELLER_ORDERS,
        [
            order_id,
            sellers,
            references,
            [subtotals[seller] for seller in sellers],
            [shipping_of[seller] for seller in sellers],
        ],
    ).fetchall()
    part_of = {seller_id: part_id for part_id, seller_id in parts}
    # The order's own count (no seller) and one per seller, as orders.payment_tallies writes.
    cursor.execute(
        INSERT_TALLIES,
        [
            [None, *sellers],
            [total, *(subtotals[seller] + shipping_of[seller] for seller in sellers)],
        ],
    )
    cursor.execute(
        INSERT_LINES,
        [
            [part_of[line.seller_id] for line in reserved],
            [line.listing_id for line in reserved],
            [line.sku for line in reserved],
            [line.title for line in reserved],
            [line.unit_price_amount for line in reserved],
            [line.quantity for line in reserved],
        ],
    )
    details = json.dumps({"seller_orders": references, "total_amount": total})
    cursor.execute(INSERT_EVENT, [order_id, "Bench Buyer", "Order placed.", details])
    cursor.execute(INSERT_OUTBOX, [uuid.uuid4(), number, json.dumps(sellers), payloads.outbox_data])
    key = uuid.uuid4().hex
    cursor.execute(
        INSERT_IDEMPOTENCY,
        [BENCH_SCOPE, key, hashlib.sha256(key.encode()).hexdigest(), payloads.response_body],
    )


def throughput(
    url: str, *, connections: int, seconds: float, carts: list[Cart], payloads: Payloads
) -> Throughput:
    """Orders per second with ``connections`` writers, each placing orders back to back."""
    counts = [0] * connections

    def writer(index: int, start: Callable[[], object]) -> None:
        # Autocommit, so each transaction() block is a real BEGIN ... COMMIT, not a savepoint.
        with psycopg.connect(url, autocommit=True) as connection, connection.cursor() as cursor:
            buyer = cursor.execute("SELECT min(id) FROM accounts_buyer").fetchone()
            if buyer is None:
                raise RuntimeError("the baseline needs a buyer")
            start()
            deadline = time.perf_counter() + seconds
            while time.perf_counter() < deadline:
                cart = carts[(index + counts[index] * connections) % len(carts)]
                with connection.transaction():
                    _place(cursor, cart, payloads, buyer[0])
                counts[index] += 1

    elapsed = run_together(connections, writer, time_limit=seconds + FINISH_GRACE_SECONDS)
    return Throughput(connections, sum(counts), elapsed)
