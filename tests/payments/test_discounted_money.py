"""An order placed with a goodwill code, through its money: the payment due, commission, refunds
by line and by amount, cancellation, the revenue report, the order page and the CSV export."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from tests.builders import ADDRESS, ApiClient, World, listing_id
from tests.dashboard.pages import signed_in
from tests.payments.flows import give_code
from tradepost.core.money import commission_for
from tradepost.orders import services
from tradepost.orders.models import Order, SellerOrder

pytestmark = pytest.mark.django_db

# 2 mugs and a bowl from acme (55.00), shipping 5.00, tax 0.99, less acme's 10.00 off: 50.99.
LINES = {"MUG": 2, "BOWL": 1}
TOTAL = 5500 + 500 + 99 - 1000
MINUS = "\N{MINUS SIGN}"


def _order_with_acmes_code(api: ApiClient, world: World, lines: dict[str, int] = LINES) -> str:
    code = give_code(api, world, by="acme", kind="fixed", amount_off=1000)
    body = {
        "lines": [
            {"listing_id": listing_id(world, sku), "quantity": q} for sku, q in lines.items()
        ],
        "shipping_address": ADDRESS,
        "shipping_amounts": {"acme": 500},
        "tax_amount": 99,
        "discount_code": code,
    }
    response = api.post("/orders", world.buyers["john"].key, body)
    assert response.status == 201, response
    return str(response.json()["number"])


def _pay(api: ApiClient, world: World, number: str, amount: int) -> Any:
    return api.post(
        f"/orders/{number}/payments",
        world.owner.key,
        {"status": "succeeded", "reference": f"psp-{number}-{amount}", "amount": amount},
    )


def _deliver(world: World, reference: str) -> None:
    acme = world.members["acme"].actor
    services.seller_order_acknowledge(actor=acme, reference=reference)
    services.shipment_create(actor=acme, reference=reference, parcel=services.Parcel("UPS", "1Z"))
    services.seller_order_deliver(actor=acme, reference=reference)


def _acme_part(api: ApiClient, world: World, number: str) -> dict[str, Any]:
    order = api.get(f"/orders/{number}", world.owner.key).json()
    (part,) = [p for p in order["seller_orders"] if p["seller"]["slug"] == "acme"]
    return part


class TestPayment:
    def test_the_payment_due_is_the_discounted_total(self, api: ApiClient, world: World):
        number = _order_with_acmes_code(api, world)
        assert api.get(f"/orders/{number}", world.buyers["john"].key).json()["amount_due"] == TOTAL
        # the undiscounted price is not what the buyer owes
        refused = _pay(api, world, number, TOTAL + 1000)
        assert refused.status == 422, refused
        assert refused.json()["errors"][0]["field"] == "amount"
        paid = _pay(api, world, number, TOTAL)
        assert paid.status == 200, paid
        assert (paid.json()["payment_status"], paid.json()["captured_amount"]) == ("paid", TOTAL)

    def test_commission_is_on_the_discounted_items_and_shipping(self, api: ApiClient, world: World):
        number = _order_with_acmes_code(api, world)
        _pay(api, world, number, TOTAL)
        part = _acme_part(api, world, number)
        # acme's 10 % of 45.00 of items after the discount and 5.00 of shipping; none of the tax
        assert (part["commission_rate_bps"], part["commission_amount"]) == (1000, 500)
        assert part["commission_amount"] == commission_for(5500 - 1000 + 500, 1000)


class TestRefunds:
    def test_refunds_by_line_give_back_the_discounted_price_and_in_full_what_was_paid(
        self, api: ApiClient, world: World
    ):
        # given: delivered and paid 50.99
        number = _order_with_acmes_code(api, world)
        _pay(api, world, number, TOTAL)
        reference = _acme_part(api, world, number)["reference"]
        _deliver(world, reference)
        # when: one mug (12.50 of the 55.00 listed) is refunded
        first = api.post(
            f"/seller-orders/{reference}/refunds",
            world.owner.key,
            {"reason": "damaged", "lines": [{"sku": "MUG", "quantity": 1}]},
        )
        # then: its share of the discounted items (45.00), of shipping and of tax
        assert first.status == 201, first
        assert (
            first.json()["amount"] == 4500 * 1250 // 5500 + 500 * 1250 // 5500 + 99 * 1250 // 5500
        )
        # when: the rest, by lines
        rest = api.post(
            f"/seller-orders/{reference}/refunds",
            world.owner.key,
            {
                "reason": "damaged",
                "lines": [{"sku": "MUG", "quantity": 1}, {"sku": "BOWL", "quantity": 1}],
            },
        )
        # then: together exactly what was paid, and the commission is given back whole
        assert rest.status == 201, rest
        assert first.json()["amount"] + rest.json()["amount"] == TOTAL
        order = api.get(f"/orders/{number}", world.owner.key).json()
        assert (order["refunded_amount"], order["payment_status"]) == (TOTAL, "refunded")
        part = order["seller_orders"][0]
        assert (part["status"], part["commission_reversed_amount"]) == ("refunded", 500)

    def test_a_refund_by_amount_stops_at_what_was_paid(self, api: ApiClient, world: World):
        number = _order_with_acmes_code(api, world)
        _pay(api, world, number, TOTAL)
        reference = _acme_part(api, world, number)["reference"]
        _deliver(world, reference)
        # the undiscounted price is more than the buyer paid
        refused = api.post(
            f"/seller-orders/{reference}/refunds",
            world.owner.key,
            {"reason": "other", "amount": TOTAL + 1},
        )
        assert refused.status == 422, refused
        assert Order.objects.get(number=number).refunded_amount == 0
        whole = api.post(
            f"/seller-orders/{reference}/refunds",
            world.owner.key,
            {"reason": "other", "full": True},
        )
        assert (whole.status, whole.json()["amount"]) == (201, TOTAL)

    def test_canceling_a_paid_discounted_part_refunds_what_it_cost(
        self, api: ApiClient, world: World
    ):
        number = _order_with_acmes_code(api, world)
        _pay(api, world, number, TOTAL)
        reference = _acme_part(api, world, number)["reference"]
        response = api.post(
            f"/seller-orders/{reference}/cancel", world.buyers["john"].key, {"reason": ""}
        )
        assert response.status == 200, response
        assert (response.json()["refunded_amount"], response.json()["payment_status"]) == (
            TOTAL,
            "refunded",
        )


class TestRevenueReport:
    def test_sales_are_what_was_captured_after_the_discount(self, api: ApiClient, world: World):
        # given: the code's own order (a 30.00 bowl, paid) and the discounted one
        number = _order_with_acmes_code(api, world)
        _pay(api, world, number, TOTAL)
        # when
        report = api.get("/reports/revenue", world.owner.key).json()
        # then: sales and commission are on the discounted order, as captured
        (acme,) = [row for row in report["sellers"] if row["seller"]["slug"] == "acme"]
        captured = sum(so.total_amount for so in SellerOrder.objects.filter(seller__slug="acme"))
        assert acme["sales_amount"] == captured == 3000 + TOTAL
        assert acme["commission_earned_amount"] == 300 + 500
        assert report["totals"]["sales_amount"] == sum(
            Order.objects.values_list("captured_amount", flat=True)
        )


class TestDashboard:
    def test_the_order_page_shows_the_discount_to_the_buyer_and_on_the_sellers_part(
        self, api: ApiClient, world: World
    ):
        number = _order_with_acmes_code(api, world, {"MUG": 2, "TEE": 1})
        buyer = signed_in(world.buyers["john"]).get(f"/dashboard/orders/{number}/")
        seller = signed_in(world.members["acme"]).get(f"/dashboard/orders/{number}/")
        other = signed_in(world.members["bolt"]).get(f"/dashboard/orders/{number}/")
        assert buyer.status_code == seller.status_code == other.status_code == 200
        money_block = f"<dt>Goodwill discount</dt><dd>{MINUS}$10.00</dd>"
        assert money_block in buyer.content.decode()
        assert money_block in seller.content.decode()
        assert f"goodwill discount {MINUS}$10.00)" in seller.content.decode()
        assert "Goodwill discount" not in other.content.decode()  # bolt's part has none

    def test_the_csv_export_has_a_discount_column(self, api: ApiClient, world: World):
        number = _order_with_acmes_code(api, world, {"MUG": 2, "TEE": 1})
        rows = {
            who: {
                row["number"]: row
                for row in csv.DictReader(
                    io.StringIO(
                        b"".join(
                            signed_in(party).get("/dashboard/orders/export.csv").streaming_content
                        ).decode()
                    )
                )
            }
            for who, party in (("owner", world.owner), ("bolt", world.members["bolt"]))
        }
        owner_row = rows["owner"][number]
        assert (owner_row["subtotal"], owner_row["discount"], owner_row["total"]) == (
            "45.00",
            "10.00",
            "40.99",  # 45.00 + 5.00 shipping + 0.99 tax - 10.00
        )
        assert (rows["bolt"][number]["discount"], rows["bolt"][number]["subtotal"]) == (
            "0.00",
            "20.00",
        )
