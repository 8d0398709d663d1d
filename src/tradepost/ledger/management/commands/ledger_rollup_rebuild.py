"""``tradepost ledger_rollup_rebuild``: add up the ledger's day totals again, from the journals."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from tradepost.ledger.rollup import ledger_rollup_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the ledger's day totals (what the revenue report reads) from every journal. "
        "Safe while the marketplace runs: journals posted meanwhile wait in the rollup queue."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        rows = ledger_rollup_rebuild()
        seconds = time.perf_counter() - started
        self.stdout.write(f"Rebuilt {rows} ledger day totals in {seconds:.1f} s.")
