"""The scorecard and seller performance pages: the API's figures, a chart, and who may open them."""

from __future__ import annotations

import re

import pytest

from tests import clock
from tests.builders import World
from tests.dashboard.pages import signed_in
from tests.performance.flows import march, paid_at, refreshed
from tradepost.orders import services as fulfilment

pytestmark = pytest.mark.django_db

RANKING = "/dashboard/sellers/performance/"


def scorecard(slug: str) -> str:
    return f"/dashboard/sellers/{slug}/scorecard/"


@pytest.fixture
def late_week(world: World) -> World:
    """In the week of March 3, acme acknowledged one order on time and one 3 days late."""
    acme = world.members["acme"].actor
    on_time, late = (paid_at(world, march(3, 8), {sku: 1}) for sku in ("MUG", "BOWL"))
    clock.travel_to(march(3, 12))
    fulfilment.seller_order_acknowledge(actor=acme, reference=on_time)
    clock.travel_to(march(6, 12))
    fulfilment.seller_order_acknowledge(actor=acme, reference=late)
    refreshed()
    return world


def _cell(html: str, period: str, figure: str) -> str:
    row = re.search(rf'<tr data-period="{period}">(.*?)</tr>', html, re.DOTALL)
    assert row, f"no row for {period}"
    cell = re.search(rf'data-figure="{figure}">([^<]*)<', row.group(1))
    assert cell, f"no {figure} in {period}"
    return cell.group(1).strip()


class TestScorecardPage:
    def test_a_seller_reads_its_own_weeks_with_a_chart(self, late_week: World):
        # when
        clock.travel_to(march(12, 9))
        page = signed_in(late_week.members["acme"]).get(scorecard("acme"))
        # then
        assert page.status_code == 200
        html = page.content.decode()
        assert _cell(html, "2025-03-03", "seller_orders") == "2"
        assert _cell(html, "2025-03-03", "late_rate_bps") == "50.0 %"
        assert _cell(html, "2025-03-10", "late_rate_bps") == "—"
        assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in html
        assert "Late: " in html  # the chart's description reads the same figures

    def test_the_navigation_takes_a_seller_to_its_own(self, late_week: World):
        clock.travel_to(march(12, 9))
        page = signed_in(late_week.members["acme"]).get("/dashboard/scorecard/")
        assert page.status_code == 200
        assert "Scorecard: Acme" in page.content.decode()

    def test_another_seller_and_buyers_find_no_page(self, late_week: World):
        assert signed_in(late_week.members["bolt"]).get(scorecard("acme")).status_code == 404
        assert signed_in(late_week.buyers["john"]).get(scorecard("acme")).status_code == 404
        assert signed_in(late_week.buyers["john"]).get(RANKING).status_code == 404
        assert signed_in(late_week.members["acme"]).get(RANKING).status_code == 404


class TestSellerPerformancePage:
    def test_the_owner_ranks_sellers_and_links_each_scorecard(self, late_week: World):
        # when
        clock.travel_to(march(12, 9))
        page = signed_in(late_week.owner).get(RANKING, {"sort": "-late_rate_bps"})
        # then
        assert page.status_code == 200
        html = page.content.decode()
        sellers = re.findall(r'<tr data-seller="([\w-]+)">', html)
        assert sellers == ["acme", "bolt"]
        assert f'href="{scorecard("acme")}"' in html
        assert re.search(r'data-figure="late_rate_bps">50\.0 %<', html)
        assert 'class="chart"' in html

    def test_an_unknown_sort_is_a_form_error(self, late_week: World):
        page = signed_in(late_week.owner).get(RANKING, {"sort": "name"})
        assert page.status_code == 400
