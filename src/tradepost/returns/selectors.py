"""Every read of returns, scoped to the actor, and what may still be returned.

The owner sees every return; a seller, the returns of its own seller orders; a buyer, those of
their own orders. Anything else does not exist for them (404).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.db.models import Prefetch, QuerySet, Sum

from tradepost.core.actors import Actor, Role
from tradepost.core.errors import NotFound
from tradepost.core.pagination import Page, paginate
from tradepost.orders.models import OrderLine, SellerOrder, Shipment
from tradepost.orders.selectors import seller_orders_visible_to
from tradepost.payments.issuing import refunds_with_details
from tradepost.payments.models import Refund
from tradepost.returns.models import ReturnLine, ReturnRequest
from tradepost.returns.status import HOLDING, TO_HANDLE


def returns_visible_to(actor: Actor) -> QuerySet[ReturnRequest]:
    returns = ReturnRequest.objects.all()
    if actor.role is Role.SELLER:
        return returns.filter(seller_id=actor.seller_pk)
    if actor.role is Role.BUYER:
        return returns.filter(seller_order__order__buyer_id=actor.buyer_pk)
    return returns


def returns_with_details(returns: QuerySet[ReturnRequest]) -> QuerySet[ReturnRequest]:
    """Everything ``returns.representation.return_data`` reads, in a fixed number of queries."""
    return returns.select_related("seller_order__order", "seller").prefetch_related(
        Prefetch("lines", queryset=ReturnLine.objects.select_related("line").order_by("id")),
        "proofs",
        Prefetch("refund", queryset=refunds_with_details(Refund.objects.all())),
        Prefetch("replacement", queryset=Shipment.objects.prefetch_related("lines__line")),
    )


def return_get(*, actor: Actor, return_id: UUID | str) -> ReturnRequest:
    try:
        public_id = return_id if isinstance(return_id, UUID) else UUID(str(return_id))
    except ValueError:
        raise NotFound(f"No return {return_id}.") from None
    found = returns_with_details(returns_visible_to(actor).filter(public_id=public_id)).first()
    if found is None:
        raise NotFound(f"No return {return_id}.")
    return found


def return_list(
    *,
    actor: Actor,
    status: Iterable[str] = (),
    order: str = "",
    seller_order: str = "",
    limit: int,
    cursor: str | None,
) -> Page[ReturnRequest]:
    """Newest first, by cursor; a page costs the same few queries whatever its size."""
    returns = returns_visible_to(actor)
    statuses = list(status)
    if statuses:
        returns = returns.filter(status__in=statuses)
    if order:
        returns = returns.filter(seller_order__order__number=order.upper())
    if seller_order:
        returns = returns.filter(seller_order__reference=seller_order.upper())
    return paginate(returns_with_details(returns), sort="-created_at", limit=limit, cursor=cursor)


def order_returns(*, actor: Actor, number: str) -> dict[str, list[ReturnRequest]]:
    """The order's returns the actor may see, oldest first, by seller order reference."""
    returns = returns_with_details(
        returns_visible_to(actor).filter(seller_order__order__number=number.upper())
    ).order_by("created_at", "id")
    found: dict[str, list[ReturnRequest]] = {}
    for ret in returns:
        found.setdefault(ret.seller_order.reference, []).append(ret)
    return found


def held_quantities(seller_order_ids: Iterable[int]) -> dict[int, int]:
    """Units of each line already in a return that is open or ended in an exchange."""
    rows = (
        ReturnLine.objects.filter(
            return_request__seller_order_id__in=list(seller_order_ids),
            return_request__status__in=HOLDING,
        )
        .values("line_id")
        .annotate(held=Sum("quantity"))
    )
    return {row["line_id"]: row["held"] for row in rows}


def line_returnable(line: OrderLine, held: int) -> int:
    """Units that reached the buyer, were not refunded since, and are in no other return.

    Canceled units count among the refunded ones but never shipped, so they are added back.
    """
    shipped_not_refunded = line.quantity_shipped - (line.quantity_refunded - line.quantity_canceled)
    return max(0, min(line.quantity_shipped, shipped_not_refunded) - held)


def returnable_quantities(seller_order: SellerOrder, lines: list[OrderLine]) -> dict[str, int]:
    """By SKU: how many units of each line the buyer may still send back."""
    held = held_quantities([seller_order.pk])
    return {line.sku: line_returnable(line, held.get(line.pk, 0)) for line in lines}


def order_returnable(*, actor: Actor, number: str) -> dict[str, dict[str, int]]:
    """For each seller order of the order the actor sees: units returnable by SKU (two queries)."""
    lines = list(
        OrderLine.objects.filter(
            seller_order__in=seller_orders_visible_to(actor).filter(order__number=number.upper())
        )
        .select_related("seller_order")
        .order_by("id")
    )
    held = held_quantities({line.seller_order_id for line in lines})
    found: dict[str, dict[str, int]] = {}
    for line in lines:
        found.setdefault(line.seller_order.reference, {})[line.sku] = line_returnable(
            line, held.get(line.pk, 0)
        )
    return found


def returns_to_handle_count(*, actor: Actor) -> int:
    """Returns waiting on the seller or the owner: to decide, to receive, to inspect."""
    if actor.role not in (Role.OWNER, Role.SELLER):
        return 0
    return returns_visible_to(actor).filter(status__in=TO_HANDLE).count()


def return_proofs_visible_to(actor: Actor) -> QuerySet[Any]:
    """Attachment ids that prove returns the actor may see (an attachments scope)."""
    return ReturnRequest.proofs.through.objects.filter(
        returnrequest__in=returns_visible_to(actor).values("pk")
    ).values("attachment_id")
