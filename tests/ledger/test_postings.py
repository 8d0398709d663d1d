"""Every money movement posts balanced, immutable journals in its own transaction, once.

Figures: acme pays 10 % commission on items and shipping (tests.builders); a BOWL is 30.00.
"""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from tests import clock
from tests.builders import ApiClient, World, pay, place_order
from tests.ledger.flows import (
    assert_books_agree,
    balance,
    completed_order,
    delivered_order,
    marketplace,
    reference_of,
)
from tradepost.core.actors import SYSTEM
from tradepost.disputes.chargebacks import ChargebackNotice, chargeback_decide, chargeback_record
from tradepost.ledger.models import Entry, ImmutableRowError, Journal
from tradepost.ledger.payouts import payout_create
from tradepost.ledger.services import ledger_post_refund
from tradepost.ledger.status import JournalKind
from tradepost.orders import services
from tradepost.payments.models import Refund
from tradepost.payments.refunds import refund_create

pytestmark = pytest.mark.django_db


def _kinds(reference: str) -> list[str]:
    return list(
        Journal.objects.filter(seller_order__reference=reference)
        .order_by("id")
        .values_list("kind", flat=True)
    )


class TestPayment:
    def test_a_capture_owes_the_seller_its_total_less_the_commission(
        self, api: ApiClient, world: World
    ):
        # when
        bundle = pay(world, place_order(world, {"BOWL": 1}, shipping={"acme": 500}))
        # then
        assert _kinds(reference_of(bundle)) == ["payment_captured", "commission_earned"]
        assert balance(api, world.owner, "acme") == {
            "pending_amount": 3150,
            "available_amount": 0,
            "owed_amount": 0,
            "in_transit_amount": 0,
            "paid_out_amount": 0,
        }
        books = marketplace(api, world.owner)
        assert (books["provider_clearing_amount"], books["commission_amount"]) == (3500, 350)
        assert_books_agree()

    def test_a_failed_payment_posts_nothing(self, world: World):
        pay(world, place_order(world, {"BOWL": 1}), succeeded=False)
        assert not Journal.objects.exists()

    def test_each_seller_of_a_mixed_order_gets_its_own_part(self, api: ApiClient, world: World):
        pay(world, place_order(world, {"MUG": 2, "TEE": 1}, shipping={"bolt": 300}, tax=100))
        # acme: 25.00 + its tax share, 10 %; bolt: 23.00 + tax share, 5 %
        acme, bolt = balance(api, world.owner, "acme"), balance(api, world.owner, "bolt")
        books = marketplace(api, world.owner)
        assert (
            acme["pending_amount"] + bolt["pending_amount"] + books["commission_amount"]
            == (books["provider_clearing_amount"])
        )
        assert books["provider_clearing_amount"] == 2500 + 2000 + 300 + 100
        assert_books_agree()


class TestCompletion:
    def test_completion_makes_the_sale_available(self, api: ApiClient, world: World):
        bundle = completed_order(world, {"BOWL": 1})
        assert _kinds(reference_of(bundle))[-1] == "funds_released"
        figures = balance(api, world.owner, "acme")
        assert (figures["pending_amount"], figures["available_amount"]) == (0, 2700)
        assert_books_agree()


class TestRefunds:
    def test_a_refund_before_completion_comes_off_pending_with_its_commission(
        self, api: ApiClient, world: World
    ):
        bundle = delivered_order(world, {"BOWL": 2})
        refund_create(
            actor=world.owner.actor, reference=reference_of(bundle), reason="other", amount=1000
        )
        # 60.00 - 6.00 commission; the 10.00 refund gives 1.00 of commission back
        assert balance(api, world.owner, "acme")["pending_amount"] == 5400 - 1000 + 100
        assert marketplace(api, world.owner)["commission_amount"] == 600 - 100
        assert _kinds(reference_of(bundle))[-2:] == ["commission_reversed", "refund"]
        assert_books_agree()

    def test_a_refund_after_payout_is_owed_then_repaid_from_the_next_sale(
        self, api: ApiClient, world: World
    ):
        # given: a completed 30.00 sale, paid out
        first = completed_order(world, {"BOWL": 1})
        payout_create(actor=world.owner.actor, seller_slug="acme")
        # when: the owner refunds it in full afterwards
        refund_create(actor=world.owner.actor, reference=reference_of(first), reason="damaged")
        # then: nothing is available, the seller owes its 27.00 net back
        owed = balance(api, world.owner, "acme")
        assert (owed["available_amount"], owed["owed_amount"]) == (0, 2700)
        # when: its next sale (2 x 30.00, net 54.00) completes
        completed_order(world, {"BOWL": 2})
        # then: the debt is repaid first
        after = balance(api, world.owner, "acme")
        assert (after["available_amount"], after["owed_amount"]) == (5400 - 2700, 0)
        assert_books_agree()

    def test_a_cancellation_refund_posts_as_a_refund(self, api: ApiClient, world: World):
        bundle = pay(world, place_order(world, {"BOWL": 1}))
        services.seller_order_cancel(
            actor=world.members["acme"].actor, reference=reference_of(bundle), reason="No stock"
        )
        assert balance(api, world.owner, "acme")["pending_amount"] == 0
        assert marketplace(api, world.owner)["provider_clearing_amount"] == 0
        assert_books_agree()

    def test_posting_a_refund_again_posts_nothing(self, world: World):
        bundle = delivered_order(world, {"BOWL": 1})
        refund_create(
            actor=world.owner.actor, reference=reference_of(bundle), reason="other", amount=500
        )
        before = (Journal.objects.count(), Entry.objects.count())
        ledger_post_refund(refund=Refund.objects.get())
        assert (Journal.objects.count(), Entry.objects.count()) == before
        assert_books_agree()


class TestChargebacks:
    def _chargeback(self, world: World, reference: str, number: str, amount: int) -> str:
        notice = ChargebackNotice(
            amount=amount, reason="fraudulent", respond_by=clock.ahead(30), seller_order=reference
        )
        return str(
            chargeback_record(actor=world.owner.actor, number=number, notice=notice).public_id
        )

    def test_a_lost_chargeback_takes_the_money_back(self, api: ApiClient, world: World):
        bundle = delivered_order(world, {"BOWL": 1})
        chargeback = self._chargeback(world, reference_of(bundle), bundle.order.number, 1000)
        chargeback_decide(actor=world.owner.actor, chargeback_id=chargeback, outcome="lost")
        assert _kinds(reference_of(bundle))[-1] == JournalKind.CHARGEBACK
        assert balance(api, world.owner, "acme")["pending_amount"] == 2700 - 1000 + 100
        assert_books_agree()

    def test_a_won_chargeback_moves_no_money(self, world: World):
        bundle = delivered_order(world, {"BOWL": 1})
        before = Journal.objects.count()
        chargeback = self._chargeback(world, reference_of(bundle), bundle.order.number, 1000)
        chargeback_decide(actor=SYSTEM, chargeback_id=chargeback, outcome="won")
        assert Journal.objects.count() == before
        assert_books_agree()


class TestImmutability:
    def test_the_models_refuse_updates_and_deletes(self, world: World):
        pay(world, place_order(world, {"BOWL": 1}))
        journal, entry = Journal.objects.first(), Entry.objects.first()
        assert journal is not None
        assert entry is not None
        for attempt in (
            journal.save,
            entry.delete,
            lambda: Entry.objects.update(amount=1),
            lambda: Journal.objects.all().delete(),
        ):
            with pytest.raises(ImmutableRowError):
                attempt()

    def test_the_database_refuses_an_update_behind_the_models_back(self, world: World):
        pay(world, place_order(world, {"BOWL": 1}))
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE ledger_entry SET amount = amount + 1")

    @pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite keeps DELETE for Django's test flush"
    )
    def test_postgres_refuses_a_delete_behind_the_models_back(self, world: World):
        pay(world, place_order(world, {"BOWL": 1}))
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM ledger_entry")
