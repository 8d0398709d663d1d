"""Checkout: turn a cart into an order with one seller order per seller, reserving stock.

Statements are few and cheap on purpose (DESIGN.md, performance; tests/orders/test_checkout_api.py
pins the count): on PostgreSQL one statement locks the listings in id order (so concurrent buyers
queue instead of deadlocking), checks them and takes the stock, all or nothing; then one insert
per table, written without the ORM's per-query preparation (core.models.insert_new). A goodwill
code adds two statements, to lock it and mark it used; an order without one pays for neither.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db import connection
from django.db.models import Case, F, IntegerField, Value, When

from tradepost.accounts.models import Buyer
from tradepost.catalog.models import Listing, Seller
from tradepost.catalog.status import SellerStatus
from tradepost.core.actors import SYSTEM, Actor, Role
from tradepost.core.errors import OutOfStock, PermissionDenied, ValidationFailed
from tradepost.core.models import column, from_row, insert_new, select_list
from tradepost.core.money import allocate
from tradepost.core.outbox import publish
from tradepost.core.transactions import unit_of_work
from tradepost.orders.events import order_outbox_event, order_placed_event
from tradepost.orders.models import Order, OrderLine, SellerOrder
from tradepost.orders.numbering import next_order_number
from tradepost.orders.payment_tallies import tally_order_placed
from tradepost.orders.representation import order_data
from tradepost.orders.selectors import OrderBundle, SellerOrderBundle
from tradepost.payments.discounts import discount_code_redeem
from tradepost.payments.models import DiscountCode


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
    discount_code: str = ""  # a goodwill code of the buyer's (payments.discounts)


def order_create(*, actor: Actor, cart: Cart, buyer: Buyer | None = None) -> OrderBundle:
    """Place an order. Buyers order for themselves; the owner orders for a contact it names.

    Refuses the whole order, persisting nothing, if any line cannot be reserved or its discount
    code cannot be used; the code is used by this order only if the order is placed.
    """
    with unit_of_work():
        buyer = _resolve_buyer(actor=actor, buyer=buyer, contact=cart.contact)
        quantities = _merge_lines(cart.lines)
        listings, currency = _reserve_stock(quantities, cart.lines)
        order, parts = _build_order(
            actor=actor,
            buyer=buyer,
            cart=cart,
            listings=listings,
            quantities=quantities,
            currency=currency,
        )
        insert_new([order])  # on PostgreSQL the INSERT draws and returns the number
        for part in parts:
            part.seller_order.order = order
            part.seller_order.reference = f"{order.number}-{part.seller_order.reference}"
        seller_orders = [part.seller_order for part in parts]
        insert_new(seller_orders)
        tally_order_placed(order=order, seller_orders=seller_orders)
        lines = []
        for part in parts:
            for line in part.lines:
                line.seller_order = part.seller_order
                lines.append(line)
        insert_new(lines)
        bundle = OrderBundle(order=order, seller_orders=parts)
        insert_new(
            [
                order_placed_event(
                    order=order,
                    actor=actor,
                    references=[p.seller_order.reference for p in parts],
                    discount_code=order.discount_code.code if order.discount_code else "",
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


def _reserve_stock(
    quantities: dict[UUID, int], lines: list[CartLine]
) -> tuple[dict[UUID, Listing], str]:
    """Take the stock of every line, or refuse the cart having taken none; returns the listings,
    with their sellers, and the cart's currency."""
    if connection.vendor == "postgresql":
        return _reserve_stock_in_one_statement(quantities, lines)
    # SQLite takes the database's write lock at BEGIN (IMMEDIATE), so checkouts run one at a time
    # there and a plain read is final.
    listings = {
        listing.public_id: listing
        for listing in Listing.objects.select_related("seller")
        .filter(public_id__in=quantities)
        .order_by("id")
    }
    currency = _check_reservable(listings, quantities, lines)
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
    return listings, currency


def _reserve_stock_in_one_statement(
    quantities: dict[UUID, int], lines: list[CartLine]
) -> tuple[dict[UUID, Listing], str]:
    """One round trip: lock the listings, judge the cart, take the stock only if all of it can be.

    The rows are locked in id order, as every writer of stock locks them (orders.lifecycle
    releases stock in id order too), so concurrent checkouts queue on a hot SKU and never
    deadlock. The lock returns each row as last committed, so the judgement is final, and the
    decrement re-checks the stock itself; the table's CHECK refuses negative stock whatever runs.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            _reserve_sql(),
            {
                "public_ids": list(quantities),
                "quantities": list(quantities.values()),
                "count": len(quantities),
                "active": SellerStatus.ACTIVE.value,
            },
        )
        rows = cursor.fetchall()
    listings, all_taken = {}, True
    for row in rows:
        listing = from_row(Listing, _LISTING_FIELDS, row[: len(_LISTING_FIELDS)])
        listing.seller = from_row(Seller, _SELLER_FIELDS, row[len(_LISTING_FIELDS) : -1])
        listings[listing.public_id] = listing
        all_taken = all_taken and row[-1]
    currency = _check_reservable(listings, quantities, lines)  # raises what the statement refused
    if not all_taken:
        raise RuntimeError("the stock statement refused a cart that checkout's checks accept")
    return listings, currency


# Whole rows, as select_related("seller") would read them.
_LISTING_FIELDS = tuple(field.attname for field in Listing._meta.concrete_fields)
_SELLER_FIELDS = tuple(field.attname for field in Seller._meta.concrete_fields)


@functools.cache
def _reserve_sql() -> str:
    """``locked``: the cart's listings with their sellers, locked in id order (sellers are read,
    not locked). ``verdict``: whether the whole cart can be had, judged as ``_check_reservable``
    judges it. ``taken``: the decrement, only on that verdict. The rows come back as they were
    locked, before the decrement, each marked with whether its stock was taken."""
    quote = connection.ops.quote_name
    listing_table, seller_table = Listing._meta.db_table, Seller._meta.db_table
    listing_columns = [column(Listing, name) for name in _LISTING_FIELDS]
    seller_columns = [f"seller__{column(Seller, name)}" for name in _SELLER_FIELDS]
    returned = ", ".join(f"locked.{quote(name)}" for name in listing_columns + seller_columns)
    return f"""
        WITH wanted (public_id, quantity) AS (
            SELECT * FROM unnest(%(public_ids)s::uuid[], %(quantities)s::integer[])
        ),
        locked AS MATERIALIZED (
            SELECT {select_list(Listing, _LISTING_FIELDS, "listing")},
                {select_list(Seller, _SELLER_FIELDS, "seller", prefix="seller__")},
                wanted.quantity AS wanted_quantity
            FROM {quote(listing_table)} listing
            JOIN wanted ON wanted.public_id = listing.public_id
            JOIN {quote(seller_table)} seller ON seller.id = listing.seller_id
            ORDER BY listing.id
            FOR NO KEY UPDATE OF listing
        ),
        verdict AS (
            SELECT count(*) = %(count)s
                AND bool_and(
                    is_active AND seller__status = %(active)s
                    AND stock_quantity >= wanted_quantity
                )
                AND count(DISTINCT currency) = 1 AS whole_cart
            FROM locked
        ),
        taken AS (
            UPDATE {quote(listing_table)} listing
            SET stock_quantity = listing.stock_quantity - locked.wanted_quantity
            FROM locked, verdict
            WHERE verdict.whole_cart AND listing.id = locked.id
                AND listing.stock_quantity >= locked.wanted_quantity
            RETURNING listing.id
        )
        SELECT {returned}, taken.id IS NOT NULL
        FROM locked LEFT JOIN taken ON taken.id = locked.id
        ORDER BY locked.id
    """


def _check_reservable(
    listings: dict[UUID, Listing], quantities: dict[UUID, int], lines: list[CartLine]
) -> str:
    """Refuse the cart for the first thing wrong with it, in the order a buyer fixes them: a line
    that is not for sale, mixed currencies, then stock. Returns the cart's currency."""
    for index, line in enumerate(lines):
        listing = listings.get(line.listing_id)
        if listing is None:
            raise ValidationFailed(f"lines[{index}].listing_id", f"no listing {line.listing_id}")
        if not listing.is_active or listing.seller.status != SellerStatus.ACTIVE:
            # Buyers cannot see listings that are off sale, so say no more than for a missing one.
            raise ValidationFailed(f"lines[{index}].listing_id", "is not for sale")
    currencies = {listing.currency for listing in listings.values()}
    if len(currencies) != 1:
        raise ValidationFailed("lines", f"listings are priced in {sorted(currencies)}; use one")
    for listing in listings.values():
        wanted = quantities[listing.public_id]
        if listing.stock_quantity < wanted:
            raise OutOfStock(sku=listing.sku, requested=wanted, available=listing.stock_quantity)
    return currencies.pop()


def _build_order(
    *,
    actor: Actor,
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

    code = None
    if cart.discount_code:
        code = _apply_discount(
            actor=actor, code=cart.discount_code, buyer=buyer, currency=currency, parts=parts
        )
    # Tax is charged on the whole order; each seller's share follows what it sells and ships,
    # after any discount: a goodwill discount lowers the price the buyer pays, and so the amount
    # the tax (``cart.tax_amount``, worked out by the storefront on that price) is charged on.
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
        discount_amount=sum(p.seller_order.discount_amount for p in parts),
        discount_code=code,
        total_amount=sum(p.seller_order.total_amount for p in parts),
    )
    for part in parts:
        part.seller_order.created_at = order.created_at
    return order, parts


def _apply_discount(
    *, actor: Actor, code: str, buyer: Buyer, currency: str, parts: list[SellerOrderBundle]
) -> DiscountCode:
    """Redeem the buyer's code on these items and take each seller's share off its seller order.

    ``discount_code_redeem`` checks the code and marks it used (the unit of work above makes that
    undone if the order is not placed); its shares sum to the discount and none is above the
    seller's items, so the seller orders and the order add up exactly.
    """
    redemption = discount_code_redeem(
        actor=actor,
        code=code,
        buyer=buyer,
        currency=currency,
        subtotals={p.seller_order.seller_id: p.seller_order.subtotal_amount for p in parts},
    )
    for part in parts:
        share = redemption.by_seller.get(part.seller_order.seller_id, 0)
        part.seller_order.discount_amount = share
        part.seller_order.total_amount -= share
    return redemption.code
