"""The dashboard's orders list and CSV export at scale, timed in-process on the server's side.

The page is the owner's daily tool: a list of 50 rows with its counters, found through the same
selectors as the API. What is timed is Django rendering the whole page (session, user, counters,
filter form, rows) for a signed-in owner, and streaming the CSV of a filtered list.
Needs ``bench.django_env.configure`` first.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import connection
from django.http import StreamingHttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.stats import Latency

LIST_PATH = "/dashboard/orders/"
EXPORT_PATH = "/dashboard/orders/export.csv"
TARGET_P95_MS = 100.0


@dataclass(frozen=True)
class PageQuery:
    name: str
    params: dict[str, str]


def _owner_client() -> Client:
    owner = User.objects.filter(is_staff=True).order_by("pk").first()
    if owner is None:
        raise RuntimeError("the bench's marketplace has no owner to log in as")
    client = Client()
    client.force_login(owner)
    return client


def seller_client(seller_slug: str) -> Client:
    """A member of one generated seller, made through the services as the product makes them."""
    from tradepost.accounts import services as accounts
    from tradepost.catalog.models import Seller

    user = accounts.user_create(
        username=f"bench-{seller_slug}", email=f"{seller_slug}@bench.example.com", password=None
    )
    accounts.seller_member_add(user=user, seller=Seller.objects.get(slug=seller_slug))
    client = Client()
    client.force_login(user)
    return client


def page_server_latency(
    *, params: dict[str, str], warmup: int, count: int, client: Client | None = None
) -> dict[str, Any]:
    client = client or _owner_client()
    for _ in range(warmup):
        client.get(LIST_PATH, data=params)
    seconds = []
    for _ in range(count):
        started = time.perf_counter()
        response = client.get(LIST_PATH, data=params)
        seconds.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"page answered {response.status_code}: {response.content[:300]!r}")
    with CaptureQueriesContext(connection) as captured:
        client.get(LIST_PATH, data=params)
    latency = Latency.of(seconds)
    return {
        "params": params,
        "count": latency.count,
        "p50_ms": round(latency.p50_ms, 2),
        "p95_ms": round(latency.p95_ms, 2),
        "queries": len(captured.captured_queries),
        "target_p95_ms": TARGET_P95_MS,
    }


def export_throughput(*, params: dict[str, str]) -> dict[str, Any]:
    """Stream the whole filtered CSV once: rows, seconds, and rows per second."""
    client = _owner_client()
    started = time.perf_counter()
    response = client.get(EXPORT_PATH, data=params)
    if not isinstance(response, StreamingHttpResponse):
        raise RuntimeError(f"the export answered {response.status_code} without streaming")
    rows = -1  # the header line
    for chunk in response.streaming_content:
        rows += chunk.count(b"\n")
    seconds = time.perf_counter() - started
    return {
        "params": params,
        "rows": rows,
        "seconds": round(seconds, 2),
        "rows_per_second": round(rows / seconds) if seconds else 0,
    }


def render(figures: dict[str, Any]) -> list[str]:
    lines = [
        f"{'dashboard: GET /dashboard/orders/':<44}{'server p50':>11}{'p95':>7}"
        f"{'queries':>9}   target (server p95)"
    ]
    for name, page in figures["pages"].items():
        verdict = "ok" if page["p95_ms"] <= page["target_p95_ms"] else "MISS"
        lines.append(
            f"  {name:<42}{page['p50_ms']:>11.1f}{page['p95_ms']:>7.1f}{page['queries']:>9}"
            f"   <= {page['target_p95_ms']:.0f} ms {verdict}"
        )
    export = figures["export"]
    lines.append(
        f"  CSV export of every order: {export['rows']:,} rows in {export['seconds']:.1f} s "
        f"({export['rows_per_second']:,} rows/s), streamed"
    )
    return lines
