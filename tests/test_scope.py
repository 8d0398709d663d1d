"""Tenant scope on every endpoint: what is outside your scope does not exist for you.

DESIGN.md: the owner sees everything, a seller member only its own seller's part of each order,
a buyer only their own orders; an object outside your scope answers 404, never 403, so its
existence does not leak. The tests walk every endpoint of the OpenAPI document with every role
against another tenant's objects, and fail when an endpoint has no case here, so a new endpoint
cannot ship without one.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps

from tests.builders import ADDRESS, ApiClient, Party, World, build_world, pay, place_order
from tradepost.accounts.selectors import api_key_lookup
from tradepost.api import api as tradepost_api
from tradepost.catalog import services as catalog
from tradepost.catalog.models import Listing
from tradepost.catalog.status import SellerStatus
from tradepost.core.actors import SYSTEM
from tradepost.orders import services
from tradepost.orders.selectors import OrderBundle
from tradepost.orders.status import derive_order_status

pytestmark = pytest.mark.django_db

API_PREFIX = "/api/v1"
PATH_PARAMETER = re.compile(r"{(\w+)}")

# Every endpoint a scope case covers, as "METHOD /path"; filled in as the module is read.
COVERED: set[str] = set()


def covers(*endpoints: str):
    """Record which endpoints a test checks, for the test that no endpoint goes unchecked."""
    COVERED.update(endpoints)
    return lambda test: test


def api_endpoints() -> set[str]:
    """Every operation in the OpenAPI document, as "METHOD /path" without the /api/v1 prefix."""
    paths = tradepost_api.get_openapi_schema()["paths"]
    return {
        f"{method.upper()} {path.removeprefix(API_PREFIX)}"
        for path, operations in paths.items()
        for method in operations
    }


def database_state() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every model, to prove a refused request changed nothing at all."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values_list())
        for model in apps.get_models()
    }


@dataclass
class Tenancy:
    """Two sellers and two buyers trading, plus what a buyer's storefront must hide.

    Jane buys from bolt only, one order in each status an action starts from, so every action the
    owner takes on them succeeds; john's ``mixed`` order has a part from each seller.
    """

    world: World
    jane_orders: dict[str, OrderBundle]
    john_acme: OrderBundle
    jane_acme: OrderBundle
    mixed: OrderBundle
    suspended_listing: Listing
    retired_listing: Listing

    @property
    def acme(self) -> Party:
        return self.world.members["acme"]

    @property
    def john(self) -> Party:
        return self.world.buyers["john"]

    def caller(self, role: str) -> Party:
        return {"owner": self.world.owner, "seller": self.acme, "buyer": self.john}[role]

    def reference(self, bundle: OrderBundle, seller: str) -> str:
        return next(
            part.seller_order.reference
            for part in bundle.seller_orders
            if part.seller_order.seller.slug == seller
        )

    def key_id(self, party: Party) -> int:
        api_key = api_key_lookup(party.key)
        assert api_key is not None
        return api_key.pk

    def out_of_scope(self, role: str, parameter: str, state: str) -> list[Any]:
        """Objects of another tenant that must not exist for the seller acme or the buyer john."""
        jane_order = self.jane_orders[state]
        by_parameter: dict[str, list[Any]] = {
            "number": [jane_order.order.number],
            "reference": [self.reference(jane_order, "bolt")],
            "key_id": [self.key_id(self.world.buyers["jane"])],
        }
        if role == "seller":
            by_parameter["reference"].append(self.reference(self.mixed, "bolt"))
            by_parameter["slug"] = ["bolt"]
            by_parameter["listing_id"] = [self.world.listings["TEE"].public_id]
            by_parameter["key_id"] = [self.key_id(self.world.members["bolt"])]
        else:
            by_parameter["slug"] = ["shut"]
            by_parameter["listing_id"] = [
                self.suspended_listing.public_id,
                self.retired_listing.public_id,
            ]
        return by_parameter[parameter]

    def owner_target(self, parameter: str, state: str) -> Any:
        """The same kind of object, which the owner sees and may act on."""
        jane_order = self.jane_orders[state]
        return {
            "number": jane_order.order.number,
            "reference": self.reference(jane_order, "bolt"),
            "slug": "bolt",
            "listing_id": self.world.listings["TEE"].public_id,
            "key_id": self.key_id(self.world.buyers["jane"]),
        }[parameter]


JANE_STATES = ("awaiting_payment", "failed", "pending", "processing", "shipped")


def _jane_orders_in_each_status(world: World) -> dict[str, OrderBundle]:
    """One order of a TEE from bolt per status an action starts from."""
    bolt = world.members["bolt"].actor
    orders = {state: place_order(world, {"TEE": 1}, buyer="jane") for state in JANE_STATES}
    references = {
        state: order.seller_orders[0].seller_order.reference for state, order in orders.items()
    }
    pay(world, orders["failed"], succeeded=False)
    for state in ("pending", "processing", "shipped"):
        pay(world, orders[state])
    for state in ("processing", "shipped"):
        services.seller_order_acknowledge(actor=bolt, reference=references[state])
    services.shipment_create(
        actor=bolt,
        reference=references["shipped"],
        parcel=services.Parcel(carrier="UPS", tracking_number="1Z999"),
    )
    return orders


@pytest.fixture
def tenants(db: None) -> Tenancy:
    world = build_world()
    catalog.seller_create(actor=SYSTEM, slug="shut", name="Shut", email="s@shut.test")
    suspended_listing = catalog.listing_create(
        actor=SYSTEM,
        seller_slug="shut",
        sku="LAMP",
        title="Lamp",
        unit_price_amount=900,
        stock_quantity=5,
    )
    catalog.seller_update(actor=SYSTEM, slug="shut", status=SellerStatus.SUSPENDED)
    retired = catalog.listing_create(
        actor=SYSTEM,
        seller_slug="acme",
        sku="OLD",
        title="Old",
        unit_price_amount=100,
        stock_quantity=5,
    )
    retired = catalog.listing_update(actor=SYSTEM, listing_id=retired.public_id, is_active=False)
    return Tenancy(
        world=world,
        jane_orders=_jane_orders_in_each_status(world),
        john_acme=pay(world, place_order(world, {"MUG": 1})),
        jane_acme=pay(world, place_order(world, {"BOWL": 1}, buyer="jane")),
        mixed=pay(
            world,
            place_order(world, {"MUG": 1, "TEE": 2}, shipping={"acme": 500, "bolt": 300}, tax=99),
        ),
        suspended_listing=suspended_listing,
        retired_listing=retired,
    )


@dataclass(frozen=True)
class ObjectEndpoint:
    """An endpoint that addresses one object by a path parameter.

    ``state`` picks which of jane's orders it aims at: one the action applies to, so a scope hole
    would show as a change rather than hide behind a refused transition.
    """

    method: str
    path: str
    body: dict[str, Any] | None = None
    state: str = "pending"

    def __str__(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def parameter(self) -> str:
        (name,) = PATH_PARAMETER.findall(self.path)
        return name

    def url(self, value: Any) -> str:
        return self.path.replace(f"{{{self.parameter}}}", str(value))


OBJECT_ENDPOINTS = (
    ObjectEndpoint("GET", "/orders/{number}"),
    ObjectEndpoint("GET", "/orders/{number}/events"),
    ObjectEndpoint(
        "POST",
        "/orders/{number}/payments",
        {"status": "succeeded", "reference": "scope-check", "amount": 2000},
        state="awaiting_payment",
    ),
    ObjectEndpoint("POST", "/orders/{number}/payments/retry", state="failed"),
    ObjectEndpoint("POST", "/seller-orders/{reference}/acknowledge"),
    ObjectEndpoint(
        "POST",
        "/seller-orders/{reference}/ship",
        {"carrier": "UPS", "tracking_number": "1Z000"},
        state="processing",
    ),
    ObjectEndpoint("POST", "/seller-orders/{reference}/deliver", state="shipped"),
    ObjectEndpoint("POST", "/seller-orders/{reference}/complete", state="shipped"),
    ObjectEndpoint("POST", "/seller-orders/{reference}/confirm-delivery", state="shipped"),
    ObjectEndpoint("POST", "/seller-orders/{reference}/cancel", {"reason": "Out of stock"}),
    ObjectEndpoint(
        "POST", "/seller-orders/{reference}/refund", {"reason": "damaged"}, state="shipped"
    ),
    ObjectEndpoint("GET", "/sellers/{slug}"),
    ObjectEndpoint("PATCH", "/sellers/{slug}", {"name": "Renamed"}),
    ObjectEndpoint("GET", "/listings/{listing_id}"),
    ObjectEndpoint("PATCH", "/listings/{listing_id}", {"stock_quantity": 7}),
    ObjectEndpoint("POST", "/api-keys/{key_id}/revoke"),
)
COVERED.update(str(endpoint) for endpoint in OBJECT_ENDPOINTS)


class TestEveryEndpointHasAScopeCase:
    def test_no_endpoint_is_left_unchecked(self):
        unchecked = api_endpoints() - COVERED
        assert not unchecked, f"add a scope case to tests/test_scope.py for: {sorted(unchecked)}"

    def test_no_case_names_an_endpoint_that_is_gone(self):
        stale = COVERED - api_endpoints()
        assert not stale, f"scope cases name endpoints the API no longer has: {sorted(stale)}"


class TestAnotherTenantsObjectIsNotFound:
    @pytest.mark.parametrize("role", ["seller", "buyer"])
    @pytest.mark.parametrize("endpoint", OBJECT_ENDPOINTS, ids=str)
    def test_answers_404_and_changes_nothing(
        self, api: ApiClient, tenants: Tenancy, endpoint: ObjectEndpoint, role: str
    ):
        for target in tenants.out_of_scope(role, endpoint.parameter, endpoint.state):
            # given
            before = database_state()
            # when
            response = api.call(
                endpoint.method, endpoint.url(target), tenants.caller(role).key, endpoint.body
            )
            # then
            assert response.status == 404, (
                f"{endpoint} as {role} on another tenant's {target} must be 404 (the object "
                f"does not exist for them), got {response}"
            )
            assert response.json()["code"] == "not_found"
            assert database_state() == before, f"{endpoint} as {role} changed data"

    @pytest.mark.parametrize("endpoint", OBJECT_ENDPOINTS, ids=str)
    def test_the_owner_reaches_the_same_kind_of_object(
        self, api: ApiClient, tenants: Tenancy, endpoint: ObjectEndpoint
    ):
        target = tenants.owner_target(endpoint.parameter, endpoint.state)
        response = api.call(
            endpoint.method, endpoint.url(target), tenants.world.owner.key, endpoint.body
        )
        assert response.status == 200, response


class TestOwnObjectsAreVisible:
    """The 404s above mean something only if the same callers reach their own objects."""

    def test_a_seller_reads_its_orders_listings_and_itself(self, api: ApiClient, tenants: Tenancy):
        number = tenants.mixed.order.number
        for path in (
            f"/orders/{number}",
            f"/orders/{number}/events",
            "/sellers/acme",
            f"/listings/{tenants.world.listings['MUG'].public_id}",
            f"/listings/{tenants.retired_listing.public_id}",
        ):
            assert api.get(path, tenants.acme.key).status == 200, path

    def test_a_buyer_reads_own_orders_and_the_storefront(self, api: ApiClient, tenants: Tenancy):
        number = tenants.mixed.order.number
        for path in (
            f"/orders/{number}",
            f"/orders/{number}/events",
            "/sellers/bolt",
            f"/listings/{tenants.world.listings['TEE'].public_id}",
        ):
            assert api.get(path, tenants.john.key).status == 200, path

    def test_a_caller_revokes_its_own_key(self, api: ApiClient, tenants: Tenancy):
        key_id = tenants.key_id(tenants.john)
        assert api.post(f"/api-keys/{key_id}/revoke", tenants.john.key).status == 200


class TestOrderLists:
    @covers("GET /orders")
    def test_a_seller_lists_only_orders_with_its_part_and_only_that_part(
        self, api: ApiClient, tenants: Tenancy
    ):
        # when
        items = api.get("/orders", tenants.acme.key).json()["items"]
        # then
        assert {item["number"] for item in items} == {
            tenants.john_acme.order.number,
            tenants.jane_acme.order.number,
            tenants.mixed.order.number,
        }
        for item in items:
            assert {so["seller"]["slug"] for so in item["seller_orders"]} == {"acme"}
        mixed = next(item for item in items if item["number"] == tenants.mixed.order.number)
        acme_part = next(
            part.seller_order
            for part in tenants.mixed.seller_orders
            if part.seller_order.seller.slug == "acme"
        )
        for name in ("subtotal_amount", "shipping_amount", "tax_amount", "total_amount"):
            assert mixed[name] == getattr(acme_part, name), name
        assert mixed["total_amount"] < tenants.mixed.order.total_amount

    def test_a_buyer_lists_only_own_orders(self, api: ApiClient, tenants: Tenancy):
        items = api.get("/orders", tenants.john.key).json()["items"]
        assert {item["number"] for item in items} == {
            tenants.john_acme.order.number,
            tenants.mixed.order.number,
        }
        mixed = next(item for item in items if item["number"] == tenants.mixed.order.number)
        assert len(mixed["seller_orders"]) == 2
        assert mixed["total_amount"] == tenants.mixed.order.total_amount

    def test_the_owner_lists_every_order(self, api: ApiClient, tenants: Tenancy):
        items = api.get("/orders", tenants.world.owner.key, limit=100).json()["items"]
        assert len(items) == len(tenants.jane_orders) + 3

    def test_filtering_by_another_seller_tells_a_seller_nothing(
        self, api: ApiClient, tenants: Tenancy
    ):
        # when: acme asks which of its orders bolt also sells into, and for a seller in none
        shared = api.get("/orders", tenants.acme.key, seller="bolt")
        unrelated = api.get("/orders", tenants.acme.key, seller="shut")
        # then
        assert (shared.status, shared.json()) == (unrelated.status, unrelated.json()), (
            "GET /orders?seller=<another seller> as a seller reveals which of its orders that "
            f"seller also has a part in: {shared}"
        )

    def test_a_seller_cannot_search_by_buyer_email(self, api: ApiClient, tenants: Tenancy):
        # jane has an acme order, but sellers only ever see her email masked
        items = api.get("/orders", tenants.acme.key, q="jane@buyers.test").json()["items"]
        assert items == []


class TestOrderDetail:
    def test_a_seller_sees_only_its_part_with_its_money_and_a_masked_email(
        self, api: ApiClient, tenants: Tenancy
    ):
        # when
        order = api.get(f"/orders/{tenants.mixed.order.number}", tenants.acme.key).json()
        # then
        assert [so["seller"]["slug"] for so in order["seller_orders"]] == ["acme"]
        acme_part = order["seller_orders"][0]
        for name in ("subtotal_amount", "shipping_amount", "tax_amount", "total_amount"):
            assert order[name] == acme_part[name], name
        assert order["buyer"]["email"] == "j***@buyers.test"
        for payment_field in ("captured_amount", "refunded_amount", "amount_due"):
            assert order[payment_field] is None, f"a seller sees the whole order's {payment_field}"

    def test_a_seller_sees_the_status_of_its_own_part(self, api: ApiClient, tenants: Tenancy):
        # given: acme starts on its part of the mixed order; bolt has not acknowledged yet
        number = tenants.mixed.order.number
        services.seller_order_acknowledge(
            actor=tenants.acme.actor, reference=tenants.reference(tenants.mixed, "acme")
        )
        # when
        detail = api.get(f"/orders/{number}", tenants.acme.key).json()
        row = api.get("/orders", tenants.acme.key, q=number).json()["items"][0]
        # then
        own_status = derive_order_status(so["status"] for so in detail["seller_orders"])
        assert own_status == "processing"
        assert (detail["status"], row["status"]) == (own_status, own_status), (
            "a seller's view of the order status is derived from other sellers' parts too, "
            "so it reveals how far bolt got"
        )


class TestTimeline:
    def test_a_seller_sees_no_trace_of_another_sellers_part(self, api: ApiClient, tenants: Tenancy):
        # when
        events = api.get(f"/orders/{tenants.mixed.order.number}/events", tenants.acme.key).json()
        # then
        acme_ref = tenants.reference(tenants.mixed, "acme")
        bolt_ref = tenants.reference(tenants.mixed, "bolt")
        assert {event["seller_order"] for event in events} == {None, acme_ref}
        leaks = [event for event in events if bolt_ref in json.dumps(event)]
        assert not leaks, f"a seller's timeline names another seller's part {bolt_ref}: {leaks}"

    def test_the_owner_sees_every_part(self, api: ApiClient, tenants: Tenancy):
        events = api.get(
            f"/orders/{tenants.mixed.order.number}/events", tenants.world.owner.key
        ).json()
        references = {event["seller_order"] for event in events}
        assert references == {
            None,
            tenants.reference(tenants.mixed, "acme"),
            tenants.reference(tenants.mixed, "bolt"),
        }


class TestCatalogLists:
    @covers("GET /sellers")
    def test_sellers_by_role(self, api: ApiClient, tenants: Tenancy):
        def slugs(party: Party) -> list[str]:
            return [seller["slug"] for seller in api.get("/sellers", party.key).json()]

        assert slugs(tenants.acme) == ["acme"]
        assert slugs(tenants.john) == ["acme", "bolt"]  # the storefront: active sellers only
        assert slugs(tenants.world.owner) == ["acme", "bolt", "shut"]

    @covers("GET /listings")
    def test_listings_by_role(self, api: ApiClient, tenants: Tenancy):
        def skus(party: Party, **params: Any) -> set[str]:
            page = api.get("/listings", party.key, limit=100, **params).json()
            return {listing["sku"] for listing in page["items"]}

        assert skus(tenants.acme) == {"MUG", "BOWL", "RARE", "OLD"}
        assert skus(tenants.acme, seller="bolt") == set()
        assert skus(tenants.john) == {"MUG", "BOWL", "RARE", "TEE", "CAP"}
        assert skus(tenants.world.owner) == {"MUG", "BOWL", "RARE", "OLD", "TEE", "CAP", "LAMP"}


class TestOwnerOnlyWrites:
    """Collection-level writes name no object of another tenant: refused by role, 403."""

    @covers("POST /sellers", "PATCH /marketplace")
    @pytest.mark.parametrize("role", ["seller", "buyer"])
    @pytest.mark.parametrize(
        ("method", "path", "body"),
        [
            ("POST", "/sellers", {"slug": "newco", "name": "Newco", "email": "n@newco.test"}),
            ("PATCH", "/marketplace", {"default_commission_rate_bps": 0}),
        ],
    )
    def test_are_refused_to_everyone_else(
        self, api: ApiClient, tenants: Tenancy, role: str, method: str, path: str, body: Any
    ):
        before = database_state()
        response = api.call(method, path, tenants.caller(role).key, body)
        assert response.status == 403, response
        assert database_state() == before

    @covers("POST /listings")
    def test_a_seller_cannot_list_for_another_seller(self, api: ApiClient, tenants: Tenancy):
        body = {"seller": "bolt", "sku": "FAKE", "title": "Fake", "unit_price_amount": 1}
        before = database_state()
        response = api.post("/listings", tenants.acme.key, body)
        assert response.status == 404, response
        assert database_state() == before

    def test_a_buyer_cannot_list_at_all(self, api: ApiClient, tenants: Tenancy):
        body = {"seller": "acme", "sku": "FAKE", "title": "Fake", "unit_price_amount": 1}
        before = database_state()
        assert api.post("/listings", tenants.john.key, body).status == 403
        assert database_state() == before


class TestCheckoutScope:
    @covers("POST /orders")
    def test_a_buyer_orders_only_for_themselves(self, api: ApiClient, tenants: Tenancy):
        # when: john names jane as the contact
        body = {
            "lines": [{"listing_id": str(tenants.world.listings["MUG"].public_id), "quantity": 1}],
            "shipping_address": ADDRESS,
            "buyer": {"name": "Jane Roe", "email": "jane@buyers.test"},
        }
        response = api.post("/orders", tenants.john.key, body)
        # then: the order is john's, and jane never sees it
        assert response.status == 201, response
        number = response.json()["number"]
        assert response.json()["buyer"]["email"] == "john@buyers.test"
        assert api.get(f"/orders/{number}", tenants.world.buyers["jane"].key).status == 404

    def test_sellers_do_not_place_orders(self, api: ApiClient, tenants: Tenancy):
        body = {
            "lines": [{"listing_id": str(tenants.world.listings["TEE"].public_id), "quantity": 1}],
            "shipping_address": ADDRESS,
        }
        before = database_state()
        assert api.post("/orders", tenants.acme.key, body).status == 403
        assert database_state() == before

    def test_a_buyer_cannot_buy_what_the_storefront_hides(self, api: ApiClient, tenants: Tenancy):
        before = database_state()
        for hidden in (tenants.suspended_listing, tenants.retired_listing):
            body = {
                "lines": [{"listing_id": str(hidden.public_id), "quantity": 1}],
                "shipping_address": ADDRESS,
            }
            response = api.post("/orders", tenants.john.key, body)
            # then: refused as for a missing listing, without naming what the buyer cannot see
            assert response.status == 422, response
            assert response.json()["errors"][0]["field"] == "lines[0].listing_id"
            assert hidden.sku not in response.body.decode(), response
        assert database_state() == before


class TestAccountScope:
    @covers("GET /me")
    @pytest.mark.parametrize(
        ("role", "expected"),
        [("owner", ("owner", None)), ("seller", ("seller", "acme")), ("buyer", ("buyer", None))],
    )
    def test_whoami_describes_the_caller(
        self, api: ApiClient, tenants: Tenancy, role: str, expected: tuple[str, str | None]
    ):
        me = api.get("/me", tenants.caller(role).key).json()
        assert (me["role"], me["seller"]) == expected

    @covers("GET /api-keys")
    def test_keys_are_listed_to_their_user_and_the_owner(self, api: ApiClient, tenants: Tenancy):
        def key_ids(party: Party) -> set[int]:
            return {key["id"] for key in api.get("/api-keys", party.key).json()}

        assert key_ids(tenants.john) == {tenants.key_id(tenants.john)}
        assert key_ids(tenants.acme) == {tenants.key_id(tenants.acme)}
        everyone = [tenants.world.owner, *tenants.world.members.values()]
        everyone += tenants.world.buyers.values()
        assert key_ids(tenants.world.owner) == {tenants.key_id(party) for party in everyone}

    @covers("POST /api-keys")
    @pytest.mark.parametrize("role", ["seller", "buyer"])
    def test_only_the_owner_issues_keys_for_others_and_says_nothing_about_them(
        self, api: ApiClient, tenants: Tenancy, role: str
    ):
        # given
        jane_user_id = tenants.world.buyers["jane"].user.pk
        unknown_user_id = 10**9
        before = database_state()
        # when
        for_jane = api.post(
            "/api-keys", tenants.caller(role).key, {"name": "x", "user_id": jane_user_id}
        )
        for_nobody = api.post(
            "/api-keys", tenants.caller(role).key, {"name": "x", "user_id": unknown_user_id}
        )
        # then: the same refusal, whether or not the user exists
        assert for_jane.status == for_nobody.status == 403
        assert database_state() == before


class TestSharedReadings:
    """Tenancy settings and the lifecycle tables belong to no tenant: everyone reads them."""

    @covers("GET /marketplace")
    @pytest.mark.parametrize("role", ["owner", "seller", "buyer"])
    def test_every_role_reads_the_marketplace_settings(
        self, api: ApiClient, tenants: Tenancy, role: str
    ):
        assert api.get("/marketplace", tenants.caller(role).key).status == 200

    @covers("GET /lifecycle")
    def test_the_lifecycle_is_public(self, api: ApiClient):
        assert api.get("/lifecycle", None).status == 200


class TestReportScope:
    @covers("GET /reports/revenue")
    def test_a_seller_sees_its_own_figures_and_a_buyer_none(self, api: ApiClient, tenants: Tenancy):
        def sellers(party: Party) -> set[str]:
            body = api.get("/reports/revenue", party.key).json()
            return {row["seller"]["slug"] for row in body["sellers"]}

        assert sellers(tenants.acme) == {"acme"}
        assert sellers(tenants.world.owner) >= {"acme", "bolt"}
        assert api.get("/reports/revenue", tenants.john.key).status == 404


WEBHOOK_OBJECT_ENDPOINTS = (
    ("GET", "/webhook-endpoints/{endpoint_id}", None),
    ("PATCH", "/webhook-endpoints/{endpoint_id}", {"enabled": False}),
    ("DELETE", "/webhook-endpoints/{endpoint_id}", None),
    ("POST", "/webhook-endpoints/{endpoint_id}/rotate-secret", None),
    ("POST", "/webhook-endpoints/{endpoint_id}/replay", {"since": "2020-01-01T00:00:00Z"}),
    ("GET", "/webhook-deliveries/{delivery_id}", None),
    ("POST", "/webhook-deliveries/{delivery_id}/resend", None),
)
COVERED.update(f"{method} {path}" for method, path, _ in WEBHOOK_OBJECT_ENDPOINTS)


class TestWebhookScope:
    """A seller's endpoints hear its own orders; another seller's endpoint does not exist for it."""

    @pytest.fixture
    def bolts_endpoint(self, tenants: Tenancy) -> tuple[str, str]:
        from tradepost.core.dispatch import outbox_dispatch
        from tradepost.webhooks import services as webhooks

        # An IP literal: a public address, no DNS needed, and nothing is ever sent to it here.
        made = webhooks.endpoint_create(
            actor=tenants.world.members["bolt"].actor, url="https://93.184.215.14/hooks"
        )
        outbox_dispatch()
        delivery = made.endpoint.deliveries.order_by("id").first()
        assert delivery is not None
        return str(made.endpoint.public_id), str(delivery.public_id)

    @pytest.mark.parametrize(("method", "path", "body"), WEBHOOK_OBJECT_ENDPOINTS)
    @pytest.mark.parametrize("role", ["seller", "buyer"])
    def test_another_sellers_endpoint_and_deliveries_are_not_found(
        self,
        api: ApiClient,
        tenants: Tenancy,
        bolts_endpoint: tuple[str, str],
        role: str,
        method: str,
        path: str,
        body: dict[str, Any] | None,
    ):
        endpoint_id, delivery_id = bolts_endpoint
        url = path.format(endpoint_id=endpoint_id, delivery_id=delivery_id)
        before = database_state()
        response = api.call(method, url, tenants.caller(role).key, body)
        assert response.status == 404, response
        assert database_state() == before

    @covers("GET /webhook-endpoints", "GET /webhook-deliveries", "POST /webhook-endpoints")
    def test_lists_show_only_your_own(
        self, api: ApiClient, tenants: Tenancy, bolts_endpoint: tuple[str, str]
    ):
        endpoint_id, delivery_id = bolts_endpoint
        acme = tenants.acme.key
        assert api.get("/webhook-endpoints", acme).json() == []
        assert api.get("/webhook-deliveries", acme).json()["items"] == []
        owner = tenants.world.owner.key
        assert [e["id"] for e in api.get("/webhook-endpoints", owner).json()] == [endpoint_id]
        owner_log = api.get("/webhook-deliveries", owner).json()["items"]
        assert delivery_id in {d["id"] for d in owner_log}
        assert (
            api.post("/webhook-endpoints", tenants.john.key, {"url": "https://9.9.9.9/"}).status
            == 403
        )


MIXED_ORDER = "<the mixed order's number>"
NOTIFICATION_ENDPOINTS = (
    ("POST", "/notifications/{notification_id}/read", None),
    ("GET", "/email-templates", None),
    ("GET", "/email-templates/{key}", None),
    ("PUT", "/email-templates/{key}", {"subject": "Hi", "body": "Hi {customer_name}"}),
    ("POST", "/email-templates/{key}/preview", {"order": MIXED_ORDER}),
    ("POST", "/email-templates/{key}/reset", None),
)
COVERED.update(f"{method} {path}" for method, path, _ in NOTIFICATION_ENDPOINTS)


class TestNotificationScope:
    """A seller's notifications are its own; email templates are the owner's alone."""

    @pytest.fixture
    def bolts_notification(self, tenants: Tenancy) -> str:
        from tradepost.core.dispatch import outbox_dispatch
        from tradepost.notifications.models import Notification

        while outbox_dispatch():
            pass
        notification = Notification.objects.filter(seller=tenants.world.sellers["bolt"]).first()
        assert notification is not None
        return str(notification.public_id)

    @pytest.mark.parametrize(("method", "path", "body"), NOTIFICATION_ENDPOINTS)
    @pytest.mark.parametrize("role", ["seller", "buyer"])
    def test_another_sellers_notification_and_the_templates_are_not_found(
        self,
        api: ApiClient,
        tenants: Tenancy,
        bolts_notification: str,
        role: str,
        method: str,
        path: str,
        body: dict[str, Any] | None,
    ):
        number = tenants.mixed.order.number
        url = path.format(notification_id=bolts_notification, key="order_shipped")
        payload = {k: number if v == MIXED_ORDER else v for k, v in body.items()} if body else None
        before = database_state()
        response = api.call(method, url, tenants.caller(role).key, payload)
        assert response.status == 404, response
        assert database_state() == before

    @pytest.mark.parametrize(("method", "path", "body"), NOTIFICATION_ENDPOINTS[1:])
    def test_the_owner_reaches_the_templates(
        self,
        api: ApiClient,
        tenants: Tenancy,
        method: str,
        path: str,
        body: dict[str, Any] | None,
    ):
        number = tenants.mixed.order.number
        payload = {k: number if v == MIXED_ORDER else v for k, v in body.items()} if body else None
        url = path.format(key="order_shipped")
        response = api.call(method, url, tenants.world.owner.key, payload)
        assert response.status == 200, response

    @covers("GET /notifications", "POST /notifications/read-all")
    def test_lists_and_read_all_keep_to_your_own(
        self, api: ApiClient, tenants: Tenancy, bolts_notification: str
    ):
        def sellers(party: Party) -> set[str]:
            return {n["seller"] for n in api.get("/notifications", party.key).json()["items"]}

        assert sellers(tenants.acme) == {"acme"}
        assert sellers(tenants.world.owner) == {"acme", "bolt"}
        assert sellers(tenants.john) == set()
        assert api.post("/notifications/read-all", tenants.acme.key).status == 200
        bolt = api.get("/notifications", tenants.world.members["bolt"].key).json()
        assert bolt["unread_count"] == len(bolt["items"]) > 0
        assert api.post("/notifications/read-all", tenants.john.key).status == 403
