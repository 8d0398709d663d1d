"""``review.created`` reaches subscribed endpoints, signed, after the worker runs."""

from __future__ import annotations

import pytest

from tests.builders import World
from tests.reviews.flows import reviewed_sale, run_worker
from tests.webhooks.receiver import Receiver
from tradepost.webhooks import services

pytestmark = pytest.mark.django_db


class TestReviewCreatedWebhook:
    def test_is_delivered_signed_to_the_owners_endpoint(
        self, world: World, receiver: Receiver
    ) -> None:
        # given
        created = services.endpoint_create(
            actor=world.owner.actor, url=receiver.url, event_types=["review.created"]
        )
        receiver.secrets = [created.secret]
        # when
        sale, review = reviewed_sale(world, rating=4, comment="Sturdy")
        run_worker()
        # then
        (got,) = receiver.received
        assert got.verified_with == [created.secret]
        event = got.json()
        assert event["type"] == "review.created"
        assert event["data"]["order_number"] == sale.number
        assert event["data"]["review"] == {
            "id": str(review.public_id),
            "seller": {"slug": "acme", "name": "Acme"},
            "seller_order": sale.reference,
            "rating": 4,
            "comment": "Sturdy",
            "buyer_name": "John D.",
            "created_at": review.created_at.isoformat(),
            "reply": None,
            "hidden": None,
            "actions": [],
        }
        assert "john@buyers.test" not in got.body.decode()

    def test_a_sellers_endpoint_hears_only_reviews_of_its_own_orders(
        self, world: World, receiver: Receiver
    ) -> None:
        created = services.endpoint_create(
            actor=world.members["bolt"].actor, url=receiver.url, event_types=["review.created"]
        )
        receiver.secrets = [created.secret]
        reviewed_sale(world, "MUG", rating=5)  # acme's
        bolt_sale, _ = reviewed_sale(world, "TEE", rating=3)
        run_worker()
        (got,) = receiver.received
        assert got.json()["data"]["review"]["seller_order"] == bolt_sale.reference
