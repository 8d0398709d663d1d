"""The revenue report at volume: the ledger generated for the orders, rolled up, then timed.

``python -m bench.revenue --orders 100000`` generates the marketplace with COPY
(``bench.generate``), writes the ledger journals its seller orders imply (capture, commission,
refund with its commission reversal, completion) in set-based SQL, times
``tradepost ledger_rollup_rebuild`` and ``tradepost payment_tallies_rebuild``, then the
server's side of ``GET /reports/revenue`` in-process: 30 days by day and 366 days by month,
for the owner and for one seller.
Use a database of its own: ``BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_revenue``.

The generated journals are sized and dated as the services would post them; which seller
account a refund takes from (pending or available) is simplified to pending, which changes no
report figure (a journal's size is the sum of its debits either way) but means
``ledger_check`` is not expected to pass on this data.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg

from bench import database, django_env, report
from bench.scorecards import TARGET_P95_MS, timed
from bench.standalone import fresh_marketplace

# (kind, seller orders it is posted for, when, amount, debit account, credit account)
JOURNALS: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("payment_captured", "so.commission_amount IS NOT NULL", "o.paid_at", "so.total_amount",
     "provider_clearing", "seller_pending"),
    ("commission_earned", "so.commission_amount > 0", "o.paid_at", "so.commission_amount",
     "seller_pending", "commission"),
    ("commission_reversed", "so.commission_reversed_amount > 0",
     "COALESCE(so.canceled_at, so.updated_at)", "so.commission_reversed_amount",
     "commission", "seller_pending"),
    ("refund", "so.refunded_amount > 0", "COALESCE(so.canceled_at, so.updated_at)",
     "so.refunded_amount", "seller_pending", "provider_clearing"),
    ("funds_released", "so.completed_at IS NOT NULL AND so.total_amount > so.commission_amount",
     "so.completed_at", "so.total_amount - so.commission_amount", "seller_pending",
     "seller_available"),
)  # fmt: skip
MARKETPLACE_CODES = ("provider_clearing", "commission")
SELLER_CODES = (
    "seller_pending",
    "seller_available",
    "seller_receivable",
    "seller_payouts_in_transit",
)


def _account(code: str) -> str:
    """The SQL for the id of account ``code`` of seller order ``so`` in currency ``o.currency``."""
    seller = "a.seller_id IS NULL" if code in MARKETPLACE_CODES else "a.seller_id = so.seller_id"
    return (
        f"(SELECT a.id FROM ledger_account a WHERE a.code = '{code}' "
        f"AND a.currency = o.currency AND {seller})"
    )


def generate_ledger(url: str) -> int:
    """Accounts, journals and entries for every generated seller order; returns the journals."""
    with psycopg.connect(url) as connection:
        connection.execute(
            "INSERT INTO ledger_account (code, currency, seller_id) "
            "SELECT code, currency, NULL FROM unnest(%s::text[]) code, "
            "(SELECT DISTINCT currency FROM orders_order) c",
            [list(MARKETPLACE_CODES)],
        )
        connection.execute(
            "INSERT INTO ledger_account (code, currency, seller_id) "
            "SELECT code, c.currency, s.id FROM unnest(%s::text[]) code, catalog_seller s, "
            "(SELECT DISTINCT currency FROM orders_order) c",
            [list(SELLER_CODES)],
        )
        for kind, where, when, amount, debit, credit in JOURNALS:
            connection.execute(
                "INSERT INTO ledger_journal (kind, source, currency, memo, order_id, "
                "seller_order_id, created_at) "
                f"SELECT '{kind}', 'seller_order:' || so.id, o.currency, so.reference || ': "
                f"{kind}', o.id, so.id, {when} FROM orders_sellerorder so "
                f"JOIN orders_order o ON o.id = so.order_id WHERE {where}"
            )
            for account, sign in ((debit, ""), (credit, "-")):
                connection.execute(
                    "INSERT INTO ledger_entry (journal_id, account_id, amount, currency, "
                    "seller_order_id) "
                    f"SELECT j.id, {_account(account)}, {sign}({amount}), o.currency, so.id "
                    "FROM ledger_journal j JOIN orders_sellerorder so ON so.id = j.seller_order_id "
                    f"JOIN orders_order o ON o.id = so.order_id WHERE j.kind = '{kind}'"
                )
        row = connection.execute("SELECT count(*) FROM ledger_journal").fetchone()
        connection.commit()
    return int(row[0]) if row else 0


def rebuild(summary: dict[str, Any]) -> None:
    """What the report reads, built from the generated rows (which no service wrote): the
    ledger's day and account totals, and the payment-status counts of the orders."""
    from tradepost.ledger.rollup import ledger_rollup_rebuild
    from tradepost.orders.payment_tallies import payment_tallies_rebuild

    started = time.perf_counter()
    summary["day_total_rows"] = ledger_rollup_rebuild()
    summary["rollup_rebuild_seconds"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    summary["payment_tally_rows"] = payment_tallies_rebuild()
    summary["tally_rebuild_seconds"] = round(time.perf_counter() - started, 1)


def measure(*, owner_key: str, seller_key: str) -> dict[str, Any]:
    """p50/p95 server time of the report, in this process (Django set up by now)."""
    today = datetime.now(UTC).date()
    month = {"from": str(today - timedelta(days=29)), "to": str(today)}
    year = {"from": str(today - timedelta(days=365)), "to": str(today), "interval": "month"}
    cases = (
        ("30 days by day, owner", owner_key, month),
        ("366 days by month, owner", owner_key, year),
        ("30 days by day, one seller", seller_key, month),
        ("366 days by month, one seller", seller_key, year),
    )
    return {
        name: report.latency_figures(timed("/api/v1/reports/revenue", key, params))
        for name, key, params in cases
    }


def seller_key(slug: str) -> str:
    """An API key for a member of seller ``slug``."""
    from bench.fixtures import _key_for
    from tradepost.accounts import services as accounts
    from tradepost.catalog.models import Seller

    member = accounts.user_create(
        username=f"bench-{slug}", email=f"{slug}@bench.example.com", password=None
    )
    accounts.seller_member_add(user=member, seller=Seller.objects.get(slug=slug))
    return _key_for(member)


def main(argv: list[str] | None = None) -> int:
    url, marketplace, summary = fresh_marketplace("python -m bench.revenue", argv)
    started = time.perf_counter()
    summary["journals"] = generate_ledger(url)
    summary["ledger_generate_seconds"] = round(time.perf_counter() - started, 1)
    django_env.configure(url)
    from bench import fixtures

    rebuild(summary)
    database.analyze(url)
    credentials = fixtures.create_credentials(buyers=1)
    summary["latency"] = measure(
        owner_key=credentials.owner_key, seller_key=seller_key(marketplace.sellers[0].slug)
    )
    summary["target_p95_ms"] = TARGET_P95_MS
    summary["all_within_target"] = all(
        figures["p95_ms"] < TARGET_P95_MS for figures in summary["latency"].values()
    )
    print(json.dumps(summary, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
