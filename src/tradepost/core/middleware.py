"""Request checks that every endpoint and page shares."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from tradepost.core import transient
from tradepost.core.problems import problem_response

# NUL in a path, a query or a JSON string: PostgreSQL text cannot hold it, so every query with it
# would fail deep inside; no legitimate input carries it.
NUL_MARKERS = (b"\x00", b"\\u0000")


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
