"""Posting the journals of money that moved before the ledger existed.

Replays every capture, refund, chargeback and completion in the order they happened, through
the same postings the services make (ledger.services), so the pending / available / owed split
comes out as if the ledger had always been there, each journal dated when its money moved (so
the revenue report puts it on its day). Postings are keyed by their movement, so a
second run, or a run over data the ledger already has, posts nothing again. Payouts need no
backfill: they were born with the ledger.

A command (``tradepost ledger_backfill``) rather than a data migration: a migration would have
to copy today's posting rules into historical models and would run on every fresh database,
where there is nothing to backfill; the command runs once, where needed, and can be re-run.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction

from tradepost.core import clock
from tradepost.ledger.models import Journal
from tradepost.ledger.services import (
    ledger_post_chargeback,
    ledger_post_completion,
    ledger_post_payment,
    ledger_post_refund,
)
from tradepost.orders.models import SellerOrder
from tradepost.payments.chargebacks import CHARGEBACK_REASON
from tradepost.payments.models import Refund

# At one instant: the capture first, then refunds, then the completion.
CAPTURE, MONEY_BACK, COMPLETION = 0, 1, 2


def ledger_backfill() -> int:
    """Post whatever the ledger is missing, in one transaction; returns the journals posted."""
    before = Journal.objects.count()
    with transaction.atomic():
        for at, _, _, post in sorted(_movements(), key=lambda m: m[:3]):
            with clock.frozen_at(at):
                post()
    return Journal.objects.count() - before


def _movements() -> list[tuple[datetime, int, int, Any]]:
    movements: list[tuple[datetime, int, int, Any]] = []
    paid = SellerOrder.objects.filter(commission_amount__isnull=False).select_related("order")
    for seller_order in paid.iterator():
        order = seller_order.order
        at = order.paid_at or seller_order.created_at
        movements.append(
            (
                at,
                CAPTURE,
                seller_order.pk,
                lambda o=order, s=seller_order: ledger_post_payment(order=o, seller_orders=[s]),
            )
        )
        if seller_order.completed_at is not None:
            movements.append(
                (
                    seller_order.completed_at,
                    COMPLETION,
                    seller_order.pk,
                    lambda o=order, s=seller_order: ledger_post_completion(order=o, seller_order=s),
                )
            )
    for refund in Refund.objects.select_related("seller_order").iterator():
        post = ledger_post_chargeback if refund.reason == CHARGEBACK_REASON else ledger_post_refund
        movements.append(
            (refund.created_at, MONEY_BACK, refund.pk, lambda r=refund, p=post: p(refund=r))
        )
    return movements
