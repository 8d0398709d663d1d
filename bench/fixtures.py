"""The bench's own users, API keys and hot listings, made through the product's services.

The generator writes history with COPY; whoever calls the API is made the way the product makes
them, so keys hash and roles resolve exactly as they do for real integrators.
Needs ``bench.django_env.configure`` first.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User

from tradepost.accounts import services as accounts
from tradepost.accounts.selectors import actor_for_user
from tradepost.catalog import services as catalog
from tradepost.core.actors import SYSTEM

KEY_NAME = "bench"


@dataclass(frozen=True)
class Credentials:
    owner_key: str
    buyer_keys: list[str]  # one buyer per concurrent client, as real carts come from many people


@dataclass(frozen=True)
class HotListing:
    public_id: str
    sku: str


def _key_for(user: User) -> str:
    actor = actor_for_user(user)
    if actor is None:
        raise RuntimeError(f"{user} has no role")
    return accounts.api_key_create(actor=actor, name=KEY_NAME).token


def create_credentials(*, buyers: int) -> Credentials:
    owner = accounts.user_create(
        username="bench-owner", email="owner@bench.example.com", password=None, is_staff=True
    )
    buyer_keys = []
    for number in range(1, buyers + 1):
        email = f"bench.buyer{number}@bench.example.com"
        user = accounts.user_create(
            username=f"bench-buyer-{number}",
            email=email,
            password=None,
            first_name="Bench",
            last_name=f"Buyer {number}",
        )
        accounts.buyer_create(name=f"Bench Buyer {number}", email=email, user=user)
        buyer_keys.append(_key_for(user))
    return Credentials(owner_key=_key_for(owner), buyer_keys=buyer_keys)


def create_hot_listings(*, seller_slugs: list[str], stock: int) -> list[HotListing]:
    """One hot listing per seller slug given, each with ``stock`` units."""
    listings = []
    for position, slug in enumerate(seller_slugs, start=1):
        listing = catalog.listing_create(
            actor=SYSTEM,
            seller_slug=slug,
            sku=f"HOT-{position}",
            title=f"Limited drop #{position}",
            unit_price_amount=4_900,
            stock_quantity=stock,
        )
        listings.append(HotListing(str(listing.public_id), listing.sku))
    return listings
