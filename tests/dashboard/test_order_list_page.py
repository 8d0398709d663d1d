"""The orders list: scope per role, search, filters, sort, pages, counters and the CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests import clock
from tests.builders import ADDRESS, World, pay, place_order
from tests.dashboard.pages import order_numbers, signed_in
from tradepost.orders import services
from tradepost.orders.checkout import Cart, CartLine, Contact, order_create

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


class TestScope:
    def test_each_role_sees_only_its_orders(self, world: World) -> None:
        # given an acme-only order of john's, a bolt-only order of jane's, and a mixed one
        acme = place_order(world, {"MUG": 1}).order.number
        bolt = place_order(world, {"TEE": 1}, buyer="jane").order.number
        mixed = place_order(world, {"BOWL": 1, "CAP": 1}, buyer="jane").order.number
        # when each role opens the list
        seen = {
            name: set(order_numbers(signed_in(party).get("/dashboard/orders/").content.decode()))
            for name, party in {
                "owner": world.owner,
                "acme": world.members["acme"],
                "john": world.buyers["john"],
                "jane": world.buyers["jane"],
            }.items()
        }
        # then
        assert seen == {
            "owner": {acme, bolt, mixed},
            "acme": {acme, mixed},
            "john": {acme},
            "jane": {bolt, mixed},
        }

    def test_a_seller_cannot_widen_its_list_with_a_seller_filter(self, world: World) -> None:
        mine = place_order(world, {"MUG": 1}).order.number
        place_order(world, {"TEE": 1})
        html = signed_in(world.members["acme"]).get("/dashboard/orders/", {"seller": "bolt"})
        assert order_numbers(html.content.decode()) == [mine]
        assert 'name="seller"' not in html.content.decode()  # the filter is the owner's alone

    def test_a_signed_out_visitor_is_sent_to_sign_in(self, db: None) -> None:
        response = Client().get("/dashboard/orders/?q=doe")
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?next=/dashboard/orders/%3Fq%3Ddoe"


class TestSearchFiltersAndSort:
    def test_search_matches_number_name_and_email_case_insensitively(self, world: World) -> None:
        johns = place_order(world, {"MUG": 1}).order.number
        janes = place_order(world, {"TEE": 1}, buyer="jane").order.number
        client = signed_in(world.owner)
        for term, expected in (
            ("jOhN dO", [johns]),
            ("JANE@BUYERS", [janes]),
            (janes[4:], [janes]),
        ):
            html = client.get("/dashboard/orders/", {"q": term}).content.decode()
            assert order_numbers(html) == expected, term

    def test_status_payment_and_seller_filters_combine(self, world: World) -> None:
        paid_acme = pay(world, place_order(world, {"MUG": 1})).order.number
        place_order(world, {"MUG": 1})  # unpaid
        pay(world, place_order(world, {"TEE": 1}))  # paid, other seller
        client = signed_in(world.owner)
        html = client.get(
            "/dashboard/orders/", {"status": "pending", "payment_status": "paid", "seller": "acme"}
        ).content.decode()
        assert order_numbers(html) == [paid_acme]

    def test_date_presets_and_custom_ranges(self, world: World) -> None:
        clock.travel_to(NOW - timedelta(days=20))
        old = place_order(world, {"MUG": 1}).order.number
        clock.travel_to(NOW - timedelta(days=3))
        recent = place_order(world, {"MUG": 1}).order.number
        clock.travel_to(NOW - timedelta(hours=1))
        today = place_order(world, {"MUG": 1}).order.number
        client = signed_in(world.owner)
        clock.travel_to(NOW)
        for query, expected in (
            ({"period": "today"}, [today]),
            ({"period": "7d"}, [today, recent]),
            ({"period": "30d"}, [today, recent, old]),
            (
                {"period": "custom", "created_from": "2026-10-31", "created_to": "2026-11-17"},
                [recent, old],
            ),
        ):
            html = client.get("/dashboard/orders/", query).content.decode()
            assert order_numbers(html) == expected, query

    def test_sort_by_amount_both_ways(self, world: World) -> None:
        cheap = place_order(world, {"MUG": 1}).order.number
        dear = place_order(world, {"BOWL": 2}).order.number
        client = signed_in(world.owner)
        up = order_numbers(client.get("/dashboard/orders/", {"sort": "total"}).content.decode())
        down = order_numbers(client.get("/dashboard/orders/", {"sort": "-total"}).content.decode())
        assert (up, down) == ([cheap, dear], [dear, cheap])

    def test_bad_filters_are_a_400_naming_the_field(self, world: World) -> None:
        client = signed_in(world.owner)
        response = client.get(
            "/dashboard/orders/",
            {"period": "custom", "created_from": "2026-11-10", "created_to": "2026-11-01"},
        )
        assert response.status_code == 400
        assert "must be on or after the start date" in response.content.decode()
        response = client.get("/dashboard/orders/", {"status": "lost"})
        assert response.status_code == 400
        assert "Select a valid choice" in response.content.decode()

    def test_a_forged_cursor_is_refused_not_a_500(self, world: World) -> None:
        response = signed_in(world.owner).get("/dashboard/orders/", {"cursor": "bm9wZQ"})
        assert response.status_code == 422
        assert "cursor" in response.content.decode()


class TestPagesAndHtmx:
    def test_cursor_pages_walk_every_order_once(
        self, world: World, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr("tradepost.dashboard.views.orders.PAGE_SIZE", 2)
        placed = [place_order(world, {"MUG": 1}).order.number for _ in range(5)]
        client, seen, url = signed_in(world.owner), [], "/dashboard/orders/?sort=created_at"
        while url:
            response = client.get(url, headers={"HX-Request": "true"})
            html = response.content.decode()
            seen += order_numbers(html)
            marker = 'hx-get="'
            url = ""
            if "Next page" in html:
                start = html.index(marker, html.index('class="pager"')) + len(marker)
                url = "/dashboard/orders/" + html[start : html.index('"', start)].replace(
                    "&amp;", "&"
                )
        assert seen == placed

    def test_htmx_gets_only_the_results(self, world: World) -> None:
        place_order(world, {"MUG": 1})
        client = signed_in(world.owner)
        partial = client.get("/dashboard/orders/", {"q": "doe"}, headers={"HX-Request": "true"})
        full = client.get("/dashboard/orders/", {"q": "doe"})
        assert "<html" not in partial.content.decode()
        assert "<html" in full.content.decode()
        assert order_numbers(partial.content.decode()) == order_numbers(full.content.decode())

    def test_a_history_restore_gets_the_full_page_and_responses_vary(self, world: World) -> None:
        client = signed_in(world.owner)
        restore = client.get(
            "/dashboard/orders/",
            {"q": "doe"},
            headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
        )
        assert "<html" in restore.content.decode()
        assert "HX-Request" in restore["Vary"]

    def test_every_sort_has_a_label_and_the_default_comes_first(self) -> None:
        from tradepost.dashboard.forms import SORT_LABELS
        from tradepost.orders.selectors import ORDER_SORTS

        assert SORT_LABELS.keys() == ORDER_SORTS.keys()
        assert next(iter(SORT_LABELS)) == "-created_at"

    def test_a_row_reads_like_the_seed(self, world: World) -> None:
        clock.travel_to(NOW - timedelta(hours=2))
        number = place_order(world, {"MUG": 2, "TEE": 1}).order.number  # 25.00 + 20.00
        clock.travel_to(NOW)
        html = signed_in(world.owner).get("/dashboard/orders/").content.decode()
        row = html[html.index(f"#{number}") :]
        for text in ("John Doe", "2 hours ago", "$45.00", "Awaiting payment", "Pending"):
            assert text in row[:1500], text


class TestCounters:
    def test_counts_what_waits_on_sellers(self, world: World) -> None:
        clock.travel_to(NOW - timedelta(hours=60))
        late = pay(world, place_order(world, {"MUG": 1}))  # past the 48 h SLA
        clock.travel_to(NOW - timedelta(hours=1))
        fresh = pay(world, place_order(world, {"BOWL": 1}))
        to_ship = pay(world, place_order(world, {"TEE": 1}))
        services.seller_order_acknowledge(
            actor=world.owner.actor, reference=to_ship.seller_orders[0].seller_order.reference
        )
        clock.travel_to(NOW)
        owner_html = signed_in(world.owner).get("/dashboard/orders/").content.decode()
        acme_html = signed_in(world.members["acme"]).get("/dashboard/orders/").content.decode()
        late_list = signed_in(world.owner).get("/dashboard/orders/?late=on").content.decode()
        assert "<strong>2</strong> awaiting acknowledgement" in owner_html
        assert "<strong>1</strong> late (past SLA)" in owner_html
        assert "<strong>1</strong> to ship" in owner_html
        assert "<strong>0</strong> to ship" in acme_html  # bolt's parcel is not acme's work
        assert order_numbers(late_list) == [late.order.number]
        assert fresh.order.number not in late_list


class TestCsvExport:
    def test_exports_exactly_the_filtered_list(self, world: World) -> None:
        paid = pay(world, place_order(world, {"MUG": 2}, tax=150)).order.number
        place_order(world, {"MUG": 1})
        response = signed_in(world.owner).get(
            "/dashboard/orders/export.csv", {"payment_status": "paid"}
        )
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
        assert [(r["number"], r["total"], r["tax"], r["sellers"]) for r in rows] == [
            (paid, "26.50", "1.50", "Acme")
        ]

    def test_a_seller_exports_only_its_part(self, world: World) -> None:
        place_order(world, {"MUG": 1, "TEE": 1})
        response = signed_in(world.members["bolt"]).get("/dashboard/orders/export.csv")
        rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
        assert [(r["total"], r["sellers"]) for r in rows] == [("20.00", "Bolt")]

    def test_formulas_in_buyer_text_stay_text(self, world: World) -> None:
        cart = Cart(
            lines=[CartLine(world.listings["MUG"].public_id, 1)],
            shipping_address=dict(ADDRESS),
            shipping_amounts={},
            contact=Contact(name="=HYPERLINK(1)", email="evil@buyers.test"),
        )
        order_create(actor=world.owner.actor, cart=cart)
        response = signed_in(world.owner).get("/dashboard/orders/export.csv")
        assert "'=HYPERLINK(1)" in b"".join(response.streaming_content).decode()


class TestQueryCount:
    @pytest.mark.parametrize("role", ["owner", "seller", "buyer"])
    def test_the_list_costs_the_same_for_5_or_40_orders(self, world: World, role: str) -> None:
        party = {
            "owner": world.owner,
            "seller": world.members["acme"],
            "buyer": world.buyers["john"],
        }[role]
        client = signed_in(party)
        counts = []
        for batch in (5, 35):
            for _ in range(batch):
                pay(world, place_order(world, {"MUG": 1, "TEE": 1}))
            with CaptureQueriesContext(connection) as queries:
                response = client.get("/dashboard/orders/", {"q": "doe", "payment_status": "paid"})
            assert response.status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1]
        assert counts[0] <= 8, [q["sql"] for q in queries.captured_queries]
