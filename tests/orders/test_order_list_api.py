"""GET /api/v1/orders: search, filters, sorts, cursor pagination and a constant query count."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import clock
from tests.builders import World, pay, place_order

pytestmark = pytest.mark.django_db


def _numbers(response) -> list[str]:
    assert response.status == 200, response
    return [item["number"] for item in response.json()["items"]]


START = clock.now().replace(microsecond=0) - timedelta(days=5)


@pytest.fixture
def orders(world: World) -> dict[str, str]:
    """Five orders, one a day from START: john's three (one paid) and jane's two."""
    start = START
    made = {}
    plan = [
        ("john_old", "john", {"MUG": 1}),
        ("jane_mixed", "jane", {"MUG": 1, "TEE": 2}),
        ("john_paid", "john", {"BOWL": 2}),
        ("jane_bolt", "jane", {"CAP": 1}),
        ("john_new", "john", {"TEE": 1}),
    ]
    for day, (name, buyer, lines) in enumerate(plan):
        clock.travel_to(start + timedelta(days=day))
        bundle = place_order(world, lines, buyer=buyer)
        if name == "john_paid":
            pay(world, bundle)
        made[name] = bundle.order.number
    return made


class TestSearch:
    def test_by_buyer_name_case_insensitive_substring(self, api, world, orders):
        response = api.get("/orders", world.owner.key, q="OHN D")
        assert set(_numbers(response)) == {
            orders["john_old"],
            orders["john_paid"],
            orders["john_new"],
        }

    def test_by_email_substring(self, api, world, orders):
        response = api.get("/orders", world.owner.key, q="jane@buy")
        assert set(_numbers(response)) == {orders["jane_mixed"], orders["jane_bolt"]}

    def test_by_order_number_substring(self, api, world, orders):
        number = orders["john_paid"]
        assert _numbers(api.get("/orders", world.owner.key, q=number.lower())) == [number]

    def test_sellers_cannot_search_by_buyer_email(self, api, world, orders):
        assert _numbers(api.get("/orders", world.members["acme"].key, q="jane@buy")) == []


class TestFilters:
    def test_by_status_and_payment_status(self, api, world, orders):
        assert _numbers(api.get("/orders", world.owner.key, status="pending")) == [
            orders["john_paid"]
        ]
        unpaid = _numbers(api.get("/orders", world.owner.key, payment_status="pending"))
        assert orders["john_paid"] not in unpaid
        assert len(unpaid) == 4

    def test_several_statuses(self, api, world, orders):
        response = api.get("/orders", world.owner.key, status=["pending", "awaiting_payment"])
        assert len(_numbers(response)) == 5

    def test_by_seller(self, api, world, orders):
        bolt = set(_numbers(api.get("/orders", world.owner.key, seller="bolt")))
        assert bolt == {orders["jane_mixed"], orders["jane_bolt"], orders["john_new"]}

    def test_by_created_range(self, api, world, orders):
        response = api.get(
            "/orders",
            world.owner.key,
            created_from=(START + timedelta(days=1)).isoformat(),
            created_to=(START + timedelta(days=3)).isoformat(),
        )
        assert set(_numbers(response)) == {orders["jane_mixed"], orders["john_paid"]}

    def test_by_total_range(self, api, world, orders):
        # totals: john_old 1250, jane_bolt 1500, john_new 2000, jane_mixed 5250, john_paid 6000
        response = api.get("/orders", world.owner.key, total_min=1500, total_max=2000)
        assert set(_numbers(response)) == {orders["jane_bolt"], orders["john_new"]}

    def test_a_date_without_a_zone_is_read_as_utc(self, api, world, orders):
        day = (START + timedelta(days=1)).replace(tzinfo=None).isoformat()
        response = api.get("/orders", world.owner.key, created_from=day, sort="created_at")
        assert _numbers(response)[0] == orders["jane_mixed"]

    def test_only_the_owner_filters_by_seller(self, api, world, orders):
        response = api.get("/orders", world.members["acme"].key, seller="bolt")
        assert response.status == 422
        assert response.json()["errors"][0]["field"] == "seller"

    def test_an_unknown_status_is_a_422_naming_the_field(self, api, world, orders):
        response = api.get("/orders", world.owner.key, status="lost")
        assert response.status == 422
        assert response.json()["errors"][0]["field"].startswith("status")


class TestSortAndPagination:
    def test_newest_first_by_default(self, api, world, orders):
        numbers = _numbers(api.get("/orders", world.owner.key))
        assert numbers == list(reversed(list(orders.values())))

    def test_by_total_both_ways(self, api, world, orders):
        ascending = api.get("/orders", world.owner.key, sort="total").json()["items"]
        totals = [item["total_amount"] for item in ascending]
        assert totals == sorted(totals)
        descending = api.get("/orders", world.owner.key, sort="-total").json()["items"]
        assert [item["total_amount"] for item in descending] == sorted(totals, reverse=True)

    def test_by_status(self, api, world, orders):
        items = api.get("/orders", world.owner.key, sort="status").json()["items"]
        assert [item["status"] for item in items][-1] == "pending"

    @pytest.mark.parametrize("sort", ["-created_at", "created_at", "total", "-total", "status"])
    def test_cursor_walks_every_order_once(self, api, world, orders, sort):
        seen: list[str] = []
        cursor = None
        for _ in range(10):
            params = {"limit": 2, "sort": sort} | ({"cursor": cursor} if cursor else {})
            page = api.get("/orders", world.owner.key, **params).json()
            seen += [item["number"] for item in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert sorted(seen) == sorted(orders.values())

    def test_a_forged_cursor_is_a_422(self, api, world, orders):
        response = api.get("/orders", world.owner.key, cursor="not-a-cursor")
        assert response.status == 422
        assert response.json()["errors"][0]["field"] == "cursor"

    def test_a_cursor_from_another_sort_is_a_422(self, api, world, orders):
        page = api.get("/orders", world.owner.key, limit=2, sort="total").json()
        response = api.get("/orders", world.owner.key, cursor=page["next_cursor"])
        assert response.status == 422
        assert response.json()["errors"][0]["field"] == "cursor"


class TestScopeAndShape:
    def test_seller_sees_only_its_part(self, api, world, orders):
        items = api.get("/orders", world.members["bolt"].key).json()["items"]
        mixed = next(item for item in items if item["number"] == orders["jane_mixed"])
        assert [so["seller"]["slug"] for so in mixed["seller_orders"]] == ["bolt"]
        assert mixed["subtotal_amount"] == 4000

    def test_each_seller_sees_and_filters_on_the_status_of_its_own_part(self, api, world):
        bundle = pay(world, place_order(world, {"MUG": 1, "TEE": 1}))
        number, acme = bundle.order.number, bundle.seller_orders[0].seller_order.reference
        api.post(f"/seller-orders/{acme}/acknowledge", world.members["acme"].key)
        acme_view = api.get("/orders", world.members["acme"].key, status="processing")
        bolt_view = api.get("/orders", world.members["bolt"].key, status="processing")
        assert _numbers(acme_view) == [number]
        assert acme_view.json()["items"][0]["status"] == "processing"
        assert _numbers(bolt_view) == []
        assert api.get(f"/orders/{number}", world.members["bolt"].key).json()["status"] == "pending"
        assert api.get(f"/orders/{number}", world.owner.key).json()["status"] == "pending"

    def test_buyer_sees_only_own_orders(self, api, world, orders):
        numbers = set(_numbers(api.get("/orders", world.buyers["jane"].key)))
        assert numbers == {orders["jane_mixed"], orders["jane_bolt"]}


@pytest.mark.parametrize("role", ["owner", "seller", "buyer"])
def test_the_list_takes_the_same_queries_for_5_or_25_orders(api, world, role):
    key = {
        "owner": world.owner.key,
        "seller": world.members["acme"].key,
        "buyer": world.buyers["john"].key,
    }[role]

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/orders", key, q="john", status="awaiting_payment").status == 200
        return len(queries)

    for _ in range(5):
        place_order(world, {"MUG": 1, "TEE": 1})
    few = count()
    for _ in range(20):
        place_order(world, {"MUG": 1, "TEE": 1})
    assert count() == few
    assert few <= 3  # the key, the orders, their seller orders
