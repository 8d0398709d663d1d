"""After-sale emails: the buyer hears the answer to a refund request, and each other party of a
thread hears of a new message, without learning anyone's private address."""

from __future__ import annotations

import pytest

from tests.builders import World, pay, place_order
from tests.notifications.conftest import PUBLIC_URL
from tests.notifications.flows import reference, run_worker, ship
from tests.notifications.smtp import SmtpSink
from tradepost.messaging.services import message_post
from tradepost.notifications.models import Notification
from tradepost.orders import services
from tradepost.payments.refund_requests import (
    refund_request_approve,
    refund_request_create,
    refund_request_decline,
)

pytestmark = pytest.mark.django_db

JOHN, ACME = "john@buyers.test", "a@acme.test"


def delivered(world: World) -> tuple[str, str]:
    bundle = pay(world, place_order(world, {"MUG": 2}))
    ref = ship(world, bundle, "acme")
    services.seller_order_deliver(actor=world.members["acme"].actor, reference=ref)
    return bundle.order.number, ref


def requested(world: World, ref: str) -> str:
    request = refund_request_create(
        actor=world.buyers["john"].actor, reference=ref, reason="other", note="Too small."
    )
    return str(request.public_id)


class TestRefundRequestAnswers:
    def test_approved_tells_the_buyer_the_amount_refunded(
        self, world: World, smtp: SmtpSink
    ) -> None:
        # given
        number, ref = delivered(world)
        request_id = requested(world, ref)
        # when
        refund_request_approve(actor=world.members["acme"].actor, request_id=request_id)
        run_worker()
        # then
        mail = smtp.one_to_subject(JOHN, f"Your refund request for order {number} is approved")
        assert "your refund request for Mug item (" + ref + ") is approved" in mail.body
        assert "we have refunded $25.00 (reason: other)" in mail.body
        assert f"{PUBLIC_URL}/dashboard/orders/{number}/" in mail.body

    def test_declined_tells_the_buyer_why(self, world: World, smtp: SmtpSink) -> None:
        number, ref = delivered(world)
        request_id = requested(world, ref)
        refund_request_decline(
            actor=world.members["acme"].actor,
            request_id=request_id,
            reason="The size was on the listing.",
        )
        run_worker()
        mail = smtp.one_to_subject(JOHN, f"About your refund request for order {number}")
        assert "We're sorry: your refund request for Mug item" in mail.body
        assert "The reason given: The size was on the listing." in mail.body
        assert ACME not in mail.body


class TestNewMessages:
    def test_the_seller_hears_of_the_buyers_message_without_the_buyers_address(
        self, world: World, smtp: SmtpSink
    ) -> None:
        # given
        bundle = pay(world, place_order(world, {"MUG": 1}))
        ref = reference(bundle, "acme")
        run_worker()
        before = len(smtp.to(JOHN))
        # when
        message_post(
            actor=world.buyers["john"].actor,
            reference=ref,
            body="Gift wrap please. Reach me at john@buyers.test",
        )
        run_worker()
        # then: one email to the seller, a notification, and nothing to the buyer for their own
        mail = smtp.one_to_subject(ACME, f"New message from John Doe about order {ref}")
        assert b"john@buyers.test" not in mail.raw
        assert "Gift wrap please. Reach me at j***@buyers.test" in mail.body
        assert Notification.objects.filter(title=f"New message from John Doe on {ref}").exists()
        assert len(smtp.to(JOHN)) == before

    def test_the_buyer_hears_of_the_sellers_message_without_the_sellers_address(
        self, world: World, smtp: SmtpSink
    ) -> None:
        bundle = pay(world, place_order(world, {"MUG": 1}))
        ref = reference(bundle, "acme")
        run_worker()
        sent_to_acme = len(smtp.to(ACME))
        message_post(
            actor=world.members["acme"].actor,
            reference=ref,
            body="It ships tomorrow. Questions: a@acme.test",
        )
        run_worker()
        mail = smtp.one_to_subject(JOHN, f"New message from Acme about order {bundle.order.number}")
        assert "It ships tomorrow." in mail.body
        assert b"a@acme.test" not in mail.raw
        assert len(smtp.to(ACME)) == sent_to_acme  # not for its own message

    def test_the_owner_joining_tells_both_parties(self, world: World, smtp: SmtpSink) -> None:
        bundle = pay(world, place_order(world, {"MUG": 1}))
        ref = reference(bundle, "acme")
        message_post(actor=world.owner.actor, reference=ref, body="We are looking into it.")
        run_worker()
        assert smtp.one_to_subject(
            ACME, f"New message from Tradepost Marketplace about order {ref}"
        )
        assert smtp.one_to_subject(
            JOHN, f"New message from Tradepost Marketplace about order {bundle.order.number}"
        )
