"""The review invitation: when a seller order completes, its buyer is asked for a review."""

from __future__ import annotations

import pytest
from django.core.mail import EmailMessage

from tests.builders import World, pay, place_order
from tests.reviews.conftest import PUBLIC_URL
from tests.reviews.flows import completed_sale, run_worker, shipped_sale
from tradepost.notifications.models import EmailStatus, OutgoingEmail
from tradepost.orders import services

pytestmark = pytest.mark.django_db


def invitations(mailoutbox: list[EmailMessage]) -> list[EmailMessage]:
    return [mail for mail in mailoutbox if mail.subject.startswith("How was your order")]


class TestReviewInvitation:
    def test_the_buyer_is_invited_with_a_link_to_the_order_page(
        self, world: World, mailoutbox: list[EmailMessage]
    ) -> None:
        # given
        sale = completed_sale(world)
        # when
        run_worker()
        # then
        (mail,) = invitations(mailoutbox)
        assert mail.to == ["john@buyers.test"]
        assert mail.subject == "How was your order from Acme?"
        assert mail.body.startswith("Hello John Doe, we hope you are enjoying your Mug item!")
        assert f"leave a review of your order {sale.number}" in mail.body
        assert f"Rate your order: {PUBLIC_URL}/dashboard/orders/{sale.number}/" in mail.body
        row = OutgoingEmail.objects.get(kind="review_invitation")
        assert (row.status, row.order_number) == (EmailStatus.SENT, sale.number)

    def test_nobody_is_invited_before_completion(
        self, world: World, mailoutbox: list[EmailMessage]
    ) -> None:
        shipped_sale(world)
        run_worker()
        assert invitations(mailoutbox) == []
        assert not OutgoingEmail.objects.filter(kind="review_invitation").exists()

    def test_each_completed_part_invites_a_review_of_its_own_seller(
        self, world: World, mailoutbox: list[EmailMessage]
    ) -> None:
        # given: a mug from acme and a tee from bolt; only acme's part completes
        bundle = pay(world, place_order(world, {"MUG": 1, "TEE": 1}))
        acme_ref = next(
            part.seller_order.reference
            for part in bundle.seller_orders
            if part.seller_order.seller.slug == "acme"
        )
        acme = world.members["acme"].actor
        services.seller_order_acknowledge(actor=acme, reference=acme_ref)
        services.shipment_create(
            actor=acme, reference=acme_ref, parcel=services.Parcel("UPS", "1Z1")
        )
        services.seller_order_complete(actor=world.buyers["john"].actor, reference=acme_ref)
        # when
        run_worker()
        # then
        (mail,) = invitations(mailoutbox)
        assert "Acme" in mail.subject
        assert "Mug item" in mail.body
        assert "Tee item" not in mail.body
