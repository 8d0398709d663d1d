"""Seller-order actions through the API: acknowledge, ship in parcels, deliver, complete, cancel."""

from __future__ import annotations

import pytest

from tests.builders import ApiClient, World, pay, place_order
from tradepost.catalog.models import Listing
from tradepost.core.models import OutboxEvent
from tradepost.orders.models import Order, OrderEvent, SellerOrder

pytestmark = pytest.mark.django_db


def _paid_order(world: World, lines: dict[str, int] | None = None) -> tuple[str, str, str]:
    bundle = pay(world, place_order(world, lines or {"MUG": 2, "BOWL": 1, "TEE": 1}))
    acme, bolt = (part.seller_order.reference for part in bundle.seller_orders)
    return bundle.order.number, acme, bolt


def _status(reference: str) -> str:
    return SellerOrder.objects.get(reference=reference).status


class TestAcknowledge:
    def test_seller_acknowledges_its_pending_seller_order(self, api: ApiClient, world: World):
        number, acme, _ = _paid_order(world)
        response = api.post(f"/seller-orders/{acme}/acknowledge", world.members["acme"].key)
        assert response.status == 200, response
        assert _status(acme) == "processing"
        assert response.json()["seller_orders"][0]["acknowledged_at"] is not None
        event = OrderEvent.objects.filter(seller_order__reference=acme).latest("id")
        assert (event.from_status, event.to_status, event.actor_role) == (
            "pending",
            "processing",
            "seller",
        )
        assert OutboxEvent.objects.filter(type="order.processing", order_number=number).exists()

    def test_the_order_shows_its_least_advanced_seller_order(self, api: ApiClient, world: World):
        number, acme, bolt = _paid_order(world)
        api.post(f"/seller-orders/{acme}/acknowledge", world.members["acme"].key)
        assert Order.objects.get(number=number).status == "pending"
        api.post(f"/seller-orders/{bolt}/acknowledge", world.members["bolt"].key)
        assert Order.objects.get(number=number).status == "processing"

    def test_an_unpaid_order_cannot_be_acknowledged(self, api: ApiClient, world: World):
        bundle = place_order(world, {"MUG": 1})
        reference = bundle.seller_orders[0].seller_order.reference
        response = api.post(f"/seller-orders/{reference}/acknowledge", world.members["acme"].key)
        assert response.status == 409
        problem = response.json()
        assert problem["code"] == "invalid_transition"
        assert problem["current_status"] == "awaiting_payment"
        assert problem["allowed_next_statuses"] == []
        assert _status(reference) == "awaiting_payment"

    def test_acknowledging_twice_is_refused(self, api: ApiClient, world: World):
        _, acme, _ = _paid_order(world)
        api.post(f"/seller-orders/{acme}/acknowledge", world.members["acme"].key)
        again = api.post(f"/seller-orders/{acme}/acknowledge", world.members["acme"].key)
        assert again.status == 409
        assert again.json()["current_status"] == "processing"
        assert again.json()["allowed_next_statuses"] == ["canceled", "shipped"]

    def test_a_buyer_may_not_acknowledge(self, api: ApiClient, world: World):
        _, acme, _ = _paid_order(world)
        response = api.post(f"/seller-orders/{acme}/acknowledge", world.buyers["john"].key)
        assert response.status == 403
        assert _status(acme) == "pending"


class TestShip:
    def test_ships_in_several_parcels_and_is_shipped_after_the_last(
        self, api: ApiClient, world: World
    ):
        # given
        number, acme, _ = _paid_order(world)
        key = world.members["acme"].key
        api.post(f"/seller-orders/{acme}/acknowledge", key)
        # when: one mug first
        first = api.post(
            f"/seller-orders/{acme}/ship",
            key,
            {"carrier": "UPS", "tracking_number": "1Z1", "lines": [{"sku": "MUG", "quantity": 1}]},
        )
        # then: partially shipped
        assert first.status == 200, first
        part = first.json()["seller_orders"][0]
        assert part["status"] == "processing"
        assert part["partially_shipped"] is True
        assert {line["sku"]: line["quantity_shipped"] for line in part["lines"]} == {
            "BOWL": 0,
            "MUG": 1,
        }
        # when: the rest, by default everything not yet shipped
        last = api.post(
            f"/seller-orders/{acme}/ship",
            key,
            {"carrier": "DHL", "tracking_number": "JD2", "tracking_url": "https://dhl.example/JD2"},
        )
        # then
        part = last.json()["seller_orders"][0]
        assert part["status"] == "shipped"
        assert part["partially_shipped"] is False
        assert [s["tracking_number"] for s in part["shipments"]] == ["1Z1", "JD2"]
        assert part["shipments"][1]["lines"] == [
            {"sku": "MUG", "quantity": 1},
            {"sku": "BOWL", "quantity": 1},
        ] or part["shipments"][1]["lines"] == [
            {"sku": "BOWL", "quantity": 1},
            {"sku": "MUG", "quantity": 1},
        ]
        kinds = list(
            OrderEvent.objects.filter(order__number=number, seller_order__reference=acme)
            .order_by("id")
            .values_list("kind", flat=True)
        )
        assert kinds[-3:] == ["shipment.created", "shipment.created", "seller_order.status_changed"]
        assert OutboxEvent.objects.filter(type="order.shipped", order_number=number).count() == 1

    @pytest.mark.parametrize(
        ("line", "field"),
        [
            ({"sku": "MUG", "quantity": 3}, "lines[0].quantity"),
            ({"sku": "TEE", "quantity": 1}, "lines[0].sku"),
        ],
    )
    def test_a_parcel_line_that_does_not_fit_is_a_422_naming_it(
        self, api: ApiClient, world: World, line: dict[str, object], field: str
    ):
        _, acme, _ = _paid_order(world)
        key = world.members["acme"].key
        api.post(f"/seller-orders/{acme}/acknowledge", key)
        parcel = {"carrier": "UPS", "tracking_number": "1Z", "lines": [line]}
        response = api.post(f"/seller-orders/{acme}/ship", key, parcel)
        assert response.status == 422
        assert response.json()["errors"][0]["field"] == field
        assert SellerOrder.objects.get(reference=acme).shipments.count() == 0

    def test_tracking_is_required_unless_the_marketplace_allows_untracked(
        self, api: ApiClient, world: World
    ):
        _, acme, _ = _paid_order(world)
        key = world.members["acme"].key
        api.post(f"/seller-orders/{acme}/acknowledge", key)
        refused = api.post(f"/seller-orders/{acme}/ship", key, {"carrier": "Courier"})
        assert refused.status == 422
        assert refused.json()["errors"][0]["field"] == "tracking_number"
        api.patch("/marketplace", world.owner.key, {"tracking_required": False})
        assert api.post(f"/seller-orders/{acme}/ship", key, {"carrier": "Courier"}).status == 200


class TestDeliverAndComplete:
    def _shipped(self, api: ApiClient, world: World) -> str:
        _, acme, _ = _paid_order(world)
        key = world.members["acme"].key
        api.post(f"/seller-orders/{acme}/acknowledge", key)
        api.post(f"/seller-orders/{acme}/ship", key, {"carrier": "UPS", "tracking_number": "1Z"})
        return acme

    def test_seller_marks_delivered_and_buyer_confirms(self, api: ApiClient, world: World):
        acme = self._shipped(api, world)
        assert api.post(f"/seller-orders/{acme}/deliver", world.members["acme"].key).status == 200
        response = api.post(f"/seller-orders/{acme}/confirm-delivery", world.buyers["john"].key)
        assert response.status == 200
        assert _status(acme) == "completed"
        assert OutboxEvent.objects.filter(type="order.completed").count() == 1

    def test_buyer_may_confirm_straight_from_shipped(self, api: ApiClient, world: World):
        acme = self._shipped(api, world)
        assert api.post(f"/seller-orders/{acme}/complete", world.buyers["john"].key).status == 200

    def test_seller_may_not_complete_for_the_buyer(self, api: ApiClient, world: World):
        acme = self._shipped(api, world)
        assert api.post(f"/seller-orders/{acme}/complete", world.members["acme"].key).status == 403


class TestCancel:
    def test_buyer_cancels_unpaid_order_and_stock_comes_back(self, api: ApiClient, world: World):
        bundle = place_order(world, {"MUG": 5})
        reference = bundle.seller_orders[0].seller_order.reference
        response = api.post(f"/seller-orders/{reference}/cancel", world.buyers["john"].key, {})
        assert response.status == 200
        assert response.json()["status"] == "canceled"
        assert Listing.objects.get(sku="MUG").stock_quantity == 50
        assert OutboxEvent.objects.filter(type="order.canceled").count() == 1

    def test_seller_cancel_of_a_paid_order_refunds_in_full(self, api: ApiClient, world: World):
        # given
        number, acme, _ = _paid_order(world)
        acme_total = SellerOrder.objects.get(reference=acme).total_amount
        # when
        response = api.post(
            f"/seller-orders/{acme}/cancel", world.members["acme"].key, {"reason": "Out of stock"}
        )
        # then
        assert response.status == 200, response
        order = Order.objects.get(number=number)
        assert order.refunded_amount == acme_total
        assert order.payment_status == "partially_refunded"
        seller_order = SellerOrder.objects.get(reference=acme)
        assert seller_order.cancel_reason == "Out of stock"
        assert seller_order.commission_reversed_amount == seller_order.commission_amount
        assert Listing.objects.get(sku="MUG").stock_quantity == 50
        assert OutboxEvent.objects.filter(type="refund.created", order_number=number).exists()

    def test_a_seller_must_give_a_reason(self, api: ApiClient, world: World):
        _, acme, _ = _paid_order(world)
        response = api.post(f"/seller-orders/{acme}/cancel", world.members["acme"].key, {})
        assert response.status == 422
        assert response.json()["errors"][0]["field"] == "reason"
        assert _status(acme) == "pending"

    def test_buyer_cannot_cancel_once_processing(self, api: ApiClient, world: World):
        _, acme, _ = _paid_order(world)
        api.post(f"/seller-orders/{acme}/acknowledge", world.members["acme"].key)
        response = api.post(f"/seller-orders/{acme}/cancel", world.buyers["john"].key, {})
        assert response.status == 403
        assert _status(acme) == "processing"

    def test_cannot_cancel_after_a_parcel_left(self, api: ApiClient, world: World):
        _, acme, _ = _paid_order(world)
        key = world.members["acme"].key
        api.post(f"/seller-orders/{acme}/acknowledge", key)
        api.post(
            f"/seller-orders/{acme}/ship",
            key,
            {"carrier": "UPS", "tracking_number": "1Z", "lines": [{"sku": "MUG", "quantity": 1}]},
        )
        response = api.post(f"/seller-orders/{acme}/cancel", key, {"reason": "changed mind"})
        assert response.status == 409
        assert Listing.objects.get(sku="MUG").stock_quantity == 48

    def test_canceling_every_seller_order_cancels_the_order(self, api: ApiClient, world: World):
        number, acme, bolt = _paid_order(world)
        api.post(f"/seller-orders/{acme}/cancel", world.owner.key, {"reason": "fraud check"})
        api.post(f"/seller-orders/{bolt}/cancel", world.owner.key, {"reason": "fraud check"})
        order = Order.objects.get(number=number)
        assert order.status == "canceled"
        assert order.payment_status == "refunded"
        assert order.refunded_amount == order.captured_amount


class TestRefund:
    def test_owner_refunds_a_delivered_seller_order(self, api: ApiClient, world: World):
        number, acme, _ = _paid_order(world)
        key = world.members["acme"].key
        api.post(f"/seller-orders/{acme}/acknowledge", key)
        api.post(f"/seller-orders/{acme}/ship", key, {"carrier": "UPS", "tracking_number": "1Z"})
        api.post(f"/seller-orders/{acme}/deliver", key)
        response = api.post(
            f"/seller-orders/{acme}/refund", world.owner.key, {"reason": "damaged", "note": "photo"}
        )
        assert response.status == 200, response
        assert _status(acme) == "refunded"
        assert Order.objects.get(number=number).payment_status == "partially_refunded"

    def test_sellers_cannot_refund(self, api: ApiClient, world: World):
        _, acme, _ = _paid_order(world)
        key = world.members["acme"].key
        api.post(f"/seller-orders/{acme}/acknowledge", key)
        api.post(f"/seller-orders/{acme}/ship", key, {"carrier": "UPS", "tracking_number": "1Z"})
        assert api.post(f"/seller-orders/{acme}/refund", key, {"reason": "damaged"}).status == 403
