"""The seeds' "Handling Order Issues", walked through the API: late shipment, lost in transit
(reship, then refund), item not as described; and what each step tells whom."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests import clock
from tests.builders import ApiClient, World
from tests.disputes.flows import (
    delivered_order,
    money,
    open_case,
    paid_order,
    reference_of,
    shipped_order,
    step,
)
from tests.messaging.files import png, upload
from tests.messaging.flows import upload as upload_files
from tradepost.core.dispatch import outbox_dispatch
from tradepost.core.models import OutboxEvent
from tradepost.notifications.models import Notification, OutgoingEmail
from tradepost.orders.models import OrderEvent

pytestmark = pytest.mark.django_db


class TestLateShipment:
    def test_opened_by_the_buyer_answered_by_the_seller_resolved_with_no_action(
        self, api: ApiClient, world: World
    ):
        # given: paid, not shipped
        bundle = paid_order(world)
        reference = reference_of(bundle)
        john, acme, owner = world.buyers["john"], world.members["acme"], world.owner
        # when: the buyer opens a late shipment case
        case = open_case(api, john, reference, "late_shipment", "Three days and still not sent.")
        # then: it waits on the seller, due in 24 hours
        assert (case["status"], case["awaiting"], case["kind"]) == (
            "open",
            "seller",
            "late_shipment",
        )
        assert "escalate" in case["actions"]
        assert "close" not in case["actions"]
        # when: the seller answers
        answered = step(api, acme, case["id"], "respond", message="Ships tomorrow, sorry.")
        assert answered.status == 200, answered
        assert (answered.json()["status"], answered.json()["awaiting"]) == (
            "awaiting_buyer",
            "buyer",
        )
        # and the owner, seeing it handled, resolves with no action
        resolved = step(api, owner, case["id"], "resolve", outcome="no_action", note="Shipped.")
        # then
        assert resolved.status == 200, resolved
        body = resolved.json()
        assert (body["status"], body["outcome"], body["awaiting"]) == (
            "resolved",
            "no_action",
            "buyer",
        )
        assert [m["body"] for m in body["messages"]] == ["Ships tomorrow, sorry."]
        assert money(bundle.order.number)["refunded"] == 0
        closed = step(api, john, case["id"], "close")
        assert (closed.status, closed.json()["status"]) == (200, "closed")
        assert closed.json()["actions"] == []

    def test_resolved_with_a_partial_refund(self, api: ApiClient, world: World):
        # given
        bundle = paid_order(world)
        case = open_case(api, world.buyers["john"], reference_of(bundle), "late_shipment")
        step(api, world.members["acme"], case["id"], "respond", message="Delayed a week.")
        # when: the owner refunds 5.00 for the delay
        resolved = step(
            api, world.owner, case["id"], "resolve", outcome="partial_refund", amount=500
        )
        # then: refunded through the payments refund, commission reversed pro rata
        assert resolved.status == 200, resolved
        assert resolved.json()["resolutions"][0]["amount"] == 500
        figures = money(bundle.order.number)
        assert (figures["refunded"], figures["payment_status"]) == (500, "partially_refunded")
        part = figures["parts"][0]
        assert part["status"] == "pending", "a partial refund leaves the fulfilment status"
        assert part["commission_reversed"] == part["commission"] * 500 // part["total"]

    def test_a_full_refund_of_an_unshipped_order_cancels_it(self, api: ApiClient, world: World):
        bundle = paid_order(world)
        case = open_case(api, world.buyers["john"], reference_of(bundle), "late_shipment")
        resolved = step(api, world.owner, case["id"], "resolve", outcome="full_refund")
        assert resolved.status == 200, resolved
        figures = money(bundle.order.number)
        assert (figures["status"], figures["payment_status"]) == ("canceled", "refunded")
        assert figures["refunded"] == figures["captured"]


class TestLostInTransit:
    def test_reship_with_new_tracking_then_refund_when_the_reship_is_lost_too(
        self, api: ApiClient, world: World
    ):
        # given: shipped; the buyer says it is lost
        bundle = shipped_order(world)
        number, reference = bundle.order.number, reference_of(bundle)
        john, acme, owner = world.buyers["john"], world.members["acme"], world.owner
        case = open_case(api, john, reference, "lost_in_transit", "Tracking stopped a week ago.")
        # when: the seller checks the tracking and reships with new tracking
        step(api, acme, case["id"], "respond", message="UPS lost it; sending another.")
        reshipped = step(
            api,
            acme,
            case["id"],
            "resolve",
            outcome="reship",
            carrier="DHL",
            tracking_number="JD0002",
            tracking_url="https://dhl.example/JD0002",
        )
        # then
        assert reshipped.status == 200, reshipped
        assert reshipped.json()["resolutions"][0] | {"created_at": None, "by": None} == {
            "outcome": "reship",
            "amount": None,
            "carrier": "DHL",
            "tracking_number": "JD0002",
            "tracking_url": "https://dhl.example/JD0002",
            "note": "",
            "by": None,
            "created_at": None,
        }
        assert money(number)["refunded"] == 0
        # when: the reshipped parcel is lost too; the buyer reopens and the owner refunds
        reopened = step(api, john, case["id"], "reopen", message="The DHL parcel is lost too.")
        assert (reopened.status, reopened.json()["status"]) == (200, "under_review")
        assert reopened.json()["awaiting"] == "owner"
        refunded = step(
            api, owner, case["id"], "resolve", outcome="full_refund", note="Lost twice."
        )
        # then: everything paid for that part is back with the buyer
        assert refunded.status == 200, refunded
        assert [r["outcome"] for r in refunded.json()["resolutions"]] == ["reship", "full_refund"]
        figures = money(number)
        assert figures["parts"][0]["status"] == "refunded"
        assert figures["refunded"] == figures["captured"] == figures["parts"][0]["total"]
        assert figures["payment_status"] == "refunded"
        assert figures["parts"][0]["commission_reversed"] == figures["parts"][0]["commission"]

    def test_a_reship_needs_a_carrier_and_tracking(self, api: ApiClient, world: World):
        bundle = shipped_order(world)
        case = open_case(api, world.buyers["john"], reference_of(bundle), "lost_in_transit")
        response = step(api, world.members["acme"], case["id"], "resolve", outcome="reship")
        assert response.status == 422, response
        assert response.json()["errors"][0]["field"] == "carrier"
        response = step(
            api, world.members["acme"], case["id"], "resolve", outcome="reship", carrier="DHL"
        )
        assert response.json()["errors"][0]["field"] == "tracking_number"


class TestNotAsDescribed:
    def test_escalated_and_resolved_by_the_owner_with_a_partial_refund(
        self, api: ApiClient, world: World
    ):
        # given: delivered; the buyer writes with a photo
        bundle = delivered_order(world, {"MUG": 2, "BOWL": 1})
        number = bundle.order.number
        john, acme, owner = world.buyers["john"], world.members["acme"], world.owner
        case = open_case(api, john, reference_of(bundle), "not_as_described", "Blue, not red.")
        photo = upload_files(api, john, upload("mug.png", png()))
        assert photo.status == 201, photo
        written = step(
            api,
            john,
            case["id"],
            "messages",
            message="Here is the photo.",
            attachment_ids=[photo.json()[0]["id"]],
        )
        assert written.status == 200, written
        assert written.json()["messages"][0]["attachments"][0]["name"] == "mug.png"
        step(api, acme, case["id"], "respond", message="The listing says red-ish.")
        # when: the buyer escalates and the owner, reading both sides, refunds one mug
        escalated = step(api, john, case["id"], "escalate", message="Please decide.")
        assert escalated.json()["status"] == "under_review"
        seller_trying = step(api, acme, case["id"], "resolve", outcome="partial_refund", amount=100)
        assert seller_trying.status == 403, "under review, only the owner decides"
        detail = api.get(f"/disputes/{case['id']}", owner.key).json()
        assert detail["records"]["seller"]["paid_orders"] >= 1
        assert detail["records"]["buyer"]["other_cases"] == 0
        resolved = step(api, owner, case["id"], "resolve", outcome="partial_refund", amount=1250)
        # then
        assert resolved.status == 200, resolved
        figures = money(number)
        assert (figures["refunded"], figures["payment_status"]) == (1250, "partially_refunded")
        assert figures["parts"][0]["status"] == "delivered"

    def test_a_refund_cannot_pass_what_is_left(self, api: ApiClient, world: World):
        bundle = delivered_order(world)
        case = open_case(api, world.buyers["john"], reference_of(bundle), "damaged")
        total = bundle.order.total_amount
        response = step(
            api, world.owner, case["id"], "resolve", outcome="partial_refund", amount=total
        )
        assert response.status == 422, response
        assert money(bundle.order.number)["refunded"] == 0


class TestRecords:
    def test_the_seller_record_counts_the_sellers_cancellations_not_the_buyers(
        self, api: ApiClient, world: World
    ):
        # given acme's paid orders: two the buyer canceled, one with a line acme canceled
        # (out of stock), one canceled whole by acme, and the delivered one the case is about
        john, acme = world.buyers["john"], world.members["acme"]
        for _ in range(2):
            by_buyer = paid_order(world)
            canceled = api.post(f"/seller-orders/{reference_of(by_buyer)}/cancel", john.key, {})
            assert canceled.status == 200, canceled
        short = paid_order(world, {"BOWL": 1, "MUG": 1})
        cut = api.post(
            f"/seller-orders/{reference_of(short)}/cancel-lines",
            acme.key,
            {"lines": [{"sku": "BOWL", "quantity": 1}], "reason": "out_of_stock"},
        )
        assert cut.status == 200, cut
        whole = paid_order(world)
        gone = api.post(
            f"/seller-orders/{reference_of(whole)}/cancel", acme.key, {"reason": "out of stock"}
        )
        assert gone.status == 200, gone
        case = open_case(api, john, reference_of(delivered_order(world)), "damaged", "Cracked.")
        # when the owner reads the case
        detail = api.get(f"/disputes/{case['id']}", world.owner.key).json()
        # then two of acme's five paid orders are its cancellations; the buyer's are not
        record = detail["records"]["seller"]
        assert record["paid_orders"] == 5
        assert record["canceled"] == {"count": 2, "of": 5, "percent": 40.0}


class TestOpening:
    def test_parcel_problems_need_a_parcel(self, api: ApiClient, world: World):
        bundle = paid_order(world)
        response = api.post(
            "/disputes",
            world.buyers["john"].key,
            {"seller_order": reference_of(bundle), "kind": "damaged", "description": "x"},
        )
        assert response.status == 422, response
        assert response.json()["errors"][0]["field"] == "kind"

    def test_one_live_case_of_a_kind_per_seller_order(self, api: ApiClient, world: World):
        bundle = paid_order(world)
        first = open_case(api, world.buyers["john"], reference_of(bundle), "late_shipment")
        again = api.post(
            "/disputes",
            world.owner.key,
            {"seller_order": reference_of(bundle), "kind": "late_shipment", "description": "x"},
        )
        assert again.status == 409, again
        assert again.json()["case"] == first["id"]

    def test_unpaid_orders_are_not_disputed(self, api: ApiClient, world: World):
        from tests.builders import place_order

        bundle = place_order(world, {"MUG": 1})
        response = api.post(
            "/disputes",
            world.buyers["john"].key,
            {"seller_order": reference_of(bundle), "kind": "other", "description": "x"},
        )
        assert response.status == 409, response

    def test_a_refused_step_names_the_current_status_and_the_allowed_next(
        self, api: ApiClient, world: World
    ):
        bundle = paid_order(world)
        case = open_case(api, world.buyers["john"], reference_of(bundle), "late_shipment")
        response = step(api, world.buyers["john"], case["id"], "close")
        assert response.status == 409, response
        assert response.json()["current_status"] == "open"
        assert set(response.json()["allowed_next_statuses"]) == {
            "awaiting_seller",
            "under_review",
            "resolved",
        }


class TestDueTimesAndOverdue:
    def test_each_step_is_due_in_the_response_hours_and_shows_when_overdue(
        self, api: ApiClient, world: World
    ):
        opened_at = clock.travel_to(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
        bundle = paid_order(world)
        owner = world.owner
        case = open_case(api, world.buyers["john"], reference_of(bundle), "late_shipment")
        assert datetime.fromisoformat(case["due_at"]) == opened_at + timedelta(hours=24)
        clock.travel_to(opened_at + timedelta(hours=23))
        assert api.get("/disputes", owner.key, overdue=True).json()["items"] == []
        clock.travel_to(opened_at + timedelta(hours=25))
        overdue = api.get("/disputes", owner.key, overdue=True).json()["items"]
        assert [(c["id"], c["overdue"], c["awaiting"]) for c in overdue] == [
            (case["id"], True, "seller")
        ]
        # the seller answers late; the buyer's turn is due 24 hours from now
        answered = step(api, world.members["acme"], case["id"], "respond", message="Sorry")
        due = datetime.fromisoformat(answered.json()["due_at"])
        assert due == opened_at + timedelta(hours=49)
        assert api.get("/disputes", owner.key, overdue=True).json()["items"] == []

    def test_the_response_hours_are_a_marketplace_setting(self, api: ApiClient, world: World):
        changed = api.patch("/marketplace", world.owner.key, {"dispute_response_hours": 48})
        assert changed.status == 200, changed
        assert changed.json()["dispute_response_hours"] == 48
        now = clock.travel_to(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
        bundle = paid_order(world)
        case = open_case(api, world.buyers["john"], reference_of(bundle), "late_shipment")
        assert datetime.fromisoformat(case["due_at"]) == now + timedelta(hours=48)

    def test_lists_filter_by_who_must_act(self, api: ApiClient, world: World):
        bundle = paid_order(world)
        case = open_case(api, world.buyers["john"], reference_of(bundle), "late_shipment")
        owner = world.owner.key
        assert [
            c["id"] for c in api.get("/disputes", owner, awaiting="seller").json()["items"]
        ] == [case["id"]]
        assert api.get("/disputes", owner, awaiting="buyer").json()["items"] == []
        assert api.get("/disputes", owner, status="closed").json()["items"] == []


class TestEventsAndNotifications:
    def test_timeline_outbox_and_the_party_who_must_act_is_told(self, api: ApiClient, world: World):
        # given
        bundle = shipped_order(world)
        number = bundle.order.number
        while outbox_dispatch():
            pass
        Notification.objects.all().delete()
        # when
        case = open_case(api, world.buyers["john"], reference_of(bundle), "not_received")
        step(api, world.members["acme"], case["id"], "respond", message="It shows delivered.")
        step(api, world.owner, case["id"], "resolve", outcome="no_action")
        # then: the order's timeline tells the story
        kinds = list(
            OrderEvent.objects.filter(order__number=number, kind__startswith="dispute.")
            .order_by("id")
            .values_list("kind", "to_status")
        )
        assert kinds == [
            ("dispute.opened", "open"),
            ("dispute.status_changed", "awaiting_buyer"),
            ("dispute.status_changed", "resolved"),
        ]
        published = list(
            OutboxEvent.objects.filter(order_number=number, type__startswith="dispute.")
            .order_by("created_at")
            .values_list("type", flat=True)
        )
        assert published == ["dispute.opened", "dispute.updated", "dispute.resolved"]
        while outbox_dispatch():
            pass
        # the seller heard of the case (dashboard and email); the buyer of its turn and outcome
        seller_note = Notification.objects.get(kind="dispute.opened")
        assert seller_note.seller.slug == "acme"
        to_buyer = OutgoingEmail.objects.filter(to=["john@buyers.test"], kind__startswith="dispute")
        assert set(to_buyer.values_list("kind", flat=True)) == {"dispute_turn", "dispute_resolved"}
        assert OutgoingEmail.objects.filter(to=["a@acme.test"], kind="dispute_turn").exists()
