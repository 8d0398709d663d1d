"""The day totals under real concurrency (PostgreSQL): a journal whose transaction commits after
later journals were rolled up is still counted, once, by the report and by the next rollup.

This is the case a watermark ("journals with an id above the last one rolled up") gets wrong:
PostgreSQL hands out ids at insert, not at commit.
"""

from __future__ import annotations

import pytest

from tests import clock
from tests.builders import build_world, pay, place_order
from tests.concurrency import commit_late
from tests.ledger.flows import assert_books_agree
from tradepost.ledger.models import JournalDayTotal, JournalPendingRollup
from tradepost.ledger.rollup import ledger_rollup_rebuild, ledger_rollup_refresh
from tradepost.ledger.selectors import revenue_report

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_a_journal_committing_late_is_counted_once():
    # given two orders to pay, a BOWL (30.00) and a TEE (20.00), after a first sale of both
    # (which made the ledger accounts: the race is about journals, not about making accounts)
    world = build_world()
    pay(world, place_order(world, {"BOWL": 1, "TEE": 1}))
    slow = place_order(world, {"BOWL": 1})
    fast = place_order(world, {"TEE": 1}, buyer="jane")

    def fast_payment_and_rollup() -> None:
        pay(world, fast)
        ledger_rollup_refresh()

    # when the BOWL's journals take the lower ids, and commit after the TEE's were rolled up
    errors = commit_late(lambda: pay(world, slow), fast_payment_and_rollup)

    # then: the TEE was rolled up, the BOWL waits in the queue, and the report counts both
    assert errors == []
    today = clock.now().date()
    owner = world.owner.actor

    def sales() -> int:
        return revenue_report(actor=owner, date_from=today, date_to=today).totals.sales_amount

    assert JournalPendingRollup.objects.count() == 2  # the BOWL's capture and commission
    assert sales() == 5000 + 3000 + 2000
    ledger_rollup_refresh()
    assert not JournalPendingRollup.objects.exists()
    assert sales() == 5000 + 3000 + 2000
    rolled = sorted(JournalDayTotal.objects.values_list("kind", "amount", "journals"))
    ledger_rollup_rebuild()
    assert sorted(JournalDayTotal.objects.values_list("kind", "amount", "journals")) == rolled
    assert_books_agree()
