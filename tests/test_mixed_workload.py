"""A busy hour on PostgreSQL: sixteen clients at once through the API and the dashboard, every
lifecycle action on shared sellers and hot listings. No request may fail with a 5xx, PostgreSQL
may detect no deadlock, and the books and the stock must still add up."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import connection

from tests.builders import build_world
from tests.concurrency import run_together
from tests.workload import Shopper, Tally
from tradepost.catalog import services as catalog
from tradepost.catalog.models import Listing
from tradepost.core.actors import SYSTEM
from tradepost.ledger.checks import ledger_check
from tradepost.orders.models import OrderLine

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

CLIENTS, ROUNDS, STOCK = 16, 6, 10_000
HELD = ("quantity", "quantity_canceled", "quantity_restocked")


def deadlocks() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
        return int(cursor.fetchone()[0])


def test_a_busy_hour_has_no_server_error_no_deadlock_and_books_that_agree() -> None:
    # given: two sellers, their listings stocked for the hour
    world = build_world()
    for sku in ("MUG", "TEE", "BOWL", "CAP"):
        catalog.listing_update(
            actor=SYSTEM, listing_id=world.listings[sku].public_id, stock_quantity=STOCK
        )
    before = deadlocks()
    # when
    tallies = run_together(CLIENTS, lambda index: Shopper(world, seed=index).run(ROUNDS))
    # then
    assert all(isinstance(tally, Tally) for tally in tallies), tallies
    statuses: Counter[tuple[str, int]] = sum((t.statuses for t in tallies), Counter())
    assert {k: n for k, n in statuses.items() if k[1] >= 500} == {}, statuses
    assert sum(t.orders for t in tallies) == CLIENTS * ROUNDS, statuses
    assert deadlocks() == before, statuses
    report = ledger_check()
    assert report.ok, "\n".join(report.problems)
    for sku in ("MUG", "TEE", "BOWL", "CAP"):
        # what is still sold: a canceled part gave all its units back, a line its canceled ones
        lines = OrderLine.objects.filter(sku=sku).exclude(seller_order__status="canceled")
        sold = sum(q - c - r for q, c, r in lines.values_list(*HELD))
        assert Listing.objects.get(sku=sku).stock_quantity == STOCK - sold, sku
