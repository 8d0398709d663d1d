"""The revenue report reads the ledger: chargebacks and payouts as their own figures, days added
up by week and month, and the day totals (ledger.rollup) exact whether rolled up or not.

Figures and the autumn scenario: tests.ledger.autumn.
"""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

from tests import clock
from tests.builders import ApiClient, World
from tests.ledger.autumn import autumn, noon
from tests.ledger.flows import assert_books_agree, completed_order, delivered_order, reference_of
from tradepost.ledger.checks import ledger_check
from tradepost.ledger.models import AccountTotal, Entry, JournalDayTotal, JournalPendingRollup
from tradepost.ledger.rollup import ledger_rollup_rebuild, ledger_rollup_refresh
from tradepost.ledger.tasks import roll_up_journals
from tradepost.payments.refunds import refund_create

pytestmark = pytest.mark.django_db

NOV = {"from": "2026-11-01", "to": "2026-11-30"}


def report(api: ApiClient, key: str, **params: Any) -> dict[str, Any]:
    response = api.get("/reports/revenue", key, **params)
    assert response.status == 200, response
    return response.json()


def money(row: dict[str, Any]) -> dict[str, int]:
    return {name: value for name, value in row.items() if name.endswith("_amount")}


class TestChargebacksAndPayouts:
    def test_a_lost_chargeback_is_not_a_refund_and_lowers_net(
        self, world: World, api: ApiClient
    ) -> None:
        autumn(world)
        totals = report(api, world.owner.key, **NOV)["totals"]
        assert totals == {
            "sales_amount": 3000 + 3000 + 2000,
            "commission_earned_amount": 300 + 300 + 100,
            "commission_reversed_amount": 100 + 50,
            "commission_amount": 700 - 150,
            "refunds_amount": 1000,
            "chargebacks_amount": 500,
            "net_amount": 8000 - 1000 - 500,
            "payouts_paid_amount": 2700,
        }
        assert_books_agree()

    def test_payouts_paid_are_the_sellers_own(self, world: World, api: ApiClient) -> None:
        autumn(world)
        acme = report(api, world.members["acme"].key, **NOV)
        bolt = report(api, world.members["bolt"].key, **NOV)
        assert (acme["totals"]["payouts_paid_amount"], acme["totals"]["chargebacks_amount"]) == (
            2700,
            500,
        )
        assert bolt["totals"] == {**money(bolt["totals"]), "sales_amount": 2000}
        assert (bolt["totals"]["payouts_paid_amount"], bolt["totals"]["chargebacks_amount"]) == (
            0,
            0,
        )
        nov_9 = next(day for day in acme["daily"] if day["day"] == "2026-11-09")
        assert money(nov_9)["payouts_paid_amount"] == 2700


class TestIntervals:
    def test_weeks_start_on_monday_and_are_cut_to_the_period(
        self, world: World, api: ApiClient
    ) -> None:
        autumn(world)
        body = report(api, world.owner.key, **NOV, interval="week")
        assert body["interval"] == "week"
        # Nov 1 2026 is a Sunday: the first week is that day alone, the last Nov 30 alone.
        assert [(week["start"], week["end"]) for week in body["periods"]] == [
            ("2026-11-01", "2026-11-01"),
            ("2026-11-02", "2026-11-08"),
            ("2026-11-09", "2026-11-15"),
            ("2026-11-16", "2026-11-22"),
            ("2026-11-23", "2026-11-29"),
            ("2026-11-30", "2026-11-30"),
        ]
        sales = [week["sales_amount"] for week in body["periods"]]
        assert sales == [0, 8000, 0, 0, 0, 0]
        assert [week["payouts_paid_amount"] for week in body["periods"]][2] == 2700
        assert body["periods"][3]["chargebacks_amount"] == 500
        assert len(body["daily"]) == 30  # the days stay, whatever the interval

    def test_months_add_up_to_the_totals(self, world: World, api: ApiClient) -> None:
        autumn(world)
        body = report(api, world.owner.key, **{"from": "2026-10-15", "to": "2026-12-31"})
        months = report(
            api, world.owner.key, **{"from": "2026-10-15", "to": "2026-12-31"}, interval="month"
        )["periods"]
        assert [(month["start"], month["end"]) for month in months] == [
            ("2026-10-15", "2026-10-31"),
            ("2026-11-01", "2026-11-30"),
            ("2026-12-01", "2026-12-31"),
        ]
        assert [month["sales_amount"] for month in months] == [0, 8000, 3000]
        for name in body["totals"]:
            assert sum(month[name] for month in months) == body["totals"][name], name

    def test_an_unknown_interval_is_422_naming_it(self, world: World, api: ApiClient) -> None:
        response = api.get("/reports/revenue", world.owner.key, interval="year")
        assert response.status == 422
        assert [error["field"] for error in response.json()["errors"]] == ["interval"]


class TestRollup:
    def test_rolling_up_changes_no_figure_and_empties_the_queue(
        self, world: World, api: ApiClient
    ) -> None:
        autumn(world)
        before = report(api, world.owner.key, **NOV, interval="week")
        queued = JournalPendingRollup.objects.count()
        assert queued > 0
        assert not JournalDayTotal.objects.exists()

        assert ledger_rollup_refresh() == queued

        assert not JournalPendingRollup.objects.exists()
        assert report(api, world.owner.key, **NOV, interval="week") == before

    def test_in_small_batches_too(self, world: World, api: ApiClient) -> None:
        autumn(world)
        before = report(api, world.owner.key, **NOV)
        assert ledger_rollup_refresh(batch=2, max_batches=1) == 2
        assert report(api, world.owner.key, **NOV) == before
        ledger_rollup_refresh(batch=3)
        assert report(api, world.owner.key, **NOV) == before

    def test_incremental_equals_rebuilt(self, world: World, api: ApiClient) -> None:
        # given totals rolled up in three goes, journals posted between them
        completed_order(world, {"BOWL": 1}, at=noon(2))
        ledger_rollup_refresh()
        second = delivered_order(world, {"BOWL": 2, "TEE": 1}, at=noon(2))
        ledger_rollup_refresh()
        clock.travel_to(noon(2))
        refund_create(actor=world.owner.actor, reference=reference_of(second), reason="other")
        ledger_rollup_refresh()
        incremental = totals()
        # when rebuilt from scratch
        ledger_rollup_rebuild()
        # then the same rows
        assert totals() == incremental
        assert ("acme", "2026-11-02", "payment_captured", 3000 + 6000, 2) in incremental

    def test_a_rebuild_leaves_the_queue_for_the_next_refresh(
        self, world: World, api: ApiClient
    ) -> None:
        autumn(world)
        before = report(api, world.owner.key, **NOV)
        # The journals are queued: a rebuild counts none of them, the queue still counts them all.
        ledger_rollup_rebuild()
        assert not JournalDayTotal.objects.exists()
        assert report(api, world.owner.key, **NOV) == before
        ledger_rollup_refresh()
        rolled = totals()
        ledger_rollup_rebuild()
        assert totals() == rolled
        assert report(api, world.owner.key, **NOV) == before

    def test_the_command_and_the_worker_job(self, world: World, api: ApiClient) -> None:
        autumn(world)
        before = report(api, world.owner.key, **NOV)
        assert "tradepost.ledger.tasks.roll_up_journals" in settings.TRADEPOST_PERIODIC_JOBS
        roll_up_journals.call()
        out = StringIO()
        call_command("ledger_rollup_rebuild", stdout=out)
        assert f"Rebuilt {JournalDayTotal.objects.count()} ledger day totals" in out.getvalue()
        assert report(api, world.owner.key, **NOV) == before


class TestAccountTotals:
    """Balances read account totals plus queued entries: the same figures whatever is rolled up."""

    def balances(self, api: ApiClient, key: str) -> dict[str, Any]:
        response = api.get("/balances", key=key)
        assert response.status == 200, response
        return response.json()

    def test_balances_are_the_same_queued_rolled_up_and_rebuilt(
        self, world: World, api: ApiClient
    ) -> None:
        autumn(world)
        seller_key = world.members["acme"].key
        before = self.balances(api, world.owner.key), self.balances(api, seller_key)
        assert not AccountTotal.objects.exists()
        assert before[0]["sellers"]
        assert before[0]["marketplace"]["commission_amount"] > 0

        ledger_rollup_refresh(batch=3, max_batches=1)  # part rolled up, part still queued
        assert JournalPendingRollup.objects.exists()
        assert AccountTotal.objects.exists()
        assert (self.balances(api, world.owner.key), self.balances(api, seller_key)) == before
        ledger_rollup_refresh()
        ledger_rollup_rebuild()
        assert (self.balances(api, world.owner.key), self.balances(api, seller_key)) == before
        # Every entry is in a total now, each total the sum of its entries.
        assert not JournalPendingRollup.objects.exists()
        assert sum(AccountTotal.objects.values_list("amount", flat=True)) == 0
        assert AccountTotal.objects.count() == (
            Entry.objects.values("account_id", "journal__kind").distinct().count()
        )
        assert ledger_check().ok

    def test_a_refund_after_release_reads_the_rolled_up_balance(
        self, world: World, api: ApiClient
    ) -> None:
        # given a completed sale whose available money is rolled up, not queued
        bundle = completed_order(world, {"BOWL": 1}, at=noon(2))
        ledger_rollup_refresh()
        # when it is refunded: more than available would be owed, not taken below zero
        clock.travel_to(noon(3))
        refund_create(actor=world.owner.actor, reference=reference_of(bundle), reason="other")
        # then the refund took the whole available balance and nothing is owed
        (acme,) = self.balances(api, world.owner.key)["sellers"]
        assert (acme["available_amount"], acme["owed_amount"]) == (0, 0)
        assert ledger_check().ok

    def test_the_check_catches_a_total_that_is_not_its_entries_sum(self, world: World) -> None:
        autumn(world)
        ledger_rollup_refresh()
        total = AccountTotal.objects.order_by("id").first()
        assert total is not None
        AccountTotal.objects.filter(pk=total.pk).update(amount=total.amount + 1)
        expected = (
            f"account {total.account_id}: its {total.kind} entries sum to {total.amount}, "
            f"its balance reads {total.amount + 1}"
        )
        assert expected in ledger_check().problems


def totals() -> set[tuple[Any, ...]]:
    return {
        (row.seller.slug if row.seller else None, str(row.day), row.kind, row.amount, row.journals)
        for row in JournalDayTotal.objects.select_related("seller")
    }
