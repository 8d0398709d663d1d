"""The payment provider's chargeback events, signed per Standard Webhooks.

The provider signs each delivery with the shared ``TRADEPOST_PROVIDER_WEBHOOK_SECRET``
(``webhook-id``, ``webhook-timestamp``, ``webhook-signature`` headers; timestamps more than five
minutes off are refused as replays). A delivery is processed once per ``webhook-id``: a
redelivery answers as the first one did and changes nothing. Two event types are understood:
``chargeback.created`` (record it) and ``chargeback.closed`` (the bank's ruling, won or lost).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, TypeVar

from django.conf import settings
from pydantic import BaseModel, Field, ValidationError, field_validator
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from tradepost.core.actors import SYSTEM
from tradepost.core.errors import DomainError, NotFound, ValidationFailed
from tradepost.core.transactions import unit_of_work
from tradepost.disputes.chargebacks import ChargebackNotice, chargeback_decide, chargeback_record
from tradepost.disputes.models import Chargeback, ProviderEvent


class SignatureInvalid(DomainError):
    status = 401
    code = "invalid_signature"
    title = "Invalid signature"


class ProviderWebhooksNotConfigured(DomainError):
    status = 503
    code = "not_configured"
    title = "Provider events are not configured"


class ChargebackCreatedData(BaseModel):
    chargeback_id: str = Field(min_length=1, max_length=200)
    order_number: str = Field(min_length=1, max_length=32)
    seller_order: str = Field("", max_length=40)
    amount: int = Field(ge=1, le=10**13)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    reason: str = Field(min_length=1, max_length=30)
    respond_by: datetime
    note: str = Field("", max_length=1000)

    @field_validator("respond_by")
    @classmethod
    def _utc_when_no_zone(cls, value: datetime) -> datetime:
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value


class ChargebackClosedData(BaseModel):
    chargeback_id: str = Field(min_length=1, max_length=200)
    outcome: Literal["won", "lost"]
    note: str = Field("", max_length=1000)


class ProviderEventBody(BaseModel):
    type: Literal["chargeback.created", "chargeback.closed"]
    data: dict[str, Any]


@dataclass(frozen=True)
class Received:
    event_id: str
    replayed: bool
    chargeback: Chargeback


def verified_body(*, body: bytes, headers: dict[str, str]) -> ProviderEventBody:
    """The event, if the provider signed it with our secret; else 401 (503 with no secret)."""
    secret = settings.TRADEPOST_PROVIDER_WEBHOOK_SECRET
    if not secret:
        raise ProviderWebhooksNotConfigured(
            "Set TRADEPOST_PROVIDER_WEBHOOK_SECRET to accept the payment provider's events."
        )
    try:
        webhook = Webhook(secret)
    except Exception as error:  # any malformed secret: the library raises several kinds
        raise ProviderWebhooksNotConfigured(
            "TRADEPOST_PROVIDER_WEBHOOK_SECRET is not a Standard Webhooks secret (whsec_…)."
        ) from error
    try:
        payload = webhook.verify(body, headers)
    except (WebhookVerificationError, ValueError) as error:
        # ValueError: a malformed signature header, or a body that is not UTF-8 JSON.
        raise SignatureInvalid(f"The webhook signature does not verify: {error}.") from None
    try:
        return ProviderEventBody.model_validate(payload)
    except ValidationError as error:
        raise _invalid(error, "") from None


def provider_event_receive(*, body: bytes, headers: dict[str, str]) -> Received:
    """Verify, then process once per ``webhook-id`` (the claim serialises redeliveries)."""
    event = verified_body(body=body, headers=headers)
    event_id = headers["webhook-id"]
    with unit_of_work():
        claimed, created = ProviderEvent.objects.get_or_create(
            event_id=event_id, defaults={"type": event.type, "body": json.loads(body)}
        )
        if not created:
            if claimed.chargeback is None:
                raise NotFound(f"Event {event_id} was received but names no chargeback.")
            return Received(event_id, True, claimed.chargeback)
        chargeback = _process(event)
        claimed.chargeback = chargeback
        claimed.save(update_fields=["chargeback"])
        return Received(event_id, False, chargeback)


def _process(event: ProviderEventBody) -> Chargeback:
    if event.type == "chargeback.created":
        created = _parse(ChargebackCreatedData, event.data)
        return chargeback_record(
            actor=SYSTEM,
            number=created.order_number,
            notice=ChargebackNotice(
                amount=created.amount,
                reason=created.reason,
                respond_by=created.respond_by,
                seller_order=created.seller_order,
                currency=created.currency,
                provider_reference=created.chargeback_id,
                note=created.note,
            ),
        )
    closed = _parse(ChargebackClosedData, event.data)
    known = (
        Chargeback.objects.filter(provider_reference=closed.chargeback_id)
        .values_list("public_id", flat=True)
        .first()
    )
    if known is None:
        raise ValidationFailed("data.chargeback_id", f"no chargeback {closed.chargeback_id}")
    return chargeback_decide(
        actor=SYSTEM, chargeback_id=known, outcome=closed.outcome, note=closed.note
    )


Data = TypeVar("Data", bound=BaseModel)


def _parse(model: type[Data], data: dict[str, Any]) -> Data:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise _invalid(error, "data.") from None


def _invalid(error: ValidationError, prefix: str) -> ValidationFailed:
    first = error.errors()[0]
    field = prefix + ".".join(str(part) for part in first["loc"])
    return ValidationFailed(field or "body", first["msg"])
