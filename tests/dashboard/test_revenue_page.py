"""The owner's revenue page: the API's numbers, the period form, the chart, and who may open it."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests import clock
from tests.builders import ApiClient, World, pay, place_order
from tests.dashboard.pages import signed_in
from tests.ledger.autumn import autumn
from tests.ledger.revenue_scenario import (
    ACME,
    BOLT,
    PAYMENT_STATUSES,
    PERIOD,
    TOTALS,
    build_november,
)
from tradepost.dashboard.charts import revenue_chart
from tradepost.ledger.selectors import RevenuePeriod

pytestmark = pytest.mark.django_db

PAGE = "/dashboard/revenue/"
NOV_20 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
HEADLINE = (
    "sales_amount",
    "commission_amount",
    "commission_earned_amount",
    "commission_reversed_amount",
    "refunds_amount",
    "chargebacks_amount",
    "net_amount",
    "payouts_paid_amount",
)
SELLER_COLUMNS = (
    "sales_amount",
    "commission_amount",
    "refunds_amount",
    "chargebacks_amount",
    "net_amount",
    "payouts_paid_amount",
)


def _between(html: str, start: str, end: str) -> str:
    return html.split(start, 1)[1].split(end, 1)[0]


def _data(html: str) -> dict[str, int]:
    """The machine-readable ``<data data-figure=… value=…>`` figures of a piece of the page."""
    return {
        name: int(value)
        for name, value in re.findall(r'<data data-figure="(\w+)" value="(-?\d+)"', html)
    }


def headline(html: str) -> dict[str, int]:
    return _data(_between(html, 'id="headline-title"', 'id="daily-title"'))


def seller_rows(html: str) -> dict[str, dict[str, int]]:
    rows = re.findall(r'<tr data-seller="([\w-]+)">(.*?)</tr>', html, re.S)
    return {slug: _data(row) for slug, row in rows}


def status_rows(html: str) -> dict[str, tuple[int, int]]:
    rows = re.findall(
        r'<tr data-payment-status="(\w+)">.*?<data value="(\d+)">.*?<data value="(\d+)">', html
    )
    return {status: (int(orders), int(amount)) for status, orders, amount in rows}


def field_error(html: str, field: str) -> str:
    match = re.search(rf'<div class="field-error" id="id_{field}-error"><p>([^<]+)</p>', html)
    return match.group(1) if match else ""


def open_page(client: Client, **params: Any) -> tuple[int, str]:
    response = client.get(PAGE, params)
    return response.status_code, response.content.decode()


class TestSameNumbersAsTheApi:
    def test_headline_sellers_and_statuses_are_the_apis(self, world: World, api: ApiClient) -> None:
        # given the November of tests.ledger.revenue_scenario
        build_november(world)
        # when the owner opens the page and calls the API for the same days
        status, html = open_page(signed_in(world.owner), **PERIOD)
        body = api.get("/reports/revenue", world.owner.key, **PERIOD).json()
        # then both show the same numbers, and they are the scenario's
        assert status == 200
        assert headline(html) == {name: body["totals"][name] for name in HEADLINE}
        assert headline(html) == {name: TOTALS[name] for name in HEADLINE}
        assert seller_rows(html) == {
            row["seller"]["slug"]: {name: row[name] for name in SELLER_COLUMNS}
            for row in body["sellers"]
        }
        assert seller_rows(html) == {
            "acme": {name: ACME[name] for name in SELLER_COLUMNS},
            "bolt": {name: BOLT[name] for name in SELLER_COLUMNS},
        }
        assert status_rows(html) == PAYMENT_STATUSES

    def test_the_seller_rows_add_up_to_the_all_sellers_row(self, world: World) -> None:
        build_november(world)
        _, html = open_page(signed_in(world.owner), **PERIOD)
        rows = seller_rows(html).values()
        for name in SELLER_COLUMNS:
            assert sum(row[name] for row in rows) == headline(html)[name], name
        assert "$78.00" in _between(html, "<tfoot>", "</tfoot>")

    def test_money_is_shown_formatted(self, world: World) -> None:
        build_november(world)
        _, html = open_page(signed_in(world.owner), **PERIOD)
        assert 'value="7800">$78.00</data>' in html
        assert 'value="-2500"' not in _between(html, 'id="headline-title"', 'id="daily-title"')
        assert "Nov 1, 2026 \u2013 Nov 30, 2026" in html

    @pytest.mark.parametrize(("preset", "first"), [("7", "2026-11-14"), ("90", "2026-08-23")])
    def test_a_preset_ends_today(
        self, world: World, api: ApiClient, preset: str, first: str
    ) -> None:
        build_november(world)
        clock.travel_to(NOV_20)
        _, html = open_page(signed_in(world.owner), period=preset)
        params = {"from": first, "to": "2026-11-20"}
        body = api.get("/reports/revenue", world.owner.key, **params).json()
        assert headline(html) == {name: body["totals"][name] for name in HEADLINE}
        assert 'value="2026-11-20"' not in html  # a preset leaves the date inputs empty
        assert f'<option value="{preset}" selected>' in html

    def test_without_a_period_it_shows_the_last_30_days(self, world: World) -> None:
        build_november(world)
        clock.travel_to(NOV_20)
        status, html = open_page(signed_in(world.owner))
        assert status == 200
        assert "Oct 22, 2026 \u2013 Nov 20, 2026" in html
        assert headline(html)["sales_amount"] == 2500 + 5800 + 2000
        assert '<option value="30" selected>' in html

    def test_dates_without_a_preset_are_a_custom_period(self, world: World) -> None:
        _, html = open_page(signed_in(world.owner), **PERIOD)
        assert '<option value="custom" selected>' in html
        assert 'name="from" value="2026-11-01"' in html


class TestPeriodForm:
    @pytest.mark.parametrize(
        ("params", "field", "message"),
        [
            ({"from": "2026-11-30", "to": "2026-11-01"}, "to", "must be on or after"),
            ({"from": "2025-10-31", "to": "2026-11-01"}, "from", "at most 366 days"),
            ({"period": "custom", "from": "2026-11-01"}, "to", "Enter a date"),
            ({"period": "custom", "from": "soon", "to": "2026-11-01"}, "from", "valid date"),
            ({"period": "45"}, "period", "Select a valid choice"),
            ({"from": "1969-12-31", "to": "1970-01-02"}, "from", "must be between"),
        ],
    )
    def test_bad_input_is_400_with_the_error_next_to_the_field(
        self, world: World, params: dict[str, str], field: str, message: str
    ) -> None:
        status, html = open_page(signed_in(world.owner), **params)
        assert status == 400
        assert message in field_error(html, field)
        assert 'aria-invalid="true"' in html
        assert 'id="headline-title"' not in html


class TestChart:
    def test_the_page_draws_the_daily_series_as_inline_svg(self, world: World) -> None:
        build_november(world)
        _, html = open_page(signed_in(world.owner), **PERIOD)
        svg = _between(html, "<svg", "</svg>")
        assert 'role="img"' in svg
        assert 'aria-labelledby="revenue-chart-title"' in svg
        assert '<title id="revenue-chart-title">Sales and commission by day (USD)</title>' in svg
        assert "sales $78.00 in total, commission $2.00" in svg
        assert svg.count('<rect class="chart-bar"') == 30
        assert "<title>Nov 3, 2026: sales $58.00, commission $4.50</title>" in svg
        assert "Amount (USD)" in svg
        assert "Day (UTC)" in svg
        main = _between(html, '<main id="main"', "</main>")
        assert "<script" not in main
        assert "cdn" not in html.lower()

    def test_each_day_has_a_row_in_the_table_beside_the_chart(self, world: World) -> None:
        build_november(world)
        _, html = open_page(signed_in(world.owner), **PERIOD)
        table = _between(html, 'id="daily-table"', "</table>")
        assert table.count('<th scope="row">') == 30


class TestChartBuilder:
    def points(self, *rows: tuple[int, int, int]) -> list[RevenuePeriod]:
        first = date(2026, 12, 30)
        return [
            RevenuePeriod(
                start=first + timedelta(days=index),
                end=first + timedelta(days=index),
                sales_amount=sales,
                commission_earned_amount=earned,
                commission_reversed_amount=reversed_,
            )
            for index, (sales, earned, reversed_) in enumerate(rows)
        ]

    def test_the_y_axis_has_round_money_ticks_from_zero(self) -> None:
        svg = revenue_chart(self.points((5800, 450, 0), (0, 0, 0)), currency="USD")
        ticks = re.findall(r'text-anchor="end" font-size="12">([^<]+)<', svg)
        assert ticks == ["$0.00", "$20.00", "$40.00", "$60.00"]

    def test_a_negative_commission_day_gets_an_axis_below_zero(self) -> None:
        svg = revenue_chart(self.points((0, 0, 250), (1000, 100, 0)), currency="USD")
        ticks = re.findall(r'text-anchor="end" font-size="12">([^<]+)<', svg)
        assert ticks[0] == "-$5.00"
        assert "$0.00" in ticks

    def test_nothing_sold_still_draws_an_axis(self) -> None:
        svg = revenue_chart(self.points((0, 0, 0)), currency="EUR")
        assert "nan" not in svg.lower()
        assert "€0.00" in svg
        assert "Amount (EUR)" in svg

    def test_the_year_is_shown_where_it_changes(self) -> None:
        svg = revenue_chart(self.points((1, 0, 0), (1, 0, 0), (1, 0, 0)), currency="USD")
        labels = re.findall(r'<text class="chart-label"[^>]*"middle"[^>]*>([^<]+)<', svg)
        assert labels[:3] == ["Dec 30 2026", "Dec 31", "Jan 1 2027"]

    def test_no_points_no_chart(self) -> None:
        assert revenue_chart([], currency="USD") == ""


class TestAccess:
    def test_the_owner_finds_it_in_the_navigation(self, world: World) -> None:
        _, html = open_page(signed_in(world.owner))
        assert '<a href="/dashboard/revenue/" aria-current="page">Revenue</a>' in html
        orders = signed_in(world.owner).get("/dashboard/orders/").content.decode()
        assert '<a href="/dashboard/revenue/" >Revenue</a>' in orders

    @pytest.mark.parametrize("who", ["seller", "buyer"])
    def test_sellers_and_buyers_get_the_not_found_page(self, world: World, who: str) -> None:
        party = world.members["acme"] if who == "seller" else world.buyers["john"]
        status, html = open_page(signed_in(party), **PERIOD)
        assert status == 404
        assert "Not found" in html
        assert "/dashboard/revenue/" not in html

    def test_a_signed_out_visitor_is_sent_to_sign_in(self, db: None) -> None:
        response = Client().get(PAGE)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


class TestQueries:
    def count(self, client: Client) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(PAGE, PERIOD).status_code == 200
        return len(captured.captured_queries)

    def test_the_number_of_queries_does_not_grow_with_the_orders(self, world: World) -> None:
        client = signed_in(world.owner)
        clock.travel_to(datetime(2026, 11, 2, 12, 0, tzinfo=UTC))
        pay(world, place_order(world, {"MUG": 1}))
        few = self.count(client)
        build_november(world)
        for day in range(1, 11):
            clock.travel_to(datetime(2026, 11, day, 8, 0, tzinfo=UTC))
            pay(world, place_order(world, {"BOWL": 1, "CAP": 1}, buyer="jane"))
        assert self.count(client) == few


class TestLedgerFigures:
    def test_chargebacks_payouts_and_weeks_are_the_apis(self, world: World, api: ApiClient) -> None:
        # given autumn (tests.ledger.autumn): a payout, a refund, a lost chargeback
        autumn(world)
        # when the owner opens the page by week, and calls the API for the same
        status, html = open_page(signed_in(world.owner), **PERIOD, interval="week")
        body = api.get("/reports/revenue", world.owner.key, **PERIOD, interval="week").json()
        # then the headline, the weeks' rows and the seller rows are the API's
        assert status == 200
        assert headline(html) == {name: body["totals"][name] for name in HEADLINE}
        assert (headline(html)["chargebacks_amount"], headline(html)["payouts_paid_amount"]) == (
            500,
            2700,
        )
        rows = re.findall(r'<tr data-period="([\d-]+)">(.*?)</tr>', html, re.S)
        assert [(start, _data(row)) for start, row in rows] == [
            (week["start"], {name: week[name] for name in SELLER_COLUMNS})
            for week in body["periods"]
        ]
        assert seller_rows(html)["acme"]["chargebacks_amount"] == 500
        assert '<option value="week" selected>' in html
        assert "Sales and commission by week (USD)" in html

    def test_an_unknown_interval_is_400_next_to_the_field(self, world: World) -> None:
        status, html = open_page(signed_in(world.owner), interval="year")
        assert status == 400
        assert "Select a valid choice" in field_error(html, "interval")
