"""GET /orders/{number}/events: every change, in order, shown as each role may see it."""

from __future__ import annotations

import pytest

from tests.builders import ApiClient, World, pay, place_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def number(world: World) -> str:
    bundle = pay(world, place_order(world, {"MUG": 1, "TEE": 1}))
    return bundle.order.number


def test_the_owner_sees_every_change_in_order(api: ApiClient, world: World, number: str):
    events = api.get(f"/orders/{number}/events", world.owner.key).json()
    assert [e["kind"] for e in events] == [
        "order.placed",
        "payment.succeeded",
        "seller_order.status_changed",
        "seller_order.status_changed",
    ]
    moves = [(e["seller_order"], e["from_status"], e["to_status"]) for e in events[2:]]
    assert moves == [
        (f"{number}-1", "awaiting_payment", "pending"),
        (f"{number}-2", "awaiting_payment", "pending"),
    ]
    assert events[2]["details"]["commission_rate_bps"] == 1000
    assert events[1]["actor_role"] == "owner"


def test_a_seller_sees_its_part_and_nothing_of_the_others(
    api: ApiClient, world: World, number: str
):
    events = api.get(f"/orders/{number}/events", world.members["bolt"].key).json()
    assert {e["seller_order"] for e in events} == {None, f"{number}-2"}
    placed = events[0]
    assert placed["message"] == "Order placed."
    assert placed["details"] == {}
    assert all(f"{number}-1" not in e["message"] for e in events)


def test_a_buyer_never_sees_commission(api: ApiClient, world: World, number: str):
    events = api.get(f"/orders/{number}/events", world.buyers["john"].key).json()
    assert len(events) == 4
    assert all("commission" not in key for e in events for key in e["details"])
    assert all("ommission" not in e["message"] for e in events)
