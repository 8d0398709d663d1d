"""``message.created`` after commit, through the worker, to a real receiver: the owner's endpoint
and the seller's own, signed, with no email address of the buyer's in it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.builders import ApiClient, World, pay, place_order
from tests.messaging import files
from tests.messaging.flows import reference_of, send
from tests.notifications.flows import run_worker
from tests.webhooks.receiver import Receiver
from tradepost.webhooks import services as webhooks

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def allow_private_targets(settings: pytest.FixtureRequest) -> None:
    settings.TRADEPOST_WEBHOOKS_ALLOW_PRIVATE = True  # type: ignore[attr-defined]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver().start()
    yield server
    server.stop()


class TestMessageCreated:
    def test_reaches_the_owner_and_the_sellers_own_endpoint_only(
        self, api: ApiClient, world: World, receiver: Receiver
    ) -> None:
        # given: the owner's, acme's and bolt's endpoints, each for message.created
        secrets = {}
        for name, actor in (
            ("owner", world.owner.actor),
            ("acme", world.members["acme"].actor),
            ("bolt", world.members["bolt"].actor),
        ):
            created = webhooks.endpoint_create(
                actor=actor, url=f"{receiver.url}?to={name}", event_types=["message.created"]
            )
            secrets[name] = created.secret
        receiver.secrets = list(secrets.values())
        mixed = pay(world, place_order(world, {"MUG": 1, "TEE": 1}))
        reference = reference_of(mixed, "acme")
        # when: john writes to acme with a photo, his address in the text
        sent = send(
            api,
            world.buyers["john"],
            reference,
            "Cracked! Reach me at john@buyers.test",
            files.upload("crack.png", files.png()),
        )
        assert sent.status == 201, sent
        run_worker()
        # then
        got = [r for r in receiver.received if r.json()["type"] == "message.created"]
        by_secret = {secret: name for name, secret in secrets.items()}
        assert sorted(by_secret[r.verified_with[0]] for r in got) == ["acme", "owner"]
        for delivery in got:
            message = delivery.json()["data"]["message"]
            assert message["id"] == sent.json()["id"]
            assert (message["seller_order"], message["order_number"]) == (
                reference,
                mixed.order.number,
            )
            assert message["author"] == {"party": "buyer", "name": "John Doe"}
            assert message["body"] == "Cracked! Reach me at j***@buyers.test"
            assert [a["name"] for a in message["attachments"]] == ["crack.png"]
            assert "john@buyers.test" not in delivery.body.decode()
