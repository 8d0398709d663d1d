"""The owner's payouts page and the seller's balance page: the ledger's figures, paying out,
marking paid or failed, the CSV, and who may open them."""

from __future__ import annotations

import csv
import io
import re

import pytest

from tests.builders import World
from tests.dashboard.pages import signed_in
from tests.ledger.flows import completed_order, delivered_order
from tradepost.ledger.models import Payout

pytestmark = pytest.mark.django_db


def _figures(html: str, seller: str) -> dict[str, int]:
    row = re.search(rf'<tr data-seller="{seller}">(.*?)</tr>', html, re.S)
    assert row is not None, html
    return {
        name: int(value)
        for name, value in re.findall(r'<data data-figure="(\w+)" value="(-?\d+)"', row.group(1))
    }


@pytest.fixture
def sales(world: World) -> World:
    completed_order(world, {"BOWL": 1, "TEE": 1})  # acme 27.00, bolt 19.00 available
    delivered_order(world, {"BOWL": 1})  # acme 27.00 pending
    return world


class TestOwnerPayoutsPage:
    def test_shows_each_sellers_balance(self, sales: World):
        html = signed_in(sales.owner).get("/dashboard/payouts/").content.decode()
        assert _figures(html, "acme") == {
            "pending_amount": 2700,
            "available_amount": 2700,
            "owed_amount": 0,
            "in_transit_amount": 0,
            "paid_out_amount": 0,
        }
        assert "Pay out all that is due" in html

    def test_pay_all_then_mark_paid_and_failed(self, sales: World):
        client = signed_in(sales.owner)
        # when: everything due is paid out
        response = client.post("/dashboard/payouts/create/", {}, follow=True)
        # then
        assert response.status_code == 200
        assert "Payouts created" in response.content.decode()
        acme = Payout.objects.get(seller__slug="acme")
        bolt = Payout.objects.get(seller__slug="bolt")
        # when: one is paid, the other bounces
        client.post(f"/dashboard/payouts/{acme.public_id}/mark-paid/", {"reference": "TR-1"})
        client.post(f"/dashboard/payouts/{bolt.public_id}/mark-failed/", {"reason": "Closed"})
        # then
        html = client.get("/dashboard/payouts/").content.decode()
        assert _figures(html, "acme")["paid_out_amount"] == 2700
        assert _figures(html, "bolt")["available_amount"] == 1900
        assert "TR-1" in html

    def test_a_refused_payout_says_why_with_its_status(self, sales: World):
        client = signed_in(sales.owner)
        response = client.post("/dashboard/payouts/create/", {"seller": "acme", "amount": 9999})
        assert response.status_code == 422
        assert "the available balance" in response.content.decode()
        assert not Payout.objects.exists()

    def test_the_csv_lists_the_payouts_in_decimals(self, sales: World):
        client = signed_in(sales.owner)
        client.post("/dashboard/payouts/create/", {})
        response = client.get("/dashboard/payouts/export.csv")
        rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
        assert sorted((row["seller"], row["amount"]) for row in rows) == [
            ("acme", "27.00"),
            ("bolt", "19.00"),
        ]

    def test_sellers_and_buyers_do_not_find_it(self, sales: World):
        for party in (sales.members["acme"], sales.buyers["john"]):
            assert signed_in(party).get("/dashboard/payouts/").status_code == 404
            assert signed_in(party).post("/dashboard/payouts/create/", {}).status_code == 404
        assert not Payout.objects.exists()


class TestSellerBalancePage:
    def test_shows_its_balance_and_its_own_payouts_only(self, sales: World):
        signed_in(sales.owner).post("/dashboard/payouts/create/", {})
        client = signed_in(sales.members["acme"])
        html = client.get("/dashboard/balance/").content.decode()
        assert 'data-figure="pending_amount" value="2700"' in html
        assert 'data-figure="in_transit_amount" value="2700"' in html
        assert html.count("<tr data-payout=") == 1
        rows = list(
            csv.DictReader(
                io.StringIO(
                    b"".join(client.get("/dashboard/payouts/export.csv").streaming_content).decode()
                )
            )
        )
        assert [row["seller"] for row in rows] == ["acme"]

    def test_the_owner_and_buyers_do_not_find_it(self, sales: World):
        for party in (sales.owner, sales.buyers["john"]):
            assert signed_in(party).get("/dashboard/balance/").status_code == 404
