"""Returns on the order page: the buyer's request with photos, the steps the lifecycle allows
each role as buttons, refusals shown next to their field, and the returns list with its counter."""

from __future__ import annotations

import pytest

from tests.builders import World
from tests.dashboard.pages import buttons, signed_in
from tests.messaging import files
from tests.payments.flows import delivered_order, reference_of
from tradepost.returns.models import ReturnRequest

pytestmark = pytest.mark.django_db


def _page(number: str) -> str:
    return f"/dashboard/orders/{number}/"


def _request(world: World, number: str, reference: str, **fields: object):
    data = {"reason": "damaged", "note": "Cracked.", "qty-MUG": "1", **fields}
    data.setdefault("proofs", files.upload("crack.png", files.png()))
    buyer = signed_in(world.buyers["john"])
    return buyer.post(f"/dashboard/orders/{number}/returns/{reference}/request/", data)


def _step(world: World, party: str, number: str, ret: ReturnRequest, action: str, **data: str):
    client = signed_in(
        world.owner if party == "owner" else world.members.get(party) or world.buyers[party]
    )
    return client.post(f"/dashboard/orders/{number}/return-steps/{ret.public_id}/{action}/", data)


class TestRequestAndSteps:
    def test_the_buyer_requests_and_each_side_sees_only_its_buttons(self, world: World):
        # given: a delivered order of two mugs
        bundle = delivered_order(world, {"MUG": 2})
        number, reference = bundle.order.number, reference_of(bundle)
        page = signed_in(world.buyers["john"]).get(_page(number)).content.decode()
        assert "Request a return" in page
        assert 'max="2"' in page
        # when: the buyer asks to return one, with a photo
        response = _request(world, number, reference)
        # then
        assert response.status_code == 302, response.content.decode()[:2000]
        ret = ReturnRequest.objects.get()
        assert (ret.status, ret.proofs.count()) == ("requested", 1)
        buyer_page = signed_in(world.buyers["john"]).get(_page(number)).content.decode()
        assert "Withdraw return" in buttons(buyer_page)
        assert "Authorise return" not in buttons(buyer_page)
        seller = signed_in(world.members["acme"])
        seller_page = seller.get(_page(number)).content.decode()
        assert {"Authorise return", "Decline return"} <= set(buttons(seller_page))
        assert "Withdraw return" not in buttons(seller_page)
        assert "john@buyers.test" not in seller_page
        # and the seller's returns page counts it as one to handle
        listed = seller.get("/dashboard/returns/?status=to_handle").content.decode()
        assert f"#{number}" in listed
        assert "1 to handle" in listed
        # when the seller authorises, the buyer sends it back, the seller receives and refunds
        address = "Acme Returns, 2 Dock Road"
        assert (
            _step(world, "acme", number, ret, "authorize", return_address=address).status_code
            == 302
        )
        sent = _step(world, "john", number, ret, "ship_back", carrier="UPS", tracking_number="1ZB")
        assert sent.status_code == 302
        assert _step(world, "acme", number, ret, "receive").status_code == 302
        done = _step(world, "acme", number, ret, "refund", inspection_note="Cracked indeed.")
        assert done.status_code == 302
        final = signed_in(world.buyers["john"]).get(_page(number)).content.decode()
        assert "Refunded $12.50" in final
        assert "Return parcel: UPS" in final

    def test_a_refused_step_shows_its_message_next_to_the_field(self, world: World):
        bundle = delivered_order(world, {"MUG": 1})
        number = bundle.order.number
        _request(world, number, reference_of(bundle))
        ret = ReturnRequest.objects.get()
        _step(world, "acme", number, ret, "authorize", return_address="Dock 2")
        refused = _step(world, "john", number, ret, "ship_back", carrier="UPS")
        assert refused.status_code == 422
        assert "Return tracking number is required by this marketplace." in refused.content.decode()
        assert ReturnRequest.objects.get().status == "authorized"

    def test_too_many_units_and_missing_proof_are_refused_on_the_form(self, world: World):
        bundle = delivered_order(world, {"MUG": 1})
        number, reference = bundle.order.number, reference_of(bundle)
        too_many = _request(world, number, reference, **{"qty-MUG": "2"})
        assert too_many.status_code == 422
        assert "Only 1 of MUG can be returned" in too_many.content.decode()
        no_photo = _request(world, number, reference, proofs=[])
        assert no_photo.status_code == 422
        assert "at least one photo or video" in no_photo.content.decode()
        assert not ReturnRequest.objects.exists()

    def test_another_seller_cannot_reach_the_step(self, world: World):
        bundle = delivered_order(world, {"MUG": 1})
        number = bundle.order.number
        _request(world, number, reference_of(bundle))
        ret = ReturnRequest.objects.get()
        response = _step(world, "bolt", number, ret, "authorize", return_address="Elsewhere")
        assert response.status_code == 404
        assert ReturnRequest.objects.get().status == "requested"

    def test_buyers_have_no_returns_list(self, world: World):
        assert signed_in(world.buyers["john"]).get("/dashboard/returns/").status_code == 404
