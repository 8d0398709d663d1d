"""The owner's email templates over the API: read, reword (checked), preview with a real order,
reset; and the next email goes out in the new wording."""

from __future__ import annotations

import pytest

from tests.builders import ApiClient, World, pay, place_order
from tests.notifications.conftest import PUBLIC_URL
from tests.notifications.flows import reference, run_worker, ship
from tests.notifications.smtp import SmtpSink
from tradepost.notifications.email_templates import SPECS
from tradepost.notifications.models import OutgoingEmail

pytestmark = pytest.mark.django_db

SHIPPED = "/email-templates/order_shipped"


class TestReading:
    def test_the_owner_lists_every_email_with_its_placeholders(
        self, api: ApiClient, world: World
    ) -> None:
        response = api.get("/email-templates", world.owner.key)
        assert response.status == 200, response
        templates = {t["key"]: t for t in response.json()}
        assert set(templates) == set(SPECS)
        shipped = templates["order_shipped"]
        assert shipped["recipient"] == "buyer"
        assert shipped["customized"] is False
        assert shipped["subject"] == shipped["default_subject"]
        assert "{customer_name}, your order for {product_name} has been shipped!" in shipped["body"]
        names = [p["name"] for p in shipped["placeholders"]]
        assert {"delivery_days", "carrier", "tracking_number", "tracking_url"} <= set(names)
        assert templates["seller_new_order"]["recipient"] == "seller"

    @pytest.mark.parametrize("who", ["acme", "john"])
    def test_they_do_not_exist_for_sellers_and_buyers(
        self, api: ApiClient, world: World, who: str
    ) -> None:
        key = (world.members | world.buyers)[who].key
        for response in (
            api.get("/email-templates", key),
            api.get(SHIPPED, key),
            api.call("PUT", SHIPPED, key, {"subject": "Hi", "body": "Hi"}),
            api.post(f"{SHIPPED}/preview", key, {"order": "ORD-1001"}),
            api.post(f"{SHIPPED}/reset", key),
        ):
            assert response.status == 404, response
        assert OutgoingEmail.objects.count() == 0

    def test_an_unknown_key_is_not_found(self, api: ApiClient, world: World) -> None:
        response = api.get("/email-templates/order_teleported", world.owner.key)
        assert response.status == 404
        assert "order_shipped" in response.json()["detail"]


class TestRewording:
    def test_the_next_email_goes_out_in_the_owners_words(
        self, api: ApiClient, world: World, smtp: SmtpSink
    ) -> None:
        # given
        response = api.call(
            "PUT",
            SHIPPED,
            world.owner.key,
            {
                "subject": "On its way: {order_number}",
                "body": "Hi {customer_name}! {product_name} left with {carrier} "
                "({tracking_number}); about {delivery_days} days. {{braces}} stay.",
            },
        )
        assert response.status == 200, response
        assert response.json()["customized"] is True
        bundle = pay(world, place_order(world, {"MUG": 1}))
        # when
        ship(world, bundle, "acme", tracking_number="1ZNEW")
        run_worker()
        # then
        mail = smtp.to("john@buyers.test")[-1]
        assert mail.subject == f"On its way: {bundle.order.number}"
        assert mail.body.strip() == (
            "Hi John Doe! Mug item left with UPS (1ZNEW); about 5 days. {braces} stay."
        )

    @pytest.mark.parametrize(
        ("subject", "body", "field", "placeholder"),
        [
            ("Shipped", "Hello {customer}", "body", "{customer}"),
            ("Shipped {refund_amount}", "Hello", "subject", "{refund_amount}"),
            ("Shipped", "Hello {customer_name", "body", "{"),
            ("Shipped", "Total: {order.total_amount}", "body", "{order.total_amount}"),
            ("Shipped", "First: {lines[0]}", "body", "{lines[0]}"),
            ("Shipped", "{carrier!r}", "body", "{carrier!r}"),
        ],
    )
    def test_a_bad_template_is_a_422_naming_the_field_and_the_placeholder(
        self, api: ApiClient, world: World, subject: str, body: str, field: str, placeholder: str
    ) -> None:
        response = api.call("PUT", SHIPPED, world.owner.key, {"subject": subject, "body": body})
        assert response.status == 422, response
        problem = response.json()
        assert response.headers["Content-Type"] == "application/problem+json"
        assert problem["code"] == "invalid_template"
        assert problem["detail"].startswith(f"{field}: ")
        assert placeholder in problem["detail"]
        assert problem["errors"][0]["field"] == field
        assert problem["errors"][0]["placeholder"] == placeholder
        assert api.get(SHIPPED, world.owner.key).json()["customized"] is False

    def test_an_empty_body_is_refused_by_the_schema(self, api: ApiClient, world: World) -> None:
        response = api.call("PUT", SHIPPED, world.owner.key, {"subject": "x", "body": ""})
        assert response.status == 422
        assert response.json()["errors"][0]["field"] == "body"

    def test_reset_brings_back_the_default(self, api: ApiClient, world: World) -> None:
        api.call("PUT", SHIPPED, world.owner.key, {"subject": "Mine", "body": "Mine"})
        response = api.post(f"{SHIPPED}/reset", world.owner.key)
        assert response.status == 200, response
        body = response.json()
        assert body["customized"] is False
        assert (body["subject"], body["body"]) == (
            SPECS["order_shipped"].subject,
            SPECS["order_shipped"].body,
        )


class TestPreview:
    def test_a_shipped_order_previews_with_its_own_values(
        self, api: ApiClient, world: World
    ) -> None:
        bundle = pay(world, place_order(world, {"MUG": 2}))
        ship(world, bundle, "acme")
        number = bundle.order.number
        response = api.post(f"{SHIPPED}/preview", world.owner.key, {"order": number})
        assert response.status == 200, response
        preview = response.json()
        assert preview["to"] == ["john@buyers.test"]
        assert preview["subject"] == f"Your order {number} has been shipped"
        assert preview["body"].startswith(
            "Hello John Doe, your order for Mug item has been shipped! You can expect delivery "
            "in 5 days. Thank you for shopping with us!"
        )
        assert "Tracking number: 1Z999AA10123456784" in preview["body"]
        assert f"{PUBLIC_URL}/dashboard/orders/{number}/" in preview["body"]
        assert OutgoingEmail.objects.count() == 0  # a preview sends nothing

    def test_a_draft_previews_before_it_is_saved(self, api: ApiClient, world: World) -> None:
        number = place_order(world, {"MUG": 1}).order.number
        draft = {"order": number.lower(), "subject": "Draft", "body": "{carrier}/{product_name}"}
        preview = api.post(f"{SHIPPED}/preview", world.owner.key, draft).json()
        # Not shipped yet: the carrier shows an example.
        assert preview["body"] == "UPS/Mug item"
        assert api.get(SHIPPED, world.owner.key).json()["customized"] is False

    def test_a_draft_is_checked_as_a_save_would_be(self, api: ApiClient, world: World) -> None:
        number = place_order(world, {"MUG": 1}).order.number
        draft = {"order": number, "body": "{nope}"}
        response = api.post(f"{SHIPPED}/preview", world.owner.key, draft)
        assert response.status == 422
        assert response.json()["errors"][0]["placeholder"] == "{nope}"

    def test_a_seller_email_previews_one_sellers_part(self, api: ApiClient, world: World) -> None:
        bundle = pay(world, place_order(world, {"MUG": 1, "TEE": 1}))
        body = {"order": bundle.order.number, "seller_order": reference(bundle, "bolt")}
        preview = api.post("/email-templates/seller_new_order/preview", world.owner.key, body)
        assert preview.status == 200, preview
        assert preview.json()["to"] == ["b@bolt.test"]
        assert "Tee item" in preview.json()["body"]
        assert "Mug item" not in preview.json()["body"]
        assert "john@buyers.test" not in preview.json()["body"]

    def test_an_unknown_order_is_not_found(self, api: ApiClient, world: World) -> None:
        response = api.post(f"{SHIPPED}/preview", world.owner.key, {"order": "ORD-999999"})
        assert response.status == 404
