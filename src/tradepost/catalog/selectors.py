"""Reads of the catalog, scoped to the actor."""

from __future__ import annotations

from uuid import UUID

from django.db.models import Q, QuerySet

from tradepost.catalog.models import Listing, Marketplace, Seller
from tradepost.catalog.status import SellerStatus
from tradepost.core.actors import Actor, Role
from tradepost.core.errors import NotFound

MARKETPLACE_ID = 1


def marketplace_get() -> Marketplace:
    """The marketplace's settings row; created with defaults on first use."""
    marketplace, _ = Marketplace.objects.get_or_create(pk=MARKETPLACE_ID)
    return marketplace


def sellers_visible_to(actor: Actor) -> QuerySet[Seller]:
    sellers = Seller.objects.all()
    if actor.role is Role.SELLER:
        return sellers.filter(pk=actor.seller_pk)
    if actor.role is Role.BUYER:
        return sellers.filter(status=SellerStatus.ACTIVE)
    return sellers


def seller_choices(*, actor: Actor) -> list[tuple[str, str]]:
    """(slug, name) of the sellers the actor may filter by, by name, for a select box."""
    return list(sellers_visible_to(actor).order_by("name").values_list("slug", "name"))


def seller_get(*, actor: Actor, slug: str) -> Seller:
    seller = sellers_visible_to(actor).filter(slug=slug).first()
    if seller is None:
        raise NotFound(f"No seller {slug}.")
    return seller


def listings_visible_to(actor: Actor) -> QuerySet[Listing]:
    """Buyers see what is on sale; sellers their own listings; the owner everything."""
    listings = Listing.objects.select_related("seller")
    if actor.role is Role.SELLER:
        return listings.filter(seller_id=actor.seller_pk)
    if actor.role is Role.BUYER:
        return listings.filter(is_active=True, seller__status=SellerStatus.ACTIVE)
    return listings


def listing_search(*, actor: Actor, seller: str = "", q: str = "") -> QuerySet[Listing]:
    listings = listings_visible_to(actor)
    if seller:
        listings = listings.filter(seller__slug=seller)
    if q:
        listings = listings.filter(Q(title__icontains=q) | Q(sku__icontains=q))
    return listings


def listing_get(*, actor: Actor, listing_id: UUID) -> Listing:
    listing = listings_visible_to(actor).filter(public_id=listing_id).first()
    if listing is None:
        raise NotFound(f"No listing {listing_id}.")
    return listing
