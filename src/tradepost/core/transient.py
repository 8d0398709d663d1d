"""Database failures that retrying the same transaction cures, and how a request answers them.

PostgreSQL ends a transaction it picked as a deadlock victim (40P01) or could not serialise
(40001); SQLite answers "database is locked" when another writer held it past the timeout. None of
these says anything is wrong with the request: run again, the same transaction normally commits.
The lock design keeps them rare (docs/architecture.md); this is the net under it. An API write is
retried whole by the idempotency middleware (``core.idempotency``), a few times; what still fails
answers ``503`` with ``Retry-After``, as problem+json on the API and a plain page on the dashboard.
"""

from __future__ import annotations

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse

from tradepost.core.problems import problem_response

RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})  # deadlock detected, serialization failure
RETRY_AFTER_SECONDS = 1
ATTEMPTS = 3
_MARK = "_tradepost_transient_failure"


def is_transient(error: BaseException) -> bool:
    if not isinstance(error, DatabaseError):
        return False
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) in RETRYABLE_SQLSTATES:
        return True
    return "database is locked" in str(error)


def mark(request: HttpRequest) -> None:
    """The request's transaction died of a transient failure: its answer may be retried."""
    setattr(request, _MARK, True)


def take_mark(request: HttpRequest) -> bool:
    """Whether the last attempt was marked; clears the mark for the next one."""
    marked = bool(getattr(request, _MARK, False))
    setattr(request, _MARK, False)
    return marked


def busy_problem() -> HttpResponse:
    response = problem_response(
        status=503,
        code="busy",
        title="Busy, try again",
        detail="The database could not finish this request just now; nothing was changed. "
        f"Send it again (with the same Idempotency-Key) in {RETRY_AFTER_SECONDS} s.",
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
