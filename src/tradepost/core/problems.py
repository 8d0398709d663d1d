"""RFC 9457 problem+json responses, the one error shape of the API."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://tradepost.dev/problems/"


def problem_body(
    *, status: int, code: str, title: str, detail: str, **extra: Any
) -> dict[str, Any]:
    return {
        "type": PROBLEM_TYPE_BASE + code.replace("_", "-"),
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        **extra,
    }


def internal_error_response() -> HttpResponse:
    """The answer to a bug: the request was rolled back, so nothing changed."""
    return problem_response(
        status=500,
        code="internal_error",
        title="Internal error",
        detail="Something went wrong on our side; nothing was changed.",
    )


def problem_response(
    *, status: int, code: str, title: str, detail: str, **extra: Any
) -> HttpResponse:
    body = problem_body(status=status, code=code, title=title, detail=detail, **extra)
    return HttpResponse(json.dumps(body), status=status, content_type=PROBLEM_CONTENT_TYPE)
