"""Checkout: turn a cart into an order with one seller order per seller, reserving stock.

Statements are few on purpose (DESIGN.md, performance): one locking read of the listings in id
order (so concurrent buyers never deadlock and never oversell), one stock update for all of them,
then one insert per table.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import Case, F, IntegerField, Value, When

from tradepost.accounts.models import Buyer
from tradepost.catalog.models import Listing
from tradepost.catalog.status import SellerStatus
from tradepost.core.actors import SYSTEM, Actor, Role
from tradepost.core.errors import OutOfStock, PermissionDenied, ValidationFailed
from tradepost.core.money import allocate
from tradepost.core.outbox import publish
from tradepost.core.transactions import unit_of_work
from tradepost.orders.events import order_outbox_event, order_placed_event
from tradepost.orders.models import Order, OrderEvent, OrderLine, SellerOrder
from tradepost.orders.numbering import next_order_number
from tradepost.orders.representation import order_data
from tradepost.orders.selectors import OrderBundle, SellerOrderBundle


@dataclass(frozen=True)
class CartLine:
    listing_id: UUID
    quantity: int


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    phone: str = ""


@dataclass(frozen=True)
class Cart:
    lines: list[CartLine]
    shipping_address: dict[str, Any]
    shipping_amounts: dict[str, int]
    tax_amount: int = 0
    contact: Contact | None = None


def order_create(*, actor: Actor, cart: Cart, buyer: Buyer | None = None) -> OrderBundle:
    """Place an order. Buyers order for themselves; the owner orders for a contact it names.

    Refuses the whole order, persisting nothing, if any line cannot be reserved.
    """
    with unit_of_work():
        buyer = _resolve_buyer(actor=actor, buyer=buyer, contact=cart.contact)
        quantities = _merge_lines(cart.lines)
        listings = _load_listings(quantities, cart.lines)
        currency = _single_currency(listings)
        _reserve_stock(listings, quantities)
        order, parts = _build_order(
            buyer=buyer, cart=cart, listings=listings, quantities=quantities, currency=currency
        )
        order.save(force_insert=True)  # on PostgreSQL the INSERT draws and returns the number
        for part in parts:
            part.seller_order.order = order
            part.seller_order.reference = f"{order.number}-{part.seller_order.reference}"
        SellerOrder.objects.bulk_create([part.seller_order for part in parts])
        lines = []
        for part in parts:
            for line in part.lines:
                line.seller_order = part.seller_order
                lines.append(line)
        OrderLine.objects.bulk_create(lines)
        bundle = OrderBundle(order=order, seller_orders=parts)
        OrderEvent.objects.bulk_create(
            [
                order_placed_event(
                    order=order, actor=actor, references=[p.seller_order.reference for p in parts]
                )
            ]
        )
        publish(
            order_outbox_event(
                type="order.created",
                order_data=order_data(bundle, SYSTEM),
                seller_ids=[p.seller_order.seller_id for p in parts],
            )
        )
        return bundle


def _resolve_buyer(*, actor: Actor, buyer: Buyer | None, contact: Contact | None) -> Buyer:
    if actor.role is Role.BUYER:
        if buyer is None or buyer.pk != actor.buyer_id:
            raise PermissionDenied("Buyers place orders for themselves only.")
        return buyer
    if actor.role in (Role.OWNER, Role.SYSTEM):
        if contact is None:
            raise ValidationFailed("buyer", "is required when the owner places an order")
        found, _ = Buyer.objects.get_or_create(
            email=contact.email.lower(), defaults={"name": contact.name, "phone": contact.phone}
        )
        return found
    raise PermissionDenied("Sellers do not place orders.")


def _merge_lines(lines: list[CartLine]) -> dict[UUID, int]:
    if not lines:
        raise ValidationFailed("lines", "must hold at least one line")
    quantities: dict[UUID, int] = defaultdict(int)
    for line in lines:
        quantities[line.listing_id] += line.quantity
    return dict(quantities)


def _load_listings(quantities: dict[UUID, int], lines: list[CartLine]) -> dict[UUID, Listing]:
    """Lock the listings in id order: every checkout takes the same rows in the same order, so
    concurrent buyers queue on a hot SKU instead of deadlocking. Sellers are read, not locked."""
    found = {
        listing.public_id: listing
        for listing in Listing.objects.select_related("seller")
        .select_for_update(of=("self",))
        .filter(public_id__in=quantities)
        .order_by("id")
    }
    for index, line in enumerate(lines):
        listing = found.get(line.listing_id)
        if listing is None:
            raise ValidationFailed(f"lines[{index}].listing_id", f"no listing {line.listing_id}")
        if not listing.is_active or listing.seller.status != SellerStatus.ACTIVE:
            # Buyers cannot see listings that are off sale, so say no more than for a missing one.
            raise ValidationFailed(f"lines[{index}].listing_id", "is not for sale")
    return found


def _single_currency(listings: dict[UUID, Listing]) -> str:
    currencies = {listing.currency for listing in listings.values()}
    if len(currencies) != 1:
        raise ValidationFailed("lines", f"listings are priced in {sorted(currencies)}; use one")
    return currencies.pop()


def _reserve_stock(listings: dict[UUID, Listing], quantities: dict[UUID, int]) -> None:
    """One UPDATE for every listing; the rows are already locked, so the stock read is final."""
    for listing in listings.values():
        wanted = quantities[listing.public_id]
        if listing.stock_quantity < wanted:
            raise OutOfStock(sku=listing.sku, requested=wanted, available=listing.stock_quantity)
    Listing.objects.filter(pk__in=[listing.pk for listing in listings.values()]).update(
        stock_quantity=F("stock_quantity")
        - Case(
            *(
                When(pk=listing.pk, then=Value(quantities[listing.public_id]))
                for listing in listings.values()
            ),
            output_field=IntegerField(),
        )
    )


def _build_order(
    *,
    buyer: Buyer,
    cart: Cart,
    listings: dict[UUID, Listing],
    quantities: dict[UUID, int],
    currency: str,
) -> tuple[Order, list[SellerOrderBundle]]:
    by_seller: dict[int, list[Listing]] = defaultdict(list)
    for listing in listings.values():
        by_seller[listing.seller_id].append(listing)
    sellers = sorted((group[0].seller for group in by_seller.values()), key=lambda s: s.slug)
    unknown = set(cart.shipping_amounts) - {seller.slug for seller in sellers}
    if unknown:
        first = sorted(unknown)[0]
        raise ValidationFailed(
            f"shipping_amounts.{first}", "no line in this order is from this seller"
        )

    parts: list[SellerOrderBundle] = []
    for position, seller in enumerate(sellers, start=1):
        lines = [
            OrderLine(
                listing=listing,
                sku=listing.sku,
                title=listing.title,
                unit_price_amount=listing.unit_price_amount,
                quantity=quantities[listing.public_id],
                line_total_amount=listing.unit_price_amount * quantities[listing.public_id],
            )
            for listing in sorted(by_seller[seller.pk], key=lambda listing: listing.sku)
        ]
        subtotal = sum(line.line_total_amount for line in lines)
        shipping = cart.shipping_amounts.get(seller.slug, 0)
        seller_order = SellerOrder(
            seller=seller,
            reference=str(position),  # prefixed with the order number once it has one
            subtotal_amount=subtotal,
            shipping_amount=shipping,
            tax_amount=0,
            total_amount=subtotal + shipping,
        )
        parts.append(SellerOrderBundle(seller_order, lines, []))

    # Tax is charged on the whole order; each seller's share follows what it sells and ships.
    taxes = allocate(cart.tax_amount, [p.seller_order.total_amount for p in parts])
    for part, tax in zip(parts, taxes, strict=True):
        part.seller_order.tax_amount = tax
        part.seller_order.total_amount += tax

    contact = cart.contact
    order = Order(
        number=next_order_number(),
        buyer=buyer,
        buyer_name=contact.name if contact else buyer.name,
        buyer_email=buyer.email,
        buyer_phone=(contact.phone if contact and contact.phone else buyer.phone),
        shipping_address=cart.shipping_address,
        currency=currency,
        subtotal_amount=sum(p.seller_order.subtotal_amount for p in parts),
        shipping_amount=sum(p.seller_order.shipping_amount for p in parts),
        tax_amount=cart.tax_amount,
        total_amount=sum(p.seller_order.total_amount for p in parts),
    )
    for part in parts:
        part.seller_order.created_at = order.created_at
    return order, parts
