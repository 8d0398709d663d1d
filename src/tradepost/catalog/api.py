"""Catalog API: marketplace settings, sellers (owner manages) and listings (sellers manage)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from tradepost.accounts.auth import request_actor
from tradepost.catalog import selectors, services
from tradepost.catalog.models import Listing, Marketplace, Seller
from tradepost.catalog.representation import seller_data
from tradepost.catalog.schemas import (
    ListingCreateIn,
    ListingOut,
    ListingPageOut,
    ListingUpdateIn,
    MarketplaceOut,
    MarketplaceUpdateIn,
    SellerCreateIn,
    SellerOut,
    SellerUpdateIn,
)
from tradepost.core.actors import Actor
from tradepost.core.pagination import paginate
from tradepost.core.schemas import READ_ERRORS, WRITE_ERRORS
from tradepost.reviews.representation import rating_data
from tradepost.reviews.selectors import seller_rating, sellers_with_rating

router = Router(tags=["catalog"])


class ListingQuery(Schema):
    seller: str = Field("", max_length=60)
    q: str = Field("", max_length=200, description="SKU or title contains.")
    limit: int = Field(50, ge=1, le=100)
    cursor: str | None = None


def _seller_out(seller: Seller, actor: Actor, marketplace: Marketplace) -> dict[str, Any]:
    return seller_data(seller, actor, marketplace) | {"rating": rating_data(seller_rating(seller))}


@router.get("/marketplace", response={200: MarketplaceOut, **READ_ERRORS})
def get_marketplace(request: HttpRequest) -> Marketplace:
    request_actor(request)
    return selectors.marketplace_get()


@router.patch("/marketplace", response={200: MarketplaceOut, **WRITE_ERRORS})
def update_marketplace(request: HttpRequest, payload: MarketplaceUpdateIn) -> Marketplace:
    """Owner: change order policies (commission, SLA, ship-within, auto-complete, tracking,
    the delivery estimate buyers are told)."""
    changes = payload.model_dump(exclude_unset=True, exclude_none=True)
    if "auto_cancel_unacknowledged_days" in payload.model_fields_set:
        # Null is a value here: it turns auto-cancel off.
        changes["auto_cancel_unacknowledged_days"] = payload.auto_cancel_unacknowledged_days
    return services.marketplace_update(actor=request_actor(request), **changes)


@router.get("/sellers", response={200: list[SellerOut], **READ_ERRORS})
def list_sellers(request: HttpRequest) -> list[dict[str, Any]]:
    """Sellers you may see, by name, each with its rating (one query for the whole list)."""
    actor = request_actor(request)
    sellers = sellers_with_rating(selectors.sellers_visible_to(actor).order_by("name"))
    marketplace = selectors.marketplace_get()
    return [_seller_out(seller, actor, marketplace) for seller in sellers]


@router.post("/sellers", response={201: SellerOut, **WRITE_ERRORS})
def create_seller(request: HttpRequest, payload: SellerCreateIn) -> tuple[int, dict[str, Any]]:
    """Owner: add a seller."""
    actor = request_actor(request)
    seller = services.seller_create(actor=actor, **payload.model_dump())
    return 201, _seller_out(seller, actor, selectors.marketplace_get())


@router.get("/sellers/{slug}", response={200: SellerOut, **READ_ERRORS})
def get_seller(request: HttpRequest, slug: str) -> dict[str, Any]:
    actor = request_actor(request)
    seller = selectors.seller_get(actor=actor, slug=slug)
    return _seller_out(seller, actor, selectors.marketplace_get())


@router.patch("/sellers/{slug}", response={200: SellerOut, **WRITE_ERRORS})
def update_seller(request: HttpRequest, slug: str, payload: SellerUpdateIn) -> dict[str, Any]:
    """Owner: rename, suspend or reactivate a seller, or set its commission or handling-time
    overrides (acknowledgement hours, ships within N or N-M days)."""
    actor = request_actor(request)
    changes = payload.model_dump(exclude_unset=True)
    seller = services.seller_update(actor=actor, slug=slug, **changes)
    return _seller_out(seller, actor, selectors.marketplace_get())


@router.get("/listings", response={200: ListingPageOut, **READ_ERRORS})
def list_listings(request: HttpRequest, query: Query[ListingQuery]) -> dict[str, object]:
    listings = selectors.listing_search(
        actor=request_actor(request), seller=query.seller, q=query.q
    )
    page = paginate(listings, sort="created_at", limit=query.limit, cursor=query.cursor)
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.post("/listings", response={201: ListingOut, **WRITE_ERRORS})
def create_listing(request: HttpRequest, payload: ListingCreateIn) -> tuple[int, Listing]:
    """Seller (own) or owner (naming the seller): add a listing with its stock."""
    data = payload.model_dump()
    seller_slug = data.pop("seller")
    return 201, services.listing_create(
        actor=request_actor(request), seller_slug=seller_slug, **data
    )


@router.get("/listings/{listing_id}", response={200: ListingOut, **READ_ERRORS})
def get_listing(request: HttpRequest, listing_id: UUID) -> Listing:
    return selectors.listing_get(actor=request_actor(request), listing_id=listing_id)


@router.patch("/listings/{listing_id}", response={200: ListingOut, **WRITE_ERRORS})
def update_listing(request: HttpRequest, listing_id: UUID, payload: ListingUpdateIn) -> Listing:
    """Seller (own) or owner: change title, price, stock or whether it is for sale."""
    changes = payload.model_dump(exclude_unset=True, exclude_none=True)
    return services.listing_update(actor=request_actor(request), listing_id=listing_id, **changes)
