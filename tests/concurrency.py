"""Threads that start at the same instant, each on its own database connection: how the tests
of PostgreSQL's row locks race two writers."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection

from tradepost.core.errors import DomainError


def run_together(workers: int, task: Callable[[int], Any]) -> list[Any]:
    """Start ``workers`` threads at the same instant; return each result or raised error."""
    barrier = threading.Barrier(workers)
    results: list[Any] = [None] * workers

    def body(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = task(index)
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=body, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def outcome(result: Any) -> str:
    if isinstance(result, DomainError):
        return result.code
    if isinstance(result, Exception):
        return f"unexpected {type(result).__name__}: {result}"
    return "ok"
