"""Checkout with a goodwill code (POST /api/v1/orders ``discount_code``): the discount on the
seller orders it covers, tax after it, every refusal a 422 naming the field, one use however many
checkouts race for it."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import clock
from tests.builders import ADDRESS, ApiClient, World, build_world, listing_id
from tests.concurrency import run_together
from tests.orders.statements import checkout_statements, statement
from tests.payments.flows import give_code
from tradepost.catalog import services as catalog
from tradepost.catalog.models import Listing
from tradepost.core.actors import SYSTEM
from tradepost.orders.models import Order
from tradepost.payments.models import DiscountCode

pytestmark = pytest.mark.django_db


def _body(world: World, lines: dict[str, int], **extra: object) -> dict[str, Any]:
    return {
        "lines": [
            {"listing_id": listing_id(world, sku), "quantity": q} for sku, q in lines.items()
        ],
        "shipping_address": ADDRESS,
        **extra,
    }


def _checkout(api: ApiClient, world: World, lines: dict[str, int], buyer: str = "john", **extra):
    return api.post("/orders", world.buyers[buyer].key, _body(world, lines, **extra))


def _parts(order: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {part["seller"]["slug"]: part for part in order["seller_orders"]}


def _money(part: dict[str, Any]) -> tuple[int, ...]:
    names = ("subtotal_amount", "shipping_amount", "tax_amount", "discount_amount", "total_amount")
    return tuple(part[name] for name in names)


class TestDiscountOnTheOrder:
    def test_an_owner_percent_code_comes_off_every_sellers_items(
        self, api: ApiClient, world: World
    ):
        # given: 10 % off any order
        code = give_code(api, world, kind="percent", percent_off=10)
        # when: 25.00 of acme's items and 20.00 of bolt's, with shipping
        response = _checkout(
            api,
            world,
            {"MUG": 2, "TEE": 1},
            discount_code=code.lower(),
            shipping_amounts={"acme": 500, "bolt": 300},
        )
        # then: 4.50 off, split by the sellers' items; totals = items + shipping + tax - discount
        assert response.status == 201, response
        order = response.json()
        acme, bolt = _parts(order)["acme"], _parts(order)["bolt"]
        assert _money(acme) == (2500, 500, 0, 250, 2750)
        assert _money(bolt) == (2000, 300, 0, 200, 2100)
        assert _money(order) == (4500, 800, 0, 450, 4850)
        assert order["amount_due"] == 4850
        codes = api.get("/discount-codes", world.buyers["john"].key).json()["items"]
        assert [(c["code"], c["status"]) for c in codes] == [(code, "redeemed")]

    def test_a_sellers_code_discounts_its_part_only_and_tax_follows_the_discounted_prices(
        self, api: ApiClient, world: World
    ):
        # given: acme's 20.00 off its own items
        code = give_code(api, world, by="acme", kind="fixed", amount_off=2000)
        # when: tax of 3.30 on the whole order, as the storefront worked it out
        response = _checkout(
            api,
            world,
            {"MUG": 2, "TEE": 1},
            discount_code=code,
            shipping_amounts={"acme": 500, "bolt": 300},
            tax_amount=330,
        )
        # then: bolt's part is untouched; tax is shared by what each part now costs before tax,
        # acme 5.00 of items and 5.00 of shipping, bolt 23.00: 1.00 and 2.30
        assert response.status == 201, response
        order = response.json()
        assert _money(_parts(order)["acme"]) == (2500, 500, 100, 2000, 1100)
        assert _money(_parts(order)["bolt"]) == (2000, 300, 230, 0, 2530)
        assert _money(order) == (4500, 800, 330, 2000, 3630)

    def test_each_seller_sees_the_discount_on_its_own_part(self, api: ApiClient, world: World):
        code = give_code(api, world, by="acme", kind="fixed", amount_off=2000)
        number = _checkout(api, world, {"MUG": 2, "TEE": 1}, discount_code=code).json()["number"]
        acme = api.get(f"/orders/{number}", world.members["acme"].key).json()
        bolt = api.get(f"/orders/{number}", world.members["bolt"].key).json()
        assert (acme["discount_amount"], acme["total_amount"]) == (2000, 500)
        assert [part["discount_amount"] for part in acme["seller_orders"]] == [2000]
        assert (bolt["discount_amount"], bolt["total_amount"]) == (0, 2000)
        listed = api.get("/orders", world.members["acme"].key).json()["items"]
        assert [row["discount_amount"] for row in listed if row["number"] == number] == [2000]

    def test_a_fixed_amount_never_takes_off_more_than_the_items(self, api: ApiClient, world: World):
        code = give_code(api, world, by="acme", kind="fixed", amount_off=5000)
        response = _checkout(
            api, world, {"MUG": 1}, discount_code=code, shipping_amounts={"acme": 400}
        )
        assert response.status == 201, response
        # the items are free; shipping is still paid
        assert _money(response.json()) == (1250, 400, 0, 1250, 400)

    def test_the_split_over_sellers_sums_exactly_with_the_largest_remainder(
        self, api: ApiClient, world: World
    ):
        # given: 10.00 over items of 12.50 and 20.00: 3.846… and 6.153…
        code = give_code(api, world, kind="fixed", amount_off=1000)
        # when
        order = _checkout(api, world, {"MUG": 1, "TEE": 1}, discount_code=code).json()
        # then: the spare cent goes to the larger remainder (acme's .846)
        assert (
            _parts(order)["acme"]["discount_amount"],
            _parts(order)["bolt"]["discount_amount"],
        ) == (
            385,
            615,
        )
        assert order["discount_amount"] == 1000

    def test_the_owner_ordering_for_the_buyer_may_use_the_buyers_code(
        self, api: ApiClient, world: World
    ):
        code = give_code(api, world, kind="percent", percent_off=50)
        body = _body(
            world,
            {"MUG": 2},
            discount_code=code,
            buyer={"name": "John Doe", "email": "john@buyers.test"},
        )
        response = api.post("/orders", world.owner.key, body)
        assert response.status == 201, response
        assert response.json()["discount_amount"] == 1250

    def test_the_timeline_names_the_code_to_the_buyer_but_not_to_sellers(
        self, api: ApiClient, world: World
    ):
        code = give_code(api, world, kind="fixed", amount_off=300)
        number = _checkout(api, world, {"MUG": 1, "TEE": 1}, discount_code=code).json()["number"]
        (mine,) = [
            e
            for e in api.get(f"/orders/{number}/events", world.buyers["john"].key).json()
            if e["kind"] == "order.placed"
        ]
        assert (
            mine["message"] == f"Order placed with 2 sellers, $3.00 off with goodwill code {code}."
        )
        assert (mine["details"]["discount_code"], mine["details"]["discount_amount"]) == (code, 300)
        (theirs,) = [
            e
            for e in api.get(f"/orders/{number}/events", world.members["bolt"].key).json()
            if e["kind"] == "order.placed"
        ]
        assert (theirs["message"], theirs["details"]) == ("Order placed.", {})

    def test_a_replayed_request_answers_the_same_order_without_using_the_code_again(
        self, api: ApiClient, world: World
    ):
        code = give_code(api, world, kind="fixed", amount_off=300)
        body = _body(world, {"MUG": 1}, discount_code=code)
        key = world.buyers["john"].key
        first = api.post("/orders", key, body, idempotency_key="once")
        again = api.post("/orders", key, body, idempotency_key="once")
        assert (first.status, again.status) == (201, 201)
        assert again.json() == first.json()
        assert Order.objects.filter(discount_code__code=code).count() == 1


class TestRefusals:
    """Each refusal is a 422 on ``discount_code`` that places nothing and leaves the code as it
    was."""

    def _refused(self, response: Any, message: str) -> None:
        assert response.status == 422, response
        assert response.headers["Content-Type"] == "application/problem+json"
        (error,) = response.json()["errors"]
        assert error["field"] == "discount_code"
        assert message in error["message"]

    @pytest.fixture
    def placed_before(self, world: World) -> int:
        return Order.objects.count()

    def _nothing_placed(self, before: int, code: str | None = None) -> None:
        assert Order.objects.count() == before
        assert Listing.objects.get(sku="MUG").stock_quantity == 50
        if code is not None:
            assert DiscountCode.objects.get(code=code).redeemed_at is None

    def test_an_unknown_code(self, api: ApiClient, world: World):
        before = Order.objects.count()
        response = _checkout(api, world, {"MUG": 1}, discount_code="TP-NOPE2-NOPE3")
        self._refused(response, "is not a code of yours")
        self._nothing_placed(before)

    def test_another_buyers_code_is_as_unknown(self, api: ApiClient, world: World):
        code = give_code(api, world, kind="percent", percent_off=10)
        before = Order.objects.count()
        response = _checkout(api, world, {"MUG": 1}, buyer="jane", discount_code=code)
        self._refused(response, "is not a code of yours")
        self._nothing_placed(before, code)

    def test_a_used_code(self, api: ApiClient, world: World):
        code = give_code(api, world, kind="percent", percent_off=10)
        assert _checkout(api, world, {"TEE": 1}, discount_code=code).status == 201
        before = Order.objects.count()
        response = _checkout(api, world, {"MUG": 1}, discount_code=code)
        self._refused(response, "was already used")
        self._nothing_placed(before)

    def test_an_expired_code(self, api: ApiClient, world: World):
        expires = clock.now() + timedelta(days=2)
        code = give_code(api, world, kind="fixed", amount_off=500, expires_at=expires.isoformat())
        before = Order.objects.count()
        clock.travel_to(expires + timedelta(days=1))
        response = _checkout(api, world, {"MUG": 1}, discount_code=code)
        self._refused(response, f"expired on {expires:%Y-%m-%d}")
        self._nothing_placed(before, code)

    def test_a_fixed_code_in_another_currency(self, api: ApiClient, world: World):
        catalog.listing_create(
            actor=SYSTEM,
            seller_slug="acme",
            sku="EURO",
            title="Priced in euros",
            unit_price_amount=1000,
            stock_quantity=5,
            currency="EUR",
        )
        world.listings["EURO"] = Listing.objects.get(sku="EURO")
        code = give_code(api, world, kind="fixed", amount_off=500)
        before = Order.objects.count()
        response = _checkout(api, world, {"EURO": 1}, discount_code=code)
        self._refused(response, "is in USD; this order is in EUR")
        self._nothing_placed(before, code)
        assert Listing.objects.get(sku="EURO").stock_quantity == 5

    def test_a_sellers_code_on_an_order_without_its_items(self, api: ApiClient, world: World):
        code = give_code(api, world, by="acme", kind="percent", percent_off=20)
        before = Order.objects.count()
        response = _checkout(api, world, {"TEE": 1}, discount_code=code)
        self._refused(response, "covers Acme's items only, and takes nothing off this order")
        self._nothing_placed(before, code)
        assert Listing.objects.get(sku="TEE").stock_quantity == 50

    @pytest.mark.parametrize("value", ["", "x" * 33])
    def test_a_malformed_code_is_a_422_naming_the_field(
        self, api: ApiClient, world: World, value: str
    ):
        response = _checkout(api, world, {"MUG": 1}, discount_code=value)
        assert response.status == 422, response
        assert [error["field"] for error in response.json()["errors"]] == ["discount_code"]


class TestStatements:
    def test_a_code_adds_two_statements_to_the_checkout_and_no_code_adds_none(
        self, api: ApiClient, world: World
    ):
        # given: the storefront's order of tests/orders/test_checkout_api.py, with a code
        codes = [give_code(api, world, kind="percent", percent_off=5) for _ in range(2)]
        key = world.buyers["john"].key
        body = _body(
            world,
            {"MUG": 1, "BOWL": 2, "TEE": 1},
            shipping_amounts={"acme": 500, "bolt": 300},
            tax_amount=350,
        )
        api.post("/orders", key, body | {"discount_code": codes[0]}, idempotency_key="warm")
        # when
        with CaptureQueriesContext(connection) as captured:
            response = api.post(
                "/orders", key, body | {"discount_code": codes[1]}, idempotency_key="mine"
            )
        # then: the code is locked and marked used; everything else is as without one
        assert response.status == 201, response
        plain = checkout_statements(connection.vendor)
        stock = plain.index("INSERT orders_order") - (0 if connection.vendor == "postgresql" else 2)
        expected = [
            *plain[:stock],
            "SELECT payments_discountcode",
            "UPDATE payments_discountcode",
            *plain[stock:],
        ]
        assert [statement(query["sql"]) for query in captured.captured_queries] == expected


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
class TestOneUse:
    def test_checkouts_racing_with_one_code_place_one_order(self):
        # given: one code, and four checkouts of john's sending it at the same instant
        world = build_world()
        code = give_code(ApiClient(), world, kind="fixed", amount_off=500)
        body = _body(world, {"MUG": 2, "TEE": 1}, discount_code=code)
        key = world.buyers["john"].key

        def checkout(_: int) -> tuple[int, str]:
            response = ApiClient().post("/orders", key, body)
            errors = response.json().get("errors") or [{}]
            return response.status, errors[0].get("message", "")

        # when
        results = run_together(4, checkout)
        # then: one order has the discount; the others placed nothing and took no stock
        assert Counter(results) == {(201, ""): 1, (422, "was already used"): 3}, results
        (order,) = Order.objects.filter(discount_code__code=code)
        assert order.discount_amount == 500
        assert Order.objects.filter(discount_amount__gt=0).count() == 1
        assert Listing.objects.get(sku="MUG").stock_quantity == 48
        assert Listing.objects.get(sku="TEE").stock_quantity == 49
