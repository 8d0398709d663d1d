"""The SQL statements one checkout runs through the API, pinned (DESIGN.md, performance): every
statement costs the checkout throughput, so the list cannot grow unnoticed. In a test's own
transaction BEGIN/COMMIT are a savepoint."""

from __future__ import annotations

import re


def statement(sql: str) -> str:
    """``INSERT orders_order``, ``SELECT core_apikey``…: what a statement does, and to what."""
    words = sql.split()
    if words[0] == "WITH":  # the stock reservation: one statement that locks, judges and takes
        return "WITH " + re.findall(r"UPDATE \W?(\w+)\W? \w+\s+SET", sql)[0]
    table = re.search(r"(?:INTO|FROM|UPDATE) \W?(\w+)", sql)
    return f"{words[0]} {table.group(1)}" if table else words[0]


_POSTGRESQL = [
    "SAVEPOINT",
    "INSERT core_idempotencyrecord",  # claims the Idempotency-Key
    "SELECT core_apikey",  # the key with its user's roles
    "WITH catalog_listing",  # locks the listings in id order and takes the stock, or none
    "INSERT orders_order",  # draws its number from the sequence
    "INSERT orders_sellerorder",
    "INSERT orders_paymentstatustally",  # counts the order as unpaid (orders.payment_tallies)
    "INSERT orders_orderline",
    "INSERT orders_orderevent",
    "INSERT core_outboxevent",
    "UPDATE core_idempotencyrecord",  # stores the response with the change
    "RELEASE",
]
# SQLite serialises writers, so it reads and updates stock in two plain statements, and
# counts order numbers in a row (orders.numbering).
_SQLITE = [
    *_POSTGRESQL[:3],
    "SELECT catalog_listing",
    "UPDATE catalog_listing",
    "UPDATE orders_ordernumbercounter",
    "SELECT orders_ordernumbercounter",
    *_POSTGRESQL[4:],
]


def checkout_statements(vendor: str) -> list[str]:
    """What a checkout of three lines from two sellers runs, on ``connection.vendor``."""
    return list(_POSTGRESQL if vendor == "postgresql" else _SQLITE)
