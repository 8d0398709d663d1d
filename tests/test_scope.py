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

from tests import clock
from tests.builders import (
    ADDRESS,
    ApiClient,
    ApiResponse,
    Party,
    World,
    build_world,
    database_state,
    pay,
    place_order,
)
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
        "POST",
        "/seller-orders/{reference}/refund",
        {"reason": "damaged"},
        state="shipped",
    ),
    ObjectEndpoint("GET", "/sellers/{slug}"),
    ObjectEndpoint("GET", "/sellers/{slug}/scorecard"),
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


class TestSellerPerformanceScope:
    """Scorecards: the owner's and a seller's own in full, a buyer's only the public part; the
    ranking compares sellers, so only the owner has one."""

    def test_a_seller_and_a_buyer_read_only_what_is_theirs_to_read(
        self, api: ApiClient, tenants: Tenancy
    ):
        own = api.get("/sellers/acme/scorecard", tenants.acme.key).json()
        public = api.get("/sellers/acme/scorecard", tenants.john.key).json()
        assert own["current"] is not None
        assert len(own["trend"]) == 12
        assert (public["current"], public["trend"], public["change"]) == (None, [], None)
        assert public["public"]["shipping_promise"]

    @covers("GET /reports/sellers")
    def test_only_the_owner_ranks_sellers(self, api: ApiClient, tenants: Tenancy):
        slugs = {
            row["seller"]["slug"]
            for row in api.get("/reports/sellers", tenants.world.owner.key).json()["items"]
        }
        assert slugs >= {"acme", "bolt", "shut"}
        for party in (tenants.acme, tenants.john):
            assert api.get("/reports/sellers", party.key).status == 404


class TestLedgerScope:
    """Balances and payouts: a seller sees its own, a buyer none; only the owner pays out."""

    @pytest.fixture
    def bolts_payout(self, tenants: Tenancy) -> str:
        from tradepost.ledger.payouts import payout_create

        reference = tenants.reference(tenants.jane_orders["shipped"], "bolt")
        services.seller_order_complete(actor=tenants.world.owner.actor, reference=reference)
        (payout,) = payout_create(actor=tenants.world.owner.actor, seller_slug="bolt")
        return str(payout.public_id)

    @covers(
        "GET /payouts/{payout_id}",
        "POST /payouts/{payout_id}/mark-paid",
        "POST /payouts/{payout_id}/mark-failed",
    )
    @pytest.mark.parametrize("role", ["seller", "buyer"])
    def test_another_sellers_payout_is_not_found(
        self, api: ApiClient, tenants: Tenancy, bolts_payout: str, role: str
    ):
        for method, path, body in (
            ("GET", f"/payouts/{bolts_payout}", None),
            ("POST", f"/payouts/{bolts_payout}/mark-paid", {"reference": "R"}),
            ("POST", f"/payouts/{bolts_payout}/mark-failed", {"reason": "x"}),
        ):
            before = database_state()
            response = api.call(method, path, tenants.caller(role).key, body)
            assert response.status == 404, f"{method} {path} as {role}: {response}"
            assert database_state() == before

    def test_the_paid_seller_reads_its_payout_but_may_not_mark_it(
        self, api: ApiClient, tenants: Tenancy, bolts_payout: str
    ):
        bolt = tenants.world.members["bolt"].key
        assert api.get(f"/payouts/{bolts_payout}", bolt).status == 200
        before = database_state()
        marked = api.post(f"/payouts/{bolts_payout}/mark-paid", bolt, {"reference": "R"})
        assert marked.status == 403, marked
        assert database_state() == before
        owner = tenants.world.owner.key
        assert api.get(f"/payouts/{bolts_payout}", owner).status == 200

    @covers("GET /balances", "GET /payouts", "POST /payouts")
    def test_lists_show_only_your_own_and_only_the_owner_pays_out(
        self, api: ApiClient, tenants: Tenancy, bolts_payout: str
    ):
        def payout_sellers(party: Party) -> set[str]:
            return {p["seller"]["slug"] for p in api.get("/payouts", party.key).json()["items"]}

        def balance_sellers(party: Party) -> set[str]:
            body = api.get("/balances", party.key).json()
            return {row["seller"]["slug"] for row in body["sellers"]}

        assert payout_sellers(tenants.acme) == payout_sellers(tenants.john) == set()
        assert payout_sellers(tenants.world.owner) == {"bolt"}
        assert balance_sellers(tenants.acme) == {"acme"}
        assert balance_sellers(tenants.world.owner) >= {"acme", "bolt"}
        assert api.get("/balances", tenants.john.key).status == 404
        before = database_state()
        for party in (tenants.acme, tenants.john):
            assert api.post("/payouts", party.key, {}).status == 403
        assert database_state() == before


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


REVIEW_OBJECT_ENDPOINTS = (
    ("POST", "/seller-orders/{reference}/review", {"rating": 5}, "completed"),
    ("GET", "/seller-orders/{reference}/review", None, "reviewed"),
    ("POST", "/seller-orders/{reference}/review/reply", {"reply": "Thank you!"}, "reviewed"),
)
COVERED.update(f"{method} {path}" for method, path, _, _ in REVIEW_OBJECT_ENDPOINTS)


@dataclass
class JaneReviews:
    """Jane's bolt sales: one completed and not yet reviewed, one reviewed, one whose review the
    owner hid; and john's review of his acme mug."""

    sales: dict[str, Any]
    visible_id: str
    hidden_id: str
    johns_id: str


class TestReviewScope:
    """A review belongs to its seller order's scope; the visible ones are read by everyone who may
    see the seller, and only the owner hides."""

    @pytest.fixture
    def reviews(self, tenants: Tenancy) -> JaneReviews:
        from tests.reviews.flows import completed_sale, reviewed_sale
        from tradepost.reviews.services import review_hide

        world = tenants.world
        completed = completed_sale(world, "TEE", buyer="jane")
        reviewed, visible = reviewed_sale(world, "TEE", buyer="jane", rating=2)
        _, hidden = reviewed_sale(world, "CAP", buyer="jane", rating=1)
        review_hide(actor=world.owner.actor, review_id=hidden.public_id, reason="Abusive")
        _, johns = reviewed_sale(world, "MUG", buyer="john", rating=5)
        return JaneReviews(
            sales={"completed": completed, "reviewed": reviewed},
            visible_id=str(visible.public_id),
            hidden_id=str(hidden.public_id),
            johns_id=str(johns.public_id),
        )

    @pytest.mark.parametrize(("method", "path", "body", "state"), REVIEW_OBJECT_ENDPOINTS)
    @pytest.mark.parametrize("role", ["seller", "buyer"])
    def test_another_tenants_seller_order_review_is_not_found(
        self,
        api: ApiClient,
        tenants: Tenancy,
        reviews: JaneReviews,
        role: str,
        method: str,
        path: str,
        body: dict[str, Any] | None,
        state: str,
    ):
        url = path.format(reference=reviews.sales[state].reference)
        before = database_state()
        response = api.call(method, url, tenants.caller(role).key, body)
        assert response.status == 404, response
        assert response.json()["code"] == "not_found"
        assert database_state() == before

    @pytest.mark.parametrize(("method", "path", "body", "state"), REVIEW_OBJECT_ENDPOINTS)
    def test_the_owner_reaches_the_same_reviews(
        self,
        api: ApiClient,
        tenants: Tenancy,
        reviews: JaneReviews,
        method: str,
        path: str,
        body: dict[str, Any] | None,
        state: str,
    ):
        # the owner sees them; writing a review or a reply is the buyer's and the seller's (403)
        url = path.format(reference=reviews.sales[state].reference)
        response = api.call(method, url, tenants.world.owner.key, body)
        assert response.status == (200 if method == "GET" else 403), response

    @covers("POST /reviews/{review_id}/hide")
    def test_only_the_owner_hides_and_others_reviews_do_not_exist_for_sellers(
        self, api: ApiClient, tenants: Tenancy, reviews: JaneReviews
    ):
        body = {"reason": "Off topic"}

        def hide(party: Party, review_id: str) -> int:
            return api.post(f"/reviews/{review_id}/hide", party.key, body).status

        before = database_state()
        # bolt's reviews are not acme's to see; a hidden review is not john's
        assert hide(tenants.acme, reviews.visible_id) == 404
        assert hide(tenants.john, reviews.hidden_id) == 404
        # a visible review is public: john sees it, but hiding is the owner's step
        assert hide(tenants.john, reviews.visible_id) == 403
        assert hide(tenants.acme, reviews.johns_id) == 403
        assert database_state() == before
        assert hide(tenants.world.owner, reviews.visible_id) == 200

    @covers("GET /reviews")
    def test_lists_show_visible_reviews_of_the_sellers_you_may_see(
        self, api: ApiClient, tenants: Tenancy, reviews: JaneReviews
    ):
        def listed(party: Party, **params: Any) -> set[str]:
            page = api.get("/reviews", party.key, **params)
            assert page.status == 200, page
            return {item["id"] for item in page.json()["items"]}

        assert listed(tenants.acme) == {reviews.johns_id}
        assert listed(tenants.john) == {reviews.visible_id, reviews.johns_id}
        assert listed(tenants.world.owner) == {reviews.visible_id, reviews.johns_id}
        assert api.get("/reviews", tenants.acme.key, seller="bolt").status == 404
        assert api.get("/reviews", tenants.john.key, seller="shut").status == 404
        jane_seen_by_john = api.get("/reviews", tenants.john.key, seller="bolt").json()["items"]
        assert [item["seller_order"] for item in jane_seen_by_john] == [None]


MESSAGING_OBJECT_ENDPOINTS = (
    ("GET", "/seller-orders/{reference}/messages", None),
    ("POST", "/seller-orders/{reference}/messages", {"body": "Let me in"}),
    ("POST", "/seller-orders/{reference}/messages/read", None),
    ("GET", "/attachments/{attachment_id}", None),
    ("GET", "/reply-templates/{template_id}", None),
    ("PATCH", "/reply-templates/{template_id}", {"name": "Taken over"}),
    ("DELETE", "/reply-templates/{template_id}", None),
    ("POST", "/reply-templates/{template_id}/render", {"seller_order": "<bolt's reference>"}),
)
COVERED.update(f"{method} {path}" for method, path, _ in MESSAGING_OBJECT_ENDPOINTS)


@dataclass
class BoltConversation:
    """Jane and bolt talking about jane's pending bolt order, with a photo; bolt's own template."""

    reference: str
    attachment_id: str
    template_id: str


class TestMessagingScope:
    """A thread, its files and a seller's reply templates belong to their seller order's and
    seller's scope: for everyone else they do not exist."""

    @pytest.fixture
    def conversation(self, tenants: Tenancy, settings: Any, tmp_path: Any) -> BoltConversation:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from tests.messaging.files import png
        from tradepost.attachments.services import attachments_upload
        from tradepost.messaging import services as messaging

        settings.MEDIA_ROOT = tmp_path / "media"
        world = tenants.world
        reference = tenants.reference(tenants.jane_orders["pending"], "bolt")
        jane = world.buyers["jane"].actor
        (photo,) = attachments_upload(
            actor=jane, uploads=[SimpleUploadedFile("parcel.png", png(), "image/png")]
        )
        messaging.message_post(
            actor=jane,
            reference=reference,
            body="Is it on its way?",
            attachment_ids=[photo.public_id],
        )
        template = messaging.reply_template_create(
            actor=world.members["bolt"].actor, name="Bolt's", body="Hi {customer_name}"
        )
        return BoltConversation(reference, str(photo.public_id), template.id)

    def _url(self, path: str, conversation: BoltConversation) -> str:
        return path.format(
            reference=conversation.reference,
            attachment_id=conversation.attachment_id,
            template_id=conversation.template_id,
        )

    def _call(self, api: ApiClient, method: str, url: str, key: str, body: Any) -> ApiResponse:
        """As ``api.call``, reading a download's streamed body too."""
        if not url.startswith("/attachments/"):
            return api.call(method, url, key, body)
        response = api.client.get(API_PREFIX + url, headers={"Authorization": f"Bearer {key}"})
        content = b"".join(response.streaming_content) if response.streaming else response.content
        return ApiResponse(response.status_code, content, dict(response.headers))

    def _body(self, body: dict[str, Any] | None, conversation: BoltConversation) -> Any:
        if body and body.get("seller_order"):
            return {"seller_order": conversation.reference}
        return body

    @pytest.mark.parametrize(("method", "path", "body"), MESSAGING_OBJECT_ENDPOINTS)
    @pytest.mark.parametrize("role", ["seller", "buyer"])
    def test_another_tenants_thread_files_and_templates_are_not_found(
        self,
        api: ApiClient,
        tenants: Tenancy,
        conversation: BoltConversation,
        role: str,
        method: str,
        path: str,
        body: dict[str, Any] | None,
    ):
        before = database_state()
        response = self._call(
            api,
            method,
            self._url(path, conversation),
            tenants.caller(role).key,
            self._body(body, conversation),
        )
        assert response.status == 404, response
        assert response.json()["code"] == "not_found"
        assert database_state() == before

    @pytest.mark.parametrize(("method", "path", "body"), MESSAGING_OBJECT_ENDPOINTS)
    def test_the_owner_reaches_them(
        self,
        api: ApiClient,
        tenants: Tenancy,
        conversation: BoltConversation,
        method: str,
        path: str,
        body: dict[str, Any] | None,
    ):
        response = self._call(
            api,
            method,
            self._url(path, conversation),
            tenants.world.owner.key,
            self._body(body, conversation),
        )
        assert response.status in (200, 201, 204), response

    @covers("GET /messages/threads", "GET /messages/unread")
    def test_inboxes_and_unread_counts_keep_to_your_own(
        self, api: ApiClient, tenants: Tenancy, conversation: BoltConversation
    ):
        def threads(party: Party) -> set[str]:
            return {
                t["seller_order"] for t in api.get("/messages/threads", party.key).json()["items"]
            }

        def unread(party: Party) -> dict[str, Any]:
            return api.get("/messages/unread", party.key).json()

        assert threads(tenants.acme) == threads(tenants.john) == set()
        assert (
            unread(tenants.acme)
            == unread(tenants.john)
            == {
                "total": 0,
                "threads": [],
                "next_cursor": None,
            }
        )
        bolt = tenants.world.members["bolt"]
        assert threads(bolt) == threads(tenants.world.owner) == {conversation.reference}
        assert unread(bolt)["total"] == 1

    @covers("GET /reply-templates", "POST /reply-templates")
    def test_template_lists_and_writes_keep_to_your_own(
        self, api: ApiClient, tenants: Tenancy, conversation: BoltConversation
    ):
        ids = {t["id"] for t in api.get("/reply-templates", tenants.acme.key).json()}
        assert ids == {"shipped", "delivered"}
        # a seller names no other seller: the template is its own, whatever it sends
        made = api.post(
            "/reply-templates", tenants.acme.key, {"name": "Mine", "body": "Hi", "seller": "bolt"}
        )
        assert made.status == 201
        assert made.json()["seller"] == "acme"
        assert api.get("/reply-templates", tenants.john.key).status == 404
        before = database_state()
        assert (
            api.post("/reply-templates", tenants.john.key, {"name": "x", "body": "y"}).status == 403
        )
        assert database_state() == before

    @covers("POST /attachments")
    def test_an_upload_is_the_uploaders_own(
        self, api: ApiClient, tenants: Tenancy, settings: Any, tmp_path: Any
    ):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from tests.messaging.files import pdf

        settings.MEDIA_ROOT = tmp_path / "media"
        response = api.client.post(
            f"{API_PREFIX}/attachments",
            data={"files": [SimpleUploadedFile("proof.pdf", pdf())]},
            headers={"Authorization": f"Bearer {tenants.john.key}"},
        )
        assert response.status_code == 201
        attachment_id = response.json()[0]["id"]
        for party in (tenants.acme, tenants.world.buyers["jane"], tenants.world.owner):
            url = f"/attachments/{attachment_id}"
            assert self._call(api, "GET", url, party.key, None).status == 404
        own = self._call(api, "GET", f"/attachments/{attachment_id}", tenants.john.key, None)
        assert own.status == 200


DISPUTE_OBJECT_ENDPOINTS = (
    ("GET", "/disputes/{case_id}", None),
    ("POST", "/disputes/{case_id}/respond", {"message": "Scope check", "to": "seller"}),
    ("POST", "/disputes/{case_id}/messages", {"message": "Scope check"}),
    ("POST", "/disputes/{case_id}/escalate", {"message": "Scope check"}),
    ("POST", "/disputes/{case_id}/resolve", {"outcome": "no_action"}),
    ("POST", "/disputes/{case_id}/reopen", {"message": "Scope check"}),
    ("POST", "/disputes/{case_id}/close", None),
    ("GET", "/chargebacks/{chargeback_id}", None),
    ("POST", "/chargebacks/{chargeback_id}/evidence-pack", None),
    ("POST", "/chargebacks/{chargeback_id}/submit-evidence", None),
    ("POST", "/chargebacks/{chargeback_id}/outcome", {"outcome": "lost"}),
    ("GET", "/evidence-packs/{pack_id}/pdf", None),
    ("GET", "/evidence-packs/{pack_id}/zip", None),
)
COVERED.update(f"{method} {path}" for method, path, _ in DISPUTE_OBJECT_ENDPOINTS)


@dataclass
class JaneDisputes:
    """Jane's case on her shipped bolt order, a chargeback on her pending one, and its pack."""

    case_id: str
    chargeback_id: str
    pack_id: str
    chargeback_case_id: str


class TestDisputeScope:
    """Cases belong to their seller order's scope; chargebacks to the owner and the charged
    seller; evidence packs to the owner alone."""

    @pytest.fixture
    def disputes(self, tenants: Tenancy, settings: Any, tmp_path: Any) -> JaneDisputes:

        from tradepost.disputes.chargebacks import ChargebackNotice, chargeback_record
        from tradepost.disputes.evidence import evidence_pack_build
        from tradepost.disputes.services import case_open

        settings.MEDIA_ROOT = tmp_path / "media"
        world = tenants.world
        case = case_open(
            actor=world.buyers["jane"].actor,
            reference=tenants.reference(tenants.jane_orders["shipped"], "bolt"),
            kind="not_received",
            description="Never came.",
        )
        chargeback = chargeback_record(
            actor=world.owner.actor,
            number=tenants.jane_orders["pending"].order.number,
            notice=ChargebackNotice(amount=500, reason="fraudulent", respond_by=clock.ahead(30)),
        )
        pack = evidence_pack_build(actor=world.owner.actor, chargeback_id=chargeback.public_id)
        return JaneDisputes(
            str(case.public_id),
            str(chargeback.public_id),
            str(pack.public_id),
            str(chargeback.case.public_id),
        )

    @pytest.mark.parametrize(("method", "path", "body"), DISPUTE_OBJECT_ENDPOINTS)
    @pytest.mark.parametrize("role", ["seller", "buyer"])
    def test_another_tenants_case_chargeback_and_pack_are_not_found(
        self,
        api: ApiClient,
        tenants: Tenancy,
        disputes: JaneDisputes,
        role: str,
        method: str,
        path: str,
        body: dict[str, Any] | None,
    ):
        url = path.format(
            case_id=disputes.case_id,
            chargeback_id=disputes.chargeback_id,
            pack_id=disputes.pack_id,
        )
        before = database_state()
        response = api.call(method, url, tenants.caller(role).key, body)
        assert response.status == 404, f"{method} {path} as {role}: {response}"
        assert database_state() == before

    def test_the_charged_seller_reads_its_chargeback_but_not_the_pack(
        self, api: ApiClient, tenants: Tenancy, disputes: JaneDisputes
    ):
        bolt = tenants.world.members["bolt"].key
        chargeback = api.get(f"/chargebacks/{disputes.chargeback_id}", bolt)
        assert chargeback.status == 200, chargeback
        assert chargeback.json()["evidence_packs"] == []
        assert api.get(f"/evidence-packs/{disputes.pack_id}/pdf", bolt).status == 404
        jane = tenants.world.buyers["jane"].key
        assert (
            api.get(f"/disputes/{disputes.chargeback_case_id}", jane).json()["chargeback"] is None
        )
        assert api.get(f"/chargebacks/{disputes.chargeback_id}", jane).status == 404

    @covers("GET /disputes", "GET /chargebacks")
    def test_lists_show_only_your_own(
        self, api: ApiClient, tenants: Tenancy, disputes: JaneDisputes
    ):
        def case_ids(party: Party) -> set[str]:
            return {case["id"] for case in api.get("/disputes", party.key).json()["items"]}

        def chargeback_ids(party: Party) -> set[str]:
            return {c["id"] for c in api.get("/chargebacks", party.key).json()["items"]}

        both = {disputes.case_id, disputes.chargeback_case_id}
        assert case_ids(tenants.acme) == case_ids(tenants.john) == set()
        assert case_ids(tenants.world.members["bolt"]) == both
        assert case_ids(tenants.world.buyers["jane"]) == both
        assert case_ids(tenants.world.owner) == both
        assert chargeback_ids(tenants.acme) == chargeback_ids(tenants.john) == set()
        assert chargeback_ids(tenants.world.owner) == {disputes.chargeback_id}
        assert api.get("/disputes", tenants.acme.key, seller="bolt").status == 422

    @covers("POST /disputes", "POST /orders/{number}/chargebacks")
    @pytest.mark.parametrize("role", ["seller", "buyer"])
    def test_opening_on_another_tenants_order_is_not_found(
        self, api: ApiClient, tenants: Tenancy, role: str
    ):
        reference = tenants.reference(tenants.jane_orders["pending"], "bolt")
        number = tenants.jane_orders["pending"].order.number
        before = database_state()
        opened = api.post(
            "/disputes",
            tenants.caller(role).key,
            {"seller_order": reference, "kind": "late_shipment", "description": "x"},
        )
        recorded = api.post(
            f"/orders/{number}/chargebacks",
            tenants.caller(role).key,
            {"amount": 100, "reason": "general", "respond_by": clock.ahead(30).isoformat()},
        )
        assert (opened.status, recorded.status) == (404, 404), (opened, recorded)
        assert database_state() == before

    def test_only_the_owner_records_a_chargeback_on_a_seller_order_it_may_see(
        self, api: ApiClient, tenants: Tenancy
    ):
        number = tenants.john_acme.order.number
        body = {"amount": 100, "reason": "general", "respond_by": clock.ahead(30).isoformat()}
        before = database_state()
        for party in (tenants.acme, tenants.john):
            assert api.post(f"/orders/{number}/chargebacks", party.key, body).status == 403
        assert database_state() == before

    @covers("GET /disputes/lifecycle", "POST /provider-events/chargebacks")
    def test_the_tables_are_public_and_the_provider_endpoint_needs_its_signature(
        self, api: ApiClient, tenants: Tenancy
    ):
        assert api.get("/disputes/lifecycle", None).status == 200
        before = database_state()
        unsigned = api.post(
            "/provider-events/chargebacks", tenants.world.owner.key, {"type": "chargeback.created"}
        )
        assert unsigned.status in (401, 503), unsigned
        assert database_state() == before


class TestAfterSaleScope:
    """Refunds, refund requests, line cancellations and goodwill codes keep to their tenants:
    another tenant's are not found; your own may still be refused to your role (403)."""

    @pytest.fixture
    def janes(self, tenants: Tenancy) -> dict[str, str]:
        """A refund and an open refund request on jane's shipped bolt order."""
        from tradepost.payments.refund_requests import refund_request_create
        from tradepost.payments.refunds import refund_create

        reference = tenants.reference(tenants.jane_orders["shipped"], "bolt")
        refund = refund_create(
            actor=tenants.world.owner.actor, reference=reference, reason="other", amount=100
        )
        request = refund_request_create(
            actor=tenants.world.buyers["jane"].actor, reference=reference, reason="other"
        )
        return {
            "shipped": reference,
            "refund": str(refund.public_id),
            "request": str(request.public_id),
            "pending": tenants.reference(tenants.jane_orders["pending"], "bolt"),
        }

    @covers(
        "POST /seller-orders/{reference}/refunds",
        "POST /seller-orders/{reference}/refund-requests",
        "POST /seller-orders/{reference}/cancel-lines",
        "GET /refunds/{refund_id}",
        "GET /refund-requests/{request_id}",
        "POST /refund-requests/{request_id}/approve",
        "POST /refund-requests/{request_id}/decline",
        "POST /discount-codes",
    )
    @pytest.mark.parametrize("role", ["seller", "buyer"])
    def test_another_tenants_after_sale_objects_are_not_found(
        self, api: ApiClient, tenants: Tenancy, janes: dict[str, str], role: str
    ):
        calls = [
            (
                "POST",
                f"/seller-orders/{janes['shipped']}/refunds",
                {"reason": "damaged", "full": True},
            ),
            (
                "POST",
                f"/seller-orders/{janes['shipped']}/refund-requests",
                {"reason": "other", "full": True},
            ),
            (
                "POST",
                f"/seller-orders/{janes['pending']}/cancel-lines",
                {"lines": [{"sku": "TEE", "quantity": 1}]},
            ),
            ("GET", f"/refunds/{janes['refund']}", None),
            ("GET", f"/refund-requests/{janes['request']}", None),
            ("POST", f"/refund-requests/{janes['request']}/approve", {}),
            ("POST", f"/refund-requests/{janes['request']}/decline", {"reason": "No."}),
            (
                "POST",
                "/discount-codes",
                {"seller_order": janes["shipped"], "kind": "percent", "percent_off": 10},
            ),
        ]
        for method, path, body in calls:
            before = database_state()
            response = api.call(method, path, tenants.caller(role).key, body)
            assert response.status == 404, f"{method} {path} as {role}: {response}"
            assert database_state() == before, f"{method} {path} as {role} changed data"

    def test_the_owner_reaches_them(self, api: ApiClient, tenants: Tenancy, janes: dict[str, str]):
        owner = tenants.world.owner.key
        assert api.get(f"/refunds/{janes['refund']}", owner).status == 200
        assert api.get(f"/refund-requests/{janes['request']}", owner).status == 200
        assert (
            api.post(
                f"/refund-requests/{janes['request']}/decline",
                owner,
                {"reason": "Outside what we cover."},
            ).status
            == 200
        )
        assert (
            api.post(
                f"/seller-orders/{janes['shipped']}/refunds",
                owner,
                {"reason": "damaged", "amount": 100},
            ).status
            == 201
        )
        assert (
            api.post(
                f"/seller-orders/{janes['pending']}/cancel-lines",
                owner,
                {"lines": [{"sku": "TEE", "quantity": 1}]},
            ).status
            == 200
        )

    @covers("GET /refunds", "GET /refund-requests", "GET /discount-codes")
    def test_lists_keep_to_your_own(self, api: ApiClient, tenants: Tenancy, janes: dict[str, str]):
        from tradepost.payments.discounts import GoodwillCode, discount_code_issue

        discount_code_issue(
            actor=tenants.world.members["bolt"].actor,
            reference=janes["shipped"],
            goodwill=GoodwillCode(kind="percent", percent_off=5),
        )
        for path in ("/refunds", "/refund-requests", "/discount-codes"):
            for party in (tenants.acme, tenants.john):
                assert api.get(path, party.key).json()["items"] == [], (path, party)
            assert len(api.get(path, tenants.world.owner.key).json()["items"]) == 1, path
            bolt = api.get(path, tenants.world.members["bolt"].key).json()["items"]
            assert len(bolt) == 1, path

    def test_your_own_seller_order_refuses_what_your_role_may_not_do(
        self, api: ApiClient, tenants: Tenancy
    ):
        reference = tenants.reference(tenants.john_acme, "acme")
        before = database_state()
        assert (
            api.post(
                f"/seller-orders/{reference}/refunds",
                tenants.acme.key,
                {"reason": "damaged", "full": True},
            ).status
            == 403
        )
        assert (
            api.post(
                f"/seller-orders/{reference}/cancel-lines",
                tenants.john.key,
                {"lines": [{"sku": "MUG", "quantity": 1}]},
            ).status
            == 403
        )
        assert (
            api.post(
                "/discount-codes",
                tenants.john.key,
                {"seller_order": reference, "kind": "percent", "percent_off": 5},
            ).status
            == 403
        )
        assert database_state() == before


class TestReturnScope:
    """Returns keep to their tenants: another tenant's return does not exist for you, on every
    endpoint; the lifecycle table is public."""

    @pytest.fixture
    def janes_return(self, tenants: Tenancy) -> dict[str, str]:
        """A return the owner opened for jane on her shipped bolt order."""
        from tradepost.payments.refund_lines import LineQuantity
        from tradepost.returns.services import return_request_create

        reference = tenants.reference(tenants.jane_orders["shipped"], "bolt")
        ret = return_request_create(
            actor=tenants.world.owner.actor,
            reference=reference,
            reason="damaged",
            lines=[LineQuantity("TEE", 1)],
            policy_override_note="Photos came by post.",
        )
        return {"reference": reference, "id": str(ret.public_id)}

    @covers(
        "POST /seller-orders/{reference}/returns",
        "GET /returns/{return_id}",
        "POST /returns/{return_id}/authorize",
        "POST /returns/{return_id}/decline",
        "POST /returns/{return_id}/ship-back",
        "POST /returns/{return_id}/receive",
        "POST /returns/{return_id}/refund",
        "POST /returns/{return_id}/exchange",
        "POST /returns/{return_id}/withdraw",
    )
    @pytest.mark.parametrize("role", ["seller", "buyer"])
    def test_another_tenants_return_is_not_found(
        self, api: ApiClient, tenants: Tenancy, janes_return: dict[str, str], role: str
    ):
        path = f"/returns/{janes_return['id']}"
        lines = [{"sku": "TEE", "quantity": 1}]
        calls = [
            (
                "POST",
                f"/seller-orders/{janes_return['reference']}/returns",
                {"reason": "damaged", "lines": lines},
            ),
            ("GET", path, None),
            ("POST", f"{path}/authorize", {"return_address": "1 Dock Road"}),
            ("POST", f"{path}/decline", {"reason": "No."}),
            ("POST", f"{path}/ship-back", {"carrier": "UPS", "tracking_number": "1Z"}),
            ("POST", f"{path}/receive", {}),
            ("POST", f"{path}/refund", {"inspection_note": "Broken."}),
            (
                "POST",
                f"{path}/exchange",
                {"inspection_note": "Broken.", "carrier": "UPS", "tracking_number": "1Z"},
            ),
            ("POST", f"{path}/withdraw", {}),
        ]
        for method, url, body in calls:
            before = database_state()
            response = api.call(method, url, tenants.caller(role).key, body)
            assert response.status == 404, f"{method} {url} as {role}: {response}"
            assert database_state() == before, f"{method} {url} as {role} changed data"

    def test_the_owner_and_the_seller_concerned_reach_it(
        self, api: ApiClient, tenants: Tenancy, janes_return: dict[str, str]
    ):
        path = f"/returns/{janes_return['id']}"
        assert api.get(path, tenants.world.owner.key).status == 200
        bolt = tenants.world.members["bolt"].key
        assert api.post(f"{path}/authorize", bolt, {"return_address": "1 Dock Road"}).status == 200

    @covers("GET /returns", "GET /returns/lifecycle")
    def test_lists_keep_to_your_own_and_the_table_is_public(
        self, api: ApiClient, tenants: Tenancy, janes_return: dict[str, str]
    ):
        for party in (tenants.acme, tenants.john):
            assert api.get("/returns", party.key).json()["items"] == []
        for party in (tenants.world.owner, tenants.world.members["bolt"]):
            items = api.get("/returns", party.key).json()["items"]
            assert [item["id"] for item in items] == [janes_return["id"]]
        assert api.get("/returns/lifecycle", None).status == 200
