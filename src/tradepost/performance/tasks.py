"""Background tasks of seller performance, run by ``tradepost worker``."""

from __future__ import annotations

from django_tasks import task

from tradepost.performance.aggregation import seller_stats_refresh


@task()
def refresh_seller_stats() -> int:
    """Work out again the day rows of the orders that changed (a periodic job)."""
    return seller_stats_refresh()
