"""Infrastructure every app shares: timestamps, API keys, idempotency records and the outbox."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from tradepost.core import clock


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
