"""Returns against the refunds around them: a unit is paid back once, by the return or by a
refund, never both; a seller order that is closed or refunded in full settles no return; a free
order can still be returned."""

from __future__ import annotations

import pytest

from tests.builders import ApiClient, World, pay, place_order
from tests.payments.flows import ask_refund, delivered_order, give_code, reference_of
from tests.returns.flows import request_return, step, walk_to_received
from tradepost.orders import services as fulfilment
from tradepost.orders.models import SellerOrder

pytestmark = pytest.mark.django_db

EXCHANGE = {
    "inspection_note": "Cracked on arrival.",
    "carrier": "DHL",
    "tracking_number": "JD7",
}


def _refund(api: ApiClient, world: World, reference: str, **body: object):
    return api.post(f"/seller-orders/{reference}/refunds", world.owner.key, body)


class TestUnitsInAReturnAreTheReturns:
    def test_exchanged_units_are_not_refunded_by_lines_afterwards(
        self, api: ApiClient, world: World
    ):
        # given: one of two mugs came back and was exchanged
        reference = reference_of(delivered_order(world, {"MUG": 2}))
        return_id = walk_to_received(api, world, reference, {"MUG": 1})
        acme = world.members["acme"].key
        assert step(api, acme, return_id, "exchange", **EXCHANGE).status == 200
        # when: the owner refunds both mugs by line
        refused = _refund(
            api, world, reference, reason="damaged", lines=[{"sku": "MUG", "quantity": 2}]
        )
        # then: only the unit outside the return may be refunded
        assert refused.status == 422, refused
        assert refused.json()["errors"][0]["field"] == "lines[0].quantity"
        assert "only 1 of MUG can be refunded (1 are in a return)" in refused.json()["detail"]
        one = _refund(
            api, world, reference, reason="damaged", lines=[{"sku": "MUG", "quantity": 1}]
        )
        assert one.status == 201, one

    def test_a_buyers_request_by_lines_leaves_out_units_in_an_open_return(
        self, api: ApiClient, world: World
    ):
        reference = reference_of(delivered_order(world, {"MUG": 2}))
        assert request_return(api, world, reference, {"MUG": 2}).status == 201
        asked = ask_refund(api, world, reference, lines=[{"sku": "MUG", "quantity": 1}])
        assert asked.status == 422, asked
        assert asked.json()["errors"][0]["field"] == "lines[0].quantity"

    def test_a_request_approved_after_a_return_took_its_units_is_refused(
        self, api: ApiClient, world: World
    ):
        # given: the buyer asks for one mug back, then returns both before the seller answers
        reference = reference_of(delivered_order(world, {"MUG": 2}))
        asked = ask_refund(api, world, reference, lines=[{"sku": "MUG", "quantity": 1}])
        assert asked.status == 201, asked
        assert request_return(api, world, reference, {"MUG": 2}).status == 201
        # when: the seller approves the request
        approved = api.post(
            f"/refund-requests/{asked.json()['id']}/approve", world.members["acme"].key, {}
        )
        # then: refused, nothing refunded
        assert approved.status == 409, approved
        assert approved.json()["current_status"] == "requested"
        assert "Only 0 of MUG are left to refund" in approved.json()["detail"]
        assert SellerOrder.objects.get(reference=reference).refunded_amount == 0

    def test_a_refund_by_amount_waits_for_an_open_return(self, api: ApiClient, world: World):
        reference = reference_of(delivered_order(world, {"MUG": 2}))
        return_id = request_return(api, world, reference, {"MUG": 1}).json()["id"]
        refused = _refund(api, world, reference, reason="damaged", amount=100)
        assert refused.status == 409, refused
        assert "finish the return first" in refused.json()["detail"]
        assert refused.json()["current_status"] == "delivered"
        # once the return is decided, the amount may go
        declined = step(api, world.members["acme"].key, return_id, "decline", reason="Used.")
        assert declined.status == 200, declined
        assert _refund(api, world, reference, reason="damaged", amount=100).status == 201

    def test_a_buyers_request_by_amount_waits_for_an_open_return(
        self, api: ApiClient, world: World
    ):
        reference = reference_of(delivered_order(world, {"MUG": 2}))
        assert request_return(api, world, reference, {"MUG": 1}).status == 201
        asked = ask_refund(api, world, reference, amount=100)
        assert asked.status == 409, asked
        assert "finish the return first" in asked.json()["detail"]
        mine = api.get("/refund-requests", world.buyers["john"].key, seller_order=reference)
        assert mine.json()["items"] == []


class TestSettlingAReturn:
    def test_no_exchange_once_the_seller_order_is_refunded_in_full(
        self, api: ApiClient, world: World
    ):
        # given: a mug came back; meanwhile the other one was refunded, then the rest by amount
        # could not go (the return is open), so the seller order is refunded in full by lines
        reference = reference_of(delivered_order(world, {"MUG": 2}))
        return_id = walk_to_received(api, world, reference, {"MUG": 1})
        seller_order = SellerOrder.objects.get(reference=reference)
        SellerOrder.objects.filter(pk=seller_order.pk).update(
            refunded_amount=seller_order.total_amount
        )
        acme = world.members["acme"].key
        # when / then: neither a replacement nor a refund is owed any more
        for action, body in (
            ("exchange", EXCHANGE),
            ("refund", {"inspection_note": "Cracked."}),
        ):
            refused = step(api, acme, return_id, action, **body)
            assert refused.status == 409, (action, refused)
            assert "already refunded in full" in refused.json()["detail"]
        assert api.get(f"/returns/{return_id}", acme).json()["status"] == "received"

    def test_no_exchange_once_the_seller_order_is_closed(self, api: ApiClient, world: World):
        reference = reference_of(delivered_order(world, {"MUG": 2}))
        return_id = walk_to_received(api, world, reference, {"MUG": 1})
        SellerOrder.objects.filter(reference=reference).update(status="refunded")
        refused = step(api, world.members["acme"].key, return_id, "exchange", **EXCHANGE)
        assert refused.status == 409, refused
        assert refused.json()["current_status"] == "refunded"

    def test_a_received_return_whose_units_were_refunded_elsewhere_is_declined(
        self, api: ApiClient, world: World
    ):
        # given: a received return whose unit was refunded by a line refund taken before the
        # return held it (the refund's row is written straight, as an older release allowed)
        reference = reference_of(delivered_order(world, {"MUG": 1}))
        return_id = walk_to_received(api, world, reference, {"MUG": 1})
        seller_order = SellerOrder.objects.get(reference=reference)
        seller_order.lines.update(quantity_refunded=1)
        acme = world.members["acme"].key
        # when: the seller tries to exchange it, then declines it
        stuck = step(api, acme, return_id, "exchange", **EXCHANGE)
        assert stuck.status == 409, stuck
        assert "Decline the return" in stuck.json()["detail"]
        declined = step(api, acme, return_id, "decline", reason="Refunded another way.")
        # then
        assert declined.status == 200, declined
        body = declined.json()
        assert (body["status"], body["decline_reason"]) == ("declined", "Refunded another way.")
        lifecycle = api.get("/returns/lifecycle", acme).json()
        assert any(
            (t["source"], t["target"]) == ("received", "declined") for t in lifecycle["transitions"]
        )


def test_a_free_order_can_be_returned(api: ApiClient, world: World):
    # given: a mug bought with a 100 % goodwill code, shipped and delivered
    code = give_code(api, world, kind="percent", percent_off=100)
    bundle = pay(world, place_order(world, {"MUG": 1}, discount_code=code))
    assert bundle.order.total_amount == 0
    reference = reference_of(bundle)
    seller = world.members["acme"].actor
    fulfilment.seller_order_acknowledge(actor=seller, reference=reference)
    fulfilment.shipment_create(
        actor=seller, reference=reference, parcel=fulfilment.Parcel("UPS", "1Z1")
    )
    fulfilment.seller_order_deliver(actor=seller, reference=reference)
    # when: the buyer sends it back
    asked = request_return(api, world, reference, {"MUG": 1})
    # then
    assert asked.status == 201, asked
