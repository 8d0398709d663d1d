"""Emails end to end: real orders through the services, the worker, a real SMTP server.

Each test checks who received what, as a mail server sees it: envelope recipients and the text.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from tests.builders import World, pay, place_order
from tests.notifications.conftest import PUBLIC_URL
from tests.notifications.flows import reference, run_worker, ship
from tests.notifications.smtp import SmtpSink
from tradepost.accounts import services as accounts
from tradepost.accounts.selectors import actor_for_user
from tradepost.catalog import services as catalog
from tradepost.notifications.models import EmailStatus, OutgoingEmail
from tradepost.orders import services
from tradepost.orders.checkout import Cart, CartLine, order_create

pytestmark = pytest.mark.django_db

TIMES = "\N{MULTIPLICATION SIGN}"
JOHN = "john@buyers.test"
ACME = "a@acme.test"
BOLT = "b@bolt.test"
SHIPPED = (
    "Hello John Doe, your order for {product} has been shipped! You can expect delivery in "
    "{days} days. Thank you for shopping with us!"
)
DELIVERED = (
    "Hello John Doe, we hope you received your order in perfect condition! Let us know if you "
    "need any assistance. We'd also love to hear your feedback!"
)


def order_url(number: str) -> str:
    return f"{PUBLIC_URL}/dashboard/orders/{number}/"


class TestNewPaidOrder:
    def test_nothing_is_sent_for_an_order_not_yet_paid(self, world: World, smtp: SmtpSink) -> None:
        place_order(world, {"MUG": 1})
        run_worker()
        assert smtp.received == []

    def test_each_seller_gets_its_own_lines_at_the_sellers_address(
        self, world: World, smtp: SmtpSink
    ) -> None:
        # given
        bundle = pay(world, place_order(world, {"MUG": 2, "TEE": 1}, shipping={"acme": 500}))
        number = bundle.order.number
        # when
        run_worker()
        # then
        acme, bolt = smtp.one_to(ACME), smtp.one_to(BOLT)
        assert acme.recipients == [ACME]
        assert acme.subject == f"New order {number}: please acknowledge it"
        assert f"2 {TIMES} Mug item — $25.00" in acme.body
        assert "Your total: $30.00" in acme.body  # its lines and its shipping, nobody else's
        assert "Tee item" not in acme.body
        assert order_url(number) in acme.body
        assert "Please acknowledge it by " in acme.body
        assert f"1 {TIMES} Tee item — $20.00" in bolt.body
        assert "Mug item" not in bolt.body

    def test_the_buyer_gets_a_confirmation_with_every_item_and_the_amount_paid(
        self, world: World, smtp: SmtpSink
    ) -> None:
        bundle = pay(world, place_order(world, {"MUG": 2, "TEE": 1}))
        run_worker()
        mail = smtp.one_to(JOHN)
        assert mail.subject == f"Your order {bundle.order.number} is confirmed"
        assert mail.body.startswith("Hello John Doe,")
        assert "We received your payment of $45.00" in mail.body
        assert f"2 {TIMES} Mug item — $25.00" in mail.body
        assert f"1 {TIMES} Tee item — $20.00" in mail.body
        assert order_url(bundle.order.number) in mail.body

    def test_a_seller_email_never_carries_the_buyers_address(
        self, world: World, smtp: SmtpSink
    ) -> None:
        # given: a buyer who typed their email address as their name, too
        user = accounts.user_create(username="sam", email="sam@private.test", password="pw")
        sam = accounts.buyer_create(name="sam@private.test", email="sam@private.test", user=user)
        cart = Cart(
            lines=[CartLine(world.listings["MUG"].public_id, 1)],
            shipping_address={"name": "Sam", "line1": "1 St", "city": "X", "country": "US"},
            shipping_amounts={},
        )
        actor = actor_for_user(User.objects.get(pk=user.pk))
        assert actor is not None
        bundle = order_create(actor=actor, cart=cart, buyer=sam)
        # when
        pay(world, bundle)
        run_worker()
        # then
        seller_mail = smtp.one_to(ACME)
        assert b"sam@private.test" not in seller_mail.raw
        assert "s***@private.test" in seller_mail.body
        assert smtp.one_to("sam@private.test").body.startswith("Hello sam@private.test,")

    def test_the_seller_email_goes_to_the_sellers_current_address(
        self, world: World, smtp: SmtpSink
    ) -> None:
        catalog.seller_update(actor=world.owner.actor, slug="acme", email="orders@acme.test")
        pay(world, place_order(world, {"MUG": 1}))
        run_worker()
        assert smtp.one_to("orders@acme.test")
        assert smtp.to(ACME) == []


class TestPaymentFailed:
    def test_the_buyer_is_asked_to_retry_with_a_link_to_the_order(
        self, world: World, smtp: SmtpSink
    ) -> None:
        bundle = pay(world, place_order(world, {"MUG": 1}), succeeded=False)
        run_worker()
        mail = smtp.one_to(JOHN)
        assert mail.subject == f"Payment failed for your order {bundle.order.number}"
        assert "We could not take the payment of $12.50" in mail.body
        assert f"Please try again: {order_url(bundle.order.number)}" in mail.body
        assert smtp.to(ACME) == []  # nothing for the seller to do yet


class TestShipment:
    def test_the_buyer_gets_the_shipping_message_with_carrier_and_tracking(
        self, world: World, smtp: SmtpSink
    ) -> None:
        # given
        bundle = pay(world, place_order(world, {"MUG": 2}))
        run_worker()
        # when
        ship(world, bundle, "acme")
        run_worker()
        # then
        mail = smtp.to(JOHN)[-1]
        assert mail.subject == f"Your order {bundle.order.number} has been shipped"
        assert mail.body.startswith(SHIPPED.format(product="Mug item", days=5))
        assert "Carrier: UPS" in mail.body
        assert "Tracking number: 1Z999AA10123456784" in mail.body
        assert "Track it: https://www.ups.com/track?tracknum=1Z999AA10123456784" in mail.body

    def test_the_delivery_estimate_is_the_marketplaces(self, world: World, smtp: SmtpSink) -> None:
        catalog.marketplace_update(actor=world.owner.actor, delivery_estimate_days=3)
        bundle = pay(world, place_order(world, {"MUG": 1}))
        ship(world, bundle, "acme")
        run_worker()
        mail = smtp.to(JOHN)[-1]
        assert mail.body.startswith(SHIPPED.format(product="Mug item", days=3))

    def test_each_sellers_part_is_its_own_shipment_email(
        self, world: World, smtp: SmtpSink
    ) -> None:
        bundle = pay(world, place_order(world, {"MUG": 1, "TEE": 1}))
        ship(world, bundle, "acme")
        ship(world, bundle, "bolt", carrier="DHL", tracking_number="JD014600", tracking_url="")
        run_worker()
        shipped = [m for m in smtp.to(JOHN) if "has been shipped" in m.subject]
        assert [m.body.split("!")[0] for m in shipped] == [
            "Hello John Doe, your order for Mug item has been shipped",
            "Hello John Doe, your order for Tee item has been shipped",
        ]
        # A parcel without a tracking page points at the order page, which lists the parcels.
        assert f"Track it: {order_url(bundle.order.number)}" in shipped[1].body
        assert "Carrier: DHL" in shipped[1].body

    def test_parcels_sent_in_several_goes_are_one_email_after_the_last(
        self, world: World, smtp: SmtpSink
    ) -> None:
        bundle = pay(world, place_order(world, {"MUG": 1, "BOWL": 1}))
        ref = reference(bundle, "acme")
        member = world.members["acme"].actor
        services.seller_order_acknowledge(actor=member, reference=ref)
        for sku, tracking in (("MUG", "1ZAAA"), ("BOWL", "1ZBBB")):
            parcel = services.Parcel(
                "UPS", tracking, lines=[services.ParcelLine(sku=sku, quantity=1)]
            )
            services.shipment_create(actor=member, reference=ref, parcel=parcel)
        run_worker()
        shipped = [m for m in smtp.to(JOHN) if "has been shipped" in m.subject]
        assert len(shipped) == 1
        assert "Tracking number: 1ZAAA, 1ZBBB" in shipped[0].body


class TestDelivery:
    def test_the_buyer_is_asked_for_feedback(self, world: World, smtp: SmtpSink) -> None:
        bundle = pay(world, place_order(world, {"MUG": 1}))
        ref = ship(world, bundle, "acme")
        services.seller_order_deliver(actor=world.members["acme"].actor, reference=ref)
        run_worker()
        mail = smtp.to(JOHN)[-1]
        assert mail.subject == f"Your order {bundle.order.number} has been delivered"
        assert mail.body.startswith(DELIVERED)
        assert order_url(bundle.order.number) in mail.body


class TestCancellation:
    def test_the_buyer_learns_the_reason_and_the_refund(self, world: World, smtp: SmtpSink) -> None:
        # given
        bundle = pay(world, place_order(world, {"MUG": 1, "TEE": 1}))
        run_worker()
        # when
        services.seller_order_cancel(
            actor=world.members["bolt"].actor,
            reference=reference(bundle, "bolt"),
            reason="Out of stock",
        )
        run_worker()
        # then
        by_subject = {m.subject: m for m in smtp.to(JOHN)}
        number = bundle.order.number
        canceled = by_subject[f"Your order {number} has been canceled"]
        assert "Your order for Tee item from Bolt" in canceled.body
        assert "Reason: Out of stock" in canceled.body
        refund = by_subject[f"Refund of $20.00 for your order {number}"]
        assert "We have refunded $20.00 for Tee item" in refund.body
        assert "(reason: order canceled — Out of stock)" in refund.body

    def test_an_unpaid_order_canceled_by_the_buyer_tells_the_buyer_only(
        self, world: World, smtp: SmtpSink
    ) -> None:
        bundle = place_order(world, {"MUG": 1})
        services.seller_order_cancel(
            actor=world.buyers["john"].actor, reference=reference(bundle, "acme"), reason=""
        )
        run_worker()
        mail = smtp.one_to(JOHN)
        assert "Reason: Canceled by the buyer." in mail.body
        assert smtp.to(ACME) == []


class TestRefund:
    def test_the_buyer_is_told_the_amount(self, world: World, smtp: SmtpSink) -> None:
        bundle = pay(world, place_order(world, {"BOWL": 1}))
        ref = ship(world, bundle, "acme")
        services.seller_order_refund(actor=world.owner.actor, reference=ref, reason="damaged")
        run_worker()
        mail = smtp.to(JOHN)[-1]
        assert mail.subject == f"Refund of $30.00 for your order {bundle.order.number}"
        assert "(reason: damaged)" in mail.body


class TestTheLog:
    def test_every_email_is_kept_with_its_event_and_order(
        self, world: World, smtp: SmtpSink
    ) -> None:
        bundle = pay(world, place_order(world, {"MUG": 1}))
        run_worker()
        emails = list(OutgoingEmail.objects.order_by("kind"))
        assert [(e.kind, e.to, e.status) for e in emails] == [
            ("order_confirmed", [JOHN], EmailStatus.SENT),
            ("seller_new_order", [ACME], EmailStatus.SENT),
        ]
        assert {e.order_number for e in emails} == {bundle.order.number}
        assert {e.event.type for e in emails if e.event} == {"order.paid"}
