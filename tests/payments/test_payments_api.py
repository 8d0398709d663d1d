"""Recording payment results, retrying after failure, and the commission snapshot."""

from __future__ import annotations

import pytest

from tests.builders import ApiClient, World, place_order
from tradepost.core.models import OutboxEvent
from tradepost.orders.models import Order, SellerOrder

pytestmark = pytest.mark.django_db


def _report(order: Order, *, status: str = "succeeded", reference: str = "pay-1", **extra):
    return {"status": status, "reference": reference, "amount": order.total_amount, **extra}


class TestRecordPayment:
    def test_success_starts_fulfilment_and_snapshots_commission(self, api: ApiClient, world: World):
        # given: acme takes the 10 % default, bolt has a 5 % override
        order = place_order(world, {"MUG": 2, "TEE": 1}, shipping={"acme": 500}, tax=100).order
        # when
        response = api.post(f"/orders/{order.number}/payments", world.owner.key, _report(order))
        # then
        assert response.status == 200, response
        body = response.json()
        assert body["payment_status"] == "paid"
        assert body["captured_amount"] == order.total_amount
        assert body["status"] == "pending"
        acme, bolt = body["seller_orders"]
        assert acme["status"] == bolt["status"] == "pending"
        assert (acme["commission_rate_bps"], bolt["commission_rate_bps"]) == (1000, 500)
        assert acme["commission_amount"] == (2500 + 500) * 1000 // 10_000
        assert bolt["commission_amount"] == 2000 * 500 // 10_000
        assert OutboxEvent.objects.filter(type="order.paid", order_number=order.number).exists()

    def test_a_later_rate_change_does_not_rewrite_a_paid_order(self, api: ApiClient, world: World):
        order = place_order(world, {"TEE": 1}).order
        api.post(f"/orders/{order.number}/payments", world.owner.key, _report(order))
        api.patch("/sellers/bolt", world.owner.key, {"commission_rate_bps": 2500})
        assert SellerOrder.objects.get(order=order).commission_rate_bps == 500

    def test_amount_must_equal_the_order_total(self, api: ApiClient, world: World):
        order = place_order(world, {"MUG": 1}).order
        body = {**_report(order), "amount": order.total_amount - 1}
        response = api.post(f"/orders/{order.number}/payments", world.owner.key, body)
        assert response.status == 422
        assert response.json()["errors"][0]["field"] == "amount"
        order.refresh_from_db()
        assert order.payment_status == "pending"
        assert not order.payment_attempts.exists()

    def test_failure_then_retry_then_success(self, api: ApiClient, world: World):
        order = place_order(world, {"MUG": 1}).order
        failed = api.post(
            f"/orders/{order.number}/payments",
            world.owner.key,
            _report(order, status="failed", reference="try-1", failure_reason="Card declined"),
        )
        assert failed.json()["payment_status"] == "failed"
        assert failed.json()["seller_orders"][0]["status"] == "awaiting_payment"
        assert OutboxEvent.objects.filter(type="order.payment_failed").exists()
        # a new result is refused until the buyer retries
        early = api.post(f"/orders/{order.number}/payments", world.owner.key, _report(order))
        assert early.status == 409
        retry = api.post(f"/orders/{order.number}/payments/retry", world.buyers["john"].key)
        assert retry.status == 200
        assert retry.json()["payment_status"] == "pending"
        paid = api.post(
            f"/orders/{order.number}/payments", world.owner.key, _report(order, reference="try-2")
        )
        assert paid.json()["payment_status"] == "paid"
        assert order.payment_attempts.count() == 2

    def test_a_provider_reference_is_recorded_once(self, api: ApiClient, world: World):
        first = place_order(world, {"MUG": 1}).order
        second = place_order(world, {"MUG": 1}).order
        api.post(f"/orders/{first.number}/payments", world.owner.key, _report(first))
        response = api.post(f"/orders/{second.number}/payments", world.owner.key, _report(second))
        assert response.status == 422
        assert response.json()["errors"][0]["field"] == "reference"

    def test_buyers_and_sellers_cannot_record_payments(self, api: ApiClient, world: World):
        order = place_order(world, {"MUG": 1}).order
        for key in (world.buyers["john"].key, world.members["acme"].key):
            response = api.post(f"/orders/{order.number}/payments", key, _report(order))
            assert response.status == 403
        order.refresh_from_db()
        assert order.payment_status == "pending"

    def test_a_canceled_order_takes_no_payment(self, api: ApiClient, world: World):
        bundle = place_order(world, {"MUG": 1})
        reference = bundle.seller_orders[0].seller_order.reference
        api.post(f"/seller-orders/{reference}/cancel", world.buyers["john"].key, {})
        order = bundle.order
        response = api.post(f"/orders/{order.number}/payments", world.owner.key, _report(order))
        assert response.status == 409

    def test_a_part_canceled_before_payment_is_not_charged(self, api: ApiClient, world: World):
        # given: acme's part is canceled while the order waits for payment
        bundle = place_order(world, {"MUG": 1, "TEE": 1})
        order, acme, bolt = (
            bundle.order,
            bundle.seller_orders[0].seller_order,
            bundle.seller_orders[1].seller_order,
        )
        api.post(f"/seller-orders/{acme.reference}/cancel", world.buyers["john"].key, {})
        assert api.get(f"/orders/{order.number}", world.owner.key).json()["amount_due"] == (
            bolt.total_amount
        )
        # when / then: the full total is refused, the amount due is captured
        full = api.post(f"/orders/{order.number}/payments", world.owner.key, _report(order))
        assert full.status == 422
        assert "amount due" in full.json()["errors"][0]["message"]
        body = {**_report(order), "amount": bolt.total_amount}
        paid = api.post(f"/orders/{order.number}/payments", world.owner.key, body)
        assert paid.status == 200, paid
        assert paid.json()["captured_amount"] == bolt.total_amount
        assert paid.json()["amount_due"] == 0

    def test_the_role_is_checked_before_the_amount(self, api: ApiClient, world: World):
        order = place_order(world, {"MUG": 1}).order
        body = {**_report(order), "amount": 1}
        response = api.post(f"/orders/{order.number}/payments", world.buyers["john"].key, body)
        assert response.status == 403

    def test_unknown_provider_names_the_field(self, api: ApiClient, world: World):
        order = place_order(world, {"MUG": 1}).order
        body = {**_report(order), "provider": "stripe"}
        response = api.post(f"/orders/{order.number}/payments", world.owner.key, body)
        assert response.status == 422
        assert response.json()["errors"][0]["field"] == "provider"
