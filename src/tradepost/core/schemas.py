"""Schemas shared by every router: the request base and the problem+json error shape."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Strict

# Input is taken literally: 1 is a quantity, "1", true and 1e3 are not (a float of 1000.0 would
# buy a thousand units). Strings that stand for a UUID or a time are still parsed from JSON.
StrictInt = Annotated[int, Strict()]
StrictBool = Annotated[bool, Strict()]


def _in_utc(value: datetime) -> datetime:
    """No zone means UTC; any other zone is turned into UTC here, so an offset PostgreSQL cannot
    store (past ±15:59) or a moment past the calendar's ends is a 422, not a database error."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("is out of range") from None


UtcDatetime = Annotated[datetime, AfterValidator(_in_utc)]


class InputSchema(Schema):
    """Every request body: a field it does not know is refused (422 naming it), never ignored;
    a misspelt ``ammount`` must not turn a partial refund into a full one."""

    model_config = ConfigDict(extra="forbid")


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
