"""When a seller order is late: not acknowledged, or not shipped, by the due times set at payment.

The due times are fixed on each seller order when it is paid (``acknowledge_due_at``,
``ship_due_at``), so "late" is a plain comparison with now that the ``so_status_ship_due_idx``
index serves, and a later change of policy never makes an already-paid order late.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q

from tradepost.orders.status import FulfilmentStatus

F = FulfilmentStatus


def late_q(now: datetime) -> Q:
    """Seller orders past a deadline: not acknowledged in time, or not shipped in time."""
    unacknowledged = Q(status=F.PENDING, acknowledge_due_at__lt=now)
    unshipped = Q(status__in=[F.PENDING, F.PROCESSING], ship_due_at__lt=now)
    return unacknowledged | unshipped
