"""Every read of orders, scoped to the actor: what is outside your scope does not exist (404)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet

from tradepost.core import clock
from tradepost.core.actors import Actor, Role
from tradepost.core.errors import NotFound, ValidationFailed
from tradepost.core.pagination import Page, paginate
from tradepost.orders.models import Order, OrderEvent, OrderLine, SellerOrder, Shipment
from tradepost.orders.sla import late_q
from tradepost.orders.status import FulfilmentStatus


@dataclass
class SellerOrderBundle:
    seller_order: SellerOrder
    lines: list[OrderLine] = field(default_factory=list)
    shipments: list[Shipment] = field(default_factory=list)


@dataclass
class OrderBundle:
    """An order with the seller orders the viewer may see, their lines and shipments."""

    order: Order
    seller_orders: list[SellerOrderBundle]


@dataclass(frozen=True)
class OrderFilters:
    q: str = ""
    status: list[str] = field(default_factory=list)
    payment_status: list[str] = field(default_factory=list)
    seller: str = ""
    created_from: datetime | None = None
    created_to: datetime | None = None
    total_min: int | None = None
    total_max: int | None = None
    late: bool = False  # only orders with a seller order (the viewer's own, for a seller) past SLA
    # Orders with a seller order (the viewer's own, for a seller) in one of these statuses: what
    # the counters count, whatever the order's derived status says.
    part_status: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class AttentionCounts:
    """The counters at the top of an orders list: what waits on sellers now."""

    to_acknowledge: int
    to_ship: int
    late: int


EXPORT_CHUNK = 2000

ORDER_SORTS = {
    "created_at": "created_at",
    "-created_at": "-created_at",
    "total": "total_amount",
    "-total": "-total_amount",
    "status": "status",
    "-status": "-status",
}


def amount_due(order: Order, seller_orders: list[SellerOrder]) -> int:
    """What the buyer owes: the order total less seller orders canceled before payment."""
    if order.captured_amount:
        return 0
    return sum(so.total_amount for so in seller_orders if so.status != FulfilmentStatus.CANCELED)


def orders_visible_to(actor: Actor) -> QuerySet[Order]:
    orders = Order.objects.all()
    if actor.role is Role.SELLER:
        mine = SellerOrder.objects.filter(order=OuterRef("pk"), seller_id=actor.seller_pk)
        return orders.filter(Exists(mine))
    if actor.role is Role.BUYER:
        return orders.filter(buyer_id=actor.buyer_pk)
    return orders


def seller_orders_visible_to(actor: Actor) -> QuerySet[SellerOrder]:
    seller_orders = SellerOrder.objects.all()
    if actor.role is Role.SELLER:
        return seller_orders.filter(seller_id=actor.seller_pk)
    if actor.role is Role.BUYER:
        return seller_orders.filter(order__buyer_id=actor.buyer_pk)
    return seller_orders


def _apply_filters(orders: QuerySet[Order], filters: OrderFilters, actor: Actor) -> QuerySet[Order]:
    if filters.q:
        term = filters.q.strip()
        matches = Q(number__icontains=term) | Q(buyer_name__icontains=term)
        if actor.role is not Role.SELLER:  # sellers never see buyer email addresses
            matches |= Q(buyer_email__icontains=term)
        orders = orders.filter(matches)
    if filters.status and actor.role is Role.SELLER:
        # A seller filters on the status of its own part, which is what it acts on.
        own = SellerOrder.objects.filter(
            order=OuterRef("pk"), seller_id=actor.seller_pk, status__in=filters.status
        )
        orders = orders.filter(Exists(own))
    elif filters.status:
        orders = orders.filter(status__in=filters.status)
    if filters.payment_status:
        orders = orders.filter(payment_status__in=filters.payment_status)
    if filters.part_status:
        parts = seller_orders_visible_to(actor).filter(
            status__in=filters.part_status, order=OuterRef("pk")
        )
        orders = orders.filter(Exists(parts))
    if filters.late:
        late = seller_orders_visible_to(actor).filter(late_q(clock.now()), order=OuterRef("pk"))
        orders = orders.filter(Exists(late))
    if filters.seller and actor.role is not Role.OWNER:
        raise ValidationFailed("seller", "only the marketplace owner filters by seller")
    if filters.seller:
        by_seller = SellerOrder.objects.filter(order=OuterRef("pk"), seller__slug=filters.seller)
        orders = orders.filter(Exists(by_seller))
    if filters.created_from:
        orders = orders.filter(created_at__gte=filters.created_from)
    if filters.created_to:
        orders = orders.filter(created_at__lt=filters.created_to)
    bounds = {
        lookup: value
        for lookup, value in (("gte", filters.total_min), ("lte", filters.total_max))
        if value is not None
    }
    if bounds and actor.role is Role.SELLER:
        # A seller's total is its own part's: the whole order's is not its to know.
        own = SellerOrder.objects.filter(
            order=OuterRef("pk"),
            seller_id=actor.seller_pk,
            **{f"total_amount__{lookup}": value for lookup, value in bounds.items()},
        )
        orders = orders.filter(Exists(own))
    elif bounds:
        orders = orders.filter(**{f"total_amount__{k}": v for k, v in bounds.items()})
    return orders


def attention_counts(*, actor: Actor) -> AttentionCounts:
    """Seller orders to acknowledge, to ship, and past their SLA, in one query."""
    live = seller_orders_visible_to(actor).filter(
        status__in=[FulfilmentStatus.PENDING, FulfilmentStatus.PROCESSING]
    )
    counts = live.aggregate(
        to_acknowledge=Count("pk", filter=Q(status=FulfilmentStatus.PENDING)),
        to_ship=Count("pk", filter=Q(status=FulfilmentStatus.PROCESSING)),
        late=Count("pk", filter=late_q(clock.now())),
    )
    return AttentionCounts(**counts)


QUEUE_LIMIT = 100


def seller_order_queue(*, actor: Actor, status: str) -> list[SellerOrder]:
    """The seller's work in one status, most urgent first, with each order's buyer and lines."""
    due = "acknowledge_due_at" if status == FulfilmentStatus.PENDING else "ship_due_at"
    return list(
        seller_orders_visible_to(actor)
        .filter(status=status)
        .select_related("order", "seller")
        .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("id")))
        .order_by(F(due).asc(nulls_last=True), "id")[:QUEUE_LIMIT]
    )


def _visible_seller_orders(actor: Actor) -> QuerySet[SellerOrder]:
    return seller_orders_visible_to(actor).select_related("seller").order_by("id")


# The columns a list row shows (orders.representation.order_summary); loading only these keeps a
# page of 50 orders from parsing addresses and a dozen timestamps per row it never shows.
LIST_ORDER_FIELDS = (
    "number",
    "status",
    "payment_status",
    "currency",
    "buyer_name",
    "created_at",
    "subtotal_amount",
    "shipping_amount",
    "tax_amount",
    "discount_amount",
    "total_amount",
)
LIST_SELLER_ORDER_FIELDS = (
    "order_id",
    "reference",
    "status",
    "total_amount",
    "subtotal_amount",
    "shipping_amount",
    "tax_amount",
    "discount_amount",
    "seller__slug",
    "seller__name",
)


def _order_rows(actor: Actor, filters: OrderFilters) -> QuerySet[Order]:
    parts = _visible_seller_orders(actor).only(*LIST_SELLER_ORDER_FIELDS)
    return (
        _apply_filters(orders_visible_to(actor), filters, actor)
        .only(*LIST_ORDER_FIELDS)
        .prefetch_related(Prefetch("seller_orders", queryset=parts, to_attr="visible_parts"))
    )


# A seller's list sorts by time only: the whole order's total and status are other sellers'
# business, and a sort (or the cursor that carries its key) would reveal them.
SELLER_SORTS = frozenset({"created_at", "-created_at"})


def _check_sort(actor: Actor, sort: str) -> None:
    if actor.role is Role.SELLER and sort not in SELLER_SORTS:
        raise ValidationFailed("sort", "sellers sort by created_at or -created_at")


def order_list(
    *, actor: Actor, filters: OrderFilters, sort: str, limit: int, cursor: str | None
) -> Page[Order]:
    """One page of orders, each with the viewer's seller orders prefetched (two queries)."""
    _check_sort(actor, sort)
    return paginate(_order_rows(actor, filters), sort=ORDER_SORTS[sort], limit=limit, cursor=cursor)


def order_export(*, actor: Actor, filters: OrderFilters, sort: str) -> Iterator[Order]:
    """Every order of the filtered list, in list order, fetched in chunks so memory stays flat."""
    _check_sort(actor, sort)
    name = ORDER_SORTS[sort]
    order = (name, "-pk") if name.startswith("-") else (name, "pk")
    return _order_rows(actor, filters).order_by(*order).iterator(chunk_size=EXPORT_CHUNK)


def order_get(*, actor: Actor, number: str) -> OrderBundle:
    order = orders_visible_to(actor).filter(number=number.upper()).first()
    if order is None:
        raise NotFound(f"No order {number}.")
    return order_bundle(order=order, actor=actor)


def order_bundle(*, order: Order, actor: Actor) -> OrderBundle:
    """The order's visible seller orders with lines and shipments, in three queries."""
    seller_orders = list(
        _visible_seller_orders(actor)
        .filter(order=order)
        .prefetch_related(
            Prefetch("lines", queryset=OrderLine.objects.select_related("listing").order_by("id")),
            Prefetch(
                "shipments",
                queryset=Shipment.objects.order_by("id").prefetch_related("lines__line"),
            ),
        )
    )
    return OrderBundle(
        order=order,
        seller_orders=[
            SellerOrderBundle(so, list(so.lines.all()), list(so.shipments.all()))
            for so in seller_orders
        ],
    )


def order_timeline(*, actor: Actor, number: str) -> list[OrderEvent]:
    order = orders_visible_to(actor).filter(number=number.upper()).first()
    if order is None:
        raise NotFound(f"No order {number}.")
    events = OrderEvent.objects.filter(order=order)
    if actor.role is Role.SELLER:
        events = events.filter(
            Q(seller_order__isnull=True) | Q(seller_order__seller_id=actor.seller_pk)
        )
    return list(events.select_related("seller_order__seller").order_by("created_at", "id"))


def seller_order_reference_scope(*, actor: Actor, reference: str) -> Q:
    """The filter that finds a seller order by reference only if the actor may see it."""
    scope = Q(reference=reference.upper())
    if actor.role is Role.SELLER:
        scope &= Q(seller_id=actor.seller_pk)
    elif actor.role is Role.BUYER:
        scope &= Q(order__buyer_id=actor.buyer_pk)
    return scope
