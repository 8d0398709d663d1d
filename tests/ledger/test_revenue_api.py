"""GET /api/v1/reports/revenue: exact figures, who sees what, validation, and its query count."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import clock
from tests.builders import ApiClient, World, pay, place_order
from tests.ledger.revenue_scenario import (
    ACME,
    ACME_PAYMENT_STATUSES,
    BOLT,
    DAYS,
    PAYMENT_STATUSES,
    PERIOD,
    TOTALS,
    build_november,
    figures,
)
from tradepost.catalog import services as catalog
from tradepost.core.actors import SYSTEM

pytestmark = pytest.mark.django_db

FIGURES = tuple(TOTALS)
NOTHING = figures(sales=0, earned=0, reversed_=0, refunds=0)


def report(api: ApiClient, key: str, **params: Any) -> dict[str, Any]:
    response = api.get("/reports/revenue", key, **params)
    assert response.status == 200, response
    return response.json()


def money(row: dict[str, Any]) -> dict[str, int]:
    return {name: row[name] for name in FIGURES}


def statuses(body: dict[str, Any]) -> dict[str, tuple[int, int]]:
    return {
        row["payment_status"]: (row["orders"], row["total_amount"])
        for row in body["payment_statuses"]
    }


class TestOwnerFigures:
    def test_the_marketplace_figures_of_the_period(self, world: World, api: ApiClient) -> None:
        # given the November of tests.ledger.revenue_scenario
        build_november(world)
        # when the owner asks for November
        body = report(api, world.owner.key, **PERIOD)
        # then
        assert (body["from"], body["to"], body["currency"]) == ("2026-11-01", "2026-11-30", "USD")
        assert body["totals"] == TOTALS
        assert [(row["seller"], money(row)) for row in body["sellers"]] == [
            ({"slug": "bolt", "name": "Bolt"}, BOLT),
            ({"slug": "acme", "name": "Acme"}, ACME),
        ]
        assert statuses(body) == PAYMENT_STATUSES

    def test_the_daily_series_has_every_day_with_zeros_where_nothing_moved(
        self, world: World, api: ApiClient
    ) -> None:
        build_november(world)
        daily = report(api, world.owner.key, **PERIOD)["daily"]
        november = [date(2026, 11, 1) + timedelta(days=n) for n in range(30)]
        assert [point["day"] for point in daily] == [day.isoformat() for day in november]
        assert [money(point) for point in daily] == [DAYS.get(day, NOTHING) for day in november]

    def test_sellers_and_days_each_add_up_to_the_totals(self, world: World, api: ApiClient) -> None:
        build_november(world)
        body = report(api, world.owner.key, **PERIOD)
        for name in FIGURES:
            assert sum(row[name] for row in body["sellers"]) == body["totals"][name], name
            assert sum(point[name] for point in body["daily"]) == body["totals"][name], name
        totals = body["totals"]
        assert totals["net_amount"] == totals["sales_amount"] - totals["refunds_amount"]

    def test_days_are_utc_days_with_both_ends_included(self, world: World, api: ApiClient) -> None:
        build_november(world)
        # E was paid at 23:59:59 on Nov 15; F at 00:00:00 on Dec 1.
        nov_15 = report(api, world.owner.key, **{"from": "2026-11-15", "to": "2026-11-15"})
        dec_1 = report(api, world.owner.key, **{"from": "2026-12-01", "to": "2026-12-01"})
        nov_16_to_30 = report(api, world.owner.key, **{"from": "2026-11-16", "to": "2026-11-30"})
        assert nov_15["totals"]["sales_amount"] == 2000
        assert dec_1["totals"]["sales_amount"] == 1250
        assert nov_16_to_30["totals"] == NOTHING
        assert len(nov_15["daily"]) == 1

    def test_adjoining_periods_add_up_to_the_period_spanning_both(
        self, world: World, api: ApiClient
    ) -> None:
        build_november(world)
        first = report(api, world.owner.key, **{"from": "2026-11-01", "to": "2026-11-07"})
        rest = report(api, world.owner.key, **{"from": "2026-11-08", "to": "2026-11-30"})
        for name in FIGURES:
            assert first["totals"][name] + rest["totals"][name] == TOTALS[name], name

    def test_the_default_period_is_the_30_days_ending_today(
        self, world: World, api: ApiClient
    ) -> None:
        build_november(world)
        clock.travel_to(datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
        body = report(api, world.owner.key)
        assert (body["from"], body["to"]) == ("2026-10-22", "2026-11-20")
        # A (paid Oct 30), B and E; F is in December.
        assert body["totals"]["sales_amount"] == 2500 + 5800 + 2000

    def test_a_single_day_defaults_the_other_end(self, world: World, api: ApiClient) -> None:
        clock.travel_to(datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
        only_to = report(api, world.owner.key, to="2026-11-10")
        only_from = report(api, world.owner.key, **{"from": "2026-11-01"})
        assert (only_to["from"], only_to["to"]) == ("2026-10-12", "2026-11-10")
        assert (only_from["from"], only_from["to"]) == ("2026-11-01", "2026-11-20")

    def test_one_currency_at_a_time(self, world: World, api: ApiClient) -> None:
        # given a USD order and a EUR order, both paid on Nov 3
        world.listings["EURO"] = catalog.listing_create(
            actor=SYSTEM,
            seller_slug="acme",
            sku="EURO",
            title="Euro mug",
            unit_price_amount=4000,
            stock_quantity=5,
            currency="EUR",
        )
        clock.travel_to(datetime(2026, 11, 3, 12, 0, tzinfo=UTC))
        pay(world, place_order(world, {"MUG": 1}))
        pay(world, place_order(world, {"EURO": 1}))
        # when the owner asks for the marketplace currency, then for EUR
        usd = report(api, world.owner.key, **PERIOD)
        eur = report(api, world.owner.key, **PERIOD, currency="EUR")
        # then each counts only its own
        assert (usd["currency"], usd["totals"]["sales_amount"]) == ("USD", 1250)
        assert (eur["currency"], eur["totals"]["sales_amount"]) == ("EUR", 4000)
        assert statuses(eur)["paid"] == (1, 4000)


class TestScope:
    def test_a_seller_sees_only_its_own_figures(self, world: World, api: ApiClient) -> None:
        build_november(world)
        body = report(api, world.members["acme"].key, **PERIOD)
        assert body["totals"] == ACME
        assert [(row["seller"]["slug"], money(row)) for row in body["sellers"]] == [("acme", ACME)]
        assert statuses(body) == ACME_PAYMENT_STATUSES
        nov_3 = next(point for point in body["daily"] if point["day"] == "2026-11-03")
        assert money(nov_3) == figures(sales=3691, earned=350, reversed_=0, refunds=0)

    def test_the_sellers_own_reports_add_up_to_the_owners(
        self, world: World, api: ApiClient
    ) -> None:
        build_november(world)
        owner = report(api, world.owner.key, **PERIOD)
        parts = [report(api, member.key, **PERIOD) for member in world.members.values()]
        for name in FIGURES:
            assert sum(part["totals"][name] for part in parts) == owner["totals"][name], name

    def test_a_buyer_gets_404(self, world: World, api: ApiClient) -> None:
        response = api.get("/reports/revenue", world.buyers["john"].key, **PERIOD)
        assert response.status == 404
        assert response.headers["Content-Type"] == "application/problem+json"
        assert response.json()["code"] == "not_found"

    def test_without_a_key_401(self, api: ApiClient) -> None:
        assert api.get("/reports/revenue", None).status == 401


class TestValidation:
    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"from": "2026-11-30", "to": "2026-11-01"}, "to"),
            ({"from": "2025-10-31", "to": "2026-11-01"}, "from"),  # 367 days
            ({"from": "2026-13-01"}, "from"),
            ({"to": "yesterday"}, "to"),
            ({"from": "1969-12-31", "to": "1970-01-02"}, "from"),
            ({"to": "9999-12-31"}, "to"),
            ({"currency": "usd"}, "currency"),
        ],
    )
    def test_a_bad_period_is_422_naming_the_field(
        self, world: World, api: ApiClient, params: dict[str, str], field: str
    ) -> None:
        response = api.get("/reports/revenue", world.owner.key, **params)
        assert response.status == 422, response
        body = response.json()
        assert body["code"] == "validation_error"
        assert [error["field"] for error in body["errors"]] == [field]

    def test_a_period_of_366_days_is_allowed(self, world: World, api: ApiClient) -> None:
        body = report(api, world.owner.key, **{"from": "2024-01-01", "to": "2024-12-31"})
        assert len(body["daily"]) == 366


class TestQueries:
    def queries(self, api: ApiClient, key: str) -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            report(api, key, **PERIOD)
        return [query["sql"] for query in captured.captured_queries]

    def test_the_number_of_queries_does_not_grow_with_the_orders(
        self, world: World, api: ApiClient
    ) -> None:
        # given one paid order, measured; then the whole November scenario and ten orders more
        clock.travel_to(datetime(2026, 11, 2, 12, 0, tzinfo=UTC))
        pay(world, place_order(world, {"MUG": 1}))
        few = {name: self.queries(api, party.key) for name, party in self.viewers(world).items()}
        build_november(world)
        for day in range(1, 11):
            clock.travel_to(datetime(2026, 11, day, 8, 0, tzinfo=UTC))
            pay(world, place_order(world, {"BOWL": 1, "CAP": 1}, buyer="jane"))
        many = {name: self.queries(api, party.key) for name, party in self.viewers(world).items()}
        # then the same count: the API key with its user in one, then the report's own four
        # (the marketplace's currency, the ledger by day, by seller, the payment statuses)
        assert {name: len(sql) for name, sql in many.items()} == {
            name: len(sql) for name, sql in few.items()
        }
        assert len(few["owner"]) == 5, few["owner"]

    def viewers(self, world: World) -> dict[str, Any]:
        return {"owner": world.owner, "acme": world.members["acme"]}
