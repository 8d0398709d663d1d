"""Returns under real concurrency (PostgreSQL row locks): never more units than shipped, a
return refunded once."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.builders import build_world
from tests.concurrency import outcome, run_together
from tests.messaging import files
from tests.payments.flows import delivered_order, reference_of
from tradepost.attachments.services import attachments_upload
from tradepost.orders.models import Order
from tradepost.payments.models import Refund
from tradepost.payments.refund_lines import LineQuantity
from tradepost.returns import outcomes, services
from tradepost.returns.models import ReturnLine

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


class TestReturnsNeverExceedWhatShipped:
    def test_requests_for_the_same_line_at_once_stop_at_the_quantity(self):
        # given: three mugs delivered; six requests for one mug each, each with its own photo
        world = build_world()
        bundle = delivered_order(world, {"MUG": 3})
        reference = reference_of(bundle)
        john = world.buyers["john"].actor
        photos = [
            attachments_upload(actor=john, uploads=[files.upload(f"p{n}.png", files.png())])[0]
            for n in range(6)
        ]

        def ask(index: int) -> object:
            return services.return_request_create(
                actor=john,
                reference=reference,
                reason="damaged",
                lines=[LineQuantity("MUG", 1)],
                attachment_ids=[photos[index].public_id],
            )

        # when
        results = run_together(6, ask)
        # then: three fit, the others are refused by the quantity rule
        outcomes_seen = Counter(outcome(result) for result in results)
        assert outcomes_seen == {"ok": 3, "validation_error": 3}, outcomes_seen
        assert sum(ReturnLine.objects.values_list("quantity", flat=True)) == 3


class TestOnceOnly:
    def test_a_return_refunded_by_seller_and_owner_at_once_refunds_once(self):
        world = build_world()
        bundle = delivered_order(world, {"MUG": 2})
        reference = reference_of(bundle)
        owner, acme = world.owner.actor, world.members["acme"].actor
        ret = services.return_request_create(
            actor=owner,
            reference=reference,
            reason="wrong_item",
            lines=[LineQuantity("MUG", 1)],
            policy_override_note="Photos came by email.",
        )
        services.return_authorize(actor=acme, return_id=ret.public_id, return_address="Dock 2")
        services.return_receive(actor=acme, return_id=ret.public_id)
        deciders = [acme, owner] * 2

        results = run_together(
            4,
            lambda i: outcomes.return_refund(
                actor=deciders[i],
                return_id=ret.public_id,
                inspection=outcomes.Inspection("Wrong colour."),
            ),
        )

        assert sorted(outcome(r) for r in results) == ["invalid_transition"] * 3 + ["ok"]
        assert Refund.objects.count() == 1
        order = Order.objects.get(pk=bundle.order.pk)
        assert order.refunded_amount == Refund.objects.get().amount <= order.captured_amount
