"""Two workers running the same SLA and dispute rules at once, on PostgreSQL: each notice and
each escalation happens once. Each thread has its own connection, so these commit for real."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests import clock
from tests.builders import build_world, pay, place_order
from tests.concurrency import run_together
from tradepost.catalog.selectors import marketplace_get
from tradepost.core.models import OutboxEvent
from tradepost.disputes.automation import overdue_cases_escalate
from tradepost.disputes.models import Case
from tradepost.disputes.services import case_open
from tradepost.orders.automation import NOTICES, notice_send
from tradepost.orders.models import OrderEvent

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
WORKERS = 4


def test_racing_workers_send_each_notice_once() -> None:
    # given: three paid orders, all past both deadlines
    world = build_world()
    for _ in range(3):
        pay(world, place_order(world, {"MUG": 1}))
    now = clock.now() + timedelta(days=5)
    marketplace = marketplace_get()

    # when: four workers run every notice rule at the same instant
    def run(_: int) -> int:
        return sum(notice_send(n, marketplace=marketplace, now=now) for n in NOTICES)

    sent = run_together(WORKERS, run)
    # then: reminder and late flag, for acknowledging and shipping, once per seller order
    assert sum(sent) == 3 * 4, sent
    assert OrderEvent.objects.filter(kind__startswith="sla.").count() == 3 * 4
    assert OutboxEvent.objects.filter(type="order.late").count() == 3 * 2
    assert OutboxEvent.objects.filter(type="order.sla_reminder").count() == 3 * 2


def test_racing_workers_escalate_an_overdue_case_once() -> None:
    world = build_world()
    bundle = pay(world, place_order(world, {"MUG": 1}))
    reference = bundle.seller_orders[0].seller_order.reference
    case = case_open(
        actor=world.buyers["john"].actor, reference=reference, kind="late_shipment", description="?"
    )
    now = clock.now() + timedelta(days=2)

    escalated = run_together(WORKERS, lambda _: overdue_cases_escalate(now=now))

    assert sum(escalated) == 1, escalated
    assert Case.objects.get(pk=case.pk).status == "under_review"
    assert OutboxEvent.objects.filter(type="dispute.updated", data__change="overdue").count() == 1
