"""Checkout through POST /api/v1/orders: the split, the money, stock and refusals."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.builders import ADDRESS, ApiClient, World, listing_id
from tests.orders.statements import checkout_statements, statement
from tradepost.catalog import services as catalog
from tradepost.catalog.models import Listing
from tradepost.core.actors import SYSTEM
from tradepost.core.models import OutboxEvent
from tradepost.orders.models import Order, OrderEvent

pytestmark = pytest.mark.django_db


def _checkout(api: ApiClient, world: World, lines: dict[str, int], **extra: object):
    body = {
        "lines": [
            {"listing_id": listing_id(world, sku), "quantity": q} for sku, q in lines.items()
        ],
        "shipping_address": ADDRESS,
        **extra,
    }
    return api.post("/orders", world.buyers["john"].key, body)


class TestCheckout:
    def test_splits_the_order_into_one_seller_order_per_seller(self, api: ApiClient, world: World):
        # when
        response = _checkout(
            api,
            world,
            {"MUG": 2, "BOWL": 1, "TEE": 1},
            shipping_amounts={"acme": 500, "bolt": 300},
            tax_amount=333,
        )
        # then
        assert response.status == 201, response
        order = response.json()
        assert order["number"].startswith("ORD-")
        assert [so["seller"]["slug"] for so in order["seller_orders"]] == ["acme", "bolt"]
        acme, bolt = order["seller_orders"]
        assert acme["subtotal_amount"] == 2 * 1250 + 3000
        assert bolt["subtotal_amount"] == 2000
        assert order["subtotal_amount"] == 7500
        assert order["shipping_amount"] == 800
        assert order["tax_amount"] == 333
        assert acme["tax_amount"] + bolt["tax_amount"] == 333
        assert order["total_amount"] == 7500 + 800 + 333
        assert acme["total_amount"] + bolt["total_amount"] == order["total_amount"]
        assert order["status"] == "awaiting_payment"
        assert order["payment_status"] == "pending"
        assert {so["status"] for so in order["seller_orders"]} == {"awaiting_payment"}

    def test_numbers_are_sequential(self, api: ApiClient, world: World):
        first = _checkout(api, world, {"MUG": 1}).json()["number"]
        second = _checkout(api, world, {"MUG": 1}).json()["number"]
        assert int(second.removeprefix("ORD-")) == int(first.removeprefix("ORD-")) + 1

    def test_reserves_stock(self, api: ApiClient, world: World):
        _checkout(api, world, {"MUG": 3})
        assert Listing.objects.get(sku="MUG").stock_quantity == 47

    def test_writes_a_timeline_event_and_an_outbox_event(self, api: ApiClient, world: World):
        number = _checkout(api, world, {"MUG": 1, "TEE": 1}).json()["number"]
        assert OrderEvent.objects.filter(order__number=number, kind="order.placed").count() == 1
        event = OutboxEvent.objects.get(type="order.created", order_number=number)
        assert event.data["order"]["number"] == number
        assert len(event.payload()["data"]["order"]["seller_orders"]) == 2

    def test_out_of_stock_refuses_the_whole_order_and_persists_nothing(
        self, api: ApiClient, world: World
    ):
        # given
        orders_before = Order.objects.count()
        # when: MUG can be reserved, RARE cannot
        response = _checkout(api, world, {"MUG": 2, "RARE": 2})
        # then
        assert response.status == 409
        problem = response.json()
        assert response.headers["Content-Type"] == "application/problem+json"
        assert problem["code"] == "out_of_stock"
        assert problem["sku"] == "RARE"
        assert problem["available"] == 1
        assert "RARE" in problem["detail"]
        assert Order.objects.count() == orders_before
        assert Listing.objects.get(sku="MUG").stock_quantity == 50
        assert not OutboxEvent.objects.exists()

    @pytest.mark.parametrize(
        ("body_change", "field"),
        [
            ({"lines": []}, "lines"),
            ({"lines": [{"listing_id": "not-a-uuid", "quantity": 1}]}, "lines[0].listing_id"),
            ({"shipping_address": {**ADDRESS, "country": "usa"}}, "shipping_address.country"),
            ({"tax_amount": -1}, "tax_amount"),
            ({"shipping_amounts": {"acme": -5}}, "shipping_amounts.acme"),
        ],
    )
    def test_bad_input_is_a_422_naming_the_field(
        self, api: ApiClient, world: World, body_change: dict[str, object], field: str
    ):
        body = {
            "lines": [{"listing_id": listing_id(world, "MUG"), "quantity": 1}],
            "shipping_address": ADDRESS,
            **body_change,
        }
        response = api.post("/orders", world.buyers["john"].key, body)
        assert response.status == 422, response
        assert field in [error["field"] for error in response.json()["errors"]]

    def test_unknown_listing_is_a_422_naming_the_line(self, api: ApiClient, world: World):
        body = {
            "lines": [{"listing_id": "00000000-0000-0000-0000-000000000000", "quantity": 1}],
            "shipping_address": ADDRESS,
        }
        response = api.post("/orders", world.buyers["john"].key, body)
        assert response.status == 422
        assert response.json()["errors"][0]["field"] == "lines[0].listing_id"

    def test_a_listing_off_sale_is_refused_like_a_missing_one(self, api: ApiClient, world: World):
        api.patch(f"/listings/{listing_id(world, 'MUG')}", world.owner.key, {"is_active": False})
        response = _checkout(api, world, {"TEE": 1, "MUG": 1})
        assert response.status == 422
        assert response.json()["errors"][0]["field"] == "lines[1].listing_id"
        assert Listing.objects.get(sku="TEE").stock_quantity == 50

    def test_listings_in_two_currencies_are_refused_and_take_no_stock(
        self, api: ApiClient, world: World
    ):
        euro = catalog.listing_create(
            actor=SYSTEM,
            seller_slug="bolt",
            sku="EURO",
            title="Priced in euros",
            unit_price_amount=900,
            stock_quantity=5,
            currency="EUR",
        )
        world.listings["EURO"] = euro
        response = _checkout(api, world, {"MUG": 1, "EURO": 1})
        assert response.status == 422
        assert response.json()["errors"][0]["field"] == "lines"
        assert Listing.objects.get(sku="MUG").stock_quantity == 50
        assert Listing.objects.get(sku="EURO").stock_quantity == 5

    def test_shipping_for_a_seller_not_in_the_order_is_refused(self, api: ApiClient, world: World):
        response = _checkout(api, world, {"MUG": 1}, shipping_amounts={"bolt": 100})
        assert response.status == 422
        assert response.json()["errors"][0]["field"] == "shipping_amounts.bolt"

    def test_sellers_cannot_place_orders(self, api: ApiClient, world: World):
        body = {
            "lines": [{"listing_id": listing_id(world, "MUG"), "quantity": 1}],
            "shipping_address": ADDRESS,
        }
        response = api.post("/orders", world.members["acme"].key, body)
        assert response.status == 403

    def test_owner_orders_for_a_named_buyer(self, api: ApiClient, world: World):
        body = {
            "lines": [{"listing_id": listing_id(world, "TEE"), "quantity": 1}],
            "shipping_address": ADDRESS,
            "buyer": {"name": "Phone Customer", "email": "phone@buyers.test"},
        }
        response = api.post("/orders", world.owner.key, body)
        assert response.status == 201, response
        assert response.json()["buyer"]["email"] == "phone@buyers.test"

    def test_without_a_key_is_401(self, api: ApiClient, world: World):
        assert api.post("/orders", None, {}).status == 401
        assert api.post("/orders", "tp_wrong", {}).status == 401


class TestIdempotency:
    def test_same_key_and_body_replays_the_first_response(self, api: ApiClient, world: World):
        body = {
            "lines": [{"listing_id": listing_id(world, "MUG"), "quantity": 1}],
            "shipping_address": ADDRESS,
        }
        key = world.buyers["john"].key
        first = api.post("/orders", key, body, idempotency_key="checkout-1")
        again = api.post("/orders", key, body, idempotency_key="checkout-1")
        assert first.status == again.status == 201
        assert again.json() == first.json()
        assert again.headers.get("Idempotent-Replayed") == "true"
        assert Order.objects.count() == 1
        assert Listing.objects.get(sku="MUG").stock_quantity == 49

    def test_same_key_with_another_body_is_422(self, api: ApiClient, world: World):
        key = world.buyers["john"].key
        body = {
            "lines": [{"listing_id": listing_id(world, "MUG"), "quantity": 1}],
            "shipping_address": ADDRESS,
        }
        api.post("/orders", key, body, idempotency_key="checkout-2")
        body["lines"][0]["quantity"] = 2  # type: ignore[index]
        response = api.post("/orders", key, body, idempotency_key="checkout-2")
        assert response.status == 422
        assert response.json()["errors"][0]["field"] == "Idempotency-Key"

    def test_keys_belong_to_the_caller(self, api: ApiClient, world: World):
        body = {
            "lines": [{"listing_id": listing_id(world, "MUG"), "quantity": 1}],
            "shipping_address": ADDRESS,
        }
        api.post("/orders", world.buyers["john"].key, body, idempotency_key="same")
        response = api.post("/orders", world.buyers["jane"].key, body, idempotency_key="same")
        assert response.status == 201
        assert Order.objects.count() == 2

    def test_a_failed_request_is_not_stored(self, api: ApiClient, world: World):
        key = world.buyers["john"].key
        body = {
            "lines": [{"listing_id": listing_id(world, "RARE"), "quantity": 5}],
            "shipping_address": ADDRESS,
        }
        assert api.post("/orders", key, body, idempotency_key="k").status == 409
        body["lines"][0]["quantity"] = 1  # type: ignore[index]
        assert api.post("/orders", key, body, idempotency_key="k").status == 201


class TestStatementsPerCheckout:
    """The list, and why it is pinned: tests.orders.statements."""

    def test_a_checkout_through_the_api_runs_a_fixed_set_of_statements(
        self, api: ApiClient, world: World
    ):
        # given: three lines from two sellers, with tax and shipping, as a storefront sends them
        body = {
            "lines": [
                {"listing_id": listing_id(world, sku), "quantity": quantity}
                for sku, quantity in (("MUG", 1), ("BOWL", 2), ("TEE", 1))
            ],
            "shipping_address": ADDRESS,
            "shipping_amounts": {"acme": 500, "bolt": 300},
            "tax_amount": 350,
        }
        key = world.buyers["john"].key
        api.post("/orders", key, body, idempotency_key="first")  # counters and caches exist
        # when
        with CaptureQueriesContext(connection) as captured:
            response = api.post("/orders", key, body, idempotency_key="second")
        # then
        assert response.status == 201, response
        expected = checkout_statements(connection.vendor)
        assert [statement(query["sql"]) for query in captured.captured_queries] == expected
