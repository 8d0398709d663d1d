"""The dashboard pages: a seller's notifications (and the unread count in its navigation), and
the owner's email templates with errors next to the fields and a preview on a real order."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.builders import World, pay, place_order
from tests.dashboard.pages import signed_in
from tests.notifications.flows import run_worker, ship
from tradepost.notifications.models import EmailTemplate, Notification

pytestmark = pytest.mark.django_db

NOTIFICATIONS = "/dashboard/notifications/"
TEMPLATES = "/dashboard/email-templates/"
SHIPPED = "/dashboard/email-templates/order_shipped/"


def unread_in_nav(html: str) -> int:
    found = re.search(r'<span class="nav-count" id="unread-count">(\d+)', html)
    return int(found.group(1)) if found else 0


@pytest.fixture
def paid_orders(world: World) -> World:
    for _ in range(2):
        pay(world, place_order(world, {"MUG": 1, "TEE": 1}))
    run_worker()
    return world


class TestNotificationsPage:
    def test_a_seller_sees_its_notifications_and_the_count_in_the_navigation(
        self, paid_orders: World
    ) -> None:
        html = signed_in(paid_orders.members["acme"]).get(NOTIFICATIONS).content.decode()
        assert unread_in_nav(html) == 2
        assert html.count('class="notification is-unread"') == 2
        assert "Mug item" in html
        assert "Tee item" not in html  # bolt's lines are bolt's

    def test_the_count_shows_on_every_seller_page(self, paid_orders: World) -> None:
        client = signed_in(paid_orders.members["bolt"])
        for page in ("/dashboard/queue/", "/dashboard/orders/"):
            assert unread_in_nav(client.get(page).content.decode()) == 2

    def test_the_count_costs_one_query_whatever_the_number(self, world: World) -> None:
        client = signed_in(world.members["acme"])
        counts = []
        for _ in range(2):
            pay(world, place_order(world, {"MUG": 1}))
            run_worker()
            with CaptureQueriesContext(connection) as queries:
                assert client.get("/dashboard/queue/").status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1]
        with CaptureQueriesContext(connection) as queries:
            client.get("/dashboard/queue/")
        assert sum("notifications_notification" in q["sql"] for q in queries) == 1

    def test_mark_read_and_mark_all_read(self, paid_orders: World) -> None:
        client = signed_in(paid_orders.members["acme"])
        first = Notification.objects.filter(seller=paid_orders.sellers["acme"]).first()
        assert first is not None
        response = client.post(f"{NOTIFICATIONS}{first.public_id}/read/")
        assert response.status_code == 302
        assert unread_in_nav(client.get(NOTIFICATIONS).content.decode()) == 1
        response = client.post(f"{NOTIFICATIONS}read-all/", follow=True)
        html = response.content.decode()
        assert "1 notification marked read." in html
        assert unread_in_nav(html) == 0
        assert 'class="notification is-unread"' not in html
        # bolt's are untouched
        assert (
            unread_in_nav(
                signed_in(paid_orders.members["bolt"]).get(NOTIFICATIONS).content.decode()
            )
            == 2
        )

    def test_reading_needs_a_post_with_a_csrf_token(self, paid_orders: World) -> None:
        client = Client(enforce_csrf_checks=True)
        assert client.login(username=paid_orders.members["acme"].user.username, password="pw")
        assert client.post(f"{NOTIFICATIONS}read-all/").status_code == 403
        assert client.get(f"{NOTIFICATIONS}read-all/").status_code == 405
        assert Notification.objects.filter(read_at__isnull=False).count() == 0

    def test_another_sellers_notification_cannot_be_read(self, paid_orders: World) -> None:
        theirs = Notification.objects.filter(seller=paid_orders.sellers["bolt"]).first()
        assert theirs is not None
        client = signed_in(paid_orders.members["acme"])
        assert client.post(f"{NOTIFICATIONS}{theirs.public_id}/read/").status_code == 404
        theirs.refresh_from_db()
        assert theirs.read_at is None

    @pytest.mark.parametrize("who", ["owner", "buyer"])
    def test_the_page_is_for_sellers(self, paid_orders: World, who: str) -> None:
        party = paid_orders.owner if who == "owner" else paid_orders.buyers["john"]
        assert signed_in(party).get(NOTIFICATIONS).status_code == 404


class TestEmailTemplatesPages:
    def test_the_owner_lists_them_from_the_navigation(self, world: World) -> None:
        client = signed_in(world.owner)
        assert f'href="{TEMPLATES}"' in client.get("/dashboard/orders/").content.decode()
        html = client.get(TEMPLATES).content.decode()
        for title in ("New paid order", "Order confirmation", "Shipped", "Delivered", "Canceled"):
            assert title in html

    def test_saving_a_bad_placeholder_shows_the_error_next_to_the_field(self, world: World) -> None:
        client = signed_in(world.owner)
        response = client.post(SHIPPED, {"subject": "Shipped", "body": "Hi {customer.name}"})
        assert response.status_code == 422
        html = response.content.decode()
        error = re.search(r'<div class="field-error" id="id_body-error"><p>(.*?)</p>', html)
        assert error is not None
        assert "{customer.name}" in error.group(1)
        assert "attribute or index access" in error.group(1)
        assert not EmailTemplate.objects.exists()

    def test_saving_and_resetting(self, world: World) -> None:
        client = signed_in(world.owner)
        saved = client.post(
            SHIPPED, {"subject": "Off it goes", "body": "Hi {customer_name}"}, follow=True
        )
        assert "Your wording" in saved.content.decode()
        assert EmailTemplate.objects.get(key="order_shipped").subject == "Off it goes"
        reset = client.post(f"{SHIPPED}reset/", follow=True)
        assert "Default wording" in reset.content.decode()
        assert not EmailTemplate.objects.exists()

    def test_a_preview_fills_in_a_real_order(self, world: World) -> None:
        bundle = pay(world, place_order(world, {"MUG": 1}))
        ship(world, bundle, "acme")
        client = signed_in(world.owner)
        page = client.get(SHIPPED).content.decode()
        assert f'value="{bundle.order.number}"' in page  # the newest order, picked for you
        response = client.post(
            f"{SHIPPED}preview/",
            {
                "subject": "Draft for {order_number}",
                "body": "{customer_name}: {product_name} via {carrier}",
                "order": bundle.order.number,
            },
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "<html" not in html  # htmx swaps the editor only
        assert f"Draft for {bundle.order.number}" in html
        assert "John Doe: Mug item via UPS" in html
        assert not EmailTemplate.objects.exists()  # previewing saves nothing

    def test_a_draft_with_a_bad_placeholder_previews_as_its_error(self, world: World) -> None:
        number = place_order(world, {"MUG": 1}).order.number
        response = signed_in(world.owner).post(
            f"{SHIPPED}preview/",
            {"subject": "S", "body": "Hi {buyer_email}", "order": number},
            headers={"HX-Request": "true"},
        )
        html = response.content.decode()
        assert 'id="id_body-error"' in html
        assert "unknown placeholder {buyer_email}" in html
        assert 'id="preview"' not in html

    def test_a_preview_of_an_unknown_order_says_so_next_to_the_field(self, world: World) -> None:
        response = signed_in(world.owner).post(
            f"{SHIPPED}preview/", {"subject": "S", "body": "B", "order": "ORD-424242"}
        )
        assert response.status_code == 404
        assert 'id="id_order-error"' in response.content.decode()

    @pytest.mark.parametrize("who", ["seller", "buyer"])
    def test_the_pages_are_the_owners(self, world: World, who: str) -> None:
        party = world.members["acme"] if who == "seller" else world.buyers["john"]
        client = signed_in(party)
        assert client.get(TEMPLATES).status_code == 404
        assert client.get(SHIPPED).status_code == 404
        assert client.post(SHIPPED, {"subject": "x", "body": "y"}).status_code == 404
        assert not EmailTemplate.objects.exists()
