"""Goodwill codes: given with a refund (the seeds' "apologize and offer a solution"), one use,
tied to the buyer; redeemed by checkout through ``discount_code_redeem``."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests import clock
from tests.builders import ApiClient, World
from tests.payments.flows import delivered_order, reference_of
from tradepost.core.errors import PermissionDenied, ValidationFailed
from tradepost.core.models import OutboxEvent
from tradepost.orders.models import OrderEvent
from tradepost.payments.discounts import discount_code_redeem
from tradepost.payments.models import DiscountCode

pytestmark = pytest.mark.django_db


def _redeem(world: World, code: str, subtotals: dict[str, int], buyer: str = "john"):
    return discount_code_redeem(
        actor=world.buyers[buyer].actor,
        code=code,
        buyer=world.buyer_profiles[buyer],
        currency="USD",
        subtotals={world.sellers[slug].pk: amount for slug, amount in subtotals.items()},
    )


class TestIssuedWithARefundAndRedeemedOnce:
    def test_the_owner_apologises_with_a_code_the_buyer_uses_once(
        self, api: ApiClient, world: World
    ):
        # given: a damaged mug, refunded with 10 % off the next order
        bundle = delivered_order(world, {"MUG": 1})
        response = api.post(
            f"/seller-orders/{reference_of(bundle)}/refunds",
            world.owner.key,
            {
                "reason": "damaged",
                "full": True,
                "discount_code": {"kind": "percent", "percent_off": 10, "note": "Sorry!"},
            },
        )
        assert response.status == 201, response
        (code,) = response.json()["discount_codes"]
        assert (code["status"], code["seller"], code["percent_off"]) == ("active", None, 10)
        assert code["applies_to"] == "10% off any order"
        assert OrderEvent.objects.filter(kind="discount_code.issued").count() == 1
        assert OutboxEvent.objects.filter(type="discount_code.issued").count() == 1
        mine = api.get("/discount-codes", world.buyers["john"].key).json()["items"]
        assert [item["code"] for item in mine] == [code["code"]]
        # when: the next order has 40.00 of acme's items and 20.00 of bolt's
        redemption = _redeem(world, code["code"].lower(), {"acme": 4000, "bolt": 2000})
        # then: 10 % of everything, split by the sellers' items
        assert redemption.amount == 600
        assert redemption.by_seller == {
            world.sellers["acme"].pk: 400,
            world.sellers["bolt"].pk: 200,
        }
        with pytest.raises(ValidationFailed, match="already used"):
            _redeem(world, code["code"], {"acme": 4000})
        assert (
            api.get("/discount-codes", world.buyers["john"].key).json()["items"][0]["status"]
            == "redeemed"
        )

    def test_a_sellers_code_covers_its_own_items_only(self, api: ApiClient, world: World):
        bundle = delivered_order(world, {"MUG": 1})
        response = api.post(
            "/discount-codes",
            world.members["acme"].key,
            {"seller_order": reference_of(bundle), "kind": "fixed", "amount_off": 1500},
        )
        assert response.status == 201, response
        code = response.json()
        assert (code["seller"], code["applies_to"]) == ("acme", "$15.00 off Acme's items")
        # a fixed amount never takes off more than the items it covers, nor touches bolt's
        redemption = _redeem(world, code["code"], {"acme": 1000, "bolt": 5000})
        assert (redemption.amount, redemption.by_seller) == (1000, {world.sellers["acme"].pk: 1000})
        assert api.get("/discount-codes", world.members["bolt"].key).json()["items"] == []

    def test_a_seller_code_with_none_of_its_items_is_refused_and_stays_unused(
        self, api: ApiClient, world: World
    ):
        bundle = delivered_order(world, {"MUG": 1})
        code = api.post(
            "/discount-codes",
            world.members["acme"].key,
            {"seller_order": reference_of(bundle), "kind": "percent", "percent_off": 20},
        ).json()["code"]
        with pytest.raises(ValidationFailed, match="takes nothing off"):
            _redeem(world, code, {"bolt": 5000})
        assert DiscountCode.objects.get(code=code).redeemed_at is None


class TestRefusals:
    @pytest.fixture
    def code(self, api: ApiClient, world: World) -> str:
        bundle = delivered_order(world, {"MUG": 1})
        response = api.post(
            "/discount-codes",
            world.owner.key,
            {
                "seller_order": reference_of(bundle),
                "kind": "fixed",
                "amount_off": 500,
                "expires_at": (clock.now() + timedelta(days=2)).isoformat(),
            },
        )
        assert response.status == 201, response
        return response.json()["code"]

    def test_another_buyer_cannot_use_it(self, world: World, code: str):
        with pytest.raises(ValidationFailed, match="not a code of yours"):
            _redeem(world, code, {"acme": 4000}, buyer="jane")

    def test_a_buyer_redeems_only_for_themselves(self, world: World, code: str):
        with pytest.raises(PermissionDenied):
            discount_code_redeem(
                actor=world.buyers["jane"].actor,
                code=code,
                buyer=world.buyer_profiles["john"],
                currency="USD",
                subtotals={},
            )

    def test_an_expired_code_is_refused(self, world: World, code: str):
        clock.advance(timedelta(days=3))
        with pytest.raises(ValidationFailed, match="expired"):
            _redeem(world, code, {"acme": 4000})

    def test_a_fixed_code_keeps_to_its_currency(self, world: World, code: str):
        with pytest.raises(ValidationFailed, match="is in USD"):
            discount_code_redeem(
                actor=world.owner.actor,
                code=code,
                buyer=world.buyer_profiles["john"],
                currency="EUR",
                subtotals={world.sellers["acme"].pk: 100},
            )

    def test_buyers_do_not_issue_codes(self, api: ApiClient, world: World):
        bundle = delivered_order(world, {"MUG": 1})
        response = api.post(
            "/discount-codes",
            world.buyers["john"].key,
            {"seller_order": reference_of(bundle), "kind": "percent", "percent_off": 50},
        )
        assert response.status == 403

    def test_the_value_must_match_the_kind(self, api: ApiClient, world: World):
        bundle = delivered_order(world, {"MUG": 1})
        response = api.post(
            "/discount-codes",
            world.owner.key,
            {"seller_order": reference_of(bundle), "kind": "percent", "amount_off": 100},
        )
        assert response.status == 422
        assert response.json()["errors"][0]["field"] == "percent_off"
