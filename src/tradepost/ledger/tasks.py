"""Background tasks of the ledger, run by ``tradepost worker``."""

from __future__ import annotations

from django_tasks import task

from tradepost.ledger.rollup import ledger_rollup_refresh


@task()
def roll_up_journals() -> int:
    """Add the journals posted since the last run into the day totals (a periodic job)."""
    return ledger_rollup_refresh()
