"""A marketplace's busy hour through the API: many clients at once, each walking its own orders
through checkout, payment, every fulfilment step, cancellations, refunds and messages, while the
owner pays sellers out and people load dashboard pages. Used by tests/test_mixed_workload.py.

Each client keeps a tally of what it got back, by action and status; a 5xx is a bug whatever the
action, while a 409 or 422 is the API refusing a step that another client's step made stale.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.test import Client

from tests.builders import ADDRESS, World, listing_id

# Two sellers' listings, the first two of each hot: many orders share them.
CARTS = (
    {"MUG": 1},
    {"MUG": 1, "TEE": 1},
    {"BOWL": 2, "CAP": 1},
    {"TEE": 1, "MUG": 2, "BOWL": 1},
    {"CAP": 1},
)


@dataclass
class Tally:
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    orders: int = 0

    def server_errors(self) -> dict[tuple[str, int], int]:
        return {key: count for key, count in self.statuses.items() if key[1] >= 500}


class Shopper:
    """One client: a buyer's orders taken to the end by the owner and the sellers' people."""

    def __init__(self, world: World, seed: int) -> None:
        self.world = world
        self.random = random.Random(seed)
        self.buyer = world.buyers["john" if seed % 2 else "jane"]
        self.client = Client(raise_request_exception=False)
        self.pages: dict[str, Client] = {}
        self.tally = Tally()

    def run(self, rounds: int) -> Tally:
        for _ in range(rounds):
            self.one_order()
        return self.tally

    def one_order(self) -> None:
        cart = self.random.choice(CARTS)
        lines = [
            {"listing_id": listing_id(self.world, sku), "quantity": q} for sku, q in cart.items()
        ]
        placed = self.call(
            "checkout",
            "POST",
            "/orders",
            self.buyer.key,
            {"lines": lines, "shipping_address": ADDRESS},
        )
        if placed is None:
            return
        self.tally.orders += 1
        number = placed["number"]
        payment = {
            "reference": f"pay-{number}",
            "amount": placed["total_amount"],
            "status": "succeeded",
        }
        if (
            self.call("pay", "POST", f"/orders/{number}/payments", self.world.owner.key, payment)
            is None
        ):
            return
        for part in placed["seller_orders"]:
            self.walk(part["reference"], part["seller"]["slug"])
        if self.random.random() < 0.2:
            self.call("payout", "POST", "/payouts", self.world.owner.key, {})
        if self.random.random() < 0.3:
            self.page(self.random.choice(["owner", "acme", "bolt"]))

    def walk(self, reference: str, seller: str) -> None:
        """One seller's part, by a path drawn for it: most reach completion, some are canceled,
        refunded or talked about on the way."""
        member = self.world.members[seller].key
        path = f"/seller-orders/{reference}"
        if self.random.random() < 0.15:
            self.call("cancel", "POST", f"{path}/cancel", member, {"reason": "Out of stock"})
            return
        self.call("acknowledge", "POST", f"{path}/acknowledge", member, {})
        if self.random.random() < 0.3:
            self.call("message", "POST", f"{path}/messages", self.buyer.key, {"body": "When?"})
        parcel = {"carrier": "UPS", "tracking_number": f"1Z{reference}"}
        self.call("ship", "POST", f"{path}/ship", member, parcel)
        self.call("deliver", "POST", f"{path}/deliver", member, {})
        if self.random.random() < 0.25:
            refund = {"reason": "damaged", "amount": 100}
            self.call("refund", "POST", f"{path}/refunds", self.world.owner.key, refund)
        self.call("complete", "POST", f"{path}/complete", self.buyer.key, {})

    def page(self, who: str) -> None:
        party = self.world.owner if who == "owner" else self.world.members[who]
        client = self.pages.get(who)
        if client is None:
            client = self.pages[who] = Client(raise_request_exception=False)
            client.force_login(party.user)
        response = client.get("/dashboard/orders/")
        self.tally.statuses[("dashboard", response.status_code)] += 1

    def call(
        self, action: str, method: str, path: str, key: str, body: Any
    ) -> dict[str, Any] | None:
        response = self.client.generic(
            method,
            "/api/v1" + path,
            data=json.dumps(body),
            content_type="application/json",
            headers={"Authorization": f"Bearer {key}"},
        )
        self.tally.statuses[(action, response.status_code)] += 1
        return response.json() if response.status_code < 300 else None
