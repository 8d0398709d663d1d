"""Carts like real ones: three lines from two sellers, mostly one unit each, shipping per seller.

The API load and the raw-SQL baseline place the same carts, so their figures compare like with like.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from bench.marketplace import Listing, Marketplace, Seller

SHIPPING_AMOUNTS = (499, 599)  # the first seller's, the second's
SHIPPING_ADDRESS = {
    "name": "Bench Buyer",
    "line1": "1 Load Test Way",
    "city": "Springfield",
    "region": "IL",
    "postal_code": "62701",
    "country": "US",
}
QUANTITIES = (1, 1, 2)


@dataclass(frozen=True)
class Cart:
    lines: list[tuple[Listing, int]]  # two listings of one seller, then one of another
    shipping: dict[Seller, int]


def build_carts(marketplace: Marketplace, *, count: int, seed: int = 7) -> list[Cart]:
    rng = random.Random(seed)
    listings_of: dict[Seller, list[Listing]] = {}
    for listing in marketplace.listings:
        listings_of.setdefault(listing.seller, []).append(listing)
    sellers = sorted(
        (seller for seller, listings in listings_of.items() if len(listings) >= 2),
        key=lambda seller: seller.id,
    )
    result = []
    for _ in range(count):
        first, second = rng.sample(sellers, 2)
        chosen = [*rng.sample(listings_of[first], 2), rng.choice(listings_of[second])]
        result.append(
            Cart(
                lines=[(listing, rng.choice(QUANTITIES)) for listing in chosen],
                shipping=dict(zip((first, second), SHIPPING_AMOUNTS, strict=True)),
            )
        )
    return result
