"""``tradepost payment_tallies_rebuild``: count every order by payment status again."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from tradepost.orders.payment_tallies import payment_tallies_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the payment-status counts the revenue report reads, from every order. "
        "Checkouts and payment moves wait for the few seconds it takes."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        rows = payment_tallies_rebuild()
        seconds = time.perf_counter() - started
        self.stdout.write(f"Rebuilt {rows} payment-status counts in {seconds:.1f} s.")
