"""Sign-in, landing per role, the cool-down after failures, and password reset by email."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from tests.builders import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle() -> None:
    cache.clear()


class TestLanding:
    @pytest.mark.parametrize(
        ("who", "landing"),
        [
            ("owner", "/dashboard/orders/"),
            ("seller", "/dashboard/queue/"),
            ("buyer", "/dashboard/orders/"),
        ],
    )
    def test_each_role_lands_on_its_dashboard(self, world: World, who: str, landing: str) -> None:
        party = {
            "owner": world.owner,
            "seller": world.members["acme"],
            "buyer": world.buyers["john"],
        }[who]
        client = Client()
        response = client.post(
            "/accounts/login/", {"username": party.user.username, "password": "pw"}, follow=True
        )
        assert response.redirect_chain[-1][0] == landing
        assert response.status_code == 200

    def test_a_buyer_has_no_seller_queue(self, world: World) -> None:
        client = Client()
        client.force_login(world.buyers["john"].user)
        assert client.get("/dashboard/queue/").status_code == 404

    def test_sign_out_is_a_post(self, world: World) -> None:
        client = Client()
        client.force_login(world.owner.user)
        assert client.post("/accounts/logout/").status_code == 302
        assert client.get("/dashboard/orders/").status_code == 302


class TestThrottle:
    def test_five_failures_cool_the_username_down_even_with_the_right_password(
        self, world: World
    ) -> None:
        username = world.owner.user.username
        client = Client()
        for _ in range(5):
            response = client.post("/accounts/login/", {"username": username, "password": "no"})
            assert "Please enter a correct username and password" in response.content.decode()
        response = client.post("/accounts/login/", {"username": username, "password": "pw"})
        assert response.status_code == 200
        assert "Too many failed sign-ins" in response.content.decode()
        assert "_auth_user_id" not in client.session


class TestPasswordReset:
    def test_the_reset_link_arrives_by_email_and_sets_a_new_password(self, world: World) -> None:
        user = world.buyers["john"].user
        client = Client()
        response = client.post("/accounts/password_reset/", {"email": user.email})
        assert response.status_code == 302
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == [user.email]
        assert message.subject == "Reset your Tradepost password"
        link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body)
        assert link is not None
        form = client.get(link.group(1), follow=True)
        new = "a-long-new-passphrase-42"
        done = client.post(
            form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}, follow=True
        )
        assert "Password changed" in done.content.decode()
        assert Client().login(username=user.username, password=new)

    def test_reset_requests_are_capped_per_address_and_per_client(
        self, world: World, settings: Any
    ) -> None:
        # given: three reset emails an hour to one address
        settings.TRADEPOST_PASSWORD_RESETS_PER_HOUR = 3
        john, jane = world.buyers["john"].user, world.buyers["jane"].user
        client = Client()
        # when: the form is posted five times for john
        answers = [
            client.post("/accounts/password_reset/", {"email": john.email}) for _ in range(5)
        ]
        # then: three emails, and the rest are refused on the page, sending nothing
        assert [answer.status_code for answer in answers] == [302, 302, 302, 200, 200]
        assert "Too many reset requests" in answers[-1].content.decode()
        assert len(mail.outbox) == 3
        # jane's address is counted apart, until this client has asked ten times as often
        assert client.post("/accounts/password_reset/", {"email": jane.email}).status_code == 302
        assert len(mail.outbox) == 4
        for n in range(30):
            client.post("/accounts/password_reset/", {"email": f"nobody{n}@example.com"})
        refused = client.post("/accounts/password_reset/", {"email": jane.email})
        assert refused.status_code == 200
        assert len(mail.outbox) == 4
