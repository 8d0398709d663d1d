"""``tradepost stats_rebuild``: work out every seller's day rows again, from the orders."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from tradepost.performance.aggregation import seller_stats_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the seller performance figures (one row per seller and day) from every paid "
        "seller order. Safe while the marketplace runs: the worker's refresh waits for it."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        rows = seller_stats_rebuild()
        seconds = time.perf_counter() - started
        self.stdout.write(f"Rebuilt {rows} seller day rows in {seconds:.1f} s.")
