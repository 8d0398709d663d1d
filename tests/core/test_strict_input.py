"""Input is taken literally: unknown fields are refused, numbers are numbers, a refund names its
size, and a body the API cannot read is refused as problem+json with the status that says why."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.builders import ADDRESS, ApiClient, World, listing_id, pay, place_order
from tests.payments.flows import delivered_order, reference_of
from tradepost.orders.models import Order
from tradepost.payments.models import Refund

pytestmark = pytest.mark.django_db


def _refused(response: Any, field: str, status: int = 422) -> None:
    assert response.status == status, response
    assert response.headers["Content-Type"] == "application/problem+json"
    assert field in [error["field"] for error in response.json()["errors"]], response


def _cart(world: World, quantity: Any, **extra: Any) -> dict[str, Any]:
    line = {"listing_id": listing_id(world, "MUG"), "quantity": quantity}
    return {"lines": [line], "shipping_address": ADDRESS, **extra}


class TestUnknownFields:
    def test_a_misspelt_amount_refunds_nothing(self, api: ApiClient, world: World) -> None:
        bundle = delivered_order(world, {"MUG": 2})
        path = f"/seller-orders/{reference_of(bundle)}/refunds"
        response = api.post(path, world.owner.key, {"reason": "other", "ammount": 100})
        _refused(response, "ammount")
        assert not Refund.objects.exists()

    def test_an_unknown_checkout_field_places_nothing(self, api: ApiClient, world: World) -> None:
        response = api.post("/orders", world.buyers["john"].key, _cart(world, 1, discount_cod="X"))
        _refused(response, "discount_cod")
        assert not Order.objects.exists()


class TestNumbersAreNumbers:
    @pytest.mark.parametrize("quantity", ["1", True, 1e3, 1.0])
    def test_a_quantity_must_be_a_json_integer(
        self, api: ApiClient, world: World, quantity: Any
    ) -> None:
        response = api.post("/orders", world.buyers["john"].key, _cart(world, quantity))
        _refused(response, "lines[0].quantity")
        assert not Order.objects.exists()

    @pytest.mark.parametrize("amount", ["100", True, 100.0])
    def test_an_amount_must_be_a_json_integer(
        self, api: ApiClient, world: World, amount: Any
    ) -> None:
        bundle = delivered_order(world, {"MUG": 2})
        path = f"/seller-orders/{reference_of(bundle)}/refunds"
        _refused(api.post(path, world.owner.key, {"reason": "other", "amount": amount}), "amount")
        assert not Refund.objects.exists()


class TestARefundNamesItsSize:
    def test_neither_amount_nor_lines_is_refused(self, api: ApiClient, world: World) -> None:
        bundle = delivered_order(world, {"MUG": 2})
        path = f"/seller-orders/{reference_of(bundle)}/refunds"
        _refused(api.post(path, world.owner.key, {"reason": "other"}), "amount")
        assert not Refund.objects.exists()

    def test_full_refunds_everything_left_and_goes_alone(
        self, api: ApiClient, world: World
    ) -> None:
        bundle = delivered_order(world, {"MUG": 2})
        path = f"/seller-orders/{reference_of(bundle)}/refunds"
        both = api.post(path, world.owner.key, {"reason": "other", "amount": 100, "full": True})
        _refused(both, "full")
        done = api.post(path, world.owner.key, {"reason": "other", "full": True})
        assert done.status == 201, done
        assert done.json()["amount"] == bundle.seller_orders[0].seller_order.total_amount


def test_shipping_an_empty_parcel_is_refused_naming_the_lines(api: ApiClient, world: World) -> None:
    bundle = pay(world, place_order(world, {"MUG": 1}))
    reference = reference_of(bundle)
    key = world.members["acme"].key
    assert api.post(f"/seller-orders/{reference}/acknowledge", key).status == 200
    empty = {"carrier": "UPS", "tracking_number": "1Z1", "lines": []}
    _refused(api.post(f"/seller-orders/{reference}/ship", key, empty), "lines")


class TestUnreadableBodies:
    def test_a_body_past_the_limit_is_413(self, world: World, settings: Any) -> None:
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
        body = json.dumps(_cart(world, 1, note="x" * 2000))
        response = Client().post(
            "/api/v1/orders",
            body,
            content_type="application/json",
            headers={"Authorization": f"Bearer {world.buyers['john'].key}"},
        )
        assert response.status_code == 413
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["code"] == "body_too_large"

    @pytest.mark.parametrize(
        ("content_type", "body"),
        [
            ("application/x-www-form-urlencoded", "quantity=1"),
            ("application/xml", "<order><quantity>1</quantity></order>"),
            ("text/plain", "{}"),
        ],
    )
    def test_a_body_that_is_not_json_is_415(
        self, world: World, content_type: str, body: str
    ) -> None:
        response = Client().post(
            "/api/v1/orders",
            body,
            content_type=content_type,
            headers={"Authorization": f"Bearer {world.buyers['john'].key}"},
        )
        assert response.status_code == 415
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["errors"][0]["field"] == "Content-Type"


class TestTimes:
    def test_an_offset_postgresql_cannot_store_is_read_as_the_instant_it_names(
        self, api: ApiClient, world: World
    ) -> None:
        response = api.get("/orders", world.owner.key, created_from="2026-01-01T00:00:00+16:00")
        assert response.status == 200, response
        deliveries = api.get(
            "/webhook-deliveries", world.owner.key, created_to="2026-01-01T00:00:00-16:00"
        )
        assert deliveries.status == 200, deliveries

    def test_a_moment_past_the_calendar_is_422(self, api: ApiClient, world: World) -> None:
        response = api.get("/orders", world.owner.key, created_to="9999-12-31T23:00:00-05:00")
        _refused(response, "created_to")
