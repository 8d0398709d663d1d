"""Disputes on the dashboard: open a case from the order page, walk it on the case page with the
buttons its lifecycle allows, the owner's view of both parties, counters, lists, chargebacks."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import clock
from tests.builders import World
from tests.dashboard.pages import buttons, signed_in
from tests.disputes.flows import delivered_order, paid_order, reference_of
from tradepost.disputes.models import Case, Chargeback, EvidencePack
from tradepost.disputes.services import case_open

pytestmark = pytest.mark.django_db


def _open_from_the_order_page(world: World, number: str, reference: str) -> str:
    client = signed_in(world.buyers["john"])
    response = client.post(
        f"/dashboard/orders/{number}/disputes/{reference}/open/",
        {"kind": "late_shipment", "description": "Still not shipped."},
    )
    assert response.status_code == 302, response.content[:500]
    return str(response["Location"])


class TestOpeningFromTheOrderPage:
    def test_the_buyer_reports_a_problem_and_lands_on_the_case(self, world: World) -> None:
        bundle = paid_order(world)
        number, reference = bundle.order.number, reference_of(bundle)
        page = signed_in(world.buyers["john"]).get(f"/dashboard/orders/{number}/").content.decode()
        assert "Report a problem" in page
        location = _open_from_the_order_page(world, number, reference)
        case_page = signed_in(world.buyers["john"]).get(location).content.decode()
        assert "Late shipment case" in case_page
        assert "Still not shipped." in case_page
        assert "Waiting on the <strong>seller</strong>" in case_page
        order_page = signed_in(world.owner).get(f"/dashboard/orders/{number}/").content.decode()
        assert "Late shipment" in order_page
        assert "waiting on the seller" in order_page

    def test_a_refused_opening_shows_its_reason_on_the_order_page(self, world: World) -> None:
        bundle = paid_order(world)
        response = signed_in(world.buyers["john"]).post(
            f"/dashboard/orders/{bundle.order.number}/disputes/{reference_of(bundle)}/open/",
            {"kind": "damaged", "description": "Broken"},
        )
        assert response.status_code == 422
        assert "open a late_shipment case" in response.content.decode()
        assert not Case.objects.exists()


class TestTheCasePage:
    def test_buttons_follow_the_lifecycle_and_the_turn_passes(self, world: World) -> None:
        bundle = paid_order(world)
        location = _open_from_the_order_page(world, bundle.order.number, reference_of(bundle))
        case_id = location.rstrip("/").rsplit("/", 1)[1]
        seller = signed_in(world.members["acme"])
        assert buttons(seller.get(location).content.decode()) == [
            "Answer",
            "Ask the marketplace to decide",
            "Resolve",
            "Add a message",
        ]
        answered = seller.post(f"{location}respond/", {"message": "Ships tomorrow."})
        assert answered.status_code == 302
        assert Case.objects.get(public_id=case_id).status == "awaiting_buyer"
        buyer_page = signed_in(world.buyers["john"]).get(location).content.decode()
        assert "Ships tomorrow." in buyer_page
        assert "Close the case" not in buttons(buyer_page)

    def test_the_owner_sees_both_parties_record_the_conversation_and_the_history(
        self, world: World
    ) -> None:
        bundle = delivered_order(world)
        case = case_open(
            actor=world.buyers["john"].actor,
            reference=reference_of(bundle),
            kind="not_as_described",
            description="Blue, not red.",
        )
        page = signed_in(world.owner).get(f"/dashboard/disputes/{case.public_id}/")
        text = page.content.decode()
        for expected in (
            "The parties' record",
            "Late rate",
            "Cancellation rate",
            "Dispute rate",
            "Rating",
            "Other disputes",
            "Refunds",
            "Chargebacks",
            "Conversation",
            "Order history",
            "Payment of $25.00 captured.",
            "UPS",
        ):
            assert expected in text, expected
        seller_page = signed_in(world.members["acme"]).get(f"/dashboard/disputes/{case.public_id}/")
        assert "The parties' record" not in seller_page.content.decode()

    def test_another_sellers_case_does_not_exist(self, world: World) -> None:
        bundle = paid_order(world)
        case = case_open(
            actor=world.buyers["john"].actor,
            reference=reference_of(bundle),
            kind="late_shipment",
            description="x",
        )
        for party in (world.members["bolt"], world.buyers["jane"]):
            response = signed_in(party).get(f"/dashboard/disputes/{case.public_id}/")
            assert response.status_code == 404
            refused = signed_in(party).post(
                f"/dashboard/disputes/{case.public_id}/message/", {"message": "hi"}
            )
            assert refused.status_code == 404

    def test_a_resolution_refunds_from_the_case_page(self, world: World) -> None:
        bundle = delivered_order(world)
        case = case_open(
            actor=world.buyers["john"].actor,
            reference=reference_of(bundle),
            kind="damaged",
            description="Cracked.",
        )
        owner = signed_in(world.owner)
        response = owner.post(
            f"/dashboard/disputes/{case.public_id}/resolve/",
            {"outcome": "partial_refund", "amount": "700"},
        )
        assert response.status_code == 302
        bundle.order.refresh_from_db()
        assert bundle.order.refunded_amount == 700
        too_much = owner.post(
            f"/dashboard/disputes/{case.public_id}/resolve/",
            {"outcome": "partial_refund", "amount": "700"},
        )
        assert too_much.status_code == 409, "a resolved case is resolved again only once reopened"


class TestCountersAndLists:
    def test_the_orders_list_counts_open_and_overdue_disputes(self, world: World) -> None:
        opened_at = clock.travel_to(datetime(2026, 5, 4, 8, 0, tzinfo=UTC))
        first, second = paid_order(world), paid_order(world)
        for bundle in (first, second):
            case_open(
                actor=world.buyers["john"].actor,
                reference=reference_of(bundle),
                kind="late_shipment",
                description="x",
            )
        clock.travel_to(opened_at + timedelta(hours=30))
        case_open(
            actor=world.owner.actor,
            reference=reference_of(first),
            kind="other",
            description="A fresh one.",
        )
        page = signed_in(world.owner).get("/dashboard/orders/").content.decode()
        overdue = signed_in(world.owner).get("/dashboard/disputes/?overdue=on")
        assert re.search(r"<strong>3</strong> open disputes", page)
        assert re.search(r"<strong>2</strong> overdue", page)
        rows = overdue.content.decode().split("<tbody>")[1]
        assert rows.count("Late shipment") == 2
        assert "Other" not in rows
        buyer_page = signed_in(world.buyers["john"]).get("/dashboard/orders/").content.decode()
        assert "open disputes" not in buyer_page

    def test_the_order_page_costs_the_same_queries_with_more_cases(self, world: World) -> None:
        small = paid_order(world)
        big = paid_order(world, {"MUG": 1, "TEE": 1})
        for bundle in (small, big):
            for part in bundle.seller_orders:
                case_open(
                    actor=world.owner.actor,
                    reference=part.seller_order.reference,
                    kind="late_shipment",
                    description="x",
                )
        owner = signed_in(world.owner)
        owner.get(f"/dashboard/orders/{small.order.number}/")
        counts = []
        for number in (small.order.number, big.order.number):
            with CaptureQueriesContext(connection) as queries:
                assert owner.get(f"/dashboard/orders/{number}/").status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1]


class TestChargebackOnTheDashboard:
    def test_record_build_the_evidence_pack_download_and_rule(self, world: World) -> None:
        bundle = delivered_order(world)
        number, reference = bundle.order.number, reference_of(bundle)
        owner = signed_in(world.owner)
        recorded = owner.post(
            f"/dashboard/orders/{number}/chargebacks/{reference}/",
            {
                "amount": "1000",
                "reason": "not_received",
                "respond_by": f"{clock.ahead(30):%Y-%m-%dT%H:%M}",
            },
        )
        assert recorded.status_code == 302, recorded.content[:400]
        location = recorded["Location"]
        page = owner.get(location).content.decode()
        assert "Build evidence pack" in page
        assert owner.post(f"{location}build_evidence/").status_code == 302
        pack = EvidencePack.objects.get()
        download = owner.get(f"/dashboard/evidence-packs/{pack.public_id}/pdf/")
        assert download.status_code == 200
        assert download["Content-Type"] == "application/pdf"
        seller = signed_in(world.members["acme"])
        assert seller.get(f"/dashboard/evidence-packs/{pack.public_id}/zip/").status_code == 404
        assert owner.post(f"{location}record_outcome/", {"outcome": "lost"}).status_code == 302
        assert Chargeback.objects.get().taken_back_amount == 1000
        bundle.order.refresh_from_db()
        assert bundle.order.refunded_amount == 1000
