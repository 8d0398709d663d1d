"""The scorecard and ranking endpoints: input errors, keyset pages, and a fixed query count."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import clock
from tests.builders import ApiClient, ApiResponse, World
from tests.performance.flows import march, paid_at, refreshed
from tradepost.catalog import services as catalog
from tradepost.core.actors import SYSTEM
from tradepost.orders import services as fulfilment

pytestmark = pytest.mark.django_db


def _field(response: ApiResponse) -> str:
    assert response.status == 422, response
    return response.json()["errors"][0]["field"]


class TestBadInput:
    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"interval": "day"}, "interval"),
            ({"interval": "month", "periods": 30}, "periods"),
            ({"periods": 0}, "periods"),
            ({"period": "2025-02-30"}, "period"),
        ],
    )
    def test_the_scorecard_names_the_field(
        self, api: ApiClient, world: World, params: dict, field: str
    ):
        response = api.get("/sellers/acme/scorecard", world.owner.key, **params)
        assert _field(response) == field

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"sort": "name"}, "sort"),
            ({"cursor": "not-a-cursor"}, "cursor"),
            ({"from": "2025-03-10", "to": "2025-03-01"}, "from"),
            ({"from": "2023-01-01", "to": "2025-03-01"}, "from"),
            ({"limit": 101}, "limit"),
        ],
    )
    def test_the_ranking_names_the_field(
        self, api: ApiClient, world: World, params: dict, field: str
    ):
        assert _field(api.get("/reports/sellers", world.owner.key, **params)) == field

    def test_a_cursor_of_another_sort_is_refused(self, api: ApiClient, world: World):
        first = api.get("/reports/sellers", world.owner.key, limit=1).json()
        response = api.get(
            "/reports/sellers", world.owner.key, cursor=first["next_cursor"], sort="late_rate_bps"
        )
        assert _field(response) == "cursor"


@pytest.fixture
def three_sellers(world: World) -> World:
    """acme acknowledges one of two orders late, bolt none of one, cole has no orders."""
    catalog.seller_create(actor=SYSTEM, slug="cole", name="Cole", email="c@cole.test")
    acme, bolt = world.members["acme"].actor, world.members["bolt"].actor
    on_time = paid_at(world, march(3, 8), {"MUG": 1})
    late = paid_at(world, march(3, 9), {"BOWL": 1})
    tee = paid_at(world, march(3, 9), {"TEE": 1})
    clock.travel_to(march(3, 12))
    fulfilment.seller_order_acknowledge(actor=acme, reference=on_time)
    fulfilment.seller_order_acknowledge(actor=bolt, reference=tee)
    clock.travel_to(march(6, 12))
    fulfilment.seller_order_acknowledge(actor=acme, reference=late)
    refreshed()
    return world


class TestRankingPages:
    def test_pages_walk_every_seller_once_in_order_without_a_value_last(
        self, api: ApiClient, three_sellers: World
    ):
        # when
        seen, cursor = [], None
        while True:
            params = {"from": "2025-03-01", "to": "2025-03-09", "sort": "-late_rate_bps"}
            if cursor:
                params["cursor"] = cursor
            body = api.get("/reports/sellers", three_sellers.owner.key, limit=1, **params).json()
            seen += [(row["rank"], row["seller"]["slug"]) for row in body["items"]]
            cursor = body["next_cursor"]
            if not cursor:
                break
        # then
        assert seen == [(1, "acme"), (2, "bolt"), (3, "cole")]

    def test_ascending_keeps_sellers_without_a_value_last(
        self, api: ApiClient, three_sellers: World
    ):
        params = {"from": "2025-03-01", "to": "2025-03-09", "sort": "late_rate_bps"}
        body = api.get("/reports/sellers", three_sellers.owner.key, **params).json()
        rates = [
            (row["seller"]["slug"], row["figures"]["late"]["rate_bps"]) for row in body["items"]
        ]
        assert rates == [("bolt", 0), ("acme", 5000), ("cole", None)]


class TestQueryCounts:
    """The same few queries however many orders and sellers (DESIGN.md: performance)."""

    def test_scorecard_and_ranking(self, api: ApiClient, three_sellers: World):
        key = three_sellers.owner.key
        api.get("/reports/sellers", key)  # warm the caches the API key lookup fills
        with CaptureQueriesContext(connection) as ranking:
            assert api.get("/reports/sellers", key).status == 200
        with CaptureQueriesContext(connection) as scorecard:
            assert api.get("/sellers/acme/scorecard", key, interval="month").status == 200
        # API key lookup and its last-used mark, then the report's own queries.
        assert len(ranking) <= 6, [q["sql"] for q in ranking.captured_queries]
        assert len(scorecard) <= 9, [q["sql"] for q in scorecard.captured_queries]
