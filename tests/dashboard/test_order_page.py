"""The order page: what each role sees, the buttons the lifecycle allows, and the actions."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.builders import World, pay, place_order
from tests.dashboard.pages import buttons, signed_in
from tradepost.orders import services
from tradepost.orders.models import SellerOrder

pytestmark = pytest.mark.django_db


def _action(number: str, reference: str, action: str) -> str:
    return f"/dashboard/orders/{number}/seller-orders/{reference}/{action}/"


class TestWhatEachRoleSees:
    def test_the_owner_sees_items_buyer_sellers_money_and_timeline(self, world: World) -> None:
        bundle = pay(world, place_order(world, {"MUG": 2, "TEE": 1}, shipping={"acme": 500}))
        html = signed_in(world.owner).get(f"/dashboard/orders/{bundle.order.number}/")
        text = html.content.decode()
        for expected in (
            "Mug item",
            "Tee item",
            "John Doe",
            "john@buyers.test",
            "1 Main St",
            "Acme",
            "Bolt",
            "$50.00",  # total: 25.00 + 5.00 shipping + 20.00
            "Marketplace commission (10%)",
            "Marketplace commission (5%)",
            "Payment of $50.00 captured.",
            "Timeline",
        ):
            assert expected in text, expected

    def test_a_seller_sees_its_part_and_a_masked_email(self, world: World) -> None:
        bundle = place_order(world, {"MUG": 1, "TEE": 1})
        text = (
            signed_in(world.members["bolt"])
            .get(f"/dashboard/orders/{bundle.order.number}/")
            .content.decode()
        )
        assert "Tee item" in text
        assert "Mug item" not in text
        assert "j***@buyers.test" in text
        assert "john@buyers.test" not in text

    def test_another_sellers_order_does_not_exist(self, world: World) -> None:
        number = place_order(world, {"TEE": 1}).order.number
        response = signed_in(world.members["acme"]).get(f"/dashboard/orders/{number}/")
        assert response.status_code == 404
        response = signed_in(world.buyers["jane"]).get(f"/dashboard/orders/{number}/")
        assert response.status_code == 404

    def test_a_buyer_sees_no_commission(self, world: World) -> None:
        bundle = pay(world, place_order(world, {"MUG": 1}))
        text = (
            signed_in(world.buyers["john"])
            .get(f"/dashboard/orders/{bundle.order.number}/")
            .content.decode()
        )
        assert "commission" not in text.lower()

    def test_the_page_costs_a_fixed_number_of_queries(self, world: World) -> None:
        small = pay(world, place_order(world, {"MUG": 1})).order.number
        big = pay(world, place_order(world, {"MUG": 3, "BOWL": 2, "TEE": 1, "CAP": 4})).order.number
        client = signed_in(world.owner)
        counts = []
        for number in (small, big):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(f"/dashboard/orders/{number}/").status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1]


class TestButtonsFollowTheLifecycle:
    def test_buttons_at_each_step(self, world: World) -> None:
        bundle = place_order(world, {"MUG": 1})
        number = bundle.order.number
        reference = bundle.seller_orders[0].seller_order.reference
        owner, seller = signed_in(world.owner), signed_in(world.members["acme"])
        buyer = signed_in(world.buyers["john"])

        def shown(client: Client) -> list[str]:
            return buttons(client.get(f"/dashboard/orders/{number}/").content.decode())

        assert "Record payment" in shown(owner)
        assert shown(seller) == []
        assert f"Cancel {reference}" in shown(buyer)
        pay(world, bundle)
        assert "Acknowledge" in shown(seller)
        assert "Acknowledge" not in shown(buyer)
        assert "Record payment" not in shown(owner)
        services.seller_order_acknowledge(actor=world.owner.actor, reference=reference)
        assert "Ship" in shown(seller)
        assert f"Cancel {reference}" not in shown(buyer)  # buyers cancel before processing only
        services.shipment_create(
            actor=world.owner.actor,
            reference=reference,
            parcel=services.Parcel(carrier="UPS", tracking_number="1Z999"),
        )
        assert "Confirm delivery" in shown(buyer)
        assert "Ship" not in shown(seller)
        assert "Mark delivered" in shown(seller)


class TestActions:
    def test_the_seller_acknowledges_and_ships_in_two_parcels(self, world: World) -> None:
        bundle = pay(world, place_order(world, {"MUG": 3}))
        number, so = bundle.order.number, bundle.seller_orders[0].seller_order
        seller = signed_in(world.members["acme"])
        response = seller.post(_action(number, so.reference, "acknowledge"))
        assert response.status_code == 302
        first = seller.post(
            _action(number, so.reference, "ship"),
            {"carrier": "UPS", "tracking_number": "1Z1", "qty-MUG": "1"},
        )
        assert first.status_code == 302
        page = seller.get(f"/dashboard/orders/{number}/").content.decode()
        assert "partially shipped" in page
        seller.post(
            _action(number, so.reference, "ship"),
            {
                "carrier": "DHL",
                "tracking_number": "JD2",
                "tracking_url": "https://dhl.example/JD2",
                "qty-MUG": "2",
            },
        )
        so.refresh_from_db()
        assert so.status == "shipped"
        page = signed_in(world.buyers["john"]).get(f"/dashboard/orders/{number}/").content.decode()
        assert 'href="https://dhl.example/JD2"' in page
        assert 'aria-current="step">Shipped' in page

    def test_the_buyer_confirms_delivery(self, world: World) -> None:
        bundle = pay(world, place_order(world, {"MUG": 1}))
        number, so = bundle.order.number, bundle.seller_orders[0].seller_order
        services.seller_order_acknowledge(actor=world.owner.actor, reference=so.reference)
        services.shipment_create(
            actor=world.owner.actor,
            reference=so.reference,
            parcel=services.Parcel(carrier="UPS", tracking_number="1Z"),
        )
        buyer = signed_in(world.buyers["john"])
        response = buyer.post(_action(number, so.reference, "complete"), follow=True)
        assert "delivery confirmed" in response.content.decode()
        so.refresh_from_db()
        assert so.status == "completed"

    def test_a_missing_carrier_is_shown_next_to_the_field_and_nothing_changes(
        self, world: World
    ) -> None:
        bundle = pay(world, place_order(world, {"MUG": 1}))
        number, so = bundle.order.number, bundle.seller_orders[0].seller_order
        services.seller_order_acknowledge(actor=world.owner.actor, reference=so.reference)
        response = signed_in(world.members["acme"]).post(
            _action(number, so.reference, "ship"), {"tracking_number": "1Z"}
        )
        assert response.status_code == 422
        text = response.content.decode()
        field = text[text.index(f'id="{so.reference}-carrier"') :]
        assert 'aria-invalid="true"' in text
        assert "This field is required." in field[:600]
        assert not so.shipments.exists()

    def test_a_tracking_number_the_marketplace_requires_is_named(self, world: World) -> None:
        bundle = pay(world, place_order(world, {"MUG": 1}))
        number, so = bundle.order.number, bundle.seller_orders[0].seller_order
        services.seller_order_acknowledge(actor=world.owner.actor, reference=so.reference)
        response = signed_in(world.members["acme"]).post(
            _action(number, so.reference, "ship"), {"carrier": "UPS"}
        )
        assert response.status_code == 422
        assert "Tracking number is required by this marketplace" in response.content.decode()

    def test_a_seller_cancel_needs_a_reason(self, world: World) -> None:
        bundle = pay(world, place_order(world, {"MUG": 1}))
        number, so = bundle.order.number, bundle.seller_orders[0].seller_order
        seller = signed_in(world.members["acme"])
        refused = seller.post(_action(number, so.reference, "cancel"), {"reason": " "})
        assert refused.status_code == 422
        assert "is required when a seller or the owner cancels" in refused.content.decode()
        done = seller.post(_action(number, so.reference, "cancel"), {"reason": "Out of stock"})
        assert done.status_code == 302
        so.refresh_from_db()
        assert (so.status, so.cancel_reason) == ("canceled", "Out of stock")

    def test_a_refused_transition_says_what_is_allowed(self, world: World) -> None:
        bundle = place_order(world, {"MUG": 1})  # not paid: nothing to acknowledge
        number, so = bundle.order.number, bundle.seller_orders[0].seller_order
        response = signed_in(world.members["acme"]).post(
            _action(number, so.reference, "acknowledge")
        )
        assert response.status_code == 409
        assert "cannot move to &#x27;processing&#x27;" in response.content.decode()
        assert SellerOrder.objects.get(pk=so.pk).status == "awaiting_payment"

    def test_another_sellers_order_cannot_be_acted_on(self, world: World) -> None:
        bundle = pay(world, place_order(world, {"TEE": 1}))
        number, so = bundle.order.number, bundle.seller_orders[0].seller_order
        response = signed_in(world.members["acme"]).post(
            _action(number, so.reference, "acknowledge")
        )
        assert response.status_code == 404
        assert SellerOrder.objects.get(pk=so.pk).status == "pending"

    def test_actions_need_post_and_a_csrf_token(self, world: World) -> None:
        bundle = pay(world, place_order(world, {"MUG": 1}))
        number, so = bundle.order.number, bundle.seller_orders[0].seller_order
        seller = signed_in(world.members["acme"])
        assert seller.get(_action(number, so.reference, "acknowledge")).status_code == 405
        strict = Client(enforce_csrf_checks=True)
        strict.force_login(world.members["acme"].user)
        assert strict.post(_action(number, so.reference, "acknowledge")).status_code == 403

    def test_the_owner_records_a_failed_payment_then_the_buyer_retries(self, world: World) -> None:
        bundle = place_order(world, {"MUG": 1})
        number = bundle.order.number
        owner = signed_in(world.owner)
        response = owner.post(
            f"/dashboard/orders/{number}/payment/record_payment/",
            {
                "reference": "ch_1",
                "amount": "1250",
                "outcome": "failed",
                "failure_reason": "card declined",
            },
        )
        assert response.status_code == 302
        buyer = signed_in(world.buyers["john"])
        assert "Retry payment" in buttons(
            buyer.get(f"/dashboard/orders/{number}/").content.decode()
        )
        assert buyer.post(f"/dashboard/orders/{number}/payment/retry_payment/").status_code == 302
        wrong = owner.post(
            f"/dashboard/orders/{number}/payment/record_payment/",
            {"reference": "ch_2", "amount": "99", "outcome": "succeeded"},
        )
        assert wrong.status_code == 422
        assert "must equal the amount due, 1250" in wrong.content.decode()
        paid = owner.post(
            f"/dashboard/orders/{number}/payment/record_payment/",
            {"reference": "ch_2", "amount": "1250", "outcome": "succeeded"},
        )
        assert paid.status_code == 302
        bundle.order.refresh_from_db()
        assert bundle.order.payment_status == "paid"
