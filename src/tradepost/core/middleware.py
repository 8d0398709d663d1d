"""Request checks that every endpoint and page shares."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

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
