"""``tradepost ledger_check``: prove the ledger balances and matches the orders; exit 1 if not."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tradepost.ledger.checks import ledger_check


class Command(BaseCommand):
    help = (
        "Check that every ledger journal balances, no seller balance is below zero, and the "
        "ledger's captured, refunded, charged-back and commission figures equal the orders'."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = ledger_check()
        self.stdout.write(
            f"{report.journals} journals, {report.entries} entries, "
            f"{report.seller_orders} paid seller orders, {report.payouts} payouts checked."
        )
        if report.ok:
            self.stdout.write(self.style.SUCCESS("The ledger balances and matches the orders."))
            return
        for problem in report.problems:
            self.stderr.write(f"- {problem}")
        raise CommandError(f"{len(report.problems)} problem(s) found in the ledger.")
