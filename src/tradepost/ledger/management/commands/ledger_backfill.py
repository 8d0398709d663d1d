"""``tradepost ledger_backfill``: post the journals of money that moved before the ledger."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tradepost.ledger.backfill import ledger_backfill


class Command(BaseCommand):
    help = "Post ledger journals for captures, refunds and completions the ledger is missing."

    def handle(self, *args: Any, **options: Any) -> None:
        posted = ledger_backfill()
        self.stdout.write(f"{posted} journal(s) posted; run ledger_check to prove the books.")
