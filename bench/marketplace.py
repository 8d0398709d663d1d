"""The generated marketplace's people and catalogue: sellers, their listings, and buyers.

Each builder returns the objects later phases need (to build carts and searches) together with
the table rows for COPY.
"""

from __future__ import annotations

import json
import random
import re
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from faker import Faker

from bench import vocabulary

Row = tuple[Any, ...]
CURRENCY = "USD"
HUGE_STOCK = 10_000_000  # the throughput phases must never run out
ADDRESS_POOL = 2_000  # distinct street addresses; buyers share them, as neighbours do

SELLER_COLUMNS: tuple[str, ...] = (
    "id", "created_at", "updated_at", "slug", "name", "email", "status", "commission_rate_bps",
)  # fmt: skip
LISTING_COLUMNS: tuple[str, ...] = (
    "id", "created_at", "updated_at", "public_id", "seller_id", "sku", "title",
    "unit_price_amount", "currency", "stock_quantity", "is_active",
)  # fmt: skip
BUYER_COLUMNS: tuple[str, ...] = (
    "id", "created_at", "updated_at", "public_id", "name", "email", "phone",
)  # fmt: skip


@dataclass(frozen=True)
class Volume:
    orders: int = 100_000
    sellers: int = 50
    listings: int = 2_000
    buyers: int = 20_000
    days: int = 180


@dataclass(frozen=True)
class Seller:
    id: int
    slug: str
    commission_rate_bps: int | None  # None: the marketplace default applies


@dataclass(frozen=True)
class Listing:
    id: int
    public_id: uuid.UUID
    seller: Seller
    sku: str
    title: str
    unit_price_amount: int


@dataclass(frozen=True)
class Buyer:
    id: int
    name: str
    email: str
    phone: str
    address: str  # the shipping address as JSON, snapshotted onto each of the buyer's orders


@dataclass
class Marketplace:
    """What the generator wrote, for the phases that build carts and searches on top of it."""

    sellers: list[Seller]
    listings: list[Listing]
    buyers: list[Buyer]
    orders: int = 0
    seconds: float = 0.0
    rows: Counter[str] = field(default_factory=Counter)  # rows written, by table

    def common_surname(self) -> str:
        surnames = Counter(buyer.name.rsplit(" ", 1)[-1] for buyer in self.buyers)
        return surnames.most_common(1)[0][0]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def random_uuid(rng: random.Random) -> uuid.UUID:
    """A version-4 UUID from the seeded generator, so a seed always gives the same data."""
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _days_ago(rng: random.Random, now: datetime, low: float, high: float) -> datetime:
    return now - timedelta(days=rng.uniform(low, high))


def sellers(
    rng: random.Random, faker: Faker, volume: Volume, now: datetime
) -> tuple[list[Seller], list[Row]]:
    result, rows = [], []
    for seller_id in range(1, volume.sellers + 1):
        name = faker.company()
        seller = Seller(
            id=seller_id,
            slug=f"{slug(name)[:50]}-{seller_id}",
            commission_rate_bps=rng.choice((None, None, 800, 1_200, 1_500)),
        )
        created = _days_ago(rng, now, 400, 900)
        result.append(seller)
        rows.append(
            (
                seller.id,
                created,
                created,
                seller.slug,
                name,
                f"orders+{seller.slug}@example.com",
                "active",
                seller.commission_rate_bps,
            )
        )
    return result, rows


def listings(
    rng: random.Random, sellers: list[Seller], volume: Volume, now: datetime
) -> tuple[list[Listing], list[Row]]:
    """The same number of listings per seller, each seller in one category and price range."""
    result: list[Listing] = []
    rows: list[Row] = []
    categories = list(vocabulary.CATEGORIES.values())
    for seller in sellers:
        products, low, high = categories[seller.id % len(categories)]
        for position in range(1, max(volume.listings // len(sellers), 1) + 1):
            product = rng.choice(products)
            listing = Listing(
                id=len(result) + 1,
                public_id=random_uuid(rng),
                seller=seller,
                sku=f"S{seller.id:02d}-{slug(product)[:3].upper()}-{position:03d}",
                title=f"{product}, {rng.choice(vocabulary.VARIANTS)}",
                # Whole dollars, or a cent under: $25.00, $24.99.
                unit_price_amount=rng.randint(low // 100, high // 100) * 100 - rng.choice((0, 1)),
            )
            created = _days_ago(rng, now, volume.days, 800)
            result.append(listing)
            rows.append(
                (
                    listing.id,
                    created,
                    created,
                    listing.public_id,
                    seller.id,
                    listing.sku,
                    listing.title,
                    listing.unit_price_amount,
                    CURRENCY,
                    HUGE_STOCK,
                    True,
                )
            )
    return result, rows


def buyers(
    rng: random.Random, faker: Faker, volume: Volume, now: datetime
) -> tuple[list[Buyer], list[Row]]:
    firsts = rng.choices(vocabulary.FIRST_NAMES, vocabulary.FIRST_NAME_WEIGHTS, k=volume.buyers)
    lasts = rng.choices(vocabulary.LAST_NAMES, vocabulary.LAST_NAME_WEIGHTS, k=volume.buyers)
    places = [
        (faker.street_address(), faker.city(), faker.state_abbr(), faker.postcode())
        for _ in range(min(volume.buyers, ADDRESS_POOL))
    ]
    result, rows = [], []
    for buyer_id, (first, last) in enumerate(zip(firsts, lasts, strict=True), start=1):
        name = f"{first} {last}"
        mailbox = re.sub(r"[^a-z0-9.]", "", f"{first}.{last}".lower())
        email = f"{mailbox}{buyer_id}@{rng.choice(vocabulary.EMAIL_DOMAINS)}"
        phone = f"+1-{rng.randint(201, 989)}-555-01{rng.randint(0, 99):02d}"  # fictional numbers
        street, city, region, postal_code = rng.choice(places)
        address = {
            "name": name,
            "line1": street,
            "line2": "",
            "city": city,
            "region": region,
            "postal_code": postal_code,
            "country": "US",
            "phone": phone,
        }
        result.append(Buyer(buyer_id, name, email, phone, json.dumps(address)))
        created = _days_ago(rng, now, volume.days, 900)
        rows.append((buyer_id, created, created, random_uuid(rng), name, email, phone))
    return result, rows
