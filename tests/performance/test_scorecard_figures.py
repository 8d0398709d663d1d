"""Every scorecard figure on a small marketplace walked through by hand, with the clock held.

Week of March 3 2025 (acme; acknowledge within 48 h, ship within 3 days):

- A: paid Mon 10:00, acknowledged 2 h later, shipped after 24 h, completed, rated 4.
- B: paid Mon 11:00, acknowledged after 60 h (late), shipped after 96 h (late).
- C: paid Tue, canceled whole by the seller (the seller's cancellation; its refund is not one).
- D: paid Wed, acknowledged after 1 h, one line canceled (the seller's), the rest shipped after
  30 h, refunded in part as damaged, disputed.
- E: paid Wed, canceled by the buyer: not the seller's cancellation, nor a refund.
- an order never paid: in no figure.

Week of March 10: G acknowledged after 3 h, shipped after 20 h, rated 2 and the review hidden;
H acknowledged after 5 h and not shipped yet.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests import clock
from tests.builders import ApiClient, World, place_order
from tests.performance.flows import march, paid_at, rebuilt, refreshed
from tradepost.disputes.services import case_open
from tradepost.orders import services as fulfilment
from tradepost.orders.cancellations import seller_order_lines_cancel
from tradepost.orders.seller_rates import Period, seller_cancellation_rate
from tradepost.payments.refund_lines import LineQuantity
from tradepost.payments.refunds import refund_create
from tradepost.performance.durations import HOUR
from tradepost.reviews.services import review_create, review_hide

pytestmark = pytest.mark.django_db

WEEK_1, WEEK_2 = march(3), march(10)


def _ack_and_ship(world: World, reference: str, paid: datetime, ack_h: float, ship_h: float):
    acme = world.members["acme"].actor
    clock.travel_to(paid + timedelta(hours=ack_h))
    fulfilment.seller_order_acknowledge(actor=acme, reference=reference)
    clock.travel_to(paid + timedelta(hours=ship_h))
    fulfilment.shipment_create(
        actor=acme, reference=reference, parcel=fulfilment.Parcel("UPS", "1Z1")
    )


@pytest.fixture
def scenario(world: World) -> World:
    acme, john, owner = (
        world.members["acme"].actor,
        world.buyers["john"].actor,
        world.owner.actor,
    )
    a = paid_at(world, march(3, 10), {"MUG": 1})
    _ack_and_ship(world, a, march(3, 10), 2, 24)
    clock.travel_to(march(5, 12))
    fulfilment.seller_order_complete(actor=john, reference=a)
    review_create(actor=john, reference=a, rating=4)
    b = paid_at(world, march(3, 11), {"MUG": 1})
    _ack_and_ship(world, b, march(3, 11), 60, 96)
    c = paid_at(world, march(4, 9), {"BOWL": 1})
    clock.travel_to(march(4, 10))
    fulfilment.seller_order_cancel(actor=acme, reference=c, reason="Out of stock")
    d = paid_at(world, march(5, 8), {"MUG": 1, "BOWL": 1})
    clock.travel_to(march(5, 9))
    fulfilment.seller_order_acknowledge(actor=acme, reference=d)
    seller_order_lines_cancel(actor=acme, reference=d, lines=[LineQuantity("BOWL", 1)])
    clock.travel_to(march(6, 14))
    fulfilment.shipment_create(actor=acme, reference=d, parcel=fulfilment.Parcel("UPS", "1Z2"))
    clock.travel_to(march(7, 9))
    refund_create(actor=owner, reference=d, reason="damaged", amount=500)
    case_open(actor=john, reference=d, kind="damaged", description="Chipped.")
    e = paid_at(world, march(5, 9), {"MUG": 1})
    clock.travel_to(march(5, 10))
    fulfilment.seller_order_cancel(actor=john, reference=e, reason="Changed my mind")
    clock.travel_to(march(5, 11))
    place_order(world, {"MUG": 1})  # never paid
    g = paid_at(world, march(10, 8), {"MUG": 1})
    _ack_and_ship(world, g, march(10, 8), 3, 20)
    clock.travel_to(march(12, 8))
    fulfilment.seller_order_complete(actor=john, reference=g)
    review = review_create(actor=john, reference=g, rating=2)
    review_hide(actor=owner, review_id=review.public_id, reason="Names the courier")
    h = paid_at(world, march(11, 8), {"MUG": 1})
    clock.travel_to(march(11, 13))
    fulfilment.seller_order_acknowledge(actor=acme, reference=h)
    return world


def _scorecard(api: ApiClient, world: World) -> dict:
    response = api.get(
        "/sellers/acme/scorecard",
        world.owner.key,
        interval="week",
        periods=2,
        period="2025-03-12",
    )
    assert response.status == 200, response
    return response.json()


def _within(value: int, low_hours: float, high_hours: float) -> bool:
    return low_hours * HOUR <= value < high_hours * HOUR


class TestEveryFigure:
    def test_the_first_week(self, api: ApiClient, scenario: World):
        # when
        refreshed()
        body = _scorecard(api, scenario)
        # then
        week = body["previous"]
        assert (week["start"], week["end"]) == ("2025-03-03", "2025-03-09")
        figures = week["figures"]
        assert figures["seller_orders"] == 5
        acknowledgement = figures["acknowledgement"]
        assert acknowledgement["count"] == 3
        assert acknowledgement["average_seconds"] == 21 * HOUR  # (2 + 60 + 1) / 3 hours
        assert _within(acknowledgement["median_seconds"], 2, 3)  # the median is A's 2 h
        shipping = figures["shipping"]
        assert shipping["count"] == 3
        assert shipping["average_seconds"] == 50 * HOUR  # (24 + 96 + 30) / 3 hours
        assert _within(shipping["median_seconds"], 30, 36)  # D's 30 h
        assert figures["late"] == {"count": 1, "of": 3, "rate_bps": 3333}
        assert figures["cancellation"] == {"count": 2, "of": 5, "rate_bps": 4000}
        assert figures["dispute"] == {"count": 1, "of": 5, "rate_bps": 2000}
        assert figures["refund"] == {"count": 1, "of": 5, "rate_bps": 2000}
        assert figures["rating"] == {"average": 4.0, "count": 1}

    def test_the_second_week_and_the_change(self, api: ApiClient, scenario: World):
        # when
        refreshed()
        body = _scorecard(api, scenario)
        # then
        figures = body["current"]["figures"]
        assert figures["seller_orders"] == 2
        assert figures["acknowledgement"]["average_seconds"] == 4 * HOUR
        assert _within(figures["acknowledgement"]["median_seconds"], 3, 4)  # lower middle: 3 h
        assert figures["shipping"] == {
            "count": 1,
            "median_seconds": figures["shipping"]["median_seconds"],
            "average_seconds": 20 * HOUR,
        }
        assert figures["late"] == {"count": 0, "of": 2, "rate_bps": 0}
        assert figures["cancellation"]["rate_bps"] == 0
        assert figures["rating"] == {"average": None, "count": 0}  # the one review is hidden
        change = body["change"]
        assert change["seller_orders"] == -3
        assert change["late_rate_bps"] == -3333
        assert change["cancellation_rate_bps"] == -4000
        assert change["acknowledge_average_seconds"] == (4 - 21) * HOUR
        assert change["rating_average"] is None
        assert [p["start"] for p in body["trend"]] == ["2025-03-03", "2025-03-10"]

    def test_the_public_part_counts_every_visible_review(self, api: ApiClient, scenario: World):
        refreshed()
        public = _scorecard(api, scenario)["public"]
        assert public["rating"] == {"average": 4.0, "count": 1}
        assert public["shipping_promise"] == "Ships within 3 days"
        assert public["on_time"] == {"count": 4, "of": 5, "rate_bps": 8000}

    def test_cancellations_count_as_orders_seller_rates_does(self, scenario: World):
        refreshed()
        rate = seller_cancellation_rate(
            actor=scenario.owner.actor,
            seller=scenario.sellers["acme"],
            period=Period(WEEK_1, WEEK_2),
        )
        assert (rate.canceled, rate.seller_orders) == (2, 5)

    def test_the_worker_and_a_rebuild_agree(self, scenario: World):
        assert refreshed() == rebuilt()

    def test_the_ranking_shows_the_same_figures(self, api: ApiClient, scenario: World):
        # given
        refreshed()
        # when
        response = api.get(
            "/reports/sellers",
            scenario.owner.key,
            **{"from": "2025-03-03", "to": "2025-03-09", "sort": "-late_rate_bps"},
        )
        # then
        assert response.status == 200, response
        first, second = response.json()["items"]
        assert (first["rank"], first["seller"]["slug"]) == (1, "acme")
        assert first["figures"]["late"]["rate_bps"] == 3333
        assert first["figures"]["seller_orders"] == 5
        assert (second["seller"]["slug"], second["figures"]["late"]["rate_bps"]) == ("bolt", None)
