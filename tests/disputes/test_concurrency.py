"""Chargebacks and refunds racing on PostgreSQL: the locks keep the money right.

Each thread has its own connection, so these run with committed transactions.
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests import clock
from tests.builders import ApiClient, build_world
from tests.concurrency import outcome, run_together
from tests.disputes.flows import Provider, delivered_order, reference_of
from tradepost.disputes import chargebacks, resolutions, services
from tradepost.disputes.models import Chargeback, ProviderEvent
from tradepost.orders.models import Order, SellerOrder
from tradepost.payments.models import Refund
from tradepost.webhooks.signing import secret_generate

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_a_redelivery_racing_the_first_records_one_chargeback(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TRADEPOST_PROVIDER_WEBHOOK_SECRET = secret = secret_generate()
    world = build_world()
    bundle = delivered_order(world)
    data = {
        "chargeback_id": "dp_race",
        "order_number": bundle.order.number,
        "amount": 700,
        "currency": "USD",
        "reason": "fraudulent",
        "respond_by": clock.ahead(30).isoformat(),
    }

    def deliver(_: int) -> int:
        return (
            Provider(ApiClient(), secret).send("chargeback.created", data, event_id="msg_r").status
        )

    assert run_together(4, deliver) == [200, 200, 200, 200]
    assert Chargeback.objects.count() == 1
    assert ProviderEvent.objects.count() == 1


def test_refunds_and_a_lost_chargeback_never_pay_back_more_than_was_captured(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    bundle = delivered_order(world)
    number, reference = bundle.order.number, reference_of(bundle)
    total = bundle.order.total_amount
    owner = world.owner.actor
    chargeback = chargebacks.chargeback_record(
        actor=owner,
        number=number,
        notice=chargebacks.ChargebackNotice(
            amount=total, reason="fraudulent", respond_by=clock.ahead(30)
        ),
    )
    case_ids = [
        str(
            services.case_open(
                actor=owner, reference=reference, kind=kind, description="x"
            ).public_id
        )
        for kind in ("damaged", "other")
    ]

    def act(index: int) -> str:
        try:
            if index == 0:
                chargebacks.chargeback_decide(
                    actor=owner, chargeback_id=chargeback.public_id, outcome="lost"
                )
            else:
                remedy = resolutions.Remedy(outcome="partial_refund", amount=total // 3)
                resolutions.case_resolve(actor=owner, case_id=case_ids[index - 1], remedy=remedy)
        except Exception as error:
            return outcome(error)
        return "ok"

    outcomes = Counter(run_together(3, act))
    order = Order.objects.get(number=number)
    seller_order = SellerOrder.objects.get(reference=reference)
    assert order.refunded_amount <= order.captured_amount == total
    assert seller_order.refunded_amount == sum(
        Refund.objects.filter(seller_order=seller_order).values_list("amount", flat=True)
    )
    assert outcomes["ok"] >= 1
    assert all(outcome in ("ok", "conflict") for outcome in outcomes), outcomes
