"""``tradepost ledger_check`` proves the books or says what is wrong; ``ledger_backfill`` posts
what money moved before the ledger, once."""

from __future__ import annotations

from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests import clock
from tests.builders import ApiClient, World, pay, place_order
from tests.ledger.flows import balance, completed_order, delivered_order, reference_of
from tradepost.ledger.models import Journal, JournalPendingRollup
from tradepost.ledger.payouts import payout_create
from tradepost.orders.models import Order, SellerOrder
from tradepost.payments.models import Refund
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

    def test_each_journal_is_dated_when_its_money_moved(
        self, world: World, monkeypatch: pytest.MonkeyPatch
    ):
        # given a sale paid on Nov 2 and refunded in part on Nov 5, while nothing posted
        for module, name in (
            ("tradepost.payments.services", "ledger_post_payment"),
            ("tradepost.payments.issuing", "ledger_post_refund"),
        ):
            monkeypatch.setattr(f"{module}.{name}", lambda **_: None)
        bundle = delivered_order(world, {"BOWL": 1}, at=datetime(2026, 11, 2, 9, tzinfo=UTC))
        clock.travel_to(datetime(2026, 11, 5, 16, tzinfo=UTC))
        refund_create(
            actor=world.owner.actor, reference=reference_of(bundle), reason="other", amount=500
        )
        monkeypatch.undo()
        # when backfilled weeks later
        clock.travel_to(datetime(2026, 12, 20, tzinfo=UTC))
        call_command("ledger_backfill", stdout=StringIO())
        # then each journal carries its movement's time, and the rollup its day
        paid_at = Order.objects.get(pk=bundle.order.pk).paid_at
        refunded_at = Refund.objects.get().created_at
        dated = dict(Journal.objects.values_list("kind", "created_at"))
        assert dated == {
            "payment_captured": paid_at,
            "commission_earned": paid_at,
            "commission_reversed": refunded_at,
            "refund": refunded_at,
        }
        days = set(JournalPendingRollup.objects.values_list("kind", "day"))
        assert ("payment_captured", paid_at.date()) in days
        assert ("refund", refunded_at.date()) in days
