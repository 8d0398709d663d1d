"""Threads that start at the same instant, each on its own database connection: how the tests
of PostgreSQL's row locks race two writers."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction

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


def commit_late(held: Callable[[], Any], meanwhile: Callable[[], Any]) -> list[Exception]:
    """Run ``held`` in a transaction that commits only after ``meanwhile`` ran (and committed) on
    another connection: rows ``held`` wrote take the lower ids, yet commit last. Returns the
    errors either raised."""
    written, done = threading.Event(), threading.Event()
    errors: list[Exception] = []

    def first() -> None:
        try:
            with transaction.atomic():
                held()
                written.set()
                if not done.wait(timeout=30):
                    raise TimeoutError("the other connection did not finish")
        except Exception as error:  # reported to the test
            errors.append(error)
        finally:
            connection.close()

    def second() -> None:
        try:
            if not written.wait(timeout=30):
                raise TimeoutError("the held transaction did not write")
            meanwhile()
        except Exception as error:
            errors.append(error)
        finally:
            done.set()
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors
