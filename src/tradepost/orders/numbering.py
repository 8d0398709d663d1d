"""Human order numbers: ORD-1001, ORD-1002, … unique and increasing.

PostgreSQL draws them from a sequence inside the order's own INSERT (no extra round trip), which
never blocks concurrent checkouts; a rolled-back checkout leaves a gap, as every sequence-backed
numbering does. SQLite serialises writers anyway, so a counter row is enough there.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import F
from django.db.models.expressions import RawSQL

from tradepost.orders.models import OrderNumberCounter

PREFIX = "ORD-"
SEQUENCE = "orders_order_number_seq"
FIRST_NUMBER = 1001


def next_order_number() -> str | RawSQL:
    """The value to insert as ``Order.number``; the INSERT returns what the database made of it."""
    if connection.vendor == "postgresql":
        return RawSQL(f"'{PREFIX}' || nextval('{SEQUENCE}')", ())
    updated = OrderNumberCounter.objects.filter(pk=1).update(last_value=F("last_value") + 1)
    if not updated:
        OrderNumberCounter.objects.create(pk=1, last_value=FIRST_NUMBER)
    return f"{PREFIX}{OrderNumberCounter.objects.values_list('last_value', flat=True).get(pk=1)}"
