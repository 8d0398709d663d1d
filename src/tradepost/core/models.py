"""Infrastructure every app shares: timestamps, API keys, idempotency records and the outbox."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import Col
from django.db.models.sql import InsertQuery

from tradepost.core import clock

_M = TypeVar("_M", bound=models.Model)


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(default=clock.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class ApiKey(TimeStampedModel):
    """A bearer key for one user. Only its SHA-256 is stored; the key itself is shown once.

    SHA-256 (not a password hash) is right here: keys carry 256 bits of randomness, so there is
    nothing to brute-force, and each request can look the key up by its hash with one indexed read.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, help_text="First characters, to recognise a key.")
    key_hash = models.CharField(max_length=64, unique=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class IdempotencyRecord(models.Model):
    """The response a write gave, replayed when the same caller sends the same Idempotency-Key.

    Claimed at the start of the request's transaction and filled in at its end (see
    core.idempotency), so a stored response always means the change committed.
    """

    scope = models.CharField(max_length=64, help_text="Hash of the caller's credentials.")
    key = models.CharField(max_length=255)
    request_fingerprint = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField()
    response_body = models.BinaryField()
    created_at = models.DateTimeField(default=clock.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="idempotency_scope_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.key} -> {self.response_status}"


class OutboxEvent(models.Model):
    """A domain event, written with the change it describes and delivered after commit.

    Payload shape is ``{id, type, created_at, data}``; webhooks and notifications read this table.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=clock.now)
    # The order (or other aggregate) the event is about, so consumers can filter by tenant.
    order_number = models.CharField(max_length=32, blank=True, db_index=True)
    seller_ids = models.JSONField(default=list, blank=True)
    data = models.JSONField()
    published_at = models.DateTimeField(null=True, blank=True)
    # A subscriber failed on this event alone: how often, and when to try again (core.dispatch).
    dispatch_failures = models.PositiveIntegerField(default=0)
    dispatch_after = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["created_at"],
                name="outbox_unpublished_idx",
                condition=models.Q(published_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.order_number}".strip()

    def payload(self) -> dict[str, object]:
        return {
            "id": f"evt_{self.id.hex}",
            "type": self.type,
            "created_at": self.created_at.isoformat(),
            "data": self.data,
        }


class PeriodicJob(models.Model):
    """When a periodic job is next due; the worker that moves ``next_run_at`` on runs it.

    The move is one conditional UPDATE, so however many workers run, each period enqueues the job
    once.
    """

    name = models.CharField(max_length=200, primary_key=True, help_text="The task's dotted path.")
    next_run_at = models.DateTimeField()
    last_run_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name


# Rows on the hot paths (checkout, API authentication), without the ORM's per-query preparation.
# There, building and compiling a query costs several times the round trip itself (bench/: ~0.9 ms
# of Python for a four-table select_related, ~0.3 ms per bulk_create), so these helpers do only
# what those statements need, with the ORM's own value adaptation, defaults and converters.


def ordered_attnames(model: type[models.Model], wanted: Iterable[str]) -> tuple[str, ...]:
    """``wanted`` in the model's field order: the order ``Model.from_db`` takes a partial row in."""
    names = set(wanted)
    ordered = tuple(f.attname for f in model._meta.concrete_fields if f.attname in names)
    if len(ordered) != len(names):
        raise ValueError(f"{model.__name__} has no field {sorted(names - set(ordered))}")
    return ordered


def concrete_field(model: type[models.Model], attname: str) -> models.Field[Any, Any]:
    """The field whose attribute is ``attname`` (``seller_id``, not ``seller``)."""
    for field in model._meta.concrete_fields:
        if field.attname == attname:
            return field
    raise ValueError(f"{model.__name__} has no field {attname!r}")


def column(model: type[models.Model], attname: str) -> str:
    name = concrete_field(model, attname).column
    if name is None:
        raise ValueError(f"{model.__name__}.{attname} has no column")
    return name


def select_list(
    model: type[models.Model], attnames: Iterable[str], alias: str, prefix: str = ""
) -> str:
    """``alias."column" AS "<prefix>column", …`` for these fields, quoted for the database."""
    quote = connection.ops.quote_name
    columns = [column(model, name) for name in attnames]
    return ", ".join(f"{alias}.{quote(name)} AS {quote(prefix + name)}" for name in columns)


def from_row(model: type[_M], attnames: Sequence[str], values: Sequence[Any]) -> _M:
    """An instance from a row of a hand-written query, its values converted as the ORM converts
    them (booleans and dates on SQLite, JSON); fields not read are deferred, loaded on first use."""
    db = connections[DEFAULT_DB_ALIAS]  # the wrapper itself: ``connection`` is a per-use proxy
    converted = list(values)
    for index, col, converters in _converters(model, tuple(attnames), db.vendor):
        for convert in converters:
            converted[index] = convert(converted[index], col, db)
    return model.from_db(db.alias, list(attnames), converted)


def insert_new(objs: Sequence[models.Model]) -> None:
    """INSERT new instances of one model in one statement, as ``bulk_create`` would, for the
    handful of rows a service writes at once (no batching).

    Each field's ``pre_save`` runs (defaults, ``auto_now``), each value is adapted by its field as
    the ORM adapts it, an SQL expression (the order number) is compiled in place, and the primary
    key and every ``db_returning`` field are read back with RETURNING in row order, which
    bulk_create relies on as well. No signals are sent, as with bulk_create.
    """
    if not objs:
        return
    model = type(objs[0])
    with_pk = objs[0].pk is not None
    if any(
        type(obj) is not model or not obj._state.adding or (obj.pk is not None) is not with_pk
        for obj in objs
    ):
        raise ValueError("insert_new takes new instances of a single model, all with keys or none")
    db = connections[DEFAULT_DB_ALIAS]
    # An auto primary key left empty is the database's to make, and comes back with RETURNING.
    statement = _insert_statement(model, db.vendor, with_pk=with_pk)
    compiler = None
    rows, params = [], []
    for obj in objs:
        placeholders = []
        for field in statement.fields:
            value = field.pre_save(obj, add=True)
            if hasattr(value, "resolve_expression"):
                compiler = compiler or InsertQuery(model).get_compiler(connection=db)
                sql, expression_params = compiler.compile(
                    value.resolve_expression(compiler.query, allow_joins=False, for_save=True)
                )
                placeholders.append(sql)
                params.extend(expression_params)
            else:
                placeholders.append("%s")
                params.append(field.get_db_prep_save(value, connection=db))
        rows.append(f"({', '.join(placeholders)})")
    with db.cursor() as cursor:
        cursor.execute(f"{statement.head}{', '.join(rows)}{statement.returning}", params)
        results = cursor.fetchall() if statement.returned else [()] * len(objs)
    names = tuple(field.attname for field in statement.returned)
    conversions = _converters(model, names, db.vendor)
    for obj, result in zip(objs, results, strict=True):
        values = list(result)
        for index, col, converters in conversions:
            for convert in converters:
                values[index] = convert(values[index], col, db)
        for name, value in zip(names, values, strict=True):
            setattr(obj, name, value)
        obj._state.adding = False
        obj._state.db = db.alias


@dataclass(frozen=True)
class _InsertStatement:
    fields: list[models.Field[Any, Any]]
    returned: list[models.Field[Any, Any]]
    head: str  # INSERT INTO … VALUES, the rows to follow
    returning: str


# The vendor is part of these caches' keys: quoting and converters differ by database.
@functools.cache
def _insert_statement(model: type[models.Model], vendor: str, *, with_pk: bool) -> _InsertStatement:
    meta = model._meta
    fields = [f for f in meta.local_concrete_fields if with_pk or not f.primary_key]
    returned = list(meta.db_returning_fields)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column(model, field.attname)) for field in fields)
    returning = ", ".join(quote(column(model, field.attname)) for field in returned)
    return _InsertStatement(
        fields=fields,
        returned=returned,
        head=f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ",
        returning=f" RETURNING {returning}" if returned else "",
    )


Converter = Callable[[Any, Any, BaseDatabaseWrapper], Any]


@functools.cache
def _converters(
    model: type[models.Model], attnames: tuple[str, ...], vendor: str
) -> list[tuple[int, Col, list[Converter]]]:
    """Per position, what the ORM applies to a value of that field read from this database
    (booleans and dates on SQLite, JSON everywhere); positions needing nothing are left out."""
    result = []
    for index, name in enumerate(attnames):
        col = concrete_field(model, name).get_col(model._meta.db_table)
        converters = [*connection.ops.get_db_converters(col), *col.get_db_converters(connection)]
        if converters:
            result.append((index, col, converters))
    return result
