"""Domain errors: each carries a stable code, an HTTP status and what the caller needs to act.

Services raise these; one handler (``core.problems``) renders them as RFC 9457 problem+json, and
the dashboard shows their message next to the form.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status: int = 400
    code: str = "bad_request"
    title: str = "Bad request"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class NotFound(DomainError):
    status = 404
    code = "not_found"
    title = "Not found"


class PermissionDenied(DomainError):
    """The object is visible to the actor but the action is not theirs to take."""

    status = 403
    code = "forbidden"
    title = "Forbidden"


class Conflict(DomainError):
    status = 409
    code = "conflict"
    title = "Conflict"


class InvalidTransition(Conflict):
    code = "invalid_transition"
    title = "Transition not allowed"

    def __init__(self, *, field: str, current: str, requested: str, allowed: list[str]) -> None:
        current, requested, allowed = str(current), str(requested), [str(s) for s in allowed]
        allowed_text = ", ".join(allowed) if allowed else "none"
        super().__init__(
            f"{field} is '{current}'; cannot move to '{requested}'. Allowed next: {allowed_text}.",
            current_status=current,
            requested_status=requested,
            allowed_next_statuses=allowed,
        )


class OutOfStock(Conflict):
    code = "out_of_stock"
    title = "Out of stock"

    def __init__(self, *, sku: str, requested: int, available: int) -> None:
        super().__init__(
            f"SKU {sku}: {requested} requested, {available} available.",
            sku=sku,
            requested=requested,
            available=available,
        )


class RefundExceedsCaptured(Conflict):
    code = "refund_exceeds_captured"
    title = "Refund exceeds the captured amount"


class ValidationFailed(DomainError):
    """Input that is well-formed but wrong for the current data; names each field at fault."""

    status = 422
    code = "validation_error"
    title = "Invalid input"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}", errors=[{"field": field, "message": message}])
