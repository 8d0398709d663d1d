"""Refunds through the API: the owner by amount or by lines, with proof, within the policy or past
it with a note; every figure where the seeds and DESIGN.md put it."""

from __future__ import annotations

import pytest

from tests.builders import ApiClient, World, pay, place_order
from tests.messaging.flows import download
from tests.payments.flows import days_later, delivered_order, photo_ids, reference_of
from tradepost.catalog.models import Listing
from tradepost.core.models import OutboxEvent
from tradepost.orders.models import OrderEvent, OrderLine, SellerOrder
from tradepost.payments.models import Refund

pytestmark = pytest.mark.django_db


class TestDamagedItemRefundedWithProof:
    def test_the_owner_refunds_the_damaged_unit_with_the_buyers_photo(
        self, api: ApiClient, world: World
    ):
        # given: two mugs delivered; one arrived broken, the owner has the photo
        bundle = delivered_order(world, {"MUG": 2})
        reference = reference_of(bundle)
        proof = photo_ids(api, world.owner)
        # when
        response = api.post(
            f"/seller-orders/{reference}/refunds",
            world.owner.key,
            {
                "reason": "damaged",
                "lines": [{"sku": "MUG", "quantity": 1}],
                "note": "Handle snapped off in transit.",
                "attachment_ids": proof,
            },
        )
        # then
        assert response.status == 201, response
        refund = response.json()
        assert (refund["amount"], refund["reason"], refund["seller_order"]) == (
            1250,
            "damaged",
            reference,
        )
        assert refund["lines"] == [
            {
                "sku": "MUG",
                "title": "Mug item",
                "quantity": 1,
                "amount": 1250,
                "quantity_restocked": 0,
            }
        ]
        assert [p["id"] for p in refund["proofs"]] == proof
        order = api.get(f"/orders/{bundle.order.number}", world.buyers["john"].key).json()
        assert (order["payment_status"], order["refunded_amount"]) == ("partially_refunded", 1250)
        part = order["seller_orders"][0]
        assert part["status"] == "delivered"  # a partial refund changes no fulfilment status
        assert part["lines"][0]["quantity_refunded"] == 1
        assert OutboxEvent.objects.filter(type="refund.created").count() == 1
        issued = OrderEvent.objects.get(kind="refund.issued")
        assert issued.details["lines"] == [{"sku": "MUG", "quantity": 1, "amount": 1250}]
        assert issued.details["proofs"] == 1

    def test_the_buyer_and_the_seller_see_the_proof_and_nobody_else_does(
        self, api: ApiClient, world: World
    ):
        bundle = delivered_order(world, {"MUG": 1})
        (proof,) = photo_ids(api, world.owner)
        api.post(
            f"/seller-orders/{reference_of(bundle)}/refunds",
            world.owner.key,
            {"reason": "damaged", "attachment_ids": [proof], "full": True},
        )
        assert download(api, world.buyers["john"], proof).status_code == 200
        assert download(api, world.members["acme"], proof).status_code == 200
        assert download(api, world.members["bolt"], proof).status_code == 404
        assert download(api, world.buyers["jane"], proof).status_code == 404


class TestPartialRefundOfOneLine:
    def test_one_unit_takes_its_share_of_shipping_and_tax_and_the_rest_adds_up(
        self, api: ApiClient, world: World
    ):
        # given: 2 mugs and a bowl (55.00), 5.00 shipping, 0.99 tax: 60.99; commission 10 %
        bundle = delivered_order(world, {"MUG": 2, "BOWL": 1}, shipping={"acme": 500}, tax=99)
        reference = reference_of(bundle)
        stock = Listing.objects.get(sku="MUG").stock_quantity
        # when: one mug comes back, restocked
        first = api.post(
            f"/seller-orders/{reference}/refunds",
            world.owner.key,
            {
                "reason": "not_as_described",
                "lines": [{"sku": "MUG", "quantity": 1}],
                "restock": True,
            },
        )
        # then: 12.50 of items, 500 x 1250 // 5500 = 113 of shipping, 99 x 1250 // 5500 = 22 of tax
        assert first.status == 201, first
        body = first.json()
        assert (body["amount"], body["shipping_share_amount"], body["tax_share_amount"]) == (
            1385,
            113,
            22,
        )
        assert body["commission_reversed_amount"] == 600 * 1385 // 6099
        assert Listing.objects.get(sku="MUG").stock_quantity == stock + 1
        # when: the rest comes back by lines
        rest = api.post(
            f"/seller-orders/{reference}/refunds",
            world.owner.key,
            {
                "reason": "not_as_described",
                "lines": [{"sku": "MUG", "quantity": 1}, {"sku": "BOWL", "quantity": 1}],
            },
        )
        # then: exactly the rest of the total, all of the commission, and the seller order is
        # refunded
        assert rest.status == 201, rest
        assert rest.json()["amount"] == 6099 - 1385
        seller_order = SellerOrder.objects.get(reference=reference)
        assert (seller_order.status, seller_order.refunded_amount) == ("refunded", 6099)
        assert seller_order.commission_reversed_amount == seller_order.commission_amount == 600
        assert OutboxEvent.objects.filter(type="order.refunded").count() == 1
        order = api.get(f"/orders/{bundle.order.number}", world.owner.key).json()
        assert (order["status"], order["payment_status"]) == ("refunded", "refunded")

    def test_a_line_refund_after_an_amount_refund_is_capped_at_what_is_left(
        self, api: ApiClient, world: World
    ):
        bundle = delivered_order(world, {"MUG": 1})
        reference = reference_of(bundle)
        api.post(
            f"/seller-orders/{reference}/refunds",
            world.owner.key,
            {"reason": "other", "amount": 250, "note": "Late, sorry."},
        )
        response = api.post(
            f"/seller-orders/{reference}/refunds",
            world.owner.key,
            {"reason": "damaged", "lines": [{"sku": "MUG", "quantity": 1}]},
        )
        assert response.status == 201, response
        assert response.json()["amount"] == 1000
        assert SellerOrder.objects.get(reference=reference).status == "refunded"

    def test_more_units_than_were_bought_are_refused_naming_the_line(
        self, api: ApiClient, world: World
    ):
        bundle = delivered_order(world, {"MUG": 1})
        response = api.post(
            f"/seller-orders/{reference_of(bundle)}/refunds",
            world.owner.key,
            {"reason": "damaged", "lines": [{"sku": "MUG", "quantity": 2}]},
        )
        assert response.status == 422, response
        assert response.json()["errors"][0]["field"] == "lines[0].quantity"
        assert not Refund.objects.exists()


class TestRefundRules:
    def test_an_amount_past_what_is_left_is_refused(self, api: ApiClient, world: World):
        bundle = delivered_order(world, {"MUG": 1})
        response = api.post(
            f"/seller-orders/{reference_of(bundle)}/refunds",
            world.owner.key,
            {"reason": "other", "amount": 1251},
        )
        assert response.status == 422
        assert response.json()["errors"][0]["field"] == "amount"

    def test_before_shipment_the_seller_order_is_canceled_not_refunded(
        self, api: ApiClient, world: World
    ):
        bundle = pay(world, place_order(world, {"MUG": 1}))
        response = api.post(
            f"/seller-orders/{reference_of(bundle)}/refunds",
            world.owner.key,
            {"reason": "other", "amount": 100},
        )
        assert response.status == 409
        assert "cancel" in response.json()["detail"]

    def test_only_the_owner_refunds_directly(self, api: ApiClient, world: World):
        bundle = delivered_order(world, {"MUG": 1})
        for party in (world.members["acme"], world.buyers["john"]):
            response = api.post(
                f"/seller-orders/{reference_of(bundle)}/refunds",
                party.key,
                {"reason": "damaged", "full": True},
            )
            assert response.status == 403, response
        assert not Refund.objects.exists()

    def test_a_repeated_idempotency_key_makes_one_refund(self, api: ApiClient, world: World):
        bundle = delivered_order(world, {"MUG": 2})
        body = {"reason": "damaged", "amount": 500}
        path = f"/seller-orders/{reference_of(bundle)}/refunds"
        first = api.post(path, world.owner.key, body, idempotency_key="refund-once")
        again = api.post(path, world.owner.key, body, idempotency_key="refund-once")
        assert first.status == again.status == 201
        assert first.json()["id"] == again.json()["id"]
        assert Refund.objects.count() == 1

    def test_the_service_itself_returns_the_refund_its_key_made(self, world: World):
        from tradepost.payments.refunds import refund_create

        bundle = delivered_order(world, {"MUG": 2})
        reference = reference_of(bundle)
        kwargs = {
            "actor": world.owner.actor,
            "reference": reference,
            "reason": "damaged",
            "amount": 500,
            "idempotency_key": "client-retry-7",
        }
        first, second = refund_create(**kwargs), refund_create(**kwargs)
        assert first.pk == second.pk
        assert SellerOrder.objects.get(reference=reference).refunded_amount == 500
        assert first.provider_reference.startswith("manual-refund-")

    def test_lists_show_each_party_its_own_refunds(self, api: ApiClient, world: World):
        acme = delivered_order(world, {"MUG": 1})
        bolt = delivered_order(world, {"TEE": 1})
        for bundle, seller in ((acme, "acme"), (bolt, "bolt")):
            api.post(
                f"/seller-orders/{reference_of(bundle, seller)}/refunds",
                world.owner.key,
                {"reason": "damaged", "amount": 100},
            )

        def seller_orders(key: str) -> set[str]:
            return {item["seller_order"] for item in api.get("/refunds", key).json()["items"]}

        assert seller_orders(world.owner.key) == {reference_of(acme), reference_of(bolt, "bolt")}
        assert seller_orders(world.members["acme"].key) == {reference_of(acme)}
        assert seller_orders(world.buyers["jane"].key) == set()
        mine = api.get("/refunds", world.buyers["john"].key).json()["items"]
        assert all(
            "commission_reversed_amount" not in item or item["commission_reversed_amount"] is None
            for item in mine
        )


class TestPolicyWindowAndOverride:
    def test_the_owner_refunds_past_the_window_only_with_a_note(self, api: ApiClient, world: World):
        # given: delivered 40 days ago; the window is 30 days
        bundle = delivered_order(world, {"MUG": 1}, days_ago=40)
        path = f"/seller-orders/{reference_of(bundle)}/refunds"
        # when / then: no note, refused naming the field to fill in
        refused = api.post(path, world.owner.key, {"reason": "damaged", "full": True})
        assert refused.status == 422, refused
        assert refused.json()["code"] == "refund_policy"
        assert refused.json()["errors"][0]["field"] == "policy_override_note"
        # when / then: with the note, refunded, and the override is on the timeline
        done = api.post(
            path,
            world.owner.key,
            {"reason": "damaged", "full": True, "policy_override_note": "Long-time buyer."},
        )
        assert done.status == 201, done
        assert done.json()["policy_override_note"] == "Long-time buyer."
        event = OrderEvent.objects.get(kind="refund_policy.overridden")
        assert event.details == {"note": "Long-time buyer.", "policy_rules": ["refund_window_days"]}

    def test_the_order_shows_the_policy_and_the_deadline(self, api: ApiClient, world: World):
        bundle = delivered_order(world, {"MUG": 1})
        body = api.get(f"/orders/{bundle.order.number}", world.buyers["john"].key).json()
        policy = body["refund_policy"]
        assert policy["window_days"] == 30
        assert policy["proof_required_for"] == ["damaged", "not_as_described", "wrong_item"]
        (part,) = policy["seller_orders"]
        assert part["requests_open"] is True
        assert part["deadline"].startswith(days_later(30).date().isoformat())

    def test_the_owner_changes_the_policy_in_the_marketplace_settings(
        self, api: ApiClient, world: World
    ):
        response = api.patch(
            "/marketplace",
            world.owner.key,
            {
                "refund_window_days": 14,
                "refund_reasons_accepted": ["damaged"],
                "refund_proof_required": False,
            },
        )
        assert response.status == 200, response
        assert (
            response.json()["refund_window_days"],
            response.json()["refund_reasons_accepted"],
        ) == (14, ["damaged"])
        wrong = api.patch(
            "/marketplace", world.owner.key, {"refund_reasons_accepted": ["canceled"]}
        )
        assert wrong.status == 422
        assert wrong.json()["errors"][0]["field"].startswith("refund_reasons_accepted")


class TestStockAndLines:
    def test_a_refund_without_restock_leaves_the_stock_alone(self, api: ApiClient, world: World):
        bundle = delivered_order(world, {"BOWL": 2})
        stock = Listing.objects.get(sku="BOWL").stock_quantity
        api.post(
            f"/seller-orders/{reference_of(bundle)}/refunds",
            world.owner.key,
            {"reason": "lost_in_transit", "lines": [{"sku": "BOWL", "quantity": 2}]},
        )
        assert Listing.objects.get(sku="BOWL").stock_quantity == stock
        line = OrderLine.objects.get(sku="BOWL")
        assert (line.quantity_refunded, line.quantity_restocked) == (2, 0)
