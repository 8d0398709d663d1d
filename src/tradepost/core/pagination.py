"""Keyset (cursor) pagination: stable under inserts, and as fast on page 1,000 as on page 1.

The cursor is an opaque token holding the last row's sort value and id; the next page is the rows
strictly after that pair in the chosen order. Never OFFSET, never COUNT(*).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models

from tradepost.core.errors import ValidationFailed

ModelT = TypeVar("ModelT", bound=models.Model)


@dataclass(frozen=True)
class Page(Generic[ModelT]):
    items: Sequence[ModelT]
    next_cursor: str | None


def _encode(sort: str, value: Any, pk: int) -> str:
    raw = value.isoformat() if isinstance(value, datetime) else value
    return base64.urlsafe_b64encode(json.dumps([sort, raw, pk]).encode()).decode().rstrip("=")


def _decode(cursor: str, sort: str, field: models.Field[Any, Any]) -> tuple[Any, int]:
    """The cursor must come from this list with this sort; anything else is the caller's error."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        cursor_sort, raw, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if cursor_sort != sort or not isinstance(pk, int) or raw is None:
            raise ValueError("cursor is for another sort")
        value = field.to_python(raw)
        if isinstance(value, datetime) and value.tzinfo is None:
            raise ValueError("cursor time has no zone")
    except (ValueError, TypeError, DjangoValidationError) as exc:
        raise ValidationFailed("cursor", "is not a cursor this list returned") from exc
    return value, pk


def paginate(
    queryset: models.QuerySet[ModelT], *, sort: str, limit: int, cursor: str | None
) -> Page[ModelT]:
    """``sort`` is a field name, with a leading ``-`` for descending; ties break on the id."""
    descending = sort.startswith("-")
    name = sort.lstrip("-")
    field = queryset.model._meta.get_field(name)
    if cursor:
        value, pk = _decode(cursor, sort, field)  # type: ignore[arg-type]
        after = "lt" if descending else "gt"
        queryset = queryset.filter(
            models.Q(**{f"{name}__{after}": value}) | models.Q(**{name: value, f"pk__{after}": pk})
        )
    order = (f"-{name}", "-pk") if descending else (name, "pk")
    rows = list(queryset.order_by(*order)[: limit + 1])
    if len(rows) <= limit:
        return Page(items=rows, next_cursor=None)
    last = rows[limit - 1]
    return Page(items=rows[:limit], next_cursor=_encode(sort, getattr(last, name), last.pk))
