"""Payments API: record a provider's result, retry after a failure."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from tradepost.accounts.auth import request_actor
from tradepost.core.schemas import WRITE_ERRORS
from tradepost.orders.representation import order_data
from tradepost.orders.schemas import OrderOut
from tradepost.payments import services
from tradepost.payments.schemas import PaymentIn

router = Router(tags=["payments"])


@router.post("/orders/{number}/payments", response={200: OrderOut, **WRITE_ERRORS})
def record_payment(request: HttpRequest, number: str, payload: PaymentIn) -> dict[str, Any]:
    """Owner: record a payment attempt's result. Success starts fulfilment for every seller."""
    actor = request_actor(request)
    report = services.PaymentReport(
        provider=payload.provider,
        reference=payload.reference,
        amount=payload.amount,
        succeeded=payload.status == "succeeded",
        currency=payload.currency,
        failure_reason=payload.failure_reason,
    )
    return order_data(services.payment_record(actor=actor, number=number, report=report), actor)


@router.post("/orders/{number}/payments/retry", response={200: OrderOut, **WRITE_ERRORS})
def retry_payment(request: HttpRequest, number: str) -> dict[str, Any]:
    """Buyer or owner: after a failed payment, wait for a new attempt."""
    actor = request_actor(request)
    return order_data(services.payment_retry(actor=actor, number=number), actor)
