"""Test data built through the same services the product uses, never by writing models."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth.models import User
from django.test import Client

from tradepost.accounts import services as accounts
from tradepost.accounts.models import Buyer
from tradepost.accounts.selectors import actor_for_user
from tradepost.catalog import services as catalog
from tradepost.catalog.models import Listing, Seller
from tradepost.core.actors import SYSTEM, Actor
from tradepost.orders.checkout import Cart, CartLine, order_create
from tradepost.orders.selectors import OrderBundle
from tradepost.payments.services import PaymentReport, payment_record

ADDRESS = {
    "name": "John Doe",
    "line1": "1 Main St",
    "city": "Springfield",
    "postal_code": "12345",
    "country": "US",
}
_unique = itertools.count(1)


@dataclass
class Party:
    user: User
    actor: Actor
    key: str


@dataclass
class World:
    owner: Party
    sellers: dict[str, Seller]
    members: dict[str, Party]
    buyers: dict[str, Party]
    buyer_profiles: dict[str, Buyer]
    listings: dict[str, Listing] = field(default_factory=dict)


def _party(username: str, *, is_staff: bool = False) -> tuple[User, str]:
    user = accounts.user_create(
        username=f"{username}{next(_unique)}",
        email=f"{username}@example.com",
        password="pw",
        is_staff=is_staff,
    )
    return user, username


def _with_key(user: User) -> Party:
    actor = actor_for_user(user)
    assert actor is not None
    return Party(user, actor, accounts.api_key_create(actor=actor, name="test").token)


def build_world() -> World:
    """Owner; sellers acme (10 % default) and bolt (5 %); buyers john and jane; five listings."""
    owner_user, _ = _party("owner", is_staff=True)
    sellers = {
        "acme": catalog.seller_create(actor=SYSTEM, slug="acme", name="Acme", email="a@acme.test"),
        "bolt": catalog.seller_create(
            actor=SYSTEM, slug="bolt", name="Bolt", email="b@bolt.test", commission_rate_bps=500
        ),
    }
    members = {}
    for slug, seller in sellers.items():
        user, _ = _party(f"{slug}-member")
        accounts.seller_member_add(user=user, seller=seller)
        members[slug] = _with_key(user)
    buyers, profiles = {}, {}
    for name, full in (("john", "John Doe"), ("jane", "Jane Roe")):
        user, _ = _party(name)
        profiles[name] = accounts.buyer_create(name=full, email=f"{name}@buyers.test", user=user)
        buyers[name] = _with_key(user)
    world = World(_with_key(owner_user), sellers, members, buyers, profiles)
    for slug, sku, price, stock in (
        ("acme", "MUG", 1250, 50),
        ("acme", "BOWL", 3000, 50),
        ("acme", "RARE", 9900, 1),
        ("bolt", "TEE", 2000, 50),
        ("bolt", "CAP", 1500, 50),
    ):
        world.listings[sku] = catalog.listing_create(
            actor=SYSTEM,
            seller_slug=slug,
            sku=sku,
            title=f"{sku.title()} item",
            unit_price_amount=price,
            stock_quantity=stock,
        )
    return world


def place_order(
    world: World,
    lines: dict[str, int],
    *,
    buyer: str = "john",
    shipping: dict[str, int] | None = None,
    tax: int = 0,
    discount_code: str = "",
) -> OrderBundle:
    cart = Cart(
        lines=[CartLine(world.listings[sku].public_id, qty) for sku, qty in lines.items()],
        shipping_address=dict(ADDRESS),
        shipping_amounts=shipping or {},
        tax_amount=tax,
        discount_code=discount_code,
    )
    return order_create(
        actor=world.buyers[buyer].actor, cart=cart, buyer=world.buyer_profiles[buyer]
    )


def pay(world: World, bundle: OrderBundle, *, succeeded: bool = True) -> OrderBundle:
    order = bundle.order
    return payment_record(
        actor=world.owner.actor,
        number=order.number,
        report=PaymentReport(
            provider="manual",
            reference=f"ref-{order.number}-{next(_unique)}",
            amount=order.total_amount,
            succeeded=succeeded,
        ),
    )


def listing_id(world: World, sku: str) -> str:
    return str(world.listings[sku].public_id)


class ApiResponse:
    def __init__(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.status = status
        self.body = body
        self.headers = headers

    def json(self) -> Any:
        return json.loads(self.body)

    def __repr__(self) -> str:
        return f"<{self.status} {self.body[:300]!r}>"


class ApiClient:
    """Calls /api/v1 in-process with a bearer key, as an integrator would over HTTP."""

    def __init__(self) -> None:
        self.client = Client()

    def call(
        self,
        method: str,
        path: str,
        key: str | None,
        body: Any = None,
        idempotency_key: str | None = None,
        **params: Any,
    ) -> ApiResponse:
        headers: dict[str, str] = {}
        if key is not None:
            headers["Authorization"] = f"Bearer {key}"
        if idempotency_key is not None:
            headers["Idempotency-Key"] = idempotency_key
        url = "/api/v1" + path
        send = getattr(self.client, method.lower())
        if method.upper() == "GET":
            response = send(url, data=params, headers=headers)
        else:
            response = send(
                url,
                data=json.dumps(body if body is not None else {}),
                content_type="application/json",
                headers=headers,
            )
        return ApiResponse(response.status_code, response.content, dict(response.headers))

    def get(self, path: str, key: str | None, **params: Any) -> ApiResponse:
        return self.call("GET", path, key, **params)

    def post(self, path: str, key: str | None, body: Any = None, **kwargs: Any) -> ApiResponse:
        return self.call("POST", path, key, body, **kwargs)

    def patch(self, path: str, key: str | None, body: Any = None) -> ApiResponse:
        return self.call("PATCH", path, key, body)


def database_state() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every model, to prove a refused request changed nothing at all."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values_list())
        for model in apps.get_models()
    }
