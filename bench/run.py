"""``make bench``: Tradepost measured on 100k orders, beside a raw-SQL floor on the same machine.

1. Recreate and migrate the bench database; generate the marketplace with COPY.
2. Make the bench's users, API keys and hot listings through the services.
3. Against gunicorn: checkout throughput at 1 and 8 clients, list latency, the hot-SKU sale.
4. In-process, with the server stopped: statements per checkout, list server time and plans.
5. The raw-SQL baseline at 1 and 8 connections.
6. Seller scorecards: the day rows rebuilt, then the scorecard and ranking endpoints timed
   in-process (``bench.scorecards``, which also runs alone at a million orders).

Prints a summary table and writes it to ``bench/results/latest.json``. Exits 1 when a
correctness check fails; a missed timing target is reported, not fatal.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import (
    baseline,
    database,
    django_env,
    generate,
    load,
    machine,
    report,
    scorecards,
    server,
)
from bench.carts import Cart, build_carts
from bench.marketplace import Marketplace, Volume

RESULTS_DIR = Path(__file__).resolve().parent / "results"
CLIENT_COUNTS = (1, 8)
CART_COUNT = 1_000
HOT_STOCK = 300
LIST_WARMUP, LIST_REQUESTS = 20, 200
SERVER_WARMUP, SERVER_REQUESTS = 10, 100
BUSY_LOAD_AVERAGE = 0.5


@dataclass(frozen=True)
class ListQuery:
    name: str
    params: dict[str, str]
    target_p95_ms: float


@dataclass(frozen=True)
class Workload:
    """What every phase works from: the generated data and the bench's own credentials."""

    url: str
    marketplace: Marketplace
    owner_key: str
    buyer_keys: list[str]
    carts: list[Cart]
    list_queries: list[ListQuery]


def _options(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--orders", type=int, default=100_000, help="orders to generate")
    parser.add_argument(
        "--seconds", type=float, default=12.0, help="duration of each throughput phase"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=2 * len(os.sched_getaffinity(0)) + 1,
        help="gunicorn workers (default: 2 x cores + 1, as `tradepost serve`)",
    )
    return parser.parse_args(argv)


def _say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def _exit_on_sigterm(signum: int, frame: object) -> None:
    """Turn a SIGTERM (a CI timeout, say) into SystemExit, so the server is stopped on the way."""
    sys.exit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    options = _options(argv)
    url = database.bench_database_url()
    summary: dict[str, Any] = {"machine": machine.describe(url)}
    load_average = summary["machine"]["load_average_at_start"][0]
    if load_average > BUSY_LOAD_AVERAGE:
        _say(f"warning: load average {load_average} before starting; figures will be low")
    _say(f"recreating {url} and migrating it")
    database.recreate(url)
    database.migrate(url)
    marketplace = generate.generate(url, Volume(orders=options.orders))
    _say(f"generated {marketplace.orders:,} orders in {marketplace.seconds:.1f} s")
    summary["data"] = {
        "orders": marketplace.orders,
        "seconds": round(marketplace.seconds, 1),
        "rows": dict(marketplace.rows),
    }

    django_env.configure(url)
    # These use the ORM, so they are imported once Django is set up.
    from bench import fixtures, hot_sku

    # The seller scorecards' day rows, rebuilt once; the queue the timeline trigger filled while
    # generating is dropped first, so the workers of the webhook phase do not work it off.
    summary["scorecards"] = {"queue_rows_dropped": scorecards.drop_queue(url)}
    summary["scorecards"]["rebuild_seconds"] = round(scorecards.rebuild_seconds(), 1)

    credentials = fixtures.create_credentials(buyers=max(CLIENT_COUNTS))
    sellers = [seller.slug for seller in marketplace.sellers[:2]]
    hot_listings = fixtures.create_hot_listings(
        seller_slugs=[sellers[0], sellers[0], sellers[1]], stock=HOT_STOCK
    )
    database.analyze(url)
    surname = marketplace.common_surname()
    term = surname[1:5].lower()  # inside the name, so no index on a prefix can serve it
    email = marketplace.buyers[len(marketplace.buyers) // 2].email
    workload = Workload(
        url=url,
        marketplace=marketplace,
        owner_key=credentials.owner_key,
        buyer_keys=credentials.buyer_keys,
        carts=build_carts(marketplace, count=CART_COUNT),
        list_queries=[
            ListQuery("newest first (default)", {}, report.LIST_TARGET_P95_MS),
            ListQuery("?status=pending", {"status": "pending"}, report.LIST_TARGET_P95_MS),
            ListQuery(f"?q={term} (in {surname})", {"q": term}, report.SEARCH_TARGET_P95_MS),
            # What a support desk types: one customer's email, which matches a handful of rows.
            ListQuery("?q=<one buyer's email>", {"q": email}, report.SEARCH_TARGET_P95_MS),
        ],
    )
    deadlocks_before = database.deadlocks(url)
    summary["server"] = {"workers": options.workers}
    with server.running_server(
        database_url=url, workers=options.workers, log_path=RESULTS_DIR / "server.log"
    ) as base_url:
        _say(f"serving on {base_url} with {options.workers} workers")
        summary["checkout"] = _checkout(workload, base_url, options.seconds)
        summary["lists"] = _lists(workload, base_url)
        sale = hot_sku.flash_sale(
            base_url=base_url, keys=workload.buyer_keys, listings=hot_listings, stock=HOT_STOCK
        )
        _say(f"hot SKU: {sale.run.statuses()}, stock left {sale.stock_left}")
    summary["hot_sku"] = sale.figures()
    _in_process(workload, summary)
    summary["scorecards"]["latency"] = scorecards.measure(
        owner_key=workload.owner_key, seller_slug=marketplace.sellers[0].slug
    )
    summary["webhooks"] = _webhooks(workload)
    summary["baseline"] = _baseline(workload, options.seconds)
    summary["deadlocks"] = database.deadlocks(url) - deadlocks_before
    summary["checks"] = {
        "checkout all 201": all(
            figures["statuses"].keys() == {"201"} for figures in summary["checkout"].values()
        ),
        "lists all 200": all(
            figures["client"]["statuses"].keys() == {"200"} for figures in summary["lists"].values()
        ),
        "hot SKU consistent": sale.consistent,
        "no deadlocks": summary["deadlocks"] == 0,
        "webhooks all delivered": summary["webhooks"]["all_succeeded"],
    }
    print(report.render(summary))
    report.write(summary, RESULTS_DIR / "latest.json")
    _say(f"wrote {RESULTS_DIR / 'latest.json'}")
    return 0 if all(summary["checks"].values()) else 1


def _checkout(workload: Workload, base_url: str, seconds: float) -> dict[str, Any]:
    bodies = [load.checkout_body(cart) for cart in workload.carts]
    figures = {}
    for clients in CLIENT_COUNTS:
        run = load.checkout_throughput(
            base_url=base_url,
            keys=workload.buyer_keys[:clients],
            seconds=seconds,
            bodies=bodies,
        )
        figures[str(clients)] = report.run_figures(run)
        _say(
            f"checkout, {report.plural(clients, 'client')}: {run.per_second(201):.1f} orders/s "
            f"{run.statuses()}"
        )
    return figures


def _lists(workload: Workload, base_url: str) -> dict[str, Any]:
    figures = {}
    for query in workload.list_queries:
        run = load.list_latency(
            base_url=base_url,
            key=workload.owner_key,
            params=query.params,
            warmup=LIST_WARMUP,
            count=LIST_REQUESTS,
        )
        figures[query.name] = {
            "params": query.params,
            "target_p95_ms": query.target_p95_ms,
            "client": report.run_figures(run),
        }
        _say(f"list {query.name}: p95 {run.latency().p95_ms:.1f} ms {run.statuses()}")
    return figures


def _in_process(workload: Workload, summary: dict[str, Any]) -> None:
    """Statements per checkout, the lists' server time and their plans, with no server running."""
    from bench import inprocess  # uses the ORM: Django is set up by now

    statements = inprocess.checkout_statements(
        key=workload.buyer_keys[0], body=load.checkout_body(workload.carts[0])
    )
    _say(f"one checkout through the API runs {len(statements)} SQL statements:")
    for number, sql in enumerate(statements, start=1):
        print(f"  {number:>2}. {report.abbreviate(sql)}")
    summary["statements_per_order"] = {
        "count": len(statements),
        "baseline": baseline.STATEMENTS_PER_ORDER,
        "statements": statements,
    }
    summary["plans"] = {}
    for query in workload.list_queries:
        latency = inprocess.list_server_latency(
            key=workload.owner_key, params=query.params, warmup=SERVER_WARMUP, count=SERVER_REQUESTS
        )
        summary["lists"][query.name]["server"] = report.latency_figures(latency)
        summary["plans"][query.name] = inprocess.list_query_plans(
            key=workload.owner_key, params=query.params
        )
    summary["dashboard"] = _dashboard(workload)
    slowest = max(summary["lists"], key=lambda name: summary["lists"][name]["server"]["p95_ms"])
    _say(f"the slowest list, {slowest}, runs this query on orders:")
    print(summary["plans"][slowest][0]["sql"])
    print(summary["plans"][slowest][0]["plan"])


def _dashboard(workload: Workload) -> dict[str, Any]:
    """The orders page as the owner and as one seller, server side, and the full CSV export."""
    from bench import dashboard  # uses the ORM: Django is set up by now

    seller = dashboard.seller_client(workload.marketplace.sellers[0].slug)
    cases = [
        ("owner, newest first", {}, None),
        ("owner, ?status=pending", {"status": "pending"}, None),
        ("owner, ?q=<surname part>", workload.list_queries[2].params, None),
        ("owner, last 30 days, paid", {"period": "30d", "payment_status": "paid"}, None),
        ("seller, newest first", {}, seller),
    ]
    figures: dict[str, Any] = {"pages": {}}
    for name, params, client in cases:
        figures["pages"][name] = dashboard.page_server_latency(
            params=params, warmup=SERVER_WARMUP, count=SERVER_REQUESTS, client=client
        )
        _say(f"dashboard {name}: p95 {figures['pages'][name]['p95_ms']:.1f} ms")
    figures["export"] = dashboard.export_throughput(params={})
    return figures


def _webhooks(workload: Workload) -> dict[str, Any]:
    from bench import webhooks  # uses the ORM: Django is set up by now

    figures = webhooks.measure(workload.url)
    _say(
        f"webhooks: {figures['backlog']['deliveries_per_second']:.0f} deliveries/s, "
        f"p99 {figures['trickle']['p99_ms']:.0f} ms commit to delivery"
    )
    return figures


def _baseline(workload: Workload, seconds: float) -> dict[str, Any]:
    payloads = baseline.payloads(workload.url)
    figures = {}
    for connections in CLIENT_COUNTS:
        result = baseline.throughput(
            workload.url,
            connections=connections,
            seconds=seconds,
            carts=workload.carts,
            payloads=payloads,
        )
        figures[str(connections)] = {
            "orders": result.orders,
            "seconds": round(result.seconds, 2),
            "orders_per_second": round(result.per_second, 1),
        }
        _say(
            f"raw SQL baseline, {report.plural(connections, 'connection')}: "
            f"{result.per_second:.1f} orders/s"
        )
    return figures


if __name__ == "__main__":
    sys.exit(main())
