"""The payment-status counts the revenue report reads (orders.payment_tallies): every payment
move of an order is counted as it happens, for the owner and for each seller; the merge job
and the rebuild change how many rows hold the counts, never the counts."""

from __future__ import annotations

import importlib
from io import StringIO
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from tests import clock
from tests.builders import ApiClient, World, place_order
from tradepost.orders.models import PaymentStatusTally
from tradepost.orders.payment_tallies import (
    payment_tallies_merge,
    payment_tallies_rebuild,
    tally_order_placed,
)

pytestmark = pytest.mark.django_db

# An acme part (2 x MUG = 25.00) and a bolt part (1 x TEE = 20.00): 45.00 in all.
LINES = {"MUG": 2, "TEE": 1}
ACME_TOTAL, BOLT_TOTAL = 2500, 2000
ZERO = {"pending": (0, 0), "paid": (0, 0), "failed": (0, 0)} | {
    "partially_refunded": (0, 0),
    "refunded": (0, 0),
}


def shown(api: ApiClient, key: str) -> dict[str, tuple[int, int]]:
    """The payment statuses of today's revenue report, as ``key`` sees them."""
    today = clock.now().date().isoformat()
    response = api.get("/reports/revenue", key, **{"from": today, "to": today})
    assert response.status == 200, response
    return {
        row["payment_status"]: (row["orders"], row["total_amount"])
        for row in response.json()["payment_statuses"]
    }


def only(**counts: tuple[int, int]) -> dict[str, tuple[int, int]]:
    return ZERO | counts


def merged_rows() -> list[tuple[Any, ...]]:
    return sorted(
        PaymentStatusTally.objects.filter(merged=True).values_list(
            "currency", "day", "seller_id", "payment_status", "orders", "amount"
        ),
        key=repr,
    )


def post_ok(api: ApiClient, path: str, key: str, body: dict[str, Any]) -> dict[str, Any]:
    response = api.post(path, key, body)
    assert response.status in (200, 201), response
    return response.json()


class TestEveryMoveIsCounted:
    def test_through_failure_retry_payment_a_cancellation_and_a_chargeback(
        self, world: World, api: ApiClient
    ) -> None:
        owner, acme, bolt = world.owner.key, world.members["acme"].key, world.members["bolt"].key
        number = place_order(world, LINES).order.number
        whole = ACME_TOTAL + BOLT_TOTAL

        def counts() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
            return shown(api, owner), shown(api, acme), shown(api, bolt)

        # placed: pending
        assert counts() == (
            only(pending=(1, whole)),
            only(pending=(1, ACME_TOTAL)),
            only(pending=(1, BOLT_TOTAL)),
        )
        # the payment fails, then the buyer retries
        payment = {"reference": "p-1", "amount": whole}
        post_ok(api, f"/orders/{number}/payments", owner, payment | {"status": "failed"})
        assert counts() == (
            only(failed=(1, whole)),
            only(failed=(1, ACME_TOTAL)),
            only(failed=(1, BOLT_TOTAL)),
        )
        post_ok(api, f"/orders/{number}/payments/retry", world.buyers["john"].key, {})
        assert counts()[0] == only(pending=(1, whole))
        # paid
        payment = {"reference": "p-2", "amount": whole, "status": "succeeded"}
        body = post_ok(api, f"/orders/{number}/payments", owner, payment)
        assert counts() == (
            only(paid=(1, whole)),
            only(paid=(1, ACME_TOTAL)),
            only(paid=(1, BOLT_TOTAL)),
        )
        # acme cancels its part (refunded whole): the order is partially refunded, for everyone
        acme_ref, bolt_ref = (part["reference"] for part in body["seller_orders"])
        post_ok(api, f"/seller-orders/{acme_ref}/cancel", acme, {"reason": "Out of stock"})
        assert counts() == (
            only(partially_refunded=(1, whole)),
            only(partially_refunded=(1, ACME_TOTAL)),
            only(partially_refunded=(1, BOLT_TOTAL)),
        )
        # then the buyer's bank takes bolt's part back: refunded
        chargeback = post_ok(
            api,
            f"/orders/{number}/chargebacks",
            owner,
            {
                "amount": BOLT_TOTAL,
                "reason": "fraudulent",
                "respond_by": clock.ahead(30).isoformat(),
                "seller_order": bolt_ref,
            },
        )
        post_ok(api, f"/chargebacks/{chargeback['id']}/outcome", owner, {"outcome": "lost"})
        assert counts() == (
            only(refunded=(1, whole)),
            only(refunded=(1, ACME_TOTAL)),
            only(refunded=(1, BOLT_TOTAL)),
        )
        # and merging or rebuilding the counts changes none of them
        payment_tallies_merge()
        assert counts()[0] == only(refunded=(1, whole))
        payment_tallies_rebuild()
        assert counts()[1:] == (only(refunded=(1, ACME_TOTAL)), only(refunded=(1, BOLT_TOTAL)))

    def test_a_seller_sees_only_its_own_parts(self, world: World, api: ApiClient) -> None:
        place_order(world, {"MUG": 1})
        place_order(world, {"TEE": 1}, buyer="jane")
        assert shown(api, world.owner.key) == only(pending=(2, 1250 + 2000))
        assert shown(api, world.members["acme"].key) == only(pending=(1, 1250))
        assert shown(api, world.members["bolt"].key) == only(pending=(1, 2000))


class TestMergeAndRebuild:
    def test_merging_leaves_one_row_per_day_seller_and_status(
        self, world: World, api: ApiClient
    ) -> None:
        # given three orders, one paid and one failed and retried (so its "failed" nets to zero)
        first = place_order(world, LINES).order
        second = place_order(world, {"MUG": 1}, buyer="jane").order
        place_order(world, {"TEE": 1})
        owner = world.owner.key
        paid = {"reference": "a", "amount": first.total_amount, "status": "succeeded"}
        post_ok(api, f"/orders/{first.number}/payments", owner, paid)
        failed = {"reference": "b", "amount": second.total_amount, "status": "failed"}
        post_ok(api, f"/orders/{second.number}/payments", owner, failed)
        post_ok(api, f"/orders/{second.number}/payments/retry", world.buyers["jane"].key, {})
        before = shown(api, owner)
        unmerged = PaymentStatusTally.objects.count()
        # when
        taken = payment_tallies_merge()
        # then every row was taken, and what is left is one row per (seller or none, status)
        # that counts something: pending and paid for the order, acme and bolt; no "failed"
        assert taken == unmerged
        assert not PaymentStatusTally.objects.filter(merged=False).exists()
        today = clock.now().date()
        acme, bolt = world.sellers["acme"].pk, world.sellers["bolt"].pk
        assert merged_rows() == sorted(
            [
                ("USD", today, None, "paid", 1, 4500),
                ("USD", today, None, "pending", 2, 3250),
                ("USD", today, acme, "paid", 1, 2500),
                ("USD", today, acme, "pending", 1, 1250),
                ("USD", today, bolt, "paid", 1, 2000),
                ("USD", today, bolt, "pending", 1, 2000),
            ],
            key=repr,
        )
        assert shown(api, owner) == before
        # a second run finds nothing to do
        assert payment_tallies_merge() == 0

    def test_merging_in_small_batches_adds_to_the_merged_rows(
        self, world: World, api: ApiClient
    ) -> None:
        for _ in range(3):
            place_order(world, {"MUG": 1})
        payment_tallies_merge(batch=2, max_batches=1)
        assert PaymentStatusTally.objects.filter(merged=False).count() == 4  # of 6
        assert shown(api, world.owner.key) == only(pending=(3, 3750))
        payment_tallies_merge(batch=2)
        assert merged_rows() == sorted(
            [
                ("USD", clock.now().date(), None, "pending", 3, 3750),
                ("USD", clock.now().date(), world.sellers["acme"].pk, "pending", 3, 3750),
            ],
            key=repr,
        )

    def test_a_rebuild_counts_what_the_merges_counted(self, world: World, api: ApiClient) -> None:
        bundle = place_order(world, LINES)
        place_order(world, {"MUG": 3}, buyer="jane")
        order = bundle.order
        paid = {"reference": "a", "amount": order.total_amount, "status": "succeeded"}
        post_ok(api, f"/orders/{order.number}/payments", world.owner.key, paid)
        payment_tallies_merge()
        merged = merged_rows()
        # when the rows are lost or wrong, the command counts every order again
        PaymentStatusTally.objects.all().delete()
        out = StringIO()
        call_command("payment_tallies_rebuild", stdout=out)
        assert out.getvalue().startswith("Rebuilt 5 payment-status counts in ")
        assert merged_rows() == merged
        assert not PaymentStatusTally.objects.filter(merged=False).exists()

    def test_the_upgrade_counts_the_orders_placed_before_it(
        self, world: World, api: ApiClient
    ) -> None:
        # given orders placed and paid, their counts merged, and a stray row the upgrade's
        # count would otherwise add to
        order = place_order(world, LINES).order
        place_order(world, {"CAP": 2}, buyer="jane")
        paid = {"reference": "a", "amount": order.total_amount, "status": "succeeded"}
        post_ok(api, f"/orders/{order.number}/payments", world.owner.key, paid)
        payment_tallies_merge()
        merged = merged_rows()
        tally_order_placed(order=order, seller_orders=[])
        # when migration orders 0010 counts the orders
        upgrade = importlib.import_module("tradepost.orders.migrations.0010_count_existing_orders")
        upgrade.count_existing(apps, SimpleNamespace(connection=connection))
        # then it counted each once, as the merges had
        assert merged_rows() == merged
        assert not PaymentStatusTally.objects.filter(merged=False).exists()
