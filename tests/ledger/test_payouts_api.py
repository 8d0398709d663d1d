"""Payouts and balances through the API: pay one seller or all that are due, mark paid or
failed, and who may see and do what. acme nets 27.00 on a BOWL, bolt 19.00 on a TEE."""

from __future__ import annotations

import pytest

from tests.builders import ApiClient, World
from tests.ledger.flows import assert_books_agree, balance, completed_order, delivered_order
from tradepost.core.models import OutboxEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def due(world: World) -> World:
    """acme has 27.00 available and 27.00 pending; bolt 19.00 available."""
    completed_order(world, {"BOWL": 1, "TEE": 1})
    delivered_order(world, {"BOWL": 1})
    return world


def _pay_all(api: ApiClient, world: World) -> list[dict]:
    response = api.post("/payouts", world.owner.key, {})
    assert response.status == 201, response
    return response.json()["items"]


class TestCreate:
    def test_paying_all_that_is_due_pays_each_seller_its_available_balance(
        self, api: ApiClient, due: World
    ):
        # when
        items = _pay_all(api, due)
        # then
        assert {(p["seller"]["slug"], p["amount"], p["status"]) for p in items} == {
            ("acme", 2700, "pending"),
            ("bolt", 1900, "pending"),
        }
        acme = balance(api, due.owner, "acme")
        assert (acme["available_amount"], acme["in_transit_amount"]) == (0, 2700)
        assert acme["pending_amount"] == 2700, "money not yet completed is never paid out"
        events = OutboxEvent.objects.filter(type="payout.created")
        assert sorted(e.data["payout"]["amount"] for e in events) == [1900, 2700]
        assert_books_agree()

    def test_a_second_run_finds_nothing_due(self, api: ApiClient, due: World):
        _pay_all(api, due)
        again = api.post("/payouts", due.owner.key, {})
        assert again.status == 409, again
        assert "Nothing is due" in again.json()["detail"]

    def test_one_seller_part_of_its_balance(self, api: ApiClient, due: World):
        response = api.post("/payouts", due.owner.key, {"seller": "acme", "amount": 1000})
        assert response.status == 201, response
        assert [p["amount"] for p in response.json()["items"]] == [1000]
        assert balance(api, due.owner, "acme")["available_amount"] == 1700

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"seller": "acme", "amount": 2701}, "amount"),
            ({"amount": 100}, "amount"),
            ({"seller": "nobody"}, "seller"),
            ({"seller": "acme", "amount": 0}, "amount"),
            ({"currency": "eur"}, "currency"),
        ],
    )
    def test_bad_input_names_the_field_and_changes_nothing(
        self, api: ApiClient, due: World, body: dict, field: str
    ):
        response = api.post("/payouts", due.owner.key, body)
        assert response.status == 422, response
        assert [e["field"] for e in response.json()["errors"]] == [field]
        assert balance(api, due.owner, "acme")["available_amount"] == 2700

    def test_sellers_and_buyers_may_not_create_payouts(self, api: ApiClient, due: World):
        for party in (due.members["acme"], due.buyers["john"]):
            assert api.post("/payouts", party.key, {"seller": "acme"}).status == 403


class TestMarkPaidOrFailed:
    def test_paid_records_the_reference_and_counts_as_paid_out(self, api: ApiClient, due: World):
        payout = next(p for p in _pay_all(api, due) if p["seller"]["slug"] == "acme")
        response = api.post(
            f"/payouts/{payout['id']}/mark-paid", due.owner.key, {"reference": "SEPA-778"}
        )
        assert response.status == 200, response
        assert (response.json()["status"], response.json()["reference"]) == ("paid", "SEPA-778")
        acme = balance(api, due.owner, "acme")
        assert (acme["in_transit_amount"], acme["paid_out_amount"]) == (0, 2700)
        assert OutboxEvent.objects.filter(type="payout.paid").count() == 1
        assert_books_agree()

    def test_failed_puts_the_money_back_to_available(self, api: ApiClient, due: World):
        payout = next(p for p in _pay_all(api, due) if p["seller"]["slug"] == "bolt")
        response = api.post(
            f"/payouts/{payout['id']}/mark-failed", due.owner.key, {"reason": "IBAN closed"}
        )
        assert response.status == 200, response
        bolt = balance(api, due.owner, "bolt")
        assert (bolt["available_amount"], bolt["in_transit_amount"]) == (1900, 0)
        assert_books_agree()

    def test_a_paid_payout_cannot_fail_nor_be_paid_again(self, api: ApiClient, due: World):
        payout = _pay_all(api, due)[0]
        url = f"/payouts/{payout['id']}"
        assert api.post(f"{url}/mark-paid", due.owner.key, {"reference": "R1"}).status == 200
        again = api.post(f"{url}/mark-paid", due.owner.key, {"reference": "R2"})
        failed = api.post(f"{url}/mark-failed", due.owner.key, {"reason": "late"})
        assert (again.status, failed.status) == (409, 409)
        assert again.json()["current_status"] == "paid"

    def test_a_blank_reference_is_refused(self, api: ApiClient, due: World):
        payout = _pay_all(api, due)[0]
        response = api.post(f"/payouts/{payout['id']}/mark-paid", due.owner.key, {"reference": " "})
        assert response.status == 422, response
        assert response.json()["errors"][0]["field"] == "reference"


class TestReading:
    def test_a_seller_sees_its_balance_and_its_payouts_only(self, api: ApiClient, due: World):
        _pay_all(api, due)
        acme = due.members["acme"]
        sellers = api.get("/balances", acme.key).json()
        assert [row["seller"]["slug"] for row in sellers["sellers"]] == ["acme"]
        assert sellers["marketplace"] is None
        upcoming = api.get("/payouts", acme.key, status="pending").json()["items"]
        assert [p["seller"]["slug"] for p in upcoming] == ["acme"]
        assert api.get("/balances", acme.key, seller="bolt").status == 404

    def test_a_seller_with_no_money_yet_sees_zeros(self, api: ApiClient, world: World):
        body = api.get("/balances", world.members["bolt"].key).json()
        assert body["sellers"][0]["available_amount"] == 0

    def test_a_buyer_has_no_balances(self, api: ApiClient, due: World):
        assert api.get("/balances", due.buyers["john"].key).status == 404
        assert api.get("/payouts", due.buyers["john"].key).json()["items"] == []

    def test_the_list_pages_by_cursor(self, api: ApiClient, due: World):
        _pay_all(api, due)
        first = api.get("/payouts", due.owner.key, limit=1).json()
        second = api.get("/payouts", due.owner.key, limit=1, cursor=first["next_cursor"]).json()
        assert len(first["items"]) == len(second["items"]) == 1
        assert first["items"][0]["id"] != second["items"][0]["id"]
        assert second["next_cursor"] is None
