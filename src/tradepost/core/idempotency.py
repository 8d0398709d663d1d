"""``Idempotency-Key`` for every API write: same key and body replay the first response.

The request's transaction starts by claiming the key with ``INSERT … ON CONFLICT DO NOTHING``.
A concurrent request with the same key blocks on that insert until the first one ends: if the first
committed, the claim finds the key taken and the stored response is replayed; if it rolled back,
the claim succeeds and the request runs. The response is stored in the same transaction as the
change, so a stored response exists exactly when the change committed.

A transaction that dies of a deadlock or a serialization failure, in the view or at COMMIT, runs
again whole, up to ``transient.ATTEMPTS`` times, before the client sees a 503 (``core.transient``).
An upload is not run again: its files were read once.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.http import HttpRequest, HttpResponse

from tradepost.core import clock, transient
from tradepost.core.models import ApiKey, IdempotencyRecord
from tradepost.core.problems import internal_error_response, problem_response
from tradepost.core.transactions import request_transaction

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
JSON = "application/json; charset=utf-8"
logger = logging.getLogger(__name__)


def credential_scope(request: HttpRequest) -> str:
    """Keys are per caller: the SHA-256 of the bearer token, the same hash ApiKey stores."""
    header = request.headers.get("Authorization", "")
    token = header[7:].strip() if header[:7].lower() == "bearer " else header
    return hashlib.sha256(token.encode()).hexdigest()


def request_fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    digest.update((request.method or "").encode())
    digest.update(b"\0" + request.get_full_path().encode() + b"\0")
    digest.update(request.body)
    return digest.hexdigest()


class IdempotencyMiddleware:
    """Runs every API write in one transaction; with a key, also claims, stores and replays."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in WRITE_METHODS or not request.path.startswith("/api/"):
            return self.get_response(request)
        key = request.headers.get(HEADER)
        if key is not None and not 0 < len(key) <= MAX_KEY_LENGTH:
            return problem_response(
                status=400,
                code="invalid_idempotency_key",
                title="Invalid Idempotency-Key",
                detail=f"{HEADER} must be 1 to {MAX_KEY_LENGTH} characters.",
                errors=[{"field": HEADER, "message": f"must be 1 to {MAX_KEY_LENGTH} characters"}],
            )
        if key is not None and request.content_type == "multipart/form-data":
            # An upload's body is not kept in memory to fingerprint (nor could a retry repeat its
            # boundary); uploads are made idempotent by attaching them by id afterwards.
            return problem_response(
                status=400,
                code="idempotency_key_on_upload",
                title="Idempotency-Key not accepted here",
                detail=f"{HEADER} is not accepted on file uploads; send it on the request that "
                "attaches the uploaded file.",
                errors=[{"field": HEADER, "message": "is not accepted on file uploads"}],
            )
        attempts = 1 if request.content_type == "multipart/form-data" else transient.ATTEMPTS
        for attempt in range(1, attempts + 1):
            response = self._attempt(request, key)
            if not transient.take_mark(request):
                return response
            logger.warning(
                "%s %s: transient database failure, attempt %d of %d",
                request.method,
                request.path,
                attempt,
                attempts,
            )
        return response

    def _attempt(self, request: HttpRequest, key: str | None) -> HttpResponse:
        """One run of the request in its own transaction; a failure at COMMIT answers too."""
        try:
            with request_transaction():
                return self._run(request, key)
        except DatabaseError as error:
            if transient.is_transient(error):
                transient.mark(request)
                return transient.busy_problem()
            logger.exception("%s %s: the commit failed", request.method, request.path)
            return internal_error_response()

    def _run(self, request: HttpRequest, key: str | None) -> HttpResponse:
        claimed_id = None
        if key is not None:
            scope, fingerprint = credential_scope(request), request_fingerprint(request)
            claim = _claim(scope, key, fingerprint)
            if isinstance(claim, IdempotencyRecord):
                return _replay(claim, fingerprint)
            claimed_id = claim
        response = self.get_response(request)
        if not 200 <= response.status_code < 300:
            # Whatever the view wrote before failing is undone: nothing is half-written, and
            # the key is released, so a corrected retry may use it again.
            transaction.set_rollback(True)
        elif claimed_id is not None:
            _store(claimed_id, response)
        return response


def _store(claimed_id: int, response: HttpResponse) -> None:
    """Fill in the claimed record; hand-written like the claim, as every keyed write runs it."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {IdempotencyRecord._meta.db_table} "
            "SET response_status = %s, response_body = %s WHERE id = %s",
            [response.status_code, response.content, claimed_id],
        )


def _claim(scope: str, key: str, fingerprint: str) -> int | IdempotencyRecord:
    """Take the key (returns the new record's id), or return the record that already holds it."""
    for _ in range(2):
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {IdempotencyRecord._meta.db_table} "
                "(scope, key, request_fingerprint, response_status, response_body, created_at) "
                "VALUES (%s, %s, %s, 0, %s, %s) ON CONFLICT (scope, key) DO NOTHING RETURNING id",
                [scope, key, fingerprint, b"", clock.now()],
            )
            row = cursor.fetchone()
        if row is not None:
            return int(row[0])
        held = IdempotencyRecord.objects.get(scope=scope, key=key)
        ttl = timedelta(hours=settings.TRADEPOST_IDEMPOTENCY_TTL_HOURS)
        if held.created_at >= clock.now() - ttl:
            return held
        held.delete()  # expired: the key is free again
    raise RuntimeError("could not claim an idempotency key twice in a row")


def _replay(record: IdempotencyRecord, fingerprint: str) -> HttpResponse:
    if record.request_fingerprint != fingerprint:
        return problem_response(
            status=422,
            code="idempotency_key_reused",
            title="Idempotency-Key reused",
            detail=f"This {HEADER} was already used with a different request.",
            errors=[{"field": HEADER, "message": "already used with a different request"}],
        )
    # A revoked key gets no more answers, not even stored ones.
    if not ApiKey.objects.filter(key_hash=record.scope, revoked_at__isnull=True).exists():
        return problem_response(
            status=401,
            code="unauthenticated",
            title="Unauthenticated",
            detail="Send a live API key as 'Authorization: Bearer <key>'.",
        )
    response = HttpResponse(
        bytes(record.response_body), status=record.response_status, content_type=JSON
    )
    response["Idempotent-Replayed"] = "true"
    return response
