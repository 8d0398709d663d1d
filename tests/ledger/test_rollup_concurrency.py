"""The day totals under real concurrency (PostgreSQL): a journal whose transaction commits after
later journals were rolled up is still counted, once, by the report and by the next rollup.

This is the case a watermark ("journals with an id above the last one rolled up") gets wrong:
PostgreSQL hands out ids at insert, not at commit.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, transaction

from tests.builders import build_world, pay, place_order
from tests.ledger.flows import assert_books_agree
from tradepost.core import clock
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
    posted, rolled_up = threading.Event(), threading.Event()
    errors: list[Any] = []

    def slow_payment() -> None:
        try:
            with transaction.atomic():
                pay(world, slow)  # its journals take the lower ids...
                posted.set()
                assert rolled_up.wait(timeout=30)
            # ...and commit only after the TEE's journals were rolled up
        except Exception as error:  # reported to the test below
            errors.append(error)
        finally:
            connection.close()

    def fast_payment_and_rollup() -> None:
        try:
            assert posted.wait(timeout=30)
            pay(world, fast)
            ledger_rollup_refresh()
        except Exception as error:
            errors.append(error)
        finally:
            rolled_up.set()
            connection.close()

    # when
    threads = [
        threading.Thread(target=slow_payment),
        threading.Thread(target=fast_payment_and_rollup),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

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
