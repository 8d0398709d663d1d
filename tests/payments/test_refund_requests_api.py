"""Buyers ask for refunds with proof; the policy is checked; the seller or owner decides."""

from __future__ import annotations

import pytest

from tests.builders import ApiClient, World, pay, place_order
from tests.payments.flows import delivered_order, photo_ids, reference_of
from tradepost.core.dispatch import outbox_dispatch
from tradepost.core.models import OutboxEvent
from tradepost.notifications.models import Notification
from tradepost.orders.models import OrderEvent, SellerOrder
from tradepost.payments.models import Refund, RefundRequest

pytestmark = pytest.mark.django_db


def _request(api: ApiClient, world: World, reference: str, **body):
    if not {"amount", "lines", "full"} & set(body):
        body["full"] = True  # everything left, unless the test says how much
    return api.post(f"/seller-orders/{reference}/refund-requests", world.buyers["john"].key, body)


class TestDamagedItemRequestedWithProofAndApproved:
    def test_the_seller_approves_and_the_buyer_is_refunded(self, api: ApiClient, world: World):
        # given: a delivered bowl that arrived cracked; the buyer photographs it
        bundle = delivered_order(world, {"BOWL": 1, "MUG": 1})
        reference = reference_of(bundle)
        photos = photo_ids(api, world.buyers["john"], count=2)
        # when: the buyer asks for the bowl back
        asked = _request(
            api,
            world,
            reference,
            reason="damaged",
            note="Cracked in two.",
            lines=[{"sku": "BOWL", "quantity": 1}],
            attachment_ids=photos,
        )
        # then
        assert asked.status == 201, asked
        request = asked.json()
        assert (request["status"], request["actions"]) == ("requested", [])
        assert [p["id"] for p in request["proofs"]] == photos
        seller_view = api.get(f"/refund-requests/{request['id']}", world.members["acme"].key)
        assert seller_view.json()["actions"] == ["approve", "decline"]
        assert OrderEvent.objects.filter(kind="refund.requested").count() == 1
        outbox_dispatch()
        assert Notification.objects.filter(kind="refund_request.created").exists()
        # when: the seller approves
        approved = api.post(
            f"/refund-requests/{request['id']}/approve",
            world.members["acme"].key,
            {"note": "Sorry about that."},
        )
        # then: the bowl is refunded, by Tradepost on the seller's word
        assert approved.status == 200, approved
        body = approved.json()
        assert body["status"] == "approved"
        assert body["refund"]["amount"] == 3000
        assert body["refund"]["refund_request_id"] == request["id"]
        assert [p["id"] for p in body["refund"]["proofs"]] == photos
        refund = Refund.objects.get()
        assert refund.idempotency_key == f"refund-request-{request['id']}"
        issued = OrderEvent.objects.get(kind="refund.issued")
        assert issued.actor_role == "system"
        assert OrderEvent.objects.get(kind="refund_request.approved").actor_role == "seller"
        assert OutboxEvent.objects.filter(type="refund_request.approved").count() == 1

    def test_an_approved_request_is_not_approved_twice(self, api: ApiClient, world: World):
        bundle = delivered_order(world, {"MUG": 1})
        photos = photo_ids(api, world.buyers["john"])
        request = _request(
            api, world, reference_of(bundle), reason="damaged", attachment_ids=photos
        ).json()
        path = f"/refund-requests/{request['id']}/approve"
        assert api.post(path, world.owner.key, {}).status == 200
        again = api.post(path, world.members["acme"].key, {})
        assert again.status == 409
        assert again.json()["code"] == "invalid_transition"
        assert Refund.objects.count() == 1


class TestDecline:
    def test_the_seller_declines_with_a_reason_the_buyer_reads(self, api: ApiClient, world: World):
        bundle = delivered_order(world, {"MUG": 1})
        request = _request(
            api, world, reference_of(bundle), reason="other", note="Changed my mind."
        ).json()
        without = api.post(
            f"/refund-requests/{request['id']}/decline", world.members["acme"].key, {"reason": ""}
        )
        assert without.status == 422
        declined = api.post(
            f"/refund-requests/{request['id']}/decline",
            world.members["acme"].key,
            {"reason": "Returns of used items only."},
        )
        assert declined.status == 200, declined
        seen = api.get(f"/refund-requests/{request['id']}", world.buyers["john"].key).json()
        assert (seen["status"], seen["decision_note"]) == (
            "declined",
            "Returns of used items only.",
        )
        assert not Refund.objects.exists()
        # the buyer may ask again, once this one is answered
        assert _request(api, world, reference_of(bundle), reason="other").status == 201

    def test_the_buyer_cannot_decide_their_own_request(self, api: ApiClient, world: World):
        bundle = delivered_order(world, {"MUG": 1})
        request = _request(api, world, reference_of(bundle), reason="other").json()
        for action, body in (("approve", {}), ("decline", {"reason": "x"})):
            response = api.post(
                f"/refund-requests/{request['id']}/{action}", world.buyers["john"].key, body
            )
            assert response.status == 403, response


class TestPolicyOnRequests:
    def test_outside_the_window_the_request_is_refused_naming_the_rule(
        self, api: ApiClient, world: World
    ):
        # given: delivered 31 days ago, a 30-day window
        bundle = delivered_order(world, {"MUG": 1}, days_ago=31)
        photos = photo_ids(api, world.buyers["john"])
        # when
        response = _request(
            api, world, reference_of(bundle), reason="damaged", attachment_ids=photos
        )
        # then
        assert response.status == 422, response
        problem = response.json()
        assert problem["code"] == "refund_policy"
        assert [e["field"] for e in problem["errors"]] == ["refund_window"]
        assert "30 days after delivery" in problem["errors"][0]["message"]
        assert problem["refund_policy"]["window_days"] == 30
        assert not RefundRequest.objects.exists()
        # and the owner may still refund, overriding the policy with a note
        override = api.post(
            f"/seller-orders/{reference_of(bundle)}/refunds",
            world.owner.key,
            {
                "reason": "damaged",
                "full": True,
                "attachment_ids": [],
                "policy_override_note": "Buyer wrote to support on day 29.",
            },
        )
        assert override.status == 201, override
        assert SellerOrder.objects.get(reference=reference_of(bundle)).status == "refunded"

    def test_every_rule_missed_is_named_at_once(self, api: ApiClient, world: World):
        api.patch("/marketplace", world.owner.key, {"refund_reasons_accepted": ["wrong_item"]})
        bundle = delivered_order(world, {"MUG": 1}, days_ago=45)
        response = _request(api, world, reference_of(bundle), reason="damaged")
        assert response.status == 422
        assert [e["field"] for e in response.json()["errors"]] == [
            "reason",
            "attachment_ids",
            "refund_window",
        ]
        assert response.json()["policy_rules"] == [
            "refund_reasons_accepted",
            "refund_proof_required",
            "refund_window_days",
        ]

    def test_a_lost_parcel_needs_no_photo_and_no_delivery(self, api: ApiClient, world: World):
        bundle = pay(world, place_order(world, {"MUG": 1}))
        reference = reference_of(bundle)
        from tradepost.orders import services

        seller = world.members["acme"].actor
        services.seller_order_acknowledge(actor=seller, reference=reference)
        services.shipment_create(
            actor=seller, reference=reference, parcel=services.Parcel("UPS", "1Z")
        )
        response = _request(
            api, world, reference, reason="lost_in_transit", note="Tracking stuck for two weeks."
        )
        assert response.status == 201, response

    def test_before_shipment_the_buyer_cancels_instead(self, api: ApiClient, world: World):
        bundle = pay(world, place_order(world, {"MUG": 1}))
        response = _request(api, world, reference_of(bundle), reason="other")
        assert response.status == 409
        assert "cancel" in response.json()["detail"]

    def test_one_open_request_at_a_time(self, api: ApiClient, world: World):
        bundle = delivered_order(world, {"MUG": 1})
        assert _request(api, world, reference_of(bundle), reason="other").status == 201
        assert _request(api, world, reference_of(bundle), reason="other").status == 409

    def test_someone_elses_upload_is_no_proof(self, api: ApiClient, world: World):
        bundle = delivered_order(world, {"MUG": 1})
        janes = photo_ids(api, world.buyers["jane"])
        response = _request(
            api, world, reference_of(bundle), reason="damaged", attachment_ids=janes
        )
        assert response.status == 422
        assert response.json()["errors"][0]["field"] == "attachment_ids[0]"
