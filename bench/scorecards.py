"""Seller scorecards at volume: the day rows rebuilt from the orders, then both endpoints timed.

``python -m bench.scorecards --orders 1000000`` generates the marketplace with COPY (as
``bench.generate`` does for ``make bench``), drops the queue of changed orders that the timeline
trigger filled on the way (the rebuild that follows covers every one of them), times
``tradepost stats_rebuild`` and then the server's side of ``GET /sellers/{slug}/scorecard`` and
``GET /reports/sellers`` in-process. ``make bench`` runs ``measure`` on its own data as well.
Use a database of its own: ``BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_reports``.
"""

from __future__ import annotations

import json
import time
from typing import Any

import psycopg

from bench import database, django_env, report
from bench.standalone import fresh_marketplace
from bench.stats import Latency

TARGET_P95_MS = 100.0
WARMUP, REQUESTS = 10, 100
SCORECARD_QUERIES = (
    ("scorecard, 12 weeks", {"interval": "week", "periods": "12"}),
    ("scorecard, 24 months", {"interval": "month", "periods": "24"}),
)
RANKING_QUERIES: tuple[tuple[str, dict[str, str]], ...] = (
    ("ranking, 30 days by orders", {}),
    ("ranking, 366 days by late rate", {"from_days": "366", "sort": "-late_rate_bps"}),
    ("ranking, 366 days by median ship time", {"from_days": "366", "sort": "ship_median_seconds"}),
)


def rebuild_seconds() -> float:
    from tradepost.performance.aggregation import seller_stats_rebuild

    started = time.perf_counter()
    seller_stats_rebuild()
    return time.perf_counter() - started


def timed(path: str, key: str, params: dict[str, str]) -> Latency:
    from django.test import Client

    client, headers, seconds = Client(), {"Authorization": f"Bearer {key}"}, []
    for number in range(WARMUP + REQUESTS):
        started = time.perf_counter()
        response = client.get(path, data=params, headers=headers)
        if number >= WARMUP:
            seconds.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(
                f"{path} answered {response.status_code}: {response.content[:300]!r}"
            )
    return Latency.of(seconds)


def measure(*, owner_key: str, seller_slug: str) -> dict[str, Any]:
    """p50/p95 server time of each endpoint, in this process (Django set up by now)."""
    from datetime import UTC, datetime, timedelta

    today = datetime.now(UTC).date()
    figures: dict[str, Any] = {}
    for name, params in SCORECARD_QUERIES:
        latency = timed(f"/api/v1/sellers/{seller_slug}/scorecard", owner_key, params)
        figures[name] = report.latency_figures(latency)
    for name, params in RANKING_QUERIES:
        query = {k: v for k, v in params.items() if k != "from_days"}
        if "from_days" in params:
            query["from"] = str(today - timedelta(days=int(params["from_days"]) - 1))
        figures[name] = report.latency_figures(timed("/api/v1/reports/sellers", owner_key, query))
    return figures


def drop_queue(url: str) -> int:
    """Empty the queue of changed orders (a rebuild follows, which covers every one)."""
    with psycopg.connect(url, autocommit=True) as connection:
        cursor = connection.execute("DELETE FROM performance_pending_order")
        return cursor.rowcount


def main(argv: list[str] | None = None) -> int:
    url, marketplace, summary = fresh_marketplace("python -m bench.scorecards", argv)
    summary["queue_rows_dropped"] = drop_queue(url)
    django_env.configure(url)
    from bench import fixtures

    summary["rebuild_seconds"] = round(rebuild_seconds(), 1)
    database.analyze(url)
    credentials = fixtures.create_credentials(buyers=1)
    summary["latency"] = measure(
        owner_key=credentials.owner_key, seller_slug=marketplace.sellers[0].slug
    )
    summary["target_p95_ms"] = TARGET_P95_MS
    summary["all_within_target"] = all(
        figures["p95_ms"] < TARGET_P95_MS for figures in summary["latency"].values()
    )
    print(json.dumps(summary, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
