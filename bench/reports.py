"""Both reports of issue 6 on one generated marketplace: scorecards and revenue at volume.

``python -m bench.reports --orders 1000000`` generates the marketplace once with COPY, writes
the ledger its seller orders imply (``bench.revenue.generate_ledger``), rebuilds the scorecards'
day rows, the ledger's day and account totals and the payment-status counts, then times the
scorecard, ranking, revenue and balances endpoints in-process: the phases of
``bench.scorecards`` and ``bench.revenue``, without generating a million orders twice (the
generation is most of the time).
Use a database of its own: ``BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_reports``.
"""

from __future__ import annotations

import json
import time

from bench import database, django_env, report, revenue, scorecards
from bench.standalone import fresh_marketplace


def main(argv: list[str] | None = None) -> int:
    url, marketplace, summary = fresh_marketplace("python -m bench.reports", argv)
    summary["stats_queue_rows_dropped"] = scorecards.drop_queue(url)
    started = time.perf_counter()
    summary["journals"] = revenue.generate_ledger(url)
    summary["ledger_generate_seconds"] = round(time.perf_counter() - started, 1)
    django_env.configure(url)
    from bench import fixtures

    summary["stats_rebuild_seconds"] = round(scorecards.rebuild_seconds(), 1)
    revenue.rebuild(summary)
    database.analyze(url)
    credentials = fixtures.create_credentials(buyers=1)
    slug = marketplace.sellers[0].slug
    seller_key = revenue.seller_key(slug)
    summary["latency"] = {
        **scorecards.measure(owner_key=credentials.owner_key, seller_slug=slug),
        **revenue.measure(owner_key=credentials.owner_key, seller_key=seller_key),
        "balances, owner (every seller)": report.latency_figures(
            scorecards.timed("/api/v1/balances", credentials.owner_key, {})
        ),
        "balances, one seller": report.latency_figures(
            scorecards.timed("/api/v1/balances", seller_key, {})
        ),
    }
    summary["target_p95_ms"] = scorecards.TARGET_P95_MS
    summary["all_within_target"] = all(
        figures["p95_ms"] < scorecards.TARGET_P95_MS for figures in summary["latency"].values()
    )
    print(json.dumps(summary, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
