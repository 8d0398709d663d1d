"""Schemas shared by every router: the problem+json error shape."""

from __future__ import annotations

from ninja import Schema
from pydantic import ConfigDict


class FieldError(Schema):
    field: str
    message: str


class ProblemOut(Schema):
    """RFC 9457 problem details; ``errors`` names each field at fault."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: list[FieldError] | None = None


# The error responses every authenticated endpoint may give, for the OpenAPI document.
AUTH_ERRORS: dict[int, type[Schema]] = {401: ProblemOut, 422: ProblemOut}
READ_ERRORS: dict[int, type[Schema]] = {**AUTH_ERRORS, 404: ProblemOut}
WRITE_ERRORS: dict[int, type[Schema]] = {**READ_ERRORS, 403: ProblemOut, 409: ProblemOut}
