"""Chargebacks: from the provider's signed endpoint or the owner, with the evidence pack, to the
bank's ruling and what it does to the money."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader

from tests import clock
from tests.builders import ApiClient, World, database_state
from tests.disputes.flows import (
    Provider,
    delivered_order,
    money,
    open_case,
    paid_order,
    reference_of,
    step,
)
from tests.messaging.files import pdf, png, upload
from tests.messaging.flows import send
from tests.messaging.flows import upload as upload_files
from tradepost.disputes.models import Chargeback, ProviderEvent
from tradepost.payments.models import Refund

pytestmark = pytest.mark.django_db


def created(number: str, amount: int, provider_id: str = "dp_1", **extra: object) -> dict:
    return {
        "chargeback_id": provider_id,
        "order_number": number,
        "amount": amount,
        "currency": "USD",
        "reason": "not_received",
        "respond_by": clock.ahead(14).isoformat(),
        **extra,
    }


class TestTheSignedEndpoint:
    def test_a_bad_signature_is_refused_and_changes_nothing(
        self, api: ApiClient, world: World, provider_secret: str
    ):
        bundle = delivered_order(world)
        provider = Provider(api, provider_secret)
        before = database_state()
        forged = provider.send(
            "chargeback.created",
            created(bundle.order.number, 500),
            signature="v1,bm90IHRoZSBzaWduYXR1cmU=",
        )
        wrong_secret = Provider(api, "whsec_" + "A" * 43).send(
            "chargeback.created", created(bundle.order.number, 500)
        )
        malformed = provider.send(
            "chargeback.created", created(bundle.order.number, 500), signature="garbage"
        )
        for response in (forged, wrong_secret, malformed):
            assert response.status == 401, response
            assert response.json()["code"] == "invalid_signature"
        assert database_state() == before

    def test_not_configured_answers_503(self, api: ApiClient, world: World, settings):
        settings.TRADEPOST_PROVIDER_WEBHOOK_SECRET = ""
        bundle = delivered_order(world)
        response = Provider(api, "whsec_" + "A" * 43).send(
            "chargeback.created", created(bundle.order.number, 500)
        )
        assert response.status == 503, response

    def test_a_redelivery_is_answered_as_the_first_and_changes_nothing(
        self, api: ApiClient, world: World, provider_secret: str
    ):
        # given
        bundle = delivered_order(world)
        provider = Provider(api, provider_secret)
        data = created(bundle.order.number, 1000)
        first = provider.send("chargeback.created", data, event_id="msg_42")
        assert first.status == 200, first
        before = database_state()
        # when: the provider retries the same message
        again = provider.send("chargeback.created", data, event_id="msg_42")
        # then
        assert again.status == 200, again
        assert again.json()["replayed"] is True
        assert first.json()["replayed"] is False
        assert again.json()["chargeback"]["id"] == first.json()["chargeback"]["id"]
        assert database_state() == before
        assert Chargeback.objects.count() == 1
        assert ProviderEvent.objects.count() == 1

    def test_a_chargeback_opens_a_case_waiting_on_the_seller(
        self, api: ApiClient, world: World, provider_secret: str
    ):
        bundle = delivered_order(world)
        response = Provider(api, provider_secret).send(
            "chargeback.created", created(bundle.order.number, 1000)
        )
        chargeback = response.json()["chargeback"]
        assert (chargeback["status"], chargeback["amount"], chargeback["provider_reference"]) == (
            "needs_response",
            1000,
            "dp_1",
        )
        case = api.get(f"/disputes/{chargeback['case']}", world.members["acme"].key).json()
        assert (case["kind"], case["status"], case["awaiting"]) == ("chargeback", "open", "seller")
        assert "resolve" not in case["actions"], "the bank's ruling resolves a chargeback case"
        assert money(bundle.order.number)["refunded"] == 0, "nothing moves before the ruling"
        buyer_view = api.get(f"/disputes/{chargeback['case']}", world.buyers["john"].key).json()
        assert buyer_view["chargeback"] is None

    def test_it_cannot_take_more_than_the_seller_order_holds(
        self, api: ApiClient, world: World, provider_secret: str
    ):
        bundle = delivered_order(world)
        response = Provider(api, provider_secret).send(
            "chargeback.created", created(bundle.order.number, bundle.order.total_amount + 1)
        )
        assert response.status == 422, response
        assert response.json()["errors"][0]["field"] == "amount"
        assert not Chargeback.objects.exists()


class TestEvidencePack:
    def test_the_pdf_and_zip_hold_the_order_tracking_timeline_and_messages(
        self, api: ApiClient, world: World, provider_secret: str
    ):
        # given: delivered and confirmed, a conversation with a photo, a thread with a PDF
        bundle = delivered_order(world)
        number, reference = bundle.order.number, reference_of(bundle)
        john, acme, owner = world.buyers["john"], world.members["acme"], world.owner
        case = open_case(api, john, reference, "not_received", "The parcel never arrived.")
        photo = upload_files(api, acme, upload("doorstep.png", png()))
        step(
            api,
            acme,
            case["id"],
            "respond",
            message="Delivered to the doorstep, photo attached.",
            attachment_ids=[photo.json()[0]["id"]],
        )
        assert send(api, john, reference, "Where is it?", upload("label.pdf", pdf())).status == 201
        chargeback = (
            Provider(api, provider_secret)
            .send("chargeback.created", created(number, 2500))
            .json()["chargeback"]
        )
        # when: the owner builds the pack
        built = api.post(f"/chargebacks/{chargeback['id']}/evidence-pack", owner.key)
        # then
        assert built.status == 201, built
        pack = built.json()
        pdf_response = api.client.get(
            pack["pdf_url"], headers={"Authorization": f"Bearer {owner.key}"}
        )
        assert pdf_response.status_code == 200
        pdf_bytes = b"".join(pdf_response.streaming_content)
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf_bytes)).pages)
        for expected in (
            f"Evidence for chargeback on order {number}",
            "Order details",
            "John Doe",
            "1 Main St",
            "Mug item",
            "Payment",
            "Tracking and delivery",
            "UPS 1Z-FIRST",
            "Delivered",
            "Timeline",
            "Payment of $25.00 captured.",
            "Messages",
            "The parcel never arrived.",
            "Delivered to the doorstep, photo attached.",
            "doorstep.png",
            "Where is it?",
        ):
            assert expected in text, f"{expected!r} missing from the PDF"
        zip_response = api.client.get(
            pack["zip_url"], headers={"Authorization": f"Bearer {owner.key}"}
        )
        archive = zipfile.ZipFile(io.BytesIO(b"".join(zip_response.streaming_content)))
        names = sorted(archive.namelist())
        assert names[:2] == ["attachments/001-doorstep.png", "attachments/002-label.pdf"]
        assert set(names[2:]) == {"evidence.json", "evidence.pdf"}
        assert archive.read("evidence.pdf") == pdf_bytes
        assert archive.read("attachments/001-doorstep.png") == png()
        export = json.loads(archive.read("evidence.json"))
        assert export["order"]["number"] == number
        assert export["chargeback"]["amount"] == 2500
        assert [c["source"] for c in export["conversations"]] == ["case", "case", "thread"]
        assert pack["attachment_count"] == 2

    def test_only_the_owner_builds_and_downloads_it(
        self, api: ApiClient, world: World, provider_secret: str
    ):
        bundle = delivered_order(world)
        chargeback = (
            Provider(api, provider_secret)
            .send("chargeback.created", created(bundle.order.number, 500))
            .json()["chargeback"]
        )
        seller = world.members["acme"].key
        assert api.post(f"/chargebacks/{chargeback['id']}/evidence-pack", seller).status == 404
        pack = api.post(f"/chargebacks/{chargeback['id']}/evidence-pack", world.owner.key).json()
        for url in (pack["pdf_url"], pack["zip_url"]):
            response = api.client.get(url, headers={"Authorization": f"Bearer {seller}"})
            assert response.status_code == 404


class TestTheRuling:
    def test_lost_takes_the_amount_back_and_resolves_the_case(
        self, api: ApiClient, world: World, provider_secret: str
    ):
        # given
        bundle = delivered_order(world)
        number = bundle.order.number
        provider = Provider(api, provider_secret)
        chargeback = provider.send("chargeback.created", created(number, 1000)).json()["chargeback"]
        owner = world.owner.key
        api.post(f"/chargebacks/{chargeback['id']}/evidence-pack", owner)
        submitted = api.post(f"/chargebacks/{chargeback['id']}/submit-evidence", owner)
        assert submitted.json()["status"] == "evidence_submitted"
        # when: the bank rules for the buyer
        ruled = provider.send("chargeback.closed", {"chargeback_id": "dp_1", "outcome": "lost"})
        # then: the money went back to the buyer, commission reversed pro rata
        assert ruled.status == 200, ruled
        assert (
            ruled.json()["chargeback"]["status"],
            ruled.json()["chargeback"]["taken_back_amount"],
        ) == (
            "lost",
            1000,
        )
        figures = money(number)
        part = figures["parts"][0]
        assert (figures["refunded"], figures["payment_status"]) == (1000, "partially_refunded")
        assert part["refunded"] == 1000
        assert part["commission_reversed"] == part["commission"] * 1000 // part["total"]
        assert (
            Refund.objects.get(seller_order__reference=reference_of(bundle)).reason == "chargeback"
        )
        case = api.get(f"/disputes/{chargeback['case']}", owner).json()
        assert (case["status"], case["outcome"]) == ("resolved", "charged_back")

    def test_lost_in_full_refunds_the_seller_order(
        self, api: ApiClient, world: World, provider_secret: str
    ):
        bundle = delivered_order(world)
        number = bundle.order.number
        chargeback = api.post(
            f"/orders/{number}/chargebacks",
            world.owner.key,
            {
                "amount": bundle.order.total_amount,
                "reason": "fraudulent",
                "respond_by": clock.ahead(14).isoformat(),
            },
        )
        assert chargeback.status == 201, chargeback
        ruled = api.post(
            f"/chargebacks/{chargeback.json()['id']}/outcome", world.owner.key, {"outcome": "lost"}
        )
        assert ruled.status == 200, ruled
        figures = money(number)
        assert (figures["payment_status"], figures["status"]) == ("refunded", "refunded")
        assert figures["parts"][0]["commission_reversed"] == figures["parts"][0]["commission"]

    def test_won_reverses_it_and_nothing_is_taken(
        self, api: ApiClient, world: World, provider_secret: str
    ):
        bundle = delivered_order(world)
        provider = Provider(api, provider_secret)
        chargeback = provider.send("chargeback.created", created(bundle.order.number, 1000)).json()[
            "chargeback"
        ]
        ruled = provider.send("chargeback.closed", {"chargeback_id": "dp_1", "outcome": "won"})
        assert ruled.status == 200, ruled
        assert ruled.json()["chargeback"]["status"] == "won"
        assert money(bundle.order.number)["refunded"] == 0
        case = api.get(f"/disputes/{chargeback['case']}", world.owner.key).json()
        assert (case["status"], case["outcome"]) == ("resolved", "no_action")
        again = provider.send("chargeback.closed", {"chargeback_id": "dp_1", "outcome": "lost"})
        assert again.status == 409, "a ruling is final"

    def test_no_refund_while_the_bank_decides(
        self, api: ApiClient, world: World, provider_secret: str
    ):
        bundle = delivered_order(world)
        number, reference = bundle.order.number, reference_of(bundle)
        Provider(api, provider_secret).send("chargeback.created", created(number, 1000))
        case = open_case(api, world.buyers["john"], reference, "damaged")
        response = step(
            api, world.owner, case["id"], "resolve", outcome="partial_refund", amount=100
        )
        assert response.status == 409, response
        assert money(number)["refunded"] == 0

    def test_a_refund_given_meanwhile_is_not_taken_twice(
        self, api: ApiClient, world: World, provider_secret: str
    ):
        # given: a chargeback for everything, but the seller order was already half refunded
        bundle = delivered_order(world)
        number, total = bundle.order.number, bundle.order.total_amount
        case = open_case(api, world.buyers["john"], reference_of(bundle), "damaged")
        step(api, world.owner, case["id"], "resolve", outcome="partial_refund", amount=total // 2)
        provider = Provider(api, provider_secret)
        too_much = provider.send("chargeback.created", created(number, total))
        assert too_much.status == 422, "the bank cannot take what was already refunded"
        provider.send("chargeback.created", created(number, total - total // 2))
        provider.send("chargeback.closed", {"chargeback_id": "dp_1", "outcome": "lost"})
        figures = money(number)
        assert figures["refunded"] == figures["captured"] == total


class TestOwnerRecording:
    def test_a_multi_seller_order_names_the_seller_order(self, api: ApiClient, world: World):
        bundle = paid_order(world, {"MUG": 1, "TEE": 1})
        number = bundle.order.number
        body = {"amount": 500, "reason": "general", "respond_by": clock.ahead(14).isoformat()}
        unnamed = api.post(f"/orders/{number}/chargebacks", world.owner.key, body)
        assert unnamed.status == 422, unnamed
        assert unnamed.json()["errors"][0]["field"] == "seller_order"
        named = api.post(
            f"/orders/{number}/chargebacks",
            world.owner.key,
            body | {"seller_order": reference_of(bundle, "bolt")},
        )
        assert named.status == 201, named
        assert named.json()["seller_order"] == reference_of(bundle, "bolt")

    def test_overdue_chargebacks_are_listed(self, api: ApiClient, world: World):
        bundle = delivered_order(world)
        past = (datetime.now(UTC) - timedelta(days=1)).isoformat()
        api.post(
            f"/orders/{bundle.order.number}/chargebacks",
            world.owner.key,
            {"amount": 500, "reason": "general", "respond_by": past},
        )
        items = api.get("/chargebacks", world.owner.key, overdue=True).json()["items"]
        assert len(items) == 1
        assert api.get("/chargebacks", world.members["bolt"].key).json()["items"] == []
        assert api.get("/chargebacks", world.buyers["john"].key).json()["items"] == []
