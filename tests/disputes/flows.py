"""Disputes as an integrator drives them: orders in the state a case starts from, case steps
through the API, and the payment provider's signed chargeback events."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from standardwebhooks.webhooks import Webhook

from tests.builders import ApiClient, ApiResponse, Party, World, pay, place_order
from tradepost.orders import services
from tradepost.orders.models import Order
from tradepost.orders.selectors import OrderBundle


def reference_of(bundle: OrderBundle, seller: str = "acme") -> str:
    return next(
        part.seller_order.reference
        for part in bundle.seller_orders
        if part.seller_order.seller.slug == seller
    )


def paid_order(world: World, lines: dict[str, int] | None = None, **kwargs: Any) -> OrderBundle:
    return pay(world, place_order(world, lines or {"MUG": 2}, **kwargs))


def shipped_order(world: World, lines: dict[str, int] | None = None, **kwargs: Any) -> OrderBundle:
    """Paid, acknowledged and shipped in one parcel by acme (UPS 1Z-FIRST)."""
    bundle = paid_order(world, lines, **kwargs)
    reference = reference_of(bundle)
    acme = world.members["acme"].actor
    services.seller_order_acknowledge(actor=acme, reference=reference)
    services.shipment_create(
        actor=acme,
        reference=reference,
        parcel=services.Parcel(carrier="UPS", tracking_number="1Z-FIRST"),
    )
    return bundle


def delivered_order(
    world: World, lines: dict[str, int] | None = None, **kwargs: Any
) -> OrderBundle:
    bundle = shipped_order(world, lines, **kwargs)
    services.seller_order_deliver(actor=world.members["acme"].actor, reference=reference_of(bundle))
    return bundle


def open_case(
    api: ApiClient, party: Party, reference: str, kind: str, description: str = "It went wrong."
) -> dict[str, Any]:
    response = api.post(
        "/disputes",
        party.key,
        {"seller_order": reference, "kind": kind, "description": description},
    )
    assert response.status == 201, response
    return response.json()


def step(api: ApiClient, party: Party, case_id: str, action: str, **body: Any) -> ApiResponse:
    return api.post(f"/disputes/{case_id}/{action}", party.key, body)


def money(number: str) -> dict[str, Any]:
    order = Order.objects.get(number=number)
    seller_orders = list(order.seller_orders.order_by("id"))
    return {
        "captured": order.captured_amount,
        "refunded": order.refunded_amount,
        "payment_status": order.payment_status,
        "status": order.status,
        "parts": [
            {
                "status": so.status,
                "refunded": so.refunded_amount,
                "commission": so.commission_amount,
                "commission_reversed": so.commission_reversed_amount,
                "total": so.total_amount,
            }
            for so in seller_orders
        ],
    }


class Provider:
    """The payment provider: signs its events per Standard Webhooks and posts them."""

    def __init__(self, api: ApiClient, secret: str) -> None:
        self.api = api
        self.webhook = Webhook(secret)

    def send(
        self,
        event_type: str,
        data: dict[str, Any],
        *,
        event_id: str | None = None,
        signature: str | None = None,
    ) -> ApiResponse:
        event_id = event_id or f"msg_{uuid.uuid4().hex}"
        body = json.dumps({"type": event_type, "data": data})
        now = datetime.now(UTC)
        headers = {
            "webhook-id": event_id,
            "webhook-timestamp": str(int(now.timestamp())),
            "webhook-signature": signature or self.webhook.sign(event_id, now, body),
        }
        response = self.api.client.post(
            "/api/v1/provider-events/chargebacks",
            data=body,
            content_type="application/json",
            headers=headers,
        )
        return ApiResponse(response.status_code, response.content, dict(response.headers))
