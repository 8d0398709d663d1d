"""Every read of refunds, refund requests and goodwill codes, scoped to the actor.

The owner sees all; a seller, what concerns its own seller orders (and the codes it gave); a
buyer, what concerns their own orders. Anything else does not exist for them (404).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db.models import Prefetch, Q, QuerySet

from tradepost.catalog.models import Listing
from tradepost.catalog.selectors import listings_visible_to, marketplace_get
from tradepost.core import clock
from tradepost.core.actors import Actor, Role
from tradepost.core.errors import NotFound
from tradepost.core.pagination import Page, paginate
from tradepost.orders.models import LineCancellation, SellerOrder
from tradepost.orders.selectors import seller_orders_visible_to
from tradepost.payments.issuing import refunds_with_details
from tradepost.payments.models import DiscountCode, Refund, RefundRequest, RefundRequestLine
from tradepost.payments.policy import RefundPolicy, policy_data, policy_for_seller_order


def _seller_order_scope(actor: Actor, prefix: str = "seller_order__") -> Q:
    if actor.role is Role.SELLER:
        return Q(**{f"{prefix}seller_id": actor.seller_pk})
    if actor.role is Role.BUYER:
        return Q(**{f"{prefix}order__buyer_id": actor.buyer_pk})
    return Q()


def refunds_visible_to(actor: Actor) -> QuerySet[Refund]:
    return Refund.objects.filter(_seller_order_scope(actor))


def refund_requests_visible_to(actor: Actor) -> QuerySet[RefundRequest]:
    return RefundRequest.objects.filter(_seller_order_scope(actor))


def discount_codes_visible_to(actor: Actor) -> QuerySet[DiscountCode]:
    """A seller sees the codes that cost it (its own); a buyer, the codes given to them."""
    codes = DiscountCode.objects.all()
    if actor.role is Role.SELLER:
        return codes.filter(seller_id=actor.seller_pk)
    if actor.role is Role.BUYER:
        return codes.filter(buyer_id=actor.buyer_pk)
    return codes


def refund_list(
    *,
    actor: Actor,
    order: str = "",
    seller_order: str = "",
    reason: str | None = None,
    limit: int,
    cursor: str | None,
) -> Page[Refund]:
    """Newest first: three queries for a page, whatever its size."""
    refunds = refunds_visible_to(actor)
    if order:
        refunds = refunds.filter(seller_order__order__number=order.upper())
    if seller_order:
        refunds = refunds.filter(seller_order__reference=seller_order.upper())
    if reason:
        refunds = refunds.filter(reason=reason)
    return paginate(refunds_with_details(refunds), sort="-created_at", limit=limit, cursor=cursor)


def refund_get(*, actor: Actor, refund_id: UUID) -> Refund:
    refund = refunds_with_details(refunds_visible_to(actor).filter(public_id=refund_id)).first()
    if refund is None:
        raise NotFound(f"No refund {refund_id}.")
    return refund


def requests_with_details(requests: QuerySet[RefundRequest]) -> QuerySet[RefundRequest]:
    refunds = refunds_with_details(Refund.objects.all())
    return requests.select_related("seller_order__order").prefetch_related(
        Prefetch("lines", queryset=RefundRequestLine.objects.select_related("line").order_by("id")),
        "proofs",
        Prefetch("refund", queryset=refunds),
    )


def refund_request_list(
    *,
    actor: Actor,
    status: str | None = None,
    seller_order: str = "",
    limit: int,
    cursor: str | None,
) -> Page[RefundRequest]:
    requests = refund_requests_visible_to(actor)
    if status:
        requests = requests.filter(status=status)
    if seller_order:
        requests = requests.filter(seller_order__reference=seller_order.upper())
    return paginate(requests_with_details(requests), sort="-created_at", limit=limit, cursor=cursor)


def refund_request_get(*, actor: Actor, request_id: UUID | str) -> RefundRequest:
    try:
        public_id = request_id if isinstance(request_id, UUID) else UUID(str(request_id))
    except ValueError:
        raise NotFound(f"No refund request {request_id}.") from None
    found = requests_with_details(
        refund_requests_visible_to(actor).filter(public_id=public_id)
    ).first()
    if found is None:
        raise NotFound(f"No refund request {request_id}.")
    return found


def discount_code_list(
    *, actor: Actor, seller_order: str = "", limit: int, cursor: str | None
) -> Page[DiscountCode]:
    codes = discount_codes_visible_to(actor).select_related("seller", "seller_order")
    if seller_order:
        codes = codes.filter(seller_order__reference=seller_order.upper())
    return paginate(codes, sort="-created_at", limit=limit, cursor=cursor)


def order_refund_policy(*, seller_orders: list[SellerOrder]) -> dict[str, Any]:
    """The policy, and for each seller order the viewer sees, when its window closes."""
    policy = RefundPolicy.of(marketplace_get())
    now = clock.now()
    return policy_data(policy) | {
        "seller_orders": [policy_for_seller_order(so, policy, now=now) for so in seller_orders]
    }


@dataclass
class AfterSale:
    """What happened to an order after the sale, as the viewer may see it, by seller order id,
    with the refund policy as it applies to each."""

    seller_orders: dict[str, SellerOrder] = field(default_factory=dict)  # by reference
    refunds: dict[int, list[Refund]] = field(default_factory=dict)
    requests: dict[int, list[RefundRequest]] = field(default_factory=dict)
    cancellations: dict[int, list[LineCancellation]] = field(default_factory=dict)
    codes: dict[int, list[DiscountCode]] = field(default_factory=dict)
    policy: dict[str, Any] = field(default_factory=dict)


def order_after_sale(*, actor: Actor, number: str) -> AfterSale:
    """Refunds, refund requests, line cancellations and goodwill codes of one order, and the
    refund policy, in a fixed number of queries (the order page shows them by seller order)."""
    parts = list(
        seller_orders_visible_to(actor).filter(order__number=number.upper()).order_by("id")
    )
    after = AfterSale(seller_orders={part.reference: part for part in parts})
    if not parts:
        return after
    after.policy = order_refund_policy(seller_orders=parts)
    ids = [part.pk for part in parts]
    refunds = refunds_with_details(refunds_visible_to(actor).filter(seller_order_id__in=ids))
    for refund in refunds.order_by("created_at", "id"):
        after.refunds.setdefault(refund.seller_order_id, []).append(refund)
    requests = requests_with_details(
        refund_requests_visible_to(actor).filter(seller_order_id__in=ids)
    )
    for request in requests.order_by("created_at", "id"):
        after.requests.setdefault(request.seller_order_id, []).append(request)
    cancellations = LineCancellation.objects.filter(seller_order_id__in=ids).select_related(
        "alternative_listing", "seller_order"
    )
    for cancellation in cancellations.order_by("created_at", "id"):
        after.cancellations.setdefault(cancellation.seller_order_id, []).append(cancellation)
    codes = discount_codes_visible_to(actor).filter(seller_order_id__in=ids)
    for code in codes.select_related("seller", "seller_order").order_by("created_at", "id"):
        after.codes.setdefault(code.seller_order_id, []).append(code)
    return after


def alternatives_for(*, actor: Actor, seller_ids: list[int]) -> dict[int, list[Listing]]:
    """Listings the seller could offer instead of a canceled line: on sale, in stock."""
    listings = listings_visible_to(actor).filter(
        seller_id__in=seller_ids, is_active=True, stock_quantity__gt=0
    )
    found: dict[int, list[Listing]] = {}
    for listing in listings.order_by("title", "id"):
        found.setdefault(listing.seller_id, []).append(listing)
    return found


def refund_proofs_visible_to(actor: Actor) -> QuerySet[Any]:
    """Attachment ids that prove refunds the actor may see (an attachments scope)."""
    return Refund.proofs.through.objects.filter(
        refund__in=refunds_visible_to(actor).values("pk")
    ).values("attachment_id")


def refund_request_proofs_visible_to(actor: Actor) -> QuerySet[Any]:
    """Attachment ids that prove refund requests the actor may see (an attachments scope)."""
    return RefundRequest.proofs.through.objects.filter(
        refundrequest__in=refund_requests_visible_to(actor).values("pk")
    ).values("attachment_id")
