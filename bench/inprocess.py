"""The server's side of a request, seen from inside: statements, server time and query plans.

Django's test client calls the same WSGI application gunicorn serves, in this process, against the
same database, so what is timed here is the server's own work without HTTP or the load generator,
and ``CaptureQueriesContext`` sees every statement the request runs.
Needs ``bench.django_env.configure`` first.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.load import ORDERS_PATH
from bench.stats import Latency


def _headers(key: str, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}", **extra}


def checkout_statements(*, key: str, body: bytes) -> list[str]:
    """Every statement one ``POST /api/v1/orders`` runs, in order, BEGIN and COMMIT included."""
    client = Client()
    with CaptureQueriesContext(connection) as captured:
        response = client.post(
            ORDERS_PATH,
            data=body,
            content_type="application/json",
            headers=_headers(key, **{"Idempotency-Key": uuid.uuid4().hex}),
        )
    if response.status_code != 201:
        raise RuntimeError(f"checkout answered {response.status_code}: {response.content[:300]!r}")
    return [query["sql"] for query in captured.captured_queries]


def list_server_latency(*, key: str, params: dict[str, str], warmup: int, count: int) -> Latency:
    client = Client()
    headers = _headers(key)
    for _ in range(warmup):
        client.get(ORDERS_PATH, data=params, headers=headers)
    seconds = []
    for _ in range(count):
        started = time.perf_counter()
        response = client.get(ORDERS_PATH, data=params, headers=headers)
        seconds.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"list answered {response.status_code}: {response.content[:300]!r}")
    return Latency.of(seconds)


def list_query_plans(*, key: str, params: dict[str, str]) -> list[dict[str, Any]]:
    """``EXPLAIN (ANALYZE, BUFFERS)`` of each query the list request runs on the orders tables.

    The captured SQL has its parameters inlined (Django binds them client-side), so it can be
    explained as it ran.
    """
    client = Client()
    with CaptureQueriesContext(connection) as captured:
        client.get(ORDERS_PATH, data=params, headers=_headers(key))
    plans = []
    for query in captured.captured_queries:
        sql = query["sql"]
        if 'FROM "orders_' not in sql:
            continue  # the API key lookup, the same for every request
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
        plans.append({"sql": sql, "plan": plan})
    return plans
