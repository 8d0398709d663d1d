"""Background tasks of the orders app, run by ``tradepost worker``."""

from __future__ import annotations

from django_tasks import task

from tradepost.orders.automation import sla_automation_run


@task()
def run_sla_automation() -> dict[str, int]:
    """The SLA rules, one batch each (a periodic job: see TRADEPOST_PERIODIC_JOBS)."""
    return sla_automation_run()
