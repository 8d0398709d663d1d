"""Outbox events of payouts: ``payout.created``, ``payout.paid``, ``payout.failed``.

Published to the paid seller's webhooks and the owner's, in the payout's transaction.
"""

from __future__ import annotations

from tradepost.core.models import OutboxEvent
from tradepost.core.outbox import outbox_event
from tradepost.ledger.models import Payout
from tradepost.ledger.representation import payout_data
from tradepost.ledger.status import PayoutStatus

PAYOUT_EVENT_TYPES: dict[str, str] = {
    PayoutStatus.PENDING: "payout.created",
    PayoutStatus.PAID: "payout.paid",
    PayoutStatus.FAILED: "payout.failed",
}


def payout_outbox_event(*, payout: Payout) -> OutboxEvent:
    """The event for the payout's current status: created, paid or failed."""
    return outbox_event(
        type=PAYOUT_EVENT_TYPES[payout.status],
        seller_ids=[payout.seller_id],
        data={"payout": payout_data(payout)},
    )
