"""SLA automation, run by the worker (``orders.tasks.run_sla_automation``): every rule is one
function that takes a bounded batch of the seller orders it concerns and acts on each once.

Notices (a reminder, a late flag, a request to confirm delivery) are claimed by a conditional
UPDATE of their own timestamp column under the order's lock (the house lock order), so a rerun,
or a second worker racing this one, finds nothing left to send. Status changes (auto-cancel,
auto-complete) go through the fulfilment services as the system, after the conditions are read
again under the same locks. Each rule's candidates come from a partial index on its due time
(``orders.models.SLA_INDEXES``), oldest first, so a run costs the same at a million orders.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from tradepost.catalog.models import Marketplace
from tradepost.catalog.selectors import marketplace_get
from tradepost.core import clock
from tradepost.core.actors import SYSTEM
from tradepost.core.batches import each_on_its_own
from tradepost.core.clock import iso_or_none
from tradepost.core.outbox import publish

# The dispute, payments and returns apps depend on orders, not the other way round; auto-cancel
# and auto-complete must still know whether a case, a chargeback, a return or a refund request is
# open on the seller order, and read only those tables' statuses.
from tradepost.disputes.models import Case, Chargeback
from tradepost.disputes.status import ACTIVE as ACTIVE_CASE
from tradepost.disputes.status import OPEN_CHARGEBACK
from tradepost.orders import services
from tradepost.orders.events import sla_notice_event, sla_outbox_event
from tradepost.orders.lifecycle import lock_order_for_seller_order
from tradepost.orders.models import Order, SellerOrder
from tradepost.orders.representation import order_data
from tradepost.orders.selectors import order_bundle
from tradepost.orders.status import FulfilmentStatus
from tradepost.payments.models import RefundRequest
from tradepost.payments.status import RefundRequestStatus
from tradepost.returns.models import ReturnRequest
from tradepost.returns.status import OPEN as OPEN_RETURN

F = FulfilmentStatus
BATCH_SIZE = 100
UNSHIPPED = (F.PENDING, F.PROCESSING)
SHIPPED = (F.SHIPPED, F.DELIVERED)

REMINDER = "order.sla_reminder"
LATE = "order.late"
CONFIRM_DELIVERY = "order.delivery_confirmation_requested"


@dataclass(frozen=True)
class Notice:
    """A message the automation sends once per seller order, when ``due`` matches it."""

    name: str
    sla: str  # which deadline: acknowledge, ship or delivery
    column: str  # when it was sent; null until then
    due_field: str  # the deadline, or the moment the wait is counted from
    event_type: str
    due: Callable[[Marketplace, datetime], Q]
    message: str  # for the timeline; {due} is the due field's time


def _ack_reminder_due(marketplace: Marketplace, now: datetime) -> Q:
    lead = timedelta(hours=marketplace.sla_reminder_hours)
    return Q(
        status=F.PENDING, acknowledge_reminded_at__isnull=True, acknowledge_due_at__lte=now + lead
    )


def _ack_late_due(marketplace: Marketplace, now: datetime) -> Q:
    return Q(status=F.PENDING, acknowledge_late_at__isnull=True, acknowledge_due_at__lt=now)


def _ship_reminder_due(marketplace: Marketplace, now: datetime) -> Q:
    lead = timedelta(hours=marketplace.sla_reminder_hours)
    return Q(status__in=UNSHIPPED, ship_reminded_at__isnull=True, ship_due_at__lte=now + lead)


def _ship_late_due(marketplace: Marketplace, now: datetime) -> Q:
    return Q(status__in=UNSHIPPED, ship_late_at__isnull=True, ship_due_at__lt=now)


def _confirmation_due(marketplace: Marketplace, now: datetime) -> Q:
    expected = timedelta(days=marketplace.delivery_estimate_days)
    return Q(
        status__in=SHIPPED,
        delivery_confirmation_requested_at__isnull=True,
        shipped_at__lte=now - expected,
    )


NOTICES: tuple[Notice, ...] = (
    Notice(
        "acknowledge_reminder",
        "acknowledge",
        "acknowledge_reminded_at",
        "acknowledge_due_at",
        REMINDER,
        _ack_reminder_due,
        "seller reminded to acknowledge by {due}.",
    ),
    Notice(
        "acknowledge_late",
        "acknowledge",
        "acknowledge_late_at",
        "acknowledge_due_at",
        LATE,
        _ack_late_due,
        "late: not acknowledged by {due}; the marketplace is alerted.",
    ),
    Notice(
        "ship_reminder",
        "ship",
        "ship_reminded_at",
        "ship_due_at",
        REMINDER,
        _ship_reminder_due,
        "seller reminded to ship by {due}.",
    ),
    Notice(
        "ship_late",
        "ship",
        "ship_late_at",
        "ship_due_at",
        LATE,
        _ship_late_due,
        "late: not shipped by {due}; the marketplace is alerted and the buyer told of the delay.",
    ),
    Notice(
        "delivery_confirmation",
        "delivery",
        "delivery_confirmation_requested_at",
        "shipped_at",
        CONFIRM_DELIVERY,
        _confirmation_due,
        "buyer asked to confirm delivery (shipped {due}).",
    ),
)


def _when(moment: datetime | None) -> str:
    """As emails write times: "Tue 3 Dec 2026, 14:00 UTC"."""
    return moment.astimezone(UTC).strftime("%a %-d %b %Y, %H:%M UTC") if moment else ""


def _batch(condition: Q, order_by: str) -> list[tuple[int, int, str]]:
    """(seller order id, order id, reference) of the oldest matching rows, at most a batch."""
    return list(
        SellerOrder.objects.filter(condition)
        .order_by(order_by, "id")
        .values_list("pk", "order_id", "reference")[:BATCH_SIZE]
    )


def notice_send(notice: Notice, *, marketplace: Marketplace, now: datetime) -> int:
    """Send ``notice`` to every seller order it is due for (a batch); returns how many went."""
    return each_on_its_own(
        f"SLA {notice.name}",
        _batch(notice.due(marketplace, now), notice.due_field),
        lambda row: _send_one(notice, row[0], row[1], marketplace, now),
    )


def _send_one(
    notice: Notice, seller_order_id: int, order_id: int, marketplace: Marketplace, now: datetime
) -> bool:
    with transaction.atomic():
        order = Order.objects.select_for_update(no_key=True).get(
            pk=order_id
        )  # the order first, always
        claimed = SellerOrder.objects.filter(
            notice.due(marketplace, now), pk=seller_order_id
        ).update(**{notice.column: now})
        if not claimed:
            return False  # another worker sent it, or the seller acted meanwhile
        seller_order = SellerOrder.objects.select_related("seller").get(pk=seller_order_id)
        details = {
            "notice": notice.name,
            "sla": notice.sla,
            "due_at": iso_or_none(getattr(seller_order, notice.due_field)),
        }
        sla_notice_event(
            order=order,
            seller_order=seller_order,
            kind=f"sla.{notice.name}",
            message=notice.message.format(due=_when(getattr(seller_order, notice.due_field))),
            details=details,
        ).save()
        publish(
            sla_outbox_event(
                type=notice.event_type,
                order_data=order_data(order_bundle(order=order, actor=SYSTEM), SYSTEM),
                seller_order=seller_order,
                details=details,
            )
        )
        return True


def unacknowledged_cancel(*, marketplace: Marketplace, now: datetime) -> int:
    """When the setting is on: cancel, with a full refund and the stock released, each seller
    order still not acknowledged the set number of days after its acknowledgement was due."""
    days = marketplace.auto_cancel_unacknowledged_days
    if not days:
        return 0
    # A case or a chargeback already speaks for the buyer's money; the cancel's refund waits.
    condition = Q(status=F.PENDING, acknowledge_due_at__lte=now - timedelta(days=days)) & Q(
        ~Exists(_active_cases()), ~Exists(_open_chargebacks())
    )
    reason = (
        f"Not acknowledged by the seller within {days} day{'s' if days != 1 else ''} of the "
        "acknowledgement deadline; canceled automatically."
    )
    return each_on_its_own(
        "SLA auto-cancel",
        _batch(condition, "acknowledge_due_at"),
        lambda row: _act_if_still(
            row[2],
            condition,
            lambda ref: services.seller_order_cancel(actor=SYSTEM, reference=ref, reason=reason),
        ),
    )


def delivered_complete(*, marketplace: Marketplace, now: datetime) -> int:
    """Complete each delivered seller order the set days after delivery, unless a dispute case,
    an undecided return or a refund request waiting for an answer is open on it (each decides
    what happens to the money, which completing would release to the seller)."""
    days = marketplace.auto_complete_days
    open_return = ReturnRequest.objects.filter(seller_order=OuterRef("pk"), status__in=OPEN_RETURN)
    waiting_request = RefundRequest.objects.filter(
        seller_order=OuterRef("pk"), status=RefundRequestStatus.REQUESTED
    )
    condition = Q(status=F.DELIVERED, delivered_at__lte=now - timedelta(days=days)) & Q(
        ~Exists(_active_cases()), ~Exists(open_return), ~Exists(waiting_request)
    )
    note = (
        f"Completed automatically {days} day{'s' if days != 1 else ''} after delivery, "
        "with no open dispute, return or refund request."
    )
    return each_on_its_own(
        "SLA auto-complete",
        _batch(condition, "delivered_at"),
        lambda row: _act_if_still(
            row[2],
            condition,
            lambda ref: services.seller_order_complete(actor=SYSTEM, reference=ref, note=note),
        ),
    )


def _active_cases() -> QuerySet[Case]:
    return Case.objects.filter(seller_order=OuterRef("pk"), status__in=ACTIVE_CASE)


def _open_chargebacks() -> QuerySet[Chargeback]:
    return Chargeback.objects.filter(seller_order=OuterRef("pk"), status__in=OPEN_CHARGEBACK)


def _act_if_still(reference: str, condition: Q, act: Callable[[str], object]) -> bool:
    """Lock the order and its seller orders, read the rule's condition again, then act: a case
    opened or an acknowledgement made since the batch was read wins."""
    with transaction.atomic():
        lock_order_for_seller_order(actor=SYSTEM, reference=reference)
        if not SellerOrder.objects.filter(condition, reference=reference).exists():
            return False
        act(reference)  # the service takes the locks this transaction already holds
        return True


def sla_automation_run(*, now: datetime | None = None) -> dict[str, int]:
    """Every rule once, each over one batch; returns how many seller orders each acted on."""
    now = now or clock.now()
    marketplace = marketplace_get()
    done = {
        notice.name: notice_send(notice, marketplace=marketplace, now=now) for notice in NOTICES
    }
    done["auto_cancel"] = unacknowledged_cancel(marketplace=marketplace, now=now)
    done["auto_complete"] = delivered_complete(marketplace=marketplace, now=now)
    return done
