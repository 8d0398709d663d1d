"""Writes for the marketplace settings, sellers and listings."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import models

from tradepost.catalog.handling_times import handling_times_check
from tradepost.catalog.models import Listing, Marketplace, Seller
from tradepost.catalog.selectors import listing_get, marketplace_get, seller_get
from tradepost.core.actors import Actor, Role
from tradepost.core.errors import PermissionDenied, ValidationFailed
from tradepost.core.transactions import unit_of_work


def _require_owner(actor: Actor, what: str) -> None:
    if actor.role not in (Role.OWNER, Role.SYSTEM):
        raise PermissionDenied(f"Only the marketplace owner may {what}.")


def _apply(instance: models.Model, changes: dict[str, Any]) -> list[str]:
    """Set fields and run the model's own validators, naming the first field at fault."""
    for name, value in changes.items():
        setattr(instance, name, value)
    try:
        instance.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ValidationFailed(field, messages[0]) from exc
    return list(changes)


def marketplace_update(*, actor: Actor, **changes: Any) -> Marketplace:
    _require_owner(actor, "change marketplace settings")
    with unit_of_work():
        marketplace = marketplace_get()
        fields = _apply(marketplace, changes)
        marketplace.save(update_fields=[*fields, "updated_at"])
    return marketplace


def seller_create(
    *,
    actor: Actor,
    slug: str,
    name: str,
    email: str,
    commission_rate_bps: int | None = None,
    ship_within_days: int | None = None,
    ship_within_min_days: int | None = None,
    acknowledgement_sla_hours: int | None = None,
) -> Seller:
    _require_owner(actor, "add sellers")
    with unit_of_work():
        if Seller.objects.filter(slug=slug).exists():
            raise ValidationFailed("slug", f"{slug!r} is taken")
        seller = Seller(slug=slug)
        _apply(
            seller,
            {
                "name": name,
                "email": email,
                "commission_rate_bps": commission_rate_bps,
                "ship_within_days": ship_within_days,
                "ship_within_min_days": ship_within_min_days,
                "acknowledgement_sla_hours": acknowledgement_sla_hours,
            },
        )
        handling_times_check(seller, marketplace_get())
        seller.save(force_insert=True)
    return seller


def seller_update(*, actor: Actor, slug: str, **changes: Any) -> Seller:
    with unit_of_work():
        seller = seller_get(actor=actor, slug=slug)  # 404 first: others' sellers do not exist
        _require_owner(actor, "change sellers")
        fields = _apply(seller, changes)
        handling_times_check(seller, marketplace_get())
        seller.save(update_fields=[*fields, "updated_at"])
    return seller


def listing_create(
    *,
    actor: Actor,
    sku: str,
    title: str,
    unit_price_amount: int,
    stock_quantity: int,
    currency: str | None = None,
    seller_slug: str | None = None,
) -> Listing:
    """Sellers add their own listings; the owner adds one for a seller it names."""
    with unit_of_work():
        seller = _listing_seller(actor, seller_slug)
        if Listing.objects.filter(seller=seller, sku=sku).exists():
            raise ValidationFailed("sku", f"{seller.slug} already has a listing {sku!r}")
        listing = Listing(seller=seller)
        _apply(
            listing,
            {
                "sku": sku,
                "title": title,
                "unit_price_amount": unit_price_amount,
                "stock_quantity": stock_quantity,
                "currency": currency or marketplace_get().default_currency,
            },
        )
        listing.save(force_insert=True)
    return listing


def listing_update(*, actor: Actor, listing_id: UUID, **changes: Any) -> Listing:
    """Change title, price, stock or availability. Orders already placed keep their snapshot."""
    with unit_of_work():
        listing = listing_get(actor=actor, listing_id=listing_id)  # 404 before 403
        if actor.role is Role.BUYER:
            raise PermissionDenied("Buyers do not manage listings.")
        listing = (
            Listing.objects.select_for_update(no_key=True)
            .select_related("seller")
            .get(pk=listing.pk)
        )
        fields = _apply(listing, changes)
        listing.save(update_fields=[*fields, "updated_at"])
    return listing


def _listing_seller(actor: Actor, seller_slug: str | None) -> Seller:
    if actor.role is Role.SELLER:
        if seller_slug:
            seller = seller_get(actor=actor, slug=seller_slug)  # 404 unless it is their own
            return seller
        return Seller.objects.get(pk=actor.seller_pk)
    if actor.role in (Role.OWNER, Role.SYSTEM):
        if not seller_slug:
            raise ValidationFailed("seller", "is required when the owner adds a listing")
        return seller_get(actor=actor, slug=seller_slug)
    raise PermissionDenied("Buyers do not manage listings.")
