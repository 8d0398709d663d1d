"""The seller's work queue: new orders with the SLA time left, orders to ship, late ones marked."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from tests import clock
from tests.builders import World, pay, place_order
from tests.dashboard.pages import signed_in

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def _items(html: str, section: str) -> list[str]:
    part = html[html.index(f'id="{section}"') :]
    part = part[: part.index("</section>")]
    return re.findall(r'<li class="queue-item( is-late)?">.*?#(ORD-\d+)', part, re.S)


class TestQueue:
    def test_shows_time_left_and_marks_late_orders(self, world: World) -> None:
        clock.travel_to(NOW - timedelta(hours=50))
        late = pay(world, place_order(world, {"MUG": 1})).order.number
        clock.travel_to(NOW - timedelta(hours=3))
        fresh = pay(world, place_order(world, {"BOWL": 1})).order.number
        pay(world, place_order(world, {"TEE": 1}))  # bolt's, not acme's
        clock.travel_to(NOW)
        html = signed_in(world.members["acme"]).get("/dashboard/queue/").content.decode()
        assert _items(html, "to-acknowledge") == [(" is-late", late), ("", fresh)]
        assert "45 hours left to acknowledge" in html
        assert "2 hours overdue to acknowledge" in html

    def test_one_click_acknowledge_then_ship_from_the_queue(self, world: World) -> None:
        bundle = pay(world, place_order(world, {"MUG": 2}))
        number, so = bundle.order.number, bundle.seller_orders[0].seller_order
        seller = signed_in(world.members["acme"])
        url = f"/dashboard/orders/{number}/seller-orders/{so.reference}/"
        response = seller.post(url + "acknowledge/", {"next": "queue"})
        assert response["Location"] == "/dashboard/queue/"
        html = seller.get("/dashboard/queue/").content.decode()
        assert _items(html, "to-ship") == [("", number)]
        seller.post(url + "ship/", {"next": "queue", "carrier": "UPS", "tracking_number": "1Z9"})
        so.refresh_from_db()
        assert so.status == "shipped"
        assert so.shipments.get().tracking_number == "1Z9"

    def test_only_sellers_have_a_queue(self, world: World) -> None:
        assert signed_in(world.owner).get("/dashboard/queue/").status_code == 404
