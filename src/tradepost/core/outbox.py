"""Publishing domain events: a row in the outbox, in the caller's transaction.

Nothing leaves the process here. Delivery (webhooks, email) reads the outbox after commit, so a
rolled-back change publishes nothing and a crash after commit loses nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tradepost.core import clock
from tradepost.core.models import OutboxEvent, insert_new


def outbox_event(
    *, type: str, data: dict[str, Any], order_number: str = "", seller_ids: Iterable[int] = ()
) -> OutboxEvent:
    return OutboxEvent(
        type=type,
        data=data,
        order_number=order_number,
        seller_ids=sorted(set(seller_ids)),
        created_at=clock.now(),
    )


def publish(*events: OutboxEvent) -> None:
    insert_new(events)  # one statement, however many events
