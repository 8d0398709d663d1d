"""Sellers' dashboard notifications: which events make them, who sees them, reading them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.builders import ApiClient, World, pay, place_order
from tests.notifications.flows import reference, run_worker, ship
from tradepost.notifications.models import Notification
from tradepost.orders import services

pytestmark = pytest.mark.django_db

TIMES = "\N{MULTIPLICATION SIGN}"


def titles(api: ApiClient, key: str) -> list[str]:
    return [item["title"] for item in api.get("/notifications", key).json()["items"]]


@pytest.fixture
def traded(world: World) -> World:
    """acme: a paid order of its own; bolt: its part of a mixed order, canceled by the buyer."""
    pay(world, place_order(world, {"MUG": 1}))
    mixed = pay(world, place_order(world, {"MUG": 1, "TEE": 1}, buyer="jane"))
    services.seller_order_cancel(
        actor=world.buyers["jane"].actor, reference=reference(mixed, "bolt"), reason="Too late"
    )
    run_worker()
    return world


class TestWhatMakesANotification:
    def test_a_new_paid_order_tells_each_of_its_sellers(self, world: World) -> None:
        bundle = pay(world, place_order(world, {"MUG": 2, "TEE": 1}))
        run_worker()
        number = bundle.order.number
        acme = Notification.objects.get(seller=world.sellers["acme"])
        assert acme.title == f"New order {number} from John Doe"
        assert acme.body.startswith(f"2 {TIMES} Mug item — $25.00. Acknowledge by ")
        assert acme.link == f"/dashboard/orders/{number}/"
        assert "Tee" not in acme.body
        assert Notification.objects.get(seller=world.sellers["bolt"]).kind == "order.paid"

    def test_an_unpaid_order_tells_nobody(self, world: World) -> None:
        place_order(world, {"MUG": 1})
        run_worker()
        assert not Notification.objects.exists()

    def test_a_cancellation_by_the_buyer_tells_the_seller(self, traded: World) -> None:
        bolt = Notification.objects.filter(seller=traded.sellers["bolt"]).order_by("id")
        assert [n.kind for n in bolt] == ["order.paid", "order.canceled"]
        canceled = bolt.last()
        assert canceled is not None
        assert canceled.title.endswith("was canceled by the buyer")
        assert canceled.body.startswith("Reason: Too late. Do not ship it")

    def test_a_seller_is_not_told_of_its_own_cancellation(self, world: World) -> None:
        bundle = pay(world, place_order(world, {"MUG": 1}))
        services.seller_order_cancel(
            actor=world.members["acme"].actor,
            reference=reference(bundle, "acme"),
            reason="Broken in the warehouse",
        )
        run_worker()
        assert [n.kind for n in Notification.objects.all()] == ["order.paid"]

    def test_a_refund_by_the_owner_tells_the_seller(self, world: World) -> None:
        bundle = pay(world, place_order(world, {"BOWL": 1}))
        ref = ship(world, bundle, "acme")
        services.seller_order_refund(actor=world.owner.actor, reference=ref, reason="damaged")
        run_worker()
        refund = Notification.objects.get(kind="refund.created")
        assert refund.title == f"Refund of $30.00 on {ref}"
        assert "(reason: damaged)" in refund.body


class TestScope:
    def test_a_seller_sees_only_its_own(self, api: ApiClient, traded: World) -> None:
        acme = api.get("/notifications", traded.members["acme"].key).json()
        assert {item["seller"] for item in acme["items"]} == {"acme"}
        assert len(acme["items"]) == 2
        bolt = api.get("/notifications", traded.members["bolt"].key).json()
        assert {item["seller"] for item in bolt["items"]} == {"bolt"}
        assert not {i["id"] for i in acme["items"]} & {i["id"] for i in bolt["items"]}

    def test_another_sellers_notification_does_not_exist(
        self, api: ApiClient, traded: World
    ) -> None:
        theirs = Notification.objects.filter(seller=traded.sellers["bolt"]).first()
        assert theirs is not None
        response = api.post(f"/notifications/{theirs.public_id}/read", traded.members["acme"].key)
        assert response.status == 404
        assert response.json()["code"] == "not_found"
        theirs.refresh_from_db()
        assert theirs.read_at is None

    def test_the_owner_sees_every_sellers_but_does_not_read_them_for_the_seller(
        self, api: ApiClient, traded: World
    ) -> None:
        owner = traded.owner.key
        listed = api.get("/notifications", owner).json()
        assert {item["seller"] for item in listed["items"]} == {"acme", "bolt"}
        assert listed["unread_count"] == Notification.objects.count()
        one = listed["items"][0]["id"]
        assert api.post(f"/notifications/{one}/read", owner).status == 403
        assert api.post("/notifications/read-all", owner).status == 403

    def test_a_buyer_has_none(self, api: ApiClient, traded: World) -> None:
        key = traded.buyers["john"].key
        assert api.get("/notifications", key).json() == {
            "items": [],
            "unread_count": 0,
            "next_cursor": None,
        }
        some = Notification.objects.first()
        assert some is not None
        assert api.post(f"/notifications/{some.public_id}/read", key).status == 404


class TestReading:
    def test_the_unread_count_goes_down_as_notifications_are_read(
        self, api: ApiClient, traded: World
    ) -> None:
        key = traded.members["acme"].key
        listed = api.get("/notifications", key).json()
        assert listed["unread_count"] == 2
        first = listed["items"][0]
        read = api.post(f"/notifications/{first['id']}/read", key)
        assert read.status == 200, read
        assert read.json()["read_at"] is not None
        assert api.post(f"/notifications/{first['id']}/read", key).json() == read.json()
        assert api.get("/notifications", key).json()["unread_count"] == 1
        assert len(api.get("/notifications", key, unread="true").json()["items"]) == 1
        # bolt's count is its own
        assert api.get("/notifications", traded.members["bolt"].key).json()["unread_count"] == 2

    def test_read_all_reads_only_the_sellers_own(self, api: ApiClient, traded: World) -> None:
        response = api.post("/notifications/read-all", traded.members["acme"].key)
        assert response.json() == {"marked": 2, "unread_count": 0}
        bolt_unread = Notification.objects.filter(
            seller=traded.sellers["bolt"], read_at__isnull=True
        )
        assert bolt_unread.count() == 2

    def test_pages_go_by_cursor_newest_first(self, api: ApiClient, traded: World) -> None:
        key = traded.members["bolt"].key
        first = api.get("/notifications", key, limit=1).json()
        assert first["next_cursor"]
        second = api.get("/notifications", key, limit=1, cursor=first["next_cursor"]).json()
        assert [first["items"][0]["kind"], second["items"][0]["kind"]] == [
            "order.canceled",
            "order.paid",
        ]
        assert second["next_cursor"] is None

    def test_the_list_costs_the_same_queries_however_long(
        self, api: ApiClient, world: World
    ) -> None:
        key = world.members["acme"].key
        counts = []
        for _ in range(2):
            for _ in range(3):
                pay(world, place_order(world, {"MUG": 1}))
            run_worker()
            with CaptureQueriesContext(connection) as queries:
                assert api.get("/notifications", key).status == 200
            counts.append(len(queries))
        assert counts[0] == counts[1]
