"""Reply templates: the seeds' shipping and delivery messages built in, sellers' own added,
changed and deleted, and each filled in from a real seller order."""

from __future__ import annotations

import pytest

from tests.builders import ApiClient, World, pay, place_order
from tests.messaging.flows import reference_of
from tradepost.catalog import services as catalog
from tradepost.core.actors import SYSTEM
from tradepost.orders import services as fulfilment
from tradepost.orders.selectors import OrderBundle

pytestmark = pytest.mark.django_db


@pytest.fixture
def mugs(world: World) -> OrderBundle:
    """John's paid order of two mugs and a bowl from acme."""
    return pay(world, place_order(world, {"MUG": 2, "BOWL": 1}))


def render(api: ApiClient, key: str, template_id: str, reference: str):
    return api.post(f"/reply-templates/{template_id}/render", key, {"seller_order": reference})


class TestBuiltIns:
    def test_every_seller_has_the_seeds_messages(self, api: ApiClient, world: World) -> None:
        templates = api.get("/reply-templates", world.members["acme"].key).json()
        assert [(t["id"], t["builtin"]) for t in templates] == [
            ("shipped", True),
            ("delivered", True),
        ]
        assert templates[0]["body"] == (
            "Hello {customer_name}, your order for {product_name} has been shipped! "
            "You can expect delivery in {delivery_days} days. Thank you for shopping with us!"
        )

    def test_the_shipping_message_is_filled_in_from_the_order(
        self, api: ApiClient, world: World, mugs: OrderBundle
    ) -> None:
        # given: the marketplace promises 4 days; the order ships
        catalog.marketplace_update(actor=SYSTEM, delivery_estimate_days=4)
        reference = reference_of(mugs, "acme")
        acme = world.members["acme"]
        fulfilment.seller_order_acknowledge(actor=acme.actor, reference=reference)
        fulfilment.shipment_create(
            actor=acme.actor,
            reference=reference,
            parcel=fulfilment.Parcel(carrier="UPS", tracking_number="1Z999AA1"),
        )
        # when
        response = render(api, acme.key, "shipped", reference)
        # then
        assert response.status == 200, response
        products = " and ".join(line.title for line in mugs.seller_orders[0].lines)
        assert products in ("Mug item and Bowl item", "Bowl item and Mug item")
        assert response.json() == {
            "body": f"Hello John Doe, your order for {products} has been shipped! "
            "You can expect delivery in 4 days. Thank you for shopping with us!",
            "missing": [],
        }

    def test_the_built_ins_are_read_only(self, api: ApiClient, world: World) -> None:
        acme = world.members["acme"].key
        assert api.patch("/reply-templates/shipped", acme, {"name": "Mine"}).status == 403
        assert api.call("DELETE", "/reply-templates/delivered", acme).status == 403


class TestOwnTemplates:
    def test_a_seller_adds_changes_and_deletes_its_own(
        self, api: ApiClient, world: World, mugs: OrderBundle
    ) -> None:
        acme = world.members["acme"].key
        # when
        created = api.post(
            "/reply-templates",
            acme,
            {"name": "Tracking", "body": "Hi {customer_name}, {order_number} goes by {carrier}."},
        )
        # then
        assert created.status == 201, created
        template = created.json()
        assert (template["builtin"], template["seller"]) == (False, "acme")
        # rendered before shipment, the carrier is left for the seller to fill in
        rendered = render(api, acme, template["id"], reference_of(mugs, "acme")).json()
        assert rendered == {
            "body": f"Hi John Doe, {mugs.order.number} goes by {{carrier}}.",
            "missing": ["carrier"],
        }
        changed = api.patch(f"/reply-templates/{template['id']}", acme, {"body": "By {carrier}"})
        assert changed.json()["body"] == "By {carrier}"
        assert [t["name"] for t in api.get("/reply-templates", acme).json()] == [
            "Order shipped",
            "Order delivered",
            "Tracking",
        ]
        assert api.call("DELETE", f"/reply-templates/{template['id']}", acme).status == 204
        assert api.get(f"/reply-templates/{template['id']}", acme).status == 404

    @pytest.mark.parametrize(
        ("body", "placeholder"),
        [
            ("Hi {customer_email}", "{customer_email}"),
            ("Hi {order.buyer_email}", "{order.buyer_email}"),
            ("Total: {total!r}", "{total!r}"),
            ("An unmatched { brace", "{"),
        ],
    )
    def test_unknown_placeholders_are_refused_naming_them(
        self, api: ApiClient, world: World, body: str, placeholder: str
    ) -> None:
        response = api.post(
            "/reply-templates", world.members["acme"].key, {"name": "Bad", "body": body}
        )
        assert response.status == 422, response
        problem = response.json()
        assert problem["code"] == "invalid_template"
        assert problem["errors"][0]["field"] == "body"
        assert problem["errors"][0]["placeholder"] == placeholder

    def test_the_unknown_placeholder_message_lists_the_known_ones(
        self, api: ApiClient, world: World
    ) -> None:
        response = api.post(
            "/reply-templates", world.members["acme"].key, {"name": "Bad", "body": "{eta}"}
        )
        message = response.json()["errors"][0]["message"]
        assert message.startswith("uses the unknown placeholder {eta}; reply templates'")
        assert "{tracking_url}" in message

    def test_two_templates_of_one_seller_may_not_share_a_name(
        self, api: ApiClient, world: World
    ) -> None:
        body = {"name": "Thanks", "body": "Thank you!"}
        assert api.post("/reply-templates", world.members["acme"].key, body).status == 201
        again = api.post("/reply-templates", world.members["acme"].key, body)
        assert again.status == 422
        assert again.json()["errors"][0]["field"] == "name"
        assert api.post("/reply-templates", world.members["bolt"].key, body).status == 201


class TestScope:
    def test_another_sellers_template_and_order_do_not_exist(
        self, api: ApiClient, world: World, mugs: OrderBundle
    ) -> None:
        bolt = world.members["bolt"].key
        mine = api.post("/reply-templates", bolt, {"name": "Bolt", "body": "Hi"}).json()
        acme = world.members["acme"].key
        for method, body in (("GET", None), ("PATCH", {"name": "x"}), ("DELETE", None)):
            response = api.call(method, f"/reply-templates/{mine['id']}", acme, body)
            assert response.status == 404, (method, response)
        assert render(api, acme, mine["id"], reference_of(mugs, "acme")).status == 404
        # bolt may not fill its template from acme's order
        refused = render(api, bolt, mine["id"], reference_of(mugs, "acme"))
        assert refused.status == 422
        assert refused.json()["errors"][0]["field"] == "seller_order"

    def test_buyers_have_no_templates(self, api: ApiClient, world: World) -> None:
        john = world.buyers["john"].key
        assert api.get("/reply-templates", john).status == 404
        assert api.post("/reply-templates", john, {"name": "x", "body": "y"}).status == 403

    def test_the_owner_sees_every_sellers_and_adds_one_for_a_seller(
        self, api: ApiClient, world: World, mugs: OrderBundle
    ) -> None:
        api.post("/reply-templates", world.members["bolt"].key, {"name": "Bolt", "body": "Hi"})
        owner = world.owner.key
        made = api.post(
            "/reply-templates", owner, {"name": "From us", "body": "Hi", "seller": "acme"}
        )
        assert made.status == 201
        assert made.json()["seller"] == "acme"
        listed = api.get("/reply-templates", owner).json()
        assert {t["seller"] for t in listed} == {None, "acme", "bolt"}
        assert {t["seller"] for t in api.get("/reply-templates", owner, seller="bolt").json()} == {
            None,
            "bolt",
        }
        needs_seller = api.post("/reply-templates", owner, {"name": "x", "body": "y"})
        assert needs_seller.json()["errors"][0]["field"] == "seller"
        ref = reference_of(mugs, "acme")
        assert render(api, owner, made.json()["id"], ref).status == 200
