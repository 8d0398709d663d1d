"""The webhook endpoints API: who may register what, secrets shown once, rotation, safety."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests import clock
from tests.builders import ApiClient, World, place_order
from tests.notifications.flows import run_worker
from tests.webhooks.receiver import Receiver
from tradepost.webhooks.models import WebhookDelivery

pytestmark = pytest.mark.django_db


class TestRegistering:
    def test_the_secret_is_shown_once(self, world: World, api: ApiClient) -> None:
        created = api.post(
            "/webhook-endpoints",
            world.owner.key,
            {"url": "https://hooks.example.com/x", "event_types": ["order.created"]},
        )
        assert created.status == 201, created
        body = created.json()
        assert body["secret"].startswith("whsec_")
        read = api.get(f"/webhook-endpoints/{body['id']}", world.owner.key).json()
        assert "secret" not in read
        assert read["event_types"] == ["order.created"]

    def test_unknown_event_types_are_named(self, world: World, api: ApiClient) -> None:
        response = api.post(
            "/webhook-endpoints",
            world.owner.key,
            {"url": "https://a.example.com", "event_types": ["x"]},
        )
        assert response.status == 422
        assert response.json()["errors"][0]["field"].startswith("event_types")

    def test_buyers_manage_no_endpoints(self, world: World, api: ApiClient) -> None:
        response = api.post(
            "/webhook-endpoints", world.buyers["john"].key, {"url": "https://a.example.com"}
        )
        assert response.status == 403
        assert api.get("/webhook-endpoints", world.buyers["john"].key).json() == []

    def test_a_seller_sees_and_changes_only_its_own(self, world: World, api: ApiClient) -> None:
        mine = api.post(
            "/webhook-endpoints", world.members["acme"].key, {"url": "https://a.example.com"}
        )
        theirs = api.post(
            "/webhook-endpoints", world.members["bolt"].key, {"url": "https://b.example.com"}
        )
        assert mine.json()["seller"] == "acme"
        listed = api.get("/webhook-endpoints", world.members["acme"].key).json()
        assert [e["id"] for e in listed] == [mine.json()["id"]]
        other = theirs.json()["id"]
        assert api.get(f"/webhook-endpoints/{other}", world.members["acme"].key).status == 404
        assert (
            api.patch(f"/webhook-endpoints/{other}", world.members["acme"].key, {"enabled": False})
        ).status == 404
        owner_view = api.get("/webhook-endpoints", world.owner.key).json()
        assert len(owner_view) == 2


class TestSafety:
    @pytest.mark.parametrize(
        ("url", "reason"),
        [
            ("http://hooks.example.com/x", "must use https"),
            ("https://127.0.0.1/x", "loopback, private"),
            ("https://10.1.2.3/x", "loopback, private"),
            ("https://169.254.169.254/latest/meta-data", "loopback, private"),
            ("https://[::1]/x", "loopback, private"),
            ("https://user:pw@hooks.example.com/", "must not carry credentials"),
            ("ftp://hooks.example.com/", "must be an https URL"),
            ("https://hooks.example.com/a\tb", "is not a valid URL"),
            ("https://hooks.example.com:99999/x", "is not a valid URL"),
            ("https://[::1/x", "is not a valid URL"),
            ("https://[::127.0.0.1]/x", "loopback, private"),
            ("https://[64:ff9b::a9fe:a9fe]/x", "loopback, private"),
            ("https://[2002:a9fe:a9fe::]/x", "loopback, private"),
            ("https://[fec0::1]/x", "loopback, private"),
            ("https://2130706433/x", "loopback, private"),
        ],
    )
    def test_private_and_plain_targets_are_refused(
        self, world: World, api: ApiClient, settings: pytest.FixtureRequest, url: str, reason: str
    ) -> None:
        settings.TRADEPOST_WEBHOOKS_ALLOW_PRIVATE = False  # type: ignore[attr-defined]
        response = api.post("/webhook-endpoints", world.owner.key, {"url": url})
        assert response.status == 422, response
        error = response.json()["errors"][0]
        assert error["field"] == "url"
        assert reason in error["message"]

    def test_a_name_that_resolves_inside_at_delivery_time_is_not_called(
        self, world: World, receiver: Receiver, settings: pytest.FixtureRequest
    ) -> None:
        # given an endpoint registered while private targets were allowed
        from tradepost.webhooks import services

        services.endpoint_create(actor=world.owner.actor, url=receiver.url)
        settings.TRADEPOST_WEBHOOKS_ALLOW_PRIVATE = False  # type: ignore[attr-defined]
        # when an event goes out
        place_order(world, {"MUG": 1})
        run_worker()
        # then the receiver heard nothing and the attempt says why
        assert receiver.received == []
        attempt = WebhookDelivery.objects.get().attempts.get()
        assert attempt.status_code is None
        assert "refused" in attempt.error


class TestRotation:
    def test_both_secrets_sign_for_a_day_then_only_the_new(
        self, world: World, api: ApiClient, receiver: Receiver
    ) -> None:
        created = api.post("/webhook-endpoints", world.owner.key, {"url": receiver.url}).json()
        rotated = api.post(f"/webhook-endpoints/{created['id']}/rotate-secret", world.owner.key)
        new = rotated.json()["secret"]
        assert new != created["secret"]
        receiver.secrets = [created["secret"], new]
        place_order(world, {"MUG": 1})
        run_worker()
        assert sorted(receiver.received[0].verified_with) == sorted([created["secret"], new])
        clock.advance(timedelta(hours=25))
        place_order(world, {"MUG": 1})
        run_worker()
        assert receiver.received[1].signed_by(new)
        assert not receiver.received[1].signed_by(created["secret"])


class TestLogResendReplay:
    def test_the_log_shows_attempts_and_resend_sends_again(
        self, world: World, api: ApiClient, receiver: Receiver
    ) -> None:
        endpoint = api.post("/webhook-endpoints", world.owner.key, {"url": receiver.url}).json()
        receiver.statuses.append(500)
        place_order(world, {"MUG": 1})
        run_worker()
        log = api.get("/webhook-deliveries", world.owner.key, endpoint=endpoint["id"]).json()
        [delivery] = log["items"]
        assert delivery["status"] == "pending"
        assert delivery["attempts"][0]["status_code"] == 500
        assert delivery["attempts"][0]["response_excerpt"] == "status 500"
        resent = api.post(f"/webhook-deliveries/{delivery['id']}/resend", world.owner.key)
        assert resent.status == 202
        run_worker()
        assert len(receiver.received) == 2
        assert (
            receiver.received[0].headers["webhook-id"] == receiver.received[1].headers["webhook-id"]
        )
        failed = api.get("/webhook-deliveries", world.owner.key, status="failed").json()
        assert failed["items"] == []

    def test_replay_sends_every_event_since_a_time(
        self, world: World, api: ApiClient, receiver: Receiver
    ) -> None:
        start = clock.now()
        place_order(world, {"MUG": 1})
        place_order(world, {"TEE": 1})
        run_worker()  # no endpoint yet: nothing goes out
        endpoint = api.post(
            "/webhook-endpoints",
            world.owner.key,
            {"url": receiver.url, "event_types": ["order.created"]},
        ).json()
        replay = api.post(
            f"/webhook-endpoints/{endpoint['id']}/replay",
            world.owner.key,
            {"since": start.isoformat()},
        )
        assert replay.status == 202
        assert replay.json() == {"queued": 2}
        run_worker()
        assert [r.json()["type"] for r in receiver.received] == ["order.created"] * 2

    def test_a_future_replay_time_is_refused(self, world: World, api: ApiClient) -> None:
        endpoint = api.post("/webhook-endpoints", world.owner.key, {"url": "https://a.example.com"})
        response = api.post(
            f"/webhook-endpoints/{endpoint.json()['id']}/replay",
            world.owner.key,
            {"since": (clock.now() + timedelta(days=1)).isoformat()},
        )
        assert response.status == 422
        assert response.json()["errors"][0]["field"] == "since"
