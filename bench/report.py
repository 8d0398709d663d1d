"""The summary: one table on the terminal, the same figures as JSON in ``bench/results/``.

Targets stand beside the figures they judge. Missing one is reported, not fatal (timings depend
on the machine); what ``checks`` holds is correctness, and any failed check fails the run.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from bench.load import Run
from bench.stats import Latency

CHECKOUT_TARGET_PER_SECOND, CHECKOUT_TARGET_CLIENTS = 250.0, 8
LIST_TARGET_P95_MS = 25.0
SEARCH_TARGET_P95_MS = 30.0
STATEMENT_WIDTH = 110


def run_figures(run: Run) -> dict[str, Any]:
    return {
        "clients": run.clients,
        "seconds": round(run.seconds, 2),
        "requests": len(run.samples),
        "orders_per_second": round(run.per_second(201), 1),
        **latency_figures(run.latency()),
        "statuses": {str(status): count for status, count in run.statuses().items()},
        "client_cpu_share_of_a_core": round(run.client_cpu_seconds / run.seconds, 3)
        if run.seconds
        else 0.0,
    }


def latency_figures(latency: Latency) -> dict[str, Any]:
    return {
        "count": latency.count,
        "p50_ms": round(latency.p50_ms, 2),
        "p95_ms": round(latency.p95_ms, 2),
        "max_ms": round(latency.max_ms, 2),
    }


def abbreviate(sql: str, width: int = STATEMENT_WIDTH) -> str:
    flat = " ".join(sql.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _verdict(ok: bool) -> str:
    return "ok" if ok else "MISS"


def _number(value: float, digits: int = 1) -> str:
    return "-" if math.isnan(value) else f"{value:,.{digits}f}"


def render(summary: dict[str, Any]) -> str:
    # These phases' modules use the ORM, so they are imported once Django is set up.
    from bench import dashboard, webhooks

    rule = "=" * 100
    return "\n".join(
        [
            "",
            rule,
            "Tradepost bench",
            rule,
            *_setting(summary),
            "",
            *_checkout(summary),
            "",
            *_lists(summary["lists"]),
            "",
            *_hot_sku(summary["hot_sku"], summary["deadlocks"]),
            "",
            *dashboard.render(summary["dashboard"]),
            "",
            *webhooks.render(summary["webhooks"]),
            "",
            "checks    "
            + ", ".join(
                f"{name} {'ok' if ok else 'FAILED'}" for name, ok in summary["checks"].items()
            ),
            rule,
        ]
    )


def _setting(summary: dict[str, Any]) -> list[str]:
    machine, data = summary["machine"], summary["data"]
    pg, rows = machine["postgresql_settings"], data["rows"]
    return [
        f"machine   {machine['nproc']} x {machine['cpu_model']}; PostgreSQL "
        f"{machine['postgresql']} (fsync {pg.get('fsync')}, synchronous_commit "
        f"{pg.get('synchronous_commit')}, shared_buffers {pg.get('shared_buffers')}); "
        f"Python {machine['python']}, Django {machine['django']}; load average at start "
        f"{machine['load_average_at_start'][0]}",
        f"server    gunicorn {machine['gunicorn']}, {summary['server']['workers']} sync workers, "
        "TRADEPOST_ENV=production, 127.0.0.1",
        f"data      {rows['orders_order']:,} orders, {rows['orders_sellerorder']:,} seller orders, "
        f"{rows['orders_orderline']:,} lines, {rows['accounts_buyer']:,} buyers, "
        f"{rows['catalog_listing']:,} listings, {rows['catalog_seller']:,} sellers; "
        f"generated in {data['seconds']:.1f} s",
    ]


def _checkout(summary: dict[str, Any]) -> list[str]:
    lines = [
        f"{'checkout: POST /api/v1/orders':<44}{'orders/s':>10}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'non-201':>9}{'client CPU':>12}   target"
    ]
    for clients, figures in summary["checkout"].items():
        non_201 = figures["requests"] - figures["statuses"].get("201", 0)
        target = ""
        if int(clients) == CHECKOUT_TARGET_CLIENTS:
            met = figures["orders_per_second"] >= CHECKOUT_TARGET_PER_SECOND
            target = f">= {CHECKOUT_TARGET_PER_SECOND:.0f}/s {_verdict(met)}"
        lines.append(
            f"  {'API via gunicorn, ' + plural(int(clients), 'client'):<42}"
            f"{_number(figures['orders_per_second']):>10}{_number(figures['p50_ms']):>9}"
            f"{_number(figures['p95_ms']):>9}{non_201:>9}"
            f"{figures['client_cpu_share_of_a_core']:>11.0%}   {target}"
        )
    for connections, figures in summary["baseline"].items():
        label = "raw SQL via psycopg3, " + plural(int(connections), "connection")
        lines.append(f"  {label:<42}{_number(figures['orders_per_second']):>10}")
    statements = summary["statements_per_order"]
    lines += [
        f"  SQL statements per order, BEGIN and COMMIT included: API {statements['count']}, "
        f"raw SQL {statements['baseline']}",
        "  client CPU: the load generator's own use of one core, taken from the server's cores",
    ]
    return lines


def _lists(lists: dict[str, Any]) -> list[str]:
    lines = [
        f"{'lists: GET /api/v1/orders as owner':<44}{'client p50':>11}{'p95':>7}"
        f"{'server p50':>12}{'p95':>7}   target (client p95)"
    ]
    for name, figures in lists.items():
        client, server, limit = figures["client"], figures["server"], figures["target_p95_ms"]
        lines.append(
            f"  {name:<42}{_number(client['p50_ms']):>11}{_number(client['p95_ms']):>7}"
            f"{_number(server['p50_ms']):>12}{_number(server['p95_ms']):>7}"
            f"   <= {limit:.0f} ms {_verdict(client['p95_ms'] <= limit)}"
        )
    return lines


def _hot_sku(sale: dict[str, Any], deadlocks: int) -> list[str]:
    return [
        f"hot SKU: {sale['clients']} clients, {len(sale['stock_left'])} SKUs x {sale['stock']} "
        f"units, sold out in {sale['seconds']:.1f} s",
        f"  201 created {sale['created']}, 409 out_of_stock {sale['out_of_stock']}, "
        f"other {sale['other'] or 'none'}, deadlocks {deadlocks}",
        f"  stock left {_per_sku(sale['stock_left'])}; units in order lines "
        f"{_per_sku(sale['in_order_lines'])}; units confirmed by 201s "
        f"{_per_sku(sale['confirmed'])}",
    ]


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def _per_sku(values: dict[str, int]) -> str:
    return "/".join(str(values[sku]) for sku in sorted(values)) if values else "-"


def write(summary: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(summary, indent=2, default=str) + "\n")
