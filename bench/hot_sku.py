"""The flash sale: every client buys the same few SKUs until none is left.

This is where overselling, deadlocks and lock timeouts would show. Each client shops like a
storefront that hides sold-out items: it buys one unit of each SKU in a random non-empty subset
of those not yet seen sold out, so a 409 always means "none left" for the SKU it names. Afterwards
the database must agree with the clients to the unit: stock exactly 0, and the units in order
lines equal to the stock that was there and to what the 201 responses confirmed.
Needs ``bench.django_env.configure`` first.
"""

from __future__ import annotations

import json
import random
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
from django.db import connection
from django.db.models import Sum

from bench.carts import SHIPPING_ADDRESS
from bench.fixtures import HotListing
from bench.load import Run, Sample, drive, post_order
from tradepost.catalog.models import Listing
from tradepost.orders.models import OrderLine

MAX_SECONDS = 60.0  # far more than selling out takes; a bound, not a duration
SEED = 3


@dataclass
class Outcome:
    run: Run
    stock: int  # units per SKU at the start
    out_of_stock: int  # 409s that said out_of_stock (a 409 for any other reason is "other")
    confirmed: Counter[str]  # units per SKU in 201 responses
    in_order_lines: dict[str, int] = field(default_factory=dict)
    stock_left: dict[str, int] = field(default_factory=dict)
    stock_check_enforced: bool = False

    @property
    def created(self) -> int:
        return self.run.count(201)

    @property
    def other(self) -> dict[int, int]:
        """Every answer that was neither a 201 nor a 409 out_of_stock, by status."""
        counts = self.run.statuses()
        counts.pop(201, None)
        counts[409] = counts.get(409, 0) - self.out_of_stock
        return {status: count for status, count in counts.items() if count}

    def figures(self) -> dict[str, Any]:
        return {
            "clients": self.run.clients,
            "seconds": round(self.run.seconds, 2),
            "stock": self.stock,
            "created": self.created,
            "out_of_stock": self.out_of_stock,
            "other": {str(status): count for status, count in self.other.items()},
            "stock_left": self.stock_left,
            "in_order_lines": self.in_order_lines,
            "confirmed": dict(self.confirmed),
        }

    @property
    def consistent(self) -> bool:
        skus = set(self.stock_left)
        return (
            not self.other
            and self.stock_check_enforced
            and all(self.stock_left[sku] == 0 for sku in skus)
            and all(self.in_order_lines.get(sku, 0) == self.stock for sku in skus)
            and all(self.confirmed[sku] == self.stock for sku in skus)
        )


class _Storefront:
    """What the clients share: which SKUs are sold out, and the units sold to them."""

    def __init__(self, listings: Sequence[HotListing]) -> None:
        self.listings = list(listings)
        self.sold_out: set[str] = set()
        self.confirmed: Counter[str] = Counter()
        self.out_of_stock = 0
        self.lock = threading.Lock()

    def cart(self, rng: random.Random) -> bytes | None:
        with self.lock:
            on_sale = [item for item in self.listings if item.sku not in self.sold_out]
        if not on_sale:
            return None
        chosen = rng.sample(on_sale, rng.randint(1, len(on_sale)))
        return json.dumps(
            {
                "lines": [{"listing_id": item.public_id, "quantity": 1} for item in chosen],
                "shipping_address": SHIPPING_ADDRESS,
            }
        ).encode()

    def record(self, response: httpx.Response) -> None:
        if response.status_code == 201:
            units = Counter(
                line["sku"]
                for seller_order in response.json()["seller_orders"]
                for line in seller_order["lines"]
            )
            with self.lock:
                self.confirmed.update(units)
        elif response.status_code == 409:
            problem = response.json()
            if problem.get("code") == "out_of_stock":
                with self.lock:
                    self.sold_out.add(problem["sku"])
                    self.out_of_stock += 1


def flash_sale(
    *, base_url: str, keys: Sequence[str], listings: Sequence[HotListing], stock: int
) -> Outcome:
    storefront = _Storefront(listings)
    rng = random.Random(SEED)  # shared by the clients; interleaved draws are as random

    def step(client: httpx.Client) -> Sample | None:
        body = storefront.cart(rng)
        if body is None:
            return None
        sample, response = post_order(client, body)
        if response is not None:
            storefront.record(response)
        return sample

    run = drive(base_url=base_url, keys=keys, seconds=MAX_SECONDS, step=step)
    outcome = Outcome(
        run=run, stock=stock, out_of_stock=storefront.out_of_stock, confirmed=storefront.confirmed
    )
    _check_database(outcome, [item.public_id for item in listings])
    return outcome


def _check_database(outcome: Outcome, public_ids: list[str]) -> None:
    hot = Listing.objects.filter(public_id__in=public_ids)
    outcome.stock_left = dict(hot.values_list("sku", "stock_quantity"))
    outcome.in_order_lines = {
        row["sku"]: row["units"]
        for row in OrderLine.objects.filter(listing__in=hot)
        .values("sku")
        .annotate(units=Sum("quantity"))
    }
    with connection.cursor() as cursor:
        # Stock can never have been negative if the database itself refuses negative stock.
        cursor.execute(
            "SELECT convalidated FROM pg_constraint WHERE conname = 'listing_stock_not_negative'"
        )
        row = cursor.fetchone()
    outcome.stock_check_enforced = bool(row and row[0])
