"""Returns end to end through the API: request with proof, authorise, send back, receive, then a
refund of the lines or a replacement parcel; and every refusal on the way."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.builders import ApiClient, World, pay, place_order
from tests.notifications.flows import run_worker
from tests.notifications.smtp import SmtpSink
from tests.payments.flows import delivered_order, reference_of
from tests.returns.flows import ADDRESS, request_return, step, walk_to_received
from tests.webhooks.receiver import Receiver
from tradepost.catalog.models import Listing
from tradepost.core.models import OutboxEvent
from tradepost.notifications.models import Notification
from tradepost.orders import services as fulfilment
from tradepost.orders.models import Order, OrderEvent, SellerOrder
from tradepost.payments.models import Refund
from tradepost.returns.lifecycle_table import docs_with_table
from tradepost.webhooks import services as webhooks

pytestmark = pytest.mark.django_db

JOHN = "john@buyers.test"


def _timeline_kinds(order: Order) -> list[str]:
    return list(
        OrderEvent.objects.filter(order=order, kind__startswith="return").values_list(
            "kind", flat=True
        )
    )


class TestReturnRefundedAfterInspection:
    def test_the_returned_unit_is_refunded_with_its_share_and_put_back_on_sale(
        self, api: ApiClient, world: World
    ):
        # given: two mugs delivered, 5.00 shipping and 1.00 tax; one arrived cracked
        bundle = delivered_order(world, {"MUG": 2}, shipping={"acme": 500}, tax=100)
        reference = reference_of(bundle)
        stock_before = Listing.objects.get(sku="MUG").stock_quantity
        # when: the buyer asks to return it with a photo
        asked = request_return(api, world, reference, {"MUG": 1}, note="Cracked handle.")
        # then
        assert asked.status == 201, asked
        ret = asked.json()
        assert (ret["status"], ret["reason"], ret["actions"]) == (
            "requested",
            "damaged",
            ["withdraw"],
        )
        assert [(line["sku"], line["quantity"]) for line in ret["lines"]] == [("MUG", 1)]
        assert len(ret["proofs"]) == 1
        acme, john = world.members["acme"].key, world.buyers["john"].key
        seen = api.get(f"/returns/{ret['id']}", acme).json()
        assert seen["actions"] == ["authorize", "decline"]
        # when: acme authorises with an address, the buyer sends it back, acme receives it
        authorized = step(
            api, acme, ret["id"], "authorize", return_address=ADDRESS, instructions="Original box."
        )
        assert authorized.status == 200, authorized
        assert authorized.json()["return_address"] == ADDRESS
        sent = step(api, john, ret["id"], "ship-back", carrier="UPS", tracking_number="1ZBACK")
        assert (sent.json()["status"], sent.json()["return_tracking_number"]) == (
            "shipped_back",
            "1ZBACK",
        )
        received = step(api, acme, ret["id"], "receive", note="Arrived today.")
        assert received.json()["actions"] == ["refund", "exchange", "decline"]
        refunded = step(
            api, acme, ret["id"], "refund", inspection_note="Handle cracked.", restock=True
        )
        # then: half the items, half the shipping and half the tax come back
        assert refunded.status == 200, refunded
        body = refunded.json()
        assert body["status"] == "refunded"
        assert body["refund"]["amount"] == 1250 + 250 + 50
        assert (body["refund"]["shipping_share_amount"], body["refund"]["tax_share_amount"]) == (
            250,
            50,
        )
        assert body["refund"]["lines"][0]["quantity_restocked"] == 1
        part = SellerOrder.objects.get(reference=reference)
        order = Order.objects.get(pk=bundle.order.pk)
        assert part.refunded_amount == order.refunded_amount == 1550
        assert part.commission_reversed_amount == part.commission_amount * 1550 // 3100
        assert (order.payment_status, part.status) == ("partially_refunded", "delivered")
        assert Listing.objects.get(sku="MUG").stock_quantity == stock_before + 1
        refund = Refund.objects.get()
        assert refund.idempotency_key == f"return-{ret['id']}"
        assert OrderEvent.objects.get(kind="refund.issued").actor_role == "system"
        assert _timeline_kinds(order) == [
            "return.requested",
            "return.authorized",
            "return.shipped_back",
            "return.received",
            "return.refunded",
        ]
        types = set(OutboxEvent.objects.values_list("type", flat=True))
        assert {"return.requested", "return.refunded", "refund.created"} <= types
        # and the order shows the money the buyer sees
        shown = api.get(f"/orders/{bundle.order.number}", john).json()
        assert (shown["refunded_amount"], shown["payment_status"]) == (1550, "partially_refunded")

    def test_returning_every_unit_refunds_the_seller_order_exactly(
        self, api: ApiClient, world: World
    ):
        bundle = delivered_order(world, {"MUG": 1, "BOWL": 1}, shipping={"acme": 333}, tax=77)
        reference = reference_of(bundle)
        return_id = walk_to_received(api, world, reference, {"MUG": 1, "BOWL": 1})
        refunded = step(
            api, world.members["acme"].key, return_id, "refund", inspection_note="Both broken."
        )
        assert refunded.status == 200, refunded
        part = SellerOrder.objects.get(reference=reference)
        order = Order.objects.get(pk=bundle.order.pk)
        assert part.refunded_amount == part.total_amount == order.captured_amount
        assert part.commission_reversed_amount == part.commission_amount
        assert (part.status, order.payment_status, order.status) == (
            "refunded",
            "refunded",
            "refunded",
        )
        assert OutboxEvent.objects.filter(type="order.refunded").count() == 1


class TestExchange:
    def test_a_replacement_parcel_ships_with_new_tracking(
        self, api: ApiClient, world: World, smtp: SmtpSink
    ):
        # given: a wrong bowl came back to acme
        bundle = delivered_order(world, {"BOWL": 2})
        reference = reference_of(bundle)
        return_id = walk_to_received(api, world, reference, {"BOWL": 1})
        stock_before = Listing.objects.get(sku="BOWL").stock_quantity
        # when: acme sends the right one
        exchanged = step(
            api,
            world.members["acme"].key,
            return_id,
            "exchange",
            inspection_note="We sent the blue one by mistake.",
            carrier="DHL",
            tracking_number="JD0002",
            tracking_url="https://track.example/JD0002",
        )
        # then: a real parcel of the seller order, no money moved, one bowl less in stock
        assert exchanged.status == 200, exchanged
        body = exchanged.json()
        assert (body["status"], body["refund"]) == ("exchanged", None)
        assert body["replacement"]["tracking_number"] == "JD0002"
        shown = api.get(f"/orders/{bundle.order.number}", world.buyers["john"].key).json()
        parcels = shown["seller_orders"][0]["shipments"]
        assert [p["tracking_number"] for p in parcels] == ["1Z1", "JD0002"]
        assert parcels[1]["lines"] == [{"sku": "BOWL", "quantity": 1}]
        assert shown["refunded_amount"] == 0
        assert shown["seller_orders"][0]["lines"][0]["quantity_shipped"] == 2
        assert Listing.objects.get(sku="BOWL").stock_quantity == stock_before - 1
        # and the buyer is told, with the replacement's tracking
        run_worker()
        (email,) = [m for m in smtp.to(JOHN) if "replacement" in m.subject]
        assert "JD0002" in email.body
        assert "https://track.example/JD0002" in email.body
        assert "1 \N{MULTIPLICATION SIGN} Bowl item" in email.body

    def test_no_stock_for_a_replacement_is_refused_and_changes_nothing(
        self, api: ApiClient, world: World
    ):
        bundle = delivered_order(world, {"RARE": 1})
        return_id = walk_to_received(api, world, reference_of(bundle), {"RARE": 1})
        refused = step(
            api,
            world.members["acme"].key,
            return_id,
            "exchange",
            inspection_note="Scratched.",
            carrier="DHL",
            tracking_number="JD1",
        )
        assert refused.status == 409, refused
        assert refused.json()["code"] == "out_of_stock"
        assert api.get(f"/returns/{return_id}", world.owner.key).json()["status"] == "received"


class TestDecisionsReachTheBuyer:
    def test_authorised_and_declined_returns_are_emailed(
        self, api: ApiClient, world: World, smtp: SmtpSink
    ):
        bundle = delivered_order(world, {"MUG": 2})
        reference = reference_of(bundle)
        acme = world.members["acme"].key
        first = request_return(api, world, reference, {"MUG": 1}).json()
        step(
            api,
            acme,
            first["id"],
            "authorize",
            return_address=ADDRESS,
            return_carrier="UPS",
            return_tracking_number="1ZLABEL",
        )
        second = request_return(api, world, reference, {"MUG": 1}).json()
        step(api, acme, second["id"], "decline", reason="Used items are not taken back.")
        run_worker()
        subjects = {m.subject: m for m in smtp.to(JOHN)}
        accepted = subjects[f"Your return for order {bundle.order.number} is accepted"]
        assert ADDRESS in accepted.body
        assert "Return label: UPS 1ZLABEL." in accepted.body
        declined = subjects[f"Your return for order {bundle.order.number} was declined"]
        assert "Reason: Used items are not taken back." in declined.body
        # the seller hears of the request in its dashboard
        assert Notification.objects.filter(kind="return.requested").count() == 2

    def test_each_step_reaches_a_webhook_endpoint_signed(
        self, api: ApiClient, world: World, receiver: Receiver
    ):
        created = webhooks.endpoint_create(actor=world.members["acme"].actor, url=receiver.url)
        receiver.secrets = [created.secret]
        bundle = delivered_order(world, {"MUG": 1})
        walk_to_received(api, world, reference_of(bundle), {"MUG": 1})
        run_worker()
        returns = [r.json() for r in receiver.received if r.json()["type"].startswith("return.")]
        assert [r["type"] for r in returns] == [
            "return.requested",
            "return.authorized",
            "return.shipped_back",
            "return.received",
        ]
        assert all(r.verified_with == [created.secret] for r in receiver.received)
        assert returns[-1]["data"]["return"]["return_tracking_number"] == "1ZRETURN"
        assert JOHN not in str([r.body for r in receiver.received if b"return." in r.body])


class TestRefusals:
    def test_only_the_buyer_or_the_owner_asks_for_a_return(self, api: ApiClient, world: World):
        bundle = delivered_order(world, {"MUG": 1})
        body = {"reason": "damaged", "lines": [{"sku": "MUG", "quantity": 1}]}
        path = f"/seller-orders/{reference_of(bundle)}/returns"
        assert api.post(path, world.members["acme"].key, body).status == 403

    def test_each_step_is_for_its_roles(self, api: ApiClient, world: World):
        bundle = delivered_order(world, {"MUG": 1})
        ret = request_return(api, world, reference_of(bundle), {"MUG": 1}).json()
        john, acme = world.buyers["john"].key, world.members["acme"].key
        refused = step(api, john, ret["id"], "authorize", return_address=ADDRESS)
        assert refused.status == 403, refused
        assert refused.json()["allowed_next_statuses"] == ["withdrawn"]
        assert step(api, john, ret["id"], "decline", reason="No").status == 403
        step(api, acme, ret["id"], "authorize", return_address=ADDRESS)
        assert (
            step(api, acme, ret["id"], "ship-back", carrier="UPS", tracking_number="1").status
            == 403
        )
        assert step(api, john, ret["id"], "receive").status == 403
        assert step(api, acme, ret["id"], "withdraw").status == 403

    @pytest.mark.parametrize(
        ("action", "body"),
        [
            ("receive", {}),
            ("ship-back", {"carrier": "UPS", "tracking_number": "1"}),
            ("refund", {"inspection_note": "ok"}),
            ("exchange", {"inspection_note": "ok", "carrier": "UPS", "tracking_number": "1"}),
        ],
    )
    def test_a_step_out_of_turn_names_the_status_and_the_next_ones(
        self, api: ApiClient, world: World, action: str, body: dict[str, str]
    ):
        bundle = delivered_order(world, {"MUG": 1})
        ret = request_return(api, world, reference_of(bundle), {"MUG": 1}).json()
        refused = step(api, world.owner.key, ret["id"], action, **body)
        assert refused.status == 409, refused
        problem = refused.json()
        assert (problem["code"], problem["current_status"]) == ("invalid_transition", "requested")
        assert problem["allowed_next_statuses"] == ["authorized", "declined"]

    def test_a_received_return_can_no_longer_be_withdrawn(self, api: ApiClient, world: World):
        bundle = delivered_order(world, {"MUG": 1})
        return_id = walk_to_received(api, world, reference_of(bundle), {"MUG": 1})
        refused = step(api, world.buyers["john"].key, return_id, "withdraw")
        assert refused.status == 409
        assert refused.json()["current_status"] == "received"

    def test_a_withdrawn_return_frees_its_units(self, api: ApiClient, world: World):
        bundle = delivered_order(world, {"MUG": 1})
        reference = reference_of(bundle)
        ret = request_return(api, world, reference, {"MUG": 1}).json()
        again = request_return(api, world, reference, {"MUG": 1})
        assert again.status == 422
        withdrawn = step(api, world.buyers["john"].key, ret["id"], "withdraw", note="Fixed it.")
        assert withdrawn.json()["status"] == "withdrawn"
        assert request_return(api, world, reference, {"MUG": 1}).status == 201

    def test_more_units_than_shipped_and_not_returned_are_refused(
        self, api: ApiClient, world: World
    ):
        bundle = delivered_order(world, {"MUG": 2})
        reference = reference_of(bundle)
        too_many = request_return(api, world, reference, {"MUG": 3})
        assert too_many.status == 422
        assert too_many.json()["errors"][0]["field"] == "lines[0].quantity"
        assert "only 2 of MUG can be returned" in too_many.json()["detail"]
        assert request_return(api, world, reference, {"MUG": 2}).status == 201
        assert request_return(api, world, reference, {"MUG": 1}).status == 422
        unknown = request_return(api, world, reference, {"TEE": 1})
        assert unknown.json()["errors"][0]["field"] == "lines[0].sku"

    def test_refunded_units_are_not_returned_again(self, api: ApiClient, world: World):
        bundle = delivered_order(world, {"MUG": 2})
        reference = reference_of(bundle)
        api.post(
            f"/seller-orders/{reference}/refunds",
            world.owner.key,
            {"reason": "damaged", "lines": [{"sku": "MUG", "quantity": 1}]},
        )
        assert request_return(api, world, reference, {"MUG": 2}).status == 422
        assert request_return(api, world, reference, {"MUG": 1}).status == 201

    def test_nothing_shipped_has_nothing_to_return(self, api: ApiClient, world: World):
        bundle = pay(world, place_order(world, {"MUG": 1}))
        refused = request_return(api, world, reference_of(bundle), {"MUG": 1})
        assert refused.status == 409
        assert refused.json()["current_status"] == "pending"

    def test_a_reason_without_anything_to_send_back_is_refused(self, api: ApiClient, world: World):
        bundle = delivered_order(world, {"MUG": 1})
        refused = request_return(api, world, reference_of(bundle), {"MUG": 1}, reason="other")
        assert refused.status == 422
        assert refused.json()["errors"][0]["field"] == "reason"

    def test_decisions_and_outcomes_need_their_words(self, api: ApiClient, world: World):
        bundle = delivered_order(world, {"MUG": 1})
        ret = request_return(api, world, reference_of(bundle), {"MUG": 1}).json()
        acme = world.members["acme"].key
        assert step(api, acme, ret["id"], "authorize", return_address="").status == 422
        assert step(api, acme, ret["id"], "decline", reason="").status == 422
        step(api, acme, ret["id"], "authorize", return_address=ADDRESS)
        untracked = step(api, world.buyers["john"].key, ret["id"], "ship-back", carrier="UPS")
        assert untracked.status == 422
        assert untracked.json()["errors"][0]["field"] == "tracking_number"
        step(api, acme, ret["id"], "receive")
        blank = step(api, acme, ret["id"], "refund", inspection_note="   ")
        assert blank.json()["errors"][0]["field"] == "inspection_note"
        assert not Refund.objects.exists()


class TestRefundPolicy:
    def test_after_the_window_the_buyer_is_refused_naming_the_rule(
        self, api: ApiClient, world: World
    ):
        bundle = delivered_order(world, {"MUG": 1}, days_ago=31)
        refused = request_return(api, world, reference_of(bundle), {"MUG": 1})
        assert refused.status == 422
        problem = refused.json()
        assert (problem["code"], problem["policy_rules"]) == (
            "refund_policy",
            ["refund_window_days"],
        )
        assert problem["errors"][0]["field"] == "refund_window"

    def test_proof_is_required_for_a_damaged_item(self, api: ApiClient, world: World):
        bundle = delivered_order(world, {"MUG": 1})
        refused = request_return(api, world, reference_of(bundle), {"MUG": 1}, proofs=0)
        assert refused.status == 422
        assert refused.json()["errors"][0]["field"] == "attachment_ids"

    def test_the_owner_overrides_with_a_note_the_timeline_keeps(self, api: ApiClient, world: World):
        bundle = delivered_order(world, {"MUG": 1}, days_ago=40)
        reference = reference_of(bundle)
        without = request_return(api, world, reference, {"MUG": 1}, who="owner")
        assert without.status == 422
        fields = [error["field"] for error in without.json()["errors"]]
        assert fields == ["refund_window", "policy_override_note"]
        note = "Buyer was in hospital; goodwill."
        opened = request_return(
            api, world, reference, {"MUG": 1}, who="owner", policy_override_note=note
        )
        assert opened.status == 201, opened
        assert opened.json()["policy_override_note"] == note
        overridden = OrderEvent.objects.get(kind="return_policy.overridden")
        assert overridden.details["policy_rules"] == ["refund_window_days"]


class TestScope:
    def test_other_tenants_do_not_see_a_return_and_sellers_never_see_the_buyers_email(
        self, api: ApiClient, world: World
    ):
        bundle = delivered_order(world, {"MUG": 1})
        ret = request_return(api, world, reference_of(bundle), {"MUG": 1}).json()
        for party in (world.members["bolt"], world.buyers["jane"]):
            assert api.get(f"/returns/{ret['id']}", party.key).status == 404
            assert step(api, party.key, ret["id"], "withdraw").status == 404
            assert api.get("/returns", party.key).json()["items"] == []
        seen = api.get("/returns", world.members["acme"].key)
        assert [item["id"] for item in seen.json()["items"]] == [ret["id"]]
        assert JOHN not in seen.body.decode()
        owner = api.get("/returns", world.owner.key, status="requested").json()["items"]
        assert [item["id"] for item in owner] == [ret["id"]]
        assert api.get("/returns", world.owner.key, status="refunded").json()["items"] == []

    def test_an_unknown_or_malformed_id_is_not_found(self, api: ApiClient, world: World):
        assert api.get("/returns/not-a-uuid", world.owner.key).status == 404
        missing = "00000000-0000-0000-0000-000000000000"
        assert api.get(f"/returns/{missing}", world.owner.key).status == 404


class TestLifecycleTable:
    def test_the_table_is_public_and_matches_the_docs(self, api: ApiClient):
        table = api.get("/returns/lifecycle", None).json()
        assert table["field"] == "return_status"
        steps = {(t["source"], t["target"]) for t in table["transitions"]}
        assert ("received", "refunded") in steps
        assert ("requested", "declined") in steps
        document = Path(__file__).resolve().parents[2] / "docs" / "returns.md"
        text = document.read_text()
        assert docs_with_table(text) == text, "run `make docs` to refresh docs/returns.md"


def test_fulfilment_of_the_replacement_stays_with_the_seller_order(api: ApiClient, world: World):
    """A delivered seller order stays delivered through an exchange, and may still complete."""
    bundle = delivered_order(world, {"MUG": 1})
    reference = reference_of(bundle)
    return_id = walk_to_received(api, world, reference, {"MUG": 1})
    step(
        api,
        world.members["acme"].key,
        return_id,
        "exchange",
        inspection_note="Chipped.",
        carrier="UPS",
        tracking_number="1ZNEW",
    )
    assert SellerOrder.objects.get(reference=reference).status == "delivered"
    fulfilment.seller_order_complete(actor=world.buyers["john"].actor, reference=reference)
    assert SellerOrder.objects.get(reference=reference).status == "completed"
