"""The REST API at /api/v1: routers from each app, one error format (problem+json)."""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from tradepost.accounts.api import router as accounts_router
from tradepost.accounts.auth import ApiKeyAuth
from tradepost.attachments.api import router as attachments_router
from tradepost.catalog.api import router as catalog_router
from tradepost.core import transient
from tradepost.core.errors import DomainError
from tradepost.core.problems import internal_error_response, problem_response
from tradepost.disputes.api import router as disputes_router
from tradepost.ledger.api import router as ledger_router
from tradepost.messaging.api import router as messaging_router
from tradepost.notifications.api import router as notifications_router
from tradepost.orders.api import router as orders_router
from tradepost.payments.api import router as payments_router
from tradepost.performance.api import router as performance_router
from tradepost.returns.api import router as returns_router
from tradepost.reviews.api import router as reviews_router
from tradepost.webhooks.api import router as webhooks_router

logger = logging.getLogger(__name__)

api = NinjaAPI(
    title="Tradepost API",
    version="1",
    description=(
        "Order management for multi-vendor marketplaces. Authenticate with "
        "`Authorization: Bearer <api key>`. Every POST honours `Idempotency-Key`. Errors are "
        "`application/problem+json`. Money is integer minor units with an ISO 4217 currency."
    ),
    urls_namespace="api-v1",
    auth=ApiKeyAuth(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_router("", orders_router)
api.add_router("", payments_router)
api.add_router("", catalog_router)
api.add_router("", accounts_router)
api.add_router("", ledger_router)
api.add_router("", webhooks_router)
api.add_router("", notifications_router)
api.add_router("", messaging_router)
api.add_router("", attachments_router)
api.add_router("", reviews_router)
api.add_router("", disputes_router)
api.add_router("", returns_router)
api.add_router("", performance_router)


def _field_name(location: list[Any] | tuple[Any, ...]) -> str:
    """``("body", "payload", "lines", 0, "quantity")`` -> ``lines[0].quantity``."""
    locations = ("body", "query", "path", "payload", "header", "file", "form")
    parts = [p for p in location if p not in locations]
    name = ""
    for part in parts:
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            name += f".{part}" if name else str(part)
    return name or "body"


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {"field": _field_name(error.get("loc", ())), "message": error.get("msg", "is invalid")}
        for error in exc.errors
    ]
    first = errors[0] if errors else {"field": "body", "message": "is invalid"}
    return problem_response(
        status=422,
        code="validation_error",
        title="Invalid input",
        detail=f"{first['field']}: {first['message']}",
        errors=errors,
    )


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return problem_response(
        status=exc.status, code=exc.code, title=exc.title, detail=exc.detail, **exc.extra
    )


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = problem_response(
        status=401,
        code="unauthenticated",
        title="Unauthenticated",
        detail="Send a live API key as 'Authorization: Bearer <key>'.",
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(status=404, code="not_found", title="Not found", detail=str(exc))


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem_response(
        status=exc.status_code,
        code="bad_request" if exc.status_code == 400 else "error",
        title="Bad request" if exc.status_code == 400 else "Error",
        detail=str(exc),
    )


@api.exception_handler(Exception)
def on_unexpected_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    if transient.is_transient(exc):
        # A deadlock victim or a serialization failure: the idempotency middleware runs an API
        # write again; what still fails (or a read) answers 503, never 500.
        transient.mark(request)
        return transient.busy_problem()
    logger.exception("unhandled error on %s %s", request.method, request.path)
    return internal_error_response()
