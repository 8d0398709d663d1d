"""The payment-status counts under real concurrency (PostgreSQL): a payment whose tally rows take
lower ids but commit after a merge is counted once, by the report and by the next merge; and
checkouts, payments and merges racing each other leave counts equal to a recount of the orders.

A merge that took "every row up to the highest id" would lose the late payment: PostgreSQL hands
out ids at insert, not at commit. The merge deletes by the ids it read, so it cannot.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest

from tests import clock
from tests.builders import World, build_world, pay, place_order
from tests.concurrency import commit_late, outcome, run_together
from tradepost.orders.models import PaymentStatusTally
from tradepost.orders.payment_tallies import (
    payment_status_counts,
    payment_tallies_merge,
    payment_tallies_rebuild,
)

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def counts(world: World, seller: str | None = None) -> dict[str, tuple[int, int]]:
    """Today's counts that differ from zero, for the owner or for one seller."""
    today = clock.now().date()
    seller_id = None if seller is None else world.sellers[seller].pk
    found = payment_status_counts(
        currency="USD", date_from=today, date_to=today, seller_id=seller_id
    )
    return {status: pair for status, pair in found.items() if pair != (0, 0)}


def stored() -> list[tuple[Any, ...]]:
    """Each key's sum over its rows, merged or not: what every report reads."""
    rows: dict[tuple[Any, ...], list[int]] = {}
    for *key, orders, amount in PaymentStatusTally.objects.values_list(
        "currency", "day", "seller_id", "payment_status", "orders", "amount"
    ):
        pair = rows.setdefault(tuple(key), [0, 0])
        pair[0] += orders
        pair[1] += amount
    return sorted(((*key, *pair) for key, pair in rows.items() if pair != [0, 0]), key=repr)


def test_a_payment_committing_after_a_merge_is_counted_once():
    # given two orders waiting for payment, a BOWL (30.00, acme) and a TEE (20.00, bolt), after
    # a first sale of both (which made the ledger accounts the two payments would otherwise both
    # wait to make: the race is about tally rows)
    world = build_world()
    pay(world, place_order(world, {"BOWL": 1, "TEE": 1}))
    slow = place_order(world, {"BOWL": 1})
    fast = place_order(world, {"TEE": 1}, buyer="jane")
    payment_tallies_merge()

    def fast_payment_and_merge() -> None:
        pay(world, fast)
        payment_tallies_merge()

    # when the BOWL's rows take the lower ids, and commit after the TEE's were merged
    errors = commit_late(lambda: pay(world, slow), fast_payment_and_merge)

    # then: the BOWL's rows wait for the next merge, and every count holds both payments once
    assert errors == []
    every = {"paid": (3, 5000 + 3000 + 2000)}
    assert counts(world) == every
    assert counts(world, "acme") == {"paid": (2, 6000)}
    assert counts(world, "bolt") == {"paid": (2, 4000)}
    # off pending and onto paid, for the order and for its one part
    assert PaymentStatusTally.objects.filter(merged=False).count() == 2 * 2
    assert payment_tallies_merge() == 4
    assert not PaymentStatusTally.objects.filter(merged=False).exists()
    assert counts(world) == every
    merged_rows = stored()
    payment_tallies_rebuild()
    assert stored() == merged_rows


def test_checkouts_and_payments_racing_merges_leave_the_counts_of_a_recount():
    # given a marketplace, and six buyers' orders to be placed and paid at once, while a merge
    # runs beside them again and again
    world = build_world()
    carts = [{"MUG": 1, "TEE": 1}, {"BOWL": 1}, {"CAP": 2}]
    buyers_done = threading.Semaphore(0)

    def task(index: int) -> Any:
        if index == 0:  # the merge job
            finished = 0
            while finished < 6:
                payment_tallies_merge(batch=3)
                while buyers_done.acquire(blocking=False):
                    finished += 1
            return finished
        try:
            bundle = place_order(world, carts[index % 3], buyer=("john", "jane")[index % 2])
            pay(world, bundle, succeeded=index % 4 != 0)  # the fourth buyer's payment fails
            return bundle
        finally:
            buyers_done.release()

    # when
    results = run_together(7, task)

    # then: every checkout and payment went through, nothing waits unmerged after a last merge,
    # and the counts are those of counting every order again
    assert [outcome(result) for result in results] == ["ok"] * 7
    payment_tallies_merge()
    assert not PaymentStatusTally.objects.filter(merged=False).exists()
    racing = stored()
    # BOWL 30.00, CAP x 2 30.00, MUG + TEE 32.50, each twice; the second BOWL's payment failed
    assert counts(world) == {"paid": (5, 3000 + 2 * 3000 + 2 * 3250), "failed": (1, 3000)}
    assert counts(world, "bolt") == {"paid": (4, 2 * 3000 + 2 * 2000)}
    payment_tallies_rebuild()
    assert stored() == racing
