"""The transaction every service runs in.

A service is one unit of work. Called on its own (dashboard, CLI, tests) it opens the transaction;
called inside an API write request, the idempotency middleware already opened one that also stores
the response, and rolls the whole request back on any error response. There a savepoint would only
cost two extra round trips, so services join the request's transaction without one.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

from django.db import connection, transaction

_request_owns_transaction: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "request_owns_transaction", default=False
)


def unit_of_work() -> transaction.Atomic:
    return transaction.atomic(savepoint=not _request_owns_transaction.get())


@contextlib.contextmanager
def request_transaction() -> Iterator[None]:
    token = _request_owns_transaction.set(True)
    try:
        with transaction.atomic():
            yield
    finally:
        _request_owns_transaction.reset(token)


def serialise_writers(lock_key: int) -> None:
    """Hold ``lock_key`` until the current transaction ends, so the jobs that rewrite one set of
    pre-aggregated rows never write at once. An advisory lock on PostgreSQL; SQLite lets one
    transaction write at a time anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_key])
