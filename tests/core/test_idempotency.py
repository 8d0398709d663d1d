"""Idempotency-Key beyond checkout: revoked keys, bad keys, and unknown API paths."""

from __future__ import annotations

import pytest

from tests.builders import ApiClient, World, pay, place_order
from tradepost.orders.models import OrderEvent

pytestmark = pytest.mark.django_db


def test_a_revoked_key_gets_no_replay(api: ApiClient, world: World):
    bundle = pay(world, place_order(world, {"MUG": 1}))
    reference = bundle.seller_orders[0].seller_order.reference
    key = world.members["acme"].key
    first = api.post(f"/seller-orders/{reference}/acknowledge", key, idempotency_key="ack")
    assert first.status == 200
    key_id = api.get("/api-keys", key).json()[0]["id"]
    assert api.post(f"/api-keys/{key_id}/revoke", key).status == 200
    again = api.post(f"/seller-orders/{reference}/acknowledge", key, idempotency_key="ack")
    assert again.status == 401


def test_a_replayed_action_does_not_act_twice(api: ApiClient, world: World):
    bundle = pay(world, place_order(world, {"MUG": 1}))
    reference = bundle.seller_orders[0].seller_order.reference
    key = world.members["acme"].key
    first = api.post(f"/seller-orders/{reference}/acknowledge", key, idempotency_key="ack")
    again = api.post(f"/seller-orders/{reference}/acknowledge", key, idempotency_key="ack")
    assert again.status == 200
    assert again.json() == first.json()
    assert OrderEvent.objects.filter(to_status="processing").count() == 1


def test_an_overlong_key_is_a_400_naming_the_header(api: ApiClient, world: World):
    response = api.post("/orders", world.buyers["john"].key, {}, idempotency_key="k" * 256)
    assert response.status == 400
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"


def test_unknown_api_paths_answer_in_problem_json(api: ApiClient, world: World):
    response = api.get("/no-such-thing", world.owner.key)
    assert response.status == 404
    assert response.headers["Content-Type"] == "application/problem+json"
