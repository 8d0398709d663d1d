"""``tradepost ledger_check`` proves the books or says what is wrong; ``ledger_backfill`` posts
what money moved before the ledger, once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.builders import ApiClient, World, pay, place_order
from tests.ledger.flows import balance, completed_order, delivered_order, reference_of
from tradepost.ledger.models import Journal
from tradepost.ledger.payouts import payout_create
from tradepost.orders.models import SellerOrder
from tradepost.payments.refunds import refund_create

pytestmark = pytest.mark.django_db


def _check() -> str:
    out = StringIO()
    call_command("ledger_check", stdout=out)
    return out.getvalue()


class TestLedgerCheck:
    def test_a_sound_ledger_passes(self, world: World):
        bundle = completed_order(world, {"BOWL": 1, "TEE": 2})
        refund_create(
            actor=world.owner.actor, reference=reference_of(bundle), reason="other", amount=700
        )
        payout_create(actor=world.owner.actor)
        assert "balances and matches the orders" in _check()

    def test_an_order_that_disagrees_with_the_ledger_fails_with_a_report(self, world: World):
        # given: a commission rewritten behind the services' back
        bundle = pay(world, place_order(world, {"BOWL": 1}))
        reference = reference_of(bundle)
        SellerOrder.objects.filter(reference=reference).update(commission_amount=1)
        err = StringIO()
        # when / then
        with pytest.raises(CommandError, match="problem"):
            call_command("ledger_check", stdout=StringIO(), stderr=err)
        assert f"{reference}: commission earned is 300 in the ledger, 1 in the orders" in (
            err.getvalue()
        )


class TestBackfill:
    def test_posts_what_is_missing_as_if_the_ledger_had_always_been_there(
        self, api: ApiClient, world: World, monkeypatch: pytest.MonkeyPatch
    ):
        # given: sales, a completion and refunds made while nothing posted to the ledger
        for module, name in (
            ("tradepost.payments.services", "ledger_post_payment"),
            ("tradepost.payments.issuing", "ledger_post_refund"),
            ("tradepost.orders.lifecycle", "ledger_post_completion"),
        ):
            monkeypatch.setattr(f"{module}.{name}", lambda **_: None)
        done = completed_order(world, {"BOWL": 1})
        refund_create(actor=world.owner.actor, reference=reference_of(done), reason="other")
        shipped = delivered_order(world, {"BOWL": 2, "TEE": 1})
        refund_create(
            actor=world.owner.actor, reference=reference_of(shipped), reason="other", amount=600
        )
        monkeypatch.undo()
        assert not Journal.objects.exists()
        with pytest.raises(CommandError):
            _check()
        # when
        out = StringIO()
        call_command("ledger_backfill", stdout=out)
        # then: the books agree, and the refund after completion is owed back by acme
        assert "balances and matches the orders" in _check()
        acme = balance(api, world.owner, "acme")
        assert (acme["available_amount"], acme["owed_amount"]) == (0, 0)
        assert acme["pending_amount"] == 5400 - 600 + 60
        # and a second run posts nothing
        again = StringIO()
        call_command("ledger_backfill", stdout=again)
        assert again.getvalue().startswith("0 journal(s) posted")
