"""The order page's after-sale panel: the policy for buyers, partial refunds for the owner, refund
requests with photos, approve / decline, and the seller's line cancellation."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.builders import World, pay, place_order
from tests.dashboard.pages import signed_in
from tests.messaging import files
from tests.payments.flows import delivered_order, reference_of
from tradepost.orders.models import LineCancellation, SellerOrder
from tradepost.payments.models import Refund, RefundRequest

pytestmark = pytest.mark.django_db


def _page(number: str) -> str:
    return f"/dashboard/orders/{number}/"


class TestTheBuyersPage:
    def test_shows_the_policy_the_deadline_and_the_request_form(self, world: World):
        bundle = delivered_order(world, {"MUG": 1})
        html = signed_in(world.buyers["john"]).get(_page(bundle.order.number)).content.decode()
        assert "Refund policy" in html
        assert "Refunds may be requested up to 30 days after delivery" in html
        assert "Refunds may be requested until" in html
        assert "Request a refund" in html

    def test_after_the_window_there_is_no_request_form(self, world: World):
        bundle = delivered_order(world, {"MUG": 1}, days_ago=31)
        html = signed_in(world.buyers["john"]).get(_page(bundle.order.number)).content.decode()
        assert "The refund window closed on" in html
        assert "Request a refund" not in html

    def test_a_request_with_photos_then_the_sellers_approval(self, world: World):
        # given
        bundle = delivered_order(world, {"MUG": 2})
        number, reference = bundle.order.number, reference_of(bundle)
        buyer = signed_in(world.buyers["john"])
        # when: the buyer asks for one mug back with a photo
        response = buyer.post(
            f"/dashboard/orders/{number}/seller-orders/{reference}/refund-requests/",
            {
                "reason": "damaged",
                "note": "Chipped rim.",
                "qty-MUG": "1",
                "proofs": [files.upload("rim.png", files.png())],
            },
        )
        # then
        assert response.status_code == 302, response.content.decode()[:2000]
        request = RefundRequest.objects.get()
        assert request.proofs.count() == 1
        seller = signed_in(world.members["acme"])
        html = seller.get(_page(number)).content.decode()
        assert "Chipped rim." in html
        assert "rim.png" in html
        assert "Approve and refund" in html
        assert "Decline request" in html
        # when: the seller approves with a goodwill code
        approve = seller.post(
            f"/dashboard/orders/{number}/refund-requests/{request.public_id}/approve/",
            {"note": "Sorry!", "code_kind": "percent", "code_value": "15"},
        )
        # then
        assert approve.status_code == 302, approve.content.decode()[:2000]
        assert Refund.objects.get().amount == 1250
        html = buyer.get(_page(number)).content.decode()
        assert "Goodwill code" in html
        assert "15% off Acme&#x27;s items" in html

    def test_a_request_missing_its_photo_comes_back_with_the_reason(self, world: World):
        bundle = delivered_order(world, {"MUG": 1})
        response = signed_in(world.buyers["john"]).post(
            f"/dashboard/orders/{bundle.order.number}/seller-orders/{reference_of(bundle)}"
            "/refund-requests/",
            {"reason": "damaged"},
        )
        assert response.status_code == 422
        assert "at least one photo or video" in response.content.decode()
        assert not RefundRequest.objects.exists()


class TestTheOwnersPartialRefund:
    def test_refunds_one_unit_by_line(self, world: World):
        bundle = delivered_order(world, {"MUG": 2, "BOWL": 1})
        number, reference = bundle.order.number, reference_of(bundle)
        owner = signed_in(world.owner)
        html = owner.get(_page(number)).content.decode()
        assert "Refund part of" in html
        response = owner.post(
            f"/dashboard/orders/{number}/seller-orders/{reference}/refunds/",
            {"reason": "damaged", "qty-MUG": "1", "qty-BOWL": "0", "idempotency_key": "form-1"},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        assert Refund.objects.get().amount == 1250
        # the same form sent twice refunds once
        owner.post(
            f"/dashboard/orders/{number}/seller-orders/{reference}/refunds/",
            {"reason": "damaged", "qty-MUG": "1", "idempotency_key": "form-1"},
        )
        assert Refund.objects.count() == 1
        assert "1 \N{MULTIPLICATION SIGN} MUG" in owner.get(_page(number)).content.decode()

    def test_past_the_window_asks_for_the_override_note(self, world: World):
        bundle = delivered_order(world, {"MUG": 1}, days_ago=40)
        response = signed_in(world.owner).post(
            f"/dashboard/orders/{bundle.order.number}/seller-orders/{reference_of(bundle)}"
            "/refunds/",
            {"reason": "damaged", "amount": "500", "idempotency_key": "form-2"},
        )
        assert response.status_code == 422
        assert "Policy override note is required" in response.content.decode()
        assert not Refund.objects.exists()

    def test_nothing_to_refund_is_refused(self, world: World):
        bundle = delivered_order(world, {"MUG": 1})
        response = signed_in(world.owner).post(
            f"/dashboard/orders/{bundle.order.number}/seller-orders/{reference_of(bundle)}"
            "/refunds/",
            {"reason": "damaged", "idempotency_key": "form-3"},
        )
        assert response.status_code == 422


class TestTheSellersLineCancellation:
    def test_cancels_an_out_of_stock_line_offering_an_alternative(self, world: World):
        bundle = pay(world, place_order(world, {"BOWL": 1, "MUG": 1}))
        number, reference = bundle.order.number, reference_of(bundle)
        seller = signed_in(world.members["acme"])
        assert "Cancel items you cannot send" in seller.get(_page(number)).content.decode()
        response = seller.post(
            f"/dashboard/orders/{number}/seller-orders/{reference}/cancel-lines/",
            {
                "qty-BOWL": "1",
                "reason": "out_of_stock",
                "alternative": str(world.listings["RARE"].public_id),
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        assert LineCancellation.objects.get().alternative_listing == world.listings["RARE"]
        html = signed_in(world.buyers["john"]).get(_page(number)).content.decode()
        assert "Offered instead: Rare item (RARE)" in html
        assert SellerOrder.objects.get(reference=reference).status == "pending"

    def test_another_sellers_order_does_not_exist(self, world: World):
        bundle = pay(world, place_order(world, {"TEE": 1}))
        response = signed_in(world.members["acme"]).post(
            f"/dashboard/orders/{bundle.order.number}/seller-orders/{reference_of(bundle, 'bolt')}"
            "/cancel-lines/",
            {"qty-TEE": "1", "reason": "out_of_stock"},
        )
        assert response.status_code == 404


class TestQueries:
    def test_the_page_costs_the_same_however_much_happened_after_the_sale(self, world: World):
        small = delivered_order(world, {"MUG": 1})
        big = delivered_order(world, {"MUG": 3, "BOWL": 2, "TEE": 1, "CAP": 4})
        from tradepost.payments.refunds import refund_create

        for bundle, seller in ((small, "acme"), (big, "acme"), (big, "bolt")):
            refund_create(
                actor=world.owner.actor,
                reference=reference_of(bundle, seller),
                reason="other",
                amount=100,
            )
        client = signed_in(world.owner)
        counts = []
        for number in (small.order.number, big.order.number):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(_page(number)).status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1]
