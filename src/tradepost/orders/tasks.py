"""Background tasks of the orders app, run by ``tradepost worker``."""

from __future__ import annotations

from django_tasks import task

from tradepost.orders.automation import sla_automation_run
from tradepost.orders.payment_tallies import payment_tallies_merge


@task()
def run_sla_automation() -> dict[str, int]:
    """The SLA rules, one batch each (a periodic job: see TRADEPOST_PERIODIC_JOBS)."""
    return sla_automation_run()


@task()
def merge_payment_tallies() -> int:
    """Merge the payment-status counts written since the last run (a periodic job)."""
    return payment_tallies_merge()
