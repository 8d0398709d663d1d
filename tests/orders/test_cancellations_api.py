"""Cancellations: the buyer's before processing, and the seller's single lines (out of stock)
with an alternative offered; the money, the stock and the seller's cancellation rate."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests import clock
from tests.builders import ApiClient, World, pay, place_order
from tests.payments.flows import reference_of
from tradepost.catalog.models import Listing
from tradepost.core.models import OutboxEvent
from tradepost.orders import services
from tradepost.orders.models import OrderEvent, OrderLine, SellerOrder
from tradepost.orders.seller_rates import Period, seller_cancellation_rate
from tradepost.payments.models import Refund

pytestmark = pytest.mark.django_db


def _stock(sku: str) -> int:
    return Listing.objects.get(sku=sku).stock_quantity


class TestBuyerCancelsBeforeProcessing:
    def test_a_paid_order_is_refunded_in_full_at_once_and_its_stock_released(
        self, api: ApiClient, world: World
    ):
        # given
        bundle = pay(world, place_order(world, {"MUG": 3}, shipping={"acme": 400}))
        assert _stock("MUG") == 47
        # when
        response = api.post(
            f"/seller-orders/{reference_of(bundle)}/cancel", world.buyers["john"].key, {}
        )
        # then
        assert response.status == 200, response
        body = response.json()
        assert (body["status"], body["payment_status"]) == ("canceled", "refunded")
        assert body["refunded_amount"] == body["captured_amount"] == 3 * 1250 + 400
        assert _stock("MUG") == 50
        assert Refund.objects.get().reason == "canceled"
        seller_order = SellerOrder.objects.get()
        assert seller_order.canceled_by_role == "buyer"

    def test_once_processing_the_buyer_may_no_longer_cancel(self, api: ApiClient, world: World):
        bundle = pay(world, place_order(world, {"MUG": 1}))
        reference = reference_of(bundle)
        services.seller_order_acknowledge(actor=world.members["acme"].actor, reference=reference)
        response = api.post(f"/seller-orders/{reference}/cancel", world.buyers["john"].key, {})
        assert response.status == 403


class TestSellerCancelsAnOutOfStockLine:
    def test_the_buyer_is_refunded_for_the_line_and_offered_an_alternative(
        self, api: ApiClient, world: World
    ):
        # given: 2 bowls and a mug, 6.00 shipping; the bowls turn out to be out of stock
        bundle = pay(world, place_order(world, {"BOWL": 2, "MUG": 1}, shipping={"acme": 600}))
        reference = reference_of(bundle)
        bowls_left = _stock("BOWL")
        alternative = world.listings["RARE"]
        # when
        response = api.post(
            f"/seller-orders/{reference}/cancel-lines",
            world.members["acme"].key,
            {
                "lines": [{"sku": "BOWL", "quantity": 2}],
                "reason": "out_of_stock",
                "alternative_listing_id": str(alternative.public_id),
            },
        )
        # then: 60.00 of items and 600 x 6000 // 7250 = 496 of shipping come back
        assert response.status == 200, response
        body = response.json()
        cancellation = body["cancellation"]
        assert cancellation["lines"] == [{"sku": "BOWL", "quantity": 2}]
        assert cancellation["refunded_amount"] == 6000 + 496
        assert cancellation["alternative"]["sku"] == "RARE"
        part = body["order"]["seller_orders"][0]
        assert part["status"] == "pending"
        bowl = next(line for line in part["lines"] if line["sku"] == "BOWL")
        assert (bowl["quantity_canceled"], bowl["quantity_refunded"]) == (2, 2)
        assert body["order"]["payment_status"] == "partially_refunded"
        # the bowls are not put back on sale: the seller has none
        assert _stock("BOWL") == bowls_left
        event = OrderEvent.objects.get(kind="lines.canceled")
        assert "offered instead: Rare item (RARE" in event.message
        assert OutboxEvent.objects.filter(type="order.lines_canceled").count() == 1
        # and the offer is a message in the seller order's thread
        thread = api.get(f"/seller-orders/{reference}/messages", world.buyers["john"].key)
        assert thread.status == 200, thread
        assert any("Rare item" in message["body"] for message in thread.json()["items"])
        # the mug still ships; nothing more to ship of the bowls
        services.seller_order_acknowledge(actor=world.members["acme"].actor, reference=reference)
        services.shipment_create(
            actor=world.members["acme"].actor,
            reference=reference,
            parcel=services.Parcel("UPS", "1Z"),
        )
        assert SellerOrder.objects.get(reference=reference).status == "shipped"

    def test_canceling_every_line_cancels_the_seller_order_and_refunds_it_all(
        self, api: ApiClient, world: World
    ):
        bundle = pay(
            world, place_order(world, {"BOWL": 1, "MUG": 1}, shipping={"acme": 600}, tax=77)
        )
        reference = reference_of(bundle)
        path = f"/seller-orders/{reference}/cancel-lines"
        first = api.post(
            path, world.members["acme"].key, {"lines": [{"sku": "BOWL", "quantity": 1}]}
        )
        assert first.status == 200, first
        last = api.post(
            path,
            world.members["acme"].key,
            {
                "lines": [{"sku": "MUG", "quantity": 1}],
                "reason": "other",
                "note": "Glaze flaw; not fit to sell.",
            },
        )
        assert last.status == 200, last
        seller_order = SellerOrder.objects.get(reference=reference)
        assert (seller_order.status, seller_order.refunded_amount) == (
            "canceled",
            seller_order.total_amount,
        )
        assert seller_order.canceled_by_role == "seller"
        assert seller_order.commission_reversed_amount == seller_order.commission_amount
        # the mug exists (reason other), so it is back on sale; the bowl (out of stock) is not
        assert _stock("MUG") == 50
        assert _stock("BOWL") == 49
        assert OutboxEvent.objects.filter(type="order.canceled").count() == 1

    def test_a_partly_shipped_order_with_the_rest_canceled_is_shipped(
        self, api: ApiClient, world: World
    ):
        bundle = pay(world, place_order(world, {"BOWL": 1, "MUG": 2}))
        reference = reference_of(bundle)
        seller = world.members["acme"].actor
        services.seller_order_acknowledge(actor=seller, reference=reference)
        services.shipment_create(
            actor=seller,
            reference=reference,
            parcel=services.Parcel("UPS", "1Z", lines=[services.ParcelLine("MUG", 2)]),
        )
        response = api.post(
            f"/seller-orders/{reference}/cancel-lines",
            world.members["acme"].key,
            {"lines": [{"sku": "BOWL", "quantity": 1}]},
        )
        assert response.status == 200, response
        assert SellerOrder.objects.get(reference=reference).status == "shipped"

    def test_units_already_shipped_cannot_be_canceled(self, api: ApiClient, world: World):
        bundle = pay(world, place_order(world, {"MUG": 2}))
        reference = reference_of(bundle)
        seller = world.members["acme"].actor
        services.seller_order_acknowledge(actor=seller, reference=reference)
        services.shipment_create(
            actor=seller,
            reference=reference,
            parcel=services.Parcel("UPS", "1Z", lines=[services.ParcelLine("MUG", 1)]),
        )
        response = api.post(
            f"/seller-orders/{reference}/cancel-lines",
            world.members["acme"].key,
            {"lines": [{"sku": "MUG", "quantity": 2}]},
        )
        assert response.status == 422
        assert response.json()["errors"][0] == {
            "field": "lines[0].quantity",
            "message": "only 1 of MUG can be canceled",
        }
        assert OrderLine.objects.get().quantity_canceled == 0

    def test_the_alternative_must_be_the_sellers_own_and_on_sale(
        self, api: ApiClient, world: World
    ):
        bundle = pay(world, place_order(world, {"MUG": 1}))
        response = api.post(
            f"/seller-orders/{reference_of(bundle)}/cancel-lines",
            world.members["acme"].key,
            {
                "lines": [{"sku": "MUG", "quantity": 1}],
                "alternative_listing_id": str(world.listings["TEE"].public_id),
            },
        )
        assert response.status == 422
        assert response.json()["errors"][0]["field"] == "alternative_listing_id"

    def test_buyers_do_not_cancel_lines(self, api: ApiClient, world: World):
        bundle = pay(world, place_order(world, {"MUG": 2}))
        response = api.post(
            f"/seller-orders/{reference_of(bundle)}/cancel-lines",
            world.buyers["john"].key,
            {"lines": [{"sku": "MUG", "quantity": 1}]},
        )
        assert response.status == 403


class TestCancellationRate:
    def test_counts_the_sellers_cancellations_whole_and_by_line_only(self, world: World):
        # given: four paid acme orders: one canceled whole by acme, one with a line canceled,
        # one canceled by the buyer, one untouched
        seller = world.members["acme"].actor
        bundles = [pay(world, place_order(world, {"MUG": 2})) for _ in range(4)]
        references = [reference_of(bundle) for bundle in bundles]
        services.seller_order_cancel(actor=seller, reference=references[0], reason="No stock")
        from tradepost.orders.cancellations import seller_order_lines_cancel
        from tradepost.payments.refund_lines import LineQuantity

        seller_order_lines_cancel(
            actor=seller, reference=references[1], lines=[LineQuantity("MUG", 1)]
        )
        services.seller_order_cancel(
            actor=world.buyers["john"].actor, reference=references[2], reason=""
        )
        period = Period(clock.now() - timedelta(days=1), clock.now() + timedelta(days=1))
        # when
        rate = seller_cancellation_rate(
            actor=world.owner.actor, seller=world.sellers["acme"], period=period
        )
        # then
        assert (rate.seller_orders, rate.canceled, rate.rate_bps) == (4, 2, 5000)
        own = seller_cancellation_rate(actor=seller, seller=world.sellers["acme"], period=period)
        assert own == rate
        bolt = seller_cancellation_rate(
            actor=world.owner.actor, seller=world.sellers["bolt"], period=period
        )
        assert (bolt.seller_orders, bolt.rate_bps) == (0, 0)

    def test_is_nobody_elses_business(self, world: World):
        from tradepost.core.errors import NotFound

        period = Period(clock.now() - timedelta(days=1), clock.now())
        for actor in (world.members["bolt"].actor, world.buyers["john"].actor):
            with pytest.raises(NotFound):
                seller_cancellation_rate(actor=actor, seller=world.sellers["acme"], period=period)
