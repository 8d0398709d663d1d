"""Background tasks of the disputes app, run by ``tradepost worker``."""

from __future__ import annotations

from django_tasks import task

from tradepost.disputes.automation import dispute_deadlines_run


@task()
def run_dispute_deadlines() -> dict[str, int]:
    """Overdue cases to the owner, unanswered chargebacks lost (a periodic job)."""
    return dispute_deadlines_run()
