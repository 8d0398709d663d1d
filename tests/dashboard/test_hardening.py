"""Odd input on the dashboard gets a clear 4xx, and what a seller sees stays its own."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory, override_settings

from tests.builders import ApiClient, World, pay, place_order
from tests.dashboard.pages import order_numbers, signed_in
from tradepost.accounts.throttle import client_address
from tradepost.orders import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle() -> None:
    cache.clear()


def test_the_last_day_of_the_calendar_is_a_400_not_a_crash(world: World) -> None:
    response = signed_in(world.owner).get(
        "/dashboard/orders/", {"period": "custom", "created_to": "9999-12-31"}
    )
    assert response.status_code == 400


def test_a_quantity_that_is_not_ascii_digits_is_refused(world: World) -> None:
    bundle = pay(world, place_order(world, {"MUG": 2}))
    number, so = bundle.order.number, bundle.seller_orders[0].seller_order
    services.seller_order_acknowledge(actor=world.owner.actor, reference=so.reference)
    url = f"/dashboard/orders/{number}/seller-orders/{so.reference}/ship/"
    for quantity in ("²", "9" * 5000, "-1"):
        response = signed_in(world.members["acme"]).post(
            url, {"carrier": "UPS", "tracking_number": "1Z", "qty-MUG": quantity}
        )
        assert response.status_code == 422, quantity
        assert "must be a whole number" in response.content.decode()
    assert not so.shipments.exists()


def test_the_counters_link_to_the_orders_they_count(world: World) -> None:
    # given one order whose acme part waits for acknowledgement while bolt's is being prepared
    bundle = pay(world, place_order(world, {"MUG": 1, "TEE": 1}))
    bolt = next(p for p in bundle.seller_orders if p.seller_order.seller.slug == "bolt")
    services.seller_order_acknowledge(
        actor=world.owner.actor, reference=bolt.seller_order.reference
    )
    client = signed_in(world.owner)
    # when the owner follows each counter
    page = client.get("/dashboard/orders/").content.decode()
    to_ship = order_numbers(
        client.get("/dashboard/orders/?part_status=processing").content.decode()
    )
    to_ack = order_numbers(client.get("/dashboard/orders/?part_status=pending").content.decode())
    # then each list holds what its counter counted
    assert "<strong>1</strong> to ship" in page
    assert "<strong>1</strong> awaiting acknowledgement" in page
    assert to_ship == to_ack == [bundle.order.number]


def test_sellers_sort_by_time_only(world: World, api: ApiClient) -> None:
    place_order(world, {"MUG": 1, "TEE": 1})
    refused = api.get("/orders", world.members["acme"].key, sort="-total")
    assert refused.status == 422
    assert refused.json()["errors"][0]["field"] == "sort"
    page = signed_in(world.members["acme"]).get("/dashboard/orders/").content.decode()
    assert 'value="-total"' not in page


def test_a_seller_timeline_says_nothing_of_the_whole_orders_status(
    world: World, api: ApiClient
) -> None:
    bundle = pay(world, place_order(world, {"MUG": 1, "TEE": 1}))
    for part in bundle.seller_orders:
        services.seller_order_acknowledge(
            actor=world.owner.actor, reference=part.seller_order.reference
        )
    events = api.get(f"/orders/{bundle.order.number}/events", world.members["acme"].key).json()
    assert all("order_status" not in event["details"] for event in events)
    owner_events = api.get(f"/orders/{bundle.order.number}/events", world.owner.key).json()
    assert any("order_status" in event["details"] for event in owner_events)


def test_the_admin_sign_in_is_throttled_too(world: World) -> None:
    client = Client()
    username = world.owner.user.username
    for _ in range(5):
        client.post("/admin/login/", {"username": username, "password": "wrong"})
    response = client.post("/admin/login/", {"username": username, "password": "pw"})
    assert response.status_code == 200
    assert "Too many failed sign-ins" in response.content.decode()


@override_settings(TRADEPOST_TRUSTED_PROXIES=1)
def test_behind_a_proxy_the_client_address_is_the_forwarded_one() -> None:
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.9"
    )
    assert client_address(request) == "203.0.113.9"


def test_without_trusted_proxies_the_forwarded_header_is_ignored() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_address(request) == "10.0.0.2"


def test_a_sellers_total_filter_is_on_its_own_part(world: World, api: ApiClient) -> None:
    number = place_order(world, {"MUG": 1, "TEE": 1}).order.number  # acme 12.50, whole 32.50
    key = world.members["acme"].key
    assert [o["number"] for o in api.get("/orders", key, total_max=1250).json()["items"]] == [
        number
    ]
    assert api.get("/orders", key, total_min=3000).json()["items"] == []
