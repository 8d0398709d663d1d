"""Webhook API shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from ninja import Field, Schema
from pydantic import BaseModel

from tradepost.core.schemas import InputSchema, StrictBool, UtcDatetime
from tradepost.webhooks.events import EVENT_TYPES

EventType = Literal[EVENT_TYPES]  # type: ignore[valid-type]


class EndpointCreateIn(InputSchema):
    url: str = Field(max_length=1000, description="https; public addresses only.")
    description: str = Field("", max_length=200)
    event_types: list[EventType] = Field(
        default_factory=list, description="Empty: every event type, including future ones."
    )


class EndpointUpdateIn(InputSchema):
    url: str | None = Field(None, max_length=1000)
    description: str | None = Field(None, max_length=200)
    event_types: list[EventType] | None = None
    enabled: StrictBool | None = None


class EndpointOut(BaseModel):
    id: UUID
    url: str
    description: str
    event_types: list[str]
    enabled: bool
    disabled_reason: str
    seller: str | None = Field(description="The seller whose orders it hears; null: all orders.")
    failing_since: datetime | None
    previous_secret_expires_at: datetime | None = Field(
        description="Until then the secret before the last rotation signs too."
    )
    created_at: datetime


class EndpointWithSecretOut(EndpointOut):
    secret: str = Field(description="whsec_…, shown only now: store it to verify signatures.")


class AttemptOut(BaseModel):
    attempted_at: datetime
    status_code: int | None
    latency_ms: int
    response_excerpt: str
    error: str


class DeliveryOut(BaseModel):
    id: UUID
    endpoint: UUID
    event_id: str
    event_type: str
    order_number: str | None
    status: str
    attempt_count: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str
    created_at: datetime
    delivered_at: datetime | None
    attempts: list[AttemptOut]


class DeliveryPageOut(BaseModel):
    items: list[DeliveryOut]
    next_cursor: str | None


class DeliveryListQuery(Schema):
    endpoint: UUID | None = None
    status: Literal["pending", "succeeded", "failed", "canceled"] | None = None
    event_type: EventType | None = None
    created_from: UtcDatetime | None = None
    created_to: UtcDatetime | None = None
    limit: int = Field(50, ge=1, le=100)
    cursor: str | None = None


class ReplayIn(InputSchema):
    since: UtcDatetime = Field(description="Replay every event from then on; no zone means UTC.")


class ReplayOut(BaseModel):
    queued: int
