"""Sellers: the owner manages them; buyers see the storefront face only."""

from __future__ import annotations

import pytest

from tests.builders import ApiClient, World

pytestmark = pytest.mark.django_db


def test_buyers_see_no_contact_or_commission(api: ApiClient, world: World):
    sellers = api.get("/sellers", world.buyers["john"].key).json()
    assert [s["slug"] for s in sellers] == ["acme", "bolt"]
    assert all(s["email"] is None and s["commission_rate_bps"] is None for s in sellers)


def test_a_seller_sees_its_own_contract(api: ApiClient, world: World):
    seller = api.get("/sellers/bolt", world.members["bolt"].key).json()
    assert (seller["email"], seller["commission_rate_bps"]) == ("b@bolt.test", 500)


def test_suspended_sellers_leave_the_storefront(api: ApiClient, world: World):
    assert api.patch("/sellers/bolt", world.owner.key, {"status": "suspended"}).status == 200
    assert [s["slug"] for s in api.get("/sellers", world.buyers["john"].key).json()] == ["acme"]
    assert api.get("/sellers/bolt", world.buyers["john"].key).status == 404


def test_only_the_owner_adds_sellers(api: ApiClient, world: World):
    body = {"slug": "cedar", "name": "Cedar", "email": "c@cedar.test"}
    assert api.post("/sellers", world.members["acme"].key, body).status == 403
    created = api.post("/sellers", world.owner.key, body)
    assert created.status == 201
    assert created.json()["slug"] == "cedar"
    assert api.post("/sellers", world.owner.key, body).json()["errors"][0]["field"] == "slug"
