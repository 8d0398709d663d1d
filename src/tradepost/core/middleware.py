"""Request checks that every endpoint and page shares."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from tradepost.core import transient
from tradepost.core.problems import problem_response

# NUL in a path, a query or a JSON string: PostgreSQL text cannot hold it, so every query with it
# would fail deep inside; no legitimate input carries it.
NUL_MARKERS = (b"\x00", b"\\u0000")


API_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class RefuseUnreadableApiBodies:
    """An API write's body is JSON (or a multipart upload) of a size the server reads; anything
    else is refused as problem+json before any view reads it, rather than as Django's HTML 400
    page (too large) or a confusing 400 about JSON (a form or XML body)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in API_WRITES and request.path.startswith("/api/"):
            refused = _body_refusal(request)
            if refused is not None:
                return refused
        return self.get_response(request)


def _body_refusal(request: HttpRequest) -> HttpResponse | None:
    kind = request.content_type or ""
    if kind == "multipart/form-data":
        return None  # uploads: Django streams the files and caps them (docs/configuration.md)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    try:
        too_big = length > limit or len(request.body) > limit
    except RequestDataTooBig:
        too_big = True
    if too_big:
        return problem_response(
            status=413,
            code="body_too_large",
            title="Request body too large",
            detail=f"The body may be at most {limit} bytes.",
        )
    if request.body and kind != "application/json" and not kind.endswith("+json"):
        return problem_response(
            status=415,
            code="unsupported_media_type",
            title="Unsupported media type",
            detail=f"Send the body as application/json, not {kind or 'without a Content-Type'}.",
            errors=[{"field": "Content-Type", "message": "must be application/json"}],
        )
    return None


class RejectNulBytes:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw_query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in raw_query or "\x00" in raw_query:
            return _refused("the URL")
        content_type = request.META.get("CONTENT_TYPE", "")
        if not content_type.startswith("multipart/") and any(
            marker in request.body for marker in NUL_MARKERS
        ):
            return _refused("the request body")
        return self.get_response(request)


def _refused(where: str) -> HttpResponse:
    return problem_response(
        status=400,
        code="nul_character",
        title="Invalid character",
        detail=f"{where.capitalize()} contains a NUL character, which no field accepts.",
    )


class AnswerTransientFailures:
    """A page whose transaction died of a deadlock or a serialization failure answers a plain
    503 "try again" page, not the 500 error page (the API's own handler answers problem+json).
    Not retried here: a dashboard action may have committed one service before the one that
    failed, so only the person can tell whether to send it again."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not transient.is_transient(exception):
            return None
        # Rendered without the request: the base layout reads the database, which just failed.
        response = HttpResponse(render_to_string("busy.html"), status=503)
        response["Retry-After"] = str(transient.RETRY_AFTER_SECONDS)
        return response
