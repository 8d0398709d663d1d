"""Threads that start at the same instant, each on its own database connection: how the tests
of PostgreSQL's row locks race two writers."""

from __future__ import annotations

import contextvars
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

    threads = [_thread(body, i) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _thread(target: Callable[..., None], *args: Any) -> threading.Thread:
    """A thread that runs in a copy of the test's context, so it reads the time the test pinned
    (tests/clock.py); a plain thread starts with an empty context, on the real clock."""
    context = contextvars.copy_context()
    return threading.Thread(target=context.run, args=(target, *args))


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

    threads = [_thread(first), _thread(second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors
