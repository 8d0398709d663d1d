"""The webhook pages: endpoints with their secret shown once, scope, edits, rotation, deletion,
replay, and the delivery log with its filters, pages and resend buttons."""

from __future__ import annotations

import html as html_lib
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import clock
from tests.builders import World, pay, place_order
from tests.dashboard.pages import signed_in
from tests.notifications.flows import run_worker
from tests.webhooks import conftest as webhook_fixtures
from tests.webhooks.receiver import Receiver
from tradepost.dashboard.views import webhooks as webhook_views
from tradepost.webhooks import services
from tradepost.webhooks.models import WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db

# The webhooks tests' fixtures: a receiver on 127.0.0.1, which only tests may target, and names
# under example.com resolving to a public address, as this machine has no outside DNS.
receiver = webhook_fixtures.receiver
allow_private_targets = webhook_fixtures.allow_private_targets
public_names_resolve = webhook_fixtures.public_names_resolve

LIST = "/dashboard/webhooks/"
LOG = "/dashboard/webhooks/deliveries/"
HOOK_URL = "https://hooks.example.com/tradepost"


def _page(endpoint: WebhookEndpoint, action: str = "") -> str:
    return f"/dashboard/webhooks/{endpoint.public_id}/{action + '/' if action else ''}"


def _resend(endpoint: WebhookEndpoint, delivery: WebhookDelivery, query: str = "") -> str:
    path = f"/dashboard/webhooks/{endpoint.public_id}/deliveries/{delivery.public_id}/resend/"
    return f"{path}?{query}" if query else path


def _text(response: Any) -> str:
    return str(response.content.decode())


def _secret_shown(html: str) -> str | None:
    found = re.search(r'id="signing-secret"[^>]*value="([^"]*)"', html)
    return html_lib.unescape(found.group(1)) if found else None


def _plain(html: str) -> str:
    return html_lib.unescape(re.sub(r"<[^>]+>", "", html))


def _field_error(html: str, field_id: str) -> str:
    """The message shown under a field (``_field.html`` links it with ``aria-describedby``)."""
    found = re.search(rf'<div class="field-error" id="{field_id}-error">(.*?)</div>', html, re.S)
    assert found, f"no error shown for {field_id}"
    return _plain(found.group(1))


def _rows(html: str) -> list[tuple[str, str]]:
    """(event type, status) of each delivery in the log, in the order shown."""
    return re.findall(r'data-event-type="([^"]+)" data-status="([^"]+)"', html)


def _next_page(html: str) -> str | None:
    found = re.search(r'<a class="button" href="([^"]+)"\s+hx-get=[^>]*>Next page', html)
    return html_lib.unescape(found.group(1)) if found else None


def _endpoint_to(world: World, receiver: Receiver, **fields: Any) -> WebhookEndpoint:
    created = services.endpoint_create(actor=world.owner.actor, url=receiver.url, **fields)
    receiver.secrets = [created.secret]
    return created.endpoint


class TestEndpoints:
    def test_the_secret_is_shown_once_when_an_endpoint_is_added(self, world: World) -> None:
        # given
        owner = signed_in(world.owner)
        # when
        response = owner.post(
            LIST,
            {
                "url": HOOK_URL,
                "description": "ERP sync",
                "event_types": ["order.created", "order.paid"],
            },
        )
        # then
        assert response.status_code == 201
        endpoint = WebhookEndpoint.objects.get()
        page = _text(response)
        assert _secret_shown(page) == endpoint.secret
        assert endpoint.secret.startswith("whsec_")
        assert "Store it now" in page
        assert "never show it again" in page
        assert "no-store" in response["Cache-Control"]
        assert endpoint.event_types == ["order.created", "order.paid"]
        # and never again: not on the list, not on the endpoint's page
        for later in (owner.get(LIST), owner.get(_page(endpoint))):
            assert later.status_code == 200
            assert endpoint.secret not in _text(later)
            assert _secret_shown(_text(later)) is None
        listed = _text(owner.get(LIST))
        assert HOOK_URL in listed
        assert "ERP sync" in listed
        assert "<code>order.created</code>, <code>order.paid</code>" in listed

    def test_no_type_ticked_means_every_event(self, world: World) -> None:
        owner = signed_in(world.owner)
        owner.post(LIST, {"url": HOOK_URL})
        assert WebhookEndpoint.objects.get().event_types == []
        assert "All events" in _text(owner.get(LIST))

    def test_a_seller_sees_only_its_endpoints_and_not_another_sellers(self, world: World) -> None:
        # given
        mine = services.endpoint_create(
            actor=world.members["acme"].actor, url="https://acme.example.com/hooks"
        ).endpoint
        theirs = services.endpoint_create(
            actor=world.members["bolt"].actor, url="https://bolt.example.com/hooks"
        ).endpoint
        services.endpoint_create(actor=world.owner.actor, url="https://ops.example.com/hooks")
        acme = signed_in(world.members["acme"])
        # when / then: the list holds acme's endpoint only
        listed = _text(acme.get(LIST))
        assert "acme.example.com" in listed
        assert "bolt.example.com" not in listed
        assert "ops.example.com" not in listed
        assert acme.get(_page(mine)).status_code == 200
        # and bolt's endpoint does not exist for acme, to read or to change
        response = acme.get(_page(theirs))
        assert response.status_code == 404
        assert "dashboard/not_found.html" in [t.name for t in response.templates]
        for action, data in (
            ("", {"url": "https://evil.example.com", "description": "x"}),
            ("enabled", {"enabled": "false"}),
            ("rotate-secret", {}),
            ("replay", {"since": "2020-01-01T00:00:00"}),
            ("delete", {}),
        ):
            assert acme.post(_page(theirs, action), data).status_code == 404, action
        assert acme.get(_page(theirs, "delete")).status_code == 404
        after = WebhookEndpoint.objects.get(pk=theirs.pk)
        assert (after.url, after.enabled, after.secret) == (theirs.url, True, theirs.secret)
        # while the owner sees all three, and whose each is
        owner_view = _text(signed_in(world.owner).get(LIST))
        assert owner_view.count('class="endpoint-row"') == 3
        assert "Seller acme" in owner_view
        assert "Marketplace-wide" in owner_view

    def test_a_sellers_new_endpoint_is_its_own(self, world: World) -> None:
        response = signed_in(world.members["acme"]).post(LIST, {"url": HOOK_URL})
        assert response.status_code == 201
        assert WebhookEndpoint.objects.get().seller == world.sellers["acme"]
        assert "Marketplace-wide" not in _text(response)

    def test_buyers_have_no_webhook_pages(self, world: World) -> None:
        buyer = signed_in(world.buyers["john"])
        assert buyer.get(LIST).status_code == 404
        assert buyer.get(LOG).status_code == 404
        assert buyer.post(LIST, {"url": HOOK_URL}).status_code == 404
        assert not WebhookEndpoint.objects.exists()
        assert 'href="/dashboard/webhooks/"' not in _text(buyer.get("/dashboard/orders/"))
        seller_nav = _text(signed_in(world.members["acme"]).get("/dashboard/queue/"))
        assert 'href="/dashboard/webhooks/"' in seller_nav

    @pytest.mark.parametrize(
        ("url", "reason"),
        [
            ("http://hooks.example.com/x", "must use https"),
            ("https://10.1.2.3/x", "loopback, private"),
            ("https://127.0.0.1/x", "loopback, private"),
        ],
    )
    def test_a_refused_url_is_explained_next_to_the_field(
        self, world: World, settings: Any, url: str, reason: str
    ) -> None:
        # given production's rule: public https targets only
        settings.TRADEPOST_WEBHOOKS_ALLOW_PRIVATE = False
        # when
        response = signed_in(world.owner).post(
            LIST, {"url": url, "description": "kept", "event_types": ["order.paid"]}
        )
        # then
        assert response.status_code == 422
        page = _text(response)
        assert reason in _field_error(page, "new-url")
        assert 'aria-describedby="new-url-error"' in page
        assert 'value="kept"' in page  # what was typed stays
        assert _secret_shown(page) is None
        assert not WebhookEndpoint.objects.exists()

    def test_an_unknown_event_type_gets_the_services_message(self, world: World) -> None:
        response = signed_in(world.owner).post(
            LIST, {"url": HOOK_URL, "event_types": ["order.shipped", "order.teleported"]}
        )
        assert response.status_code == 422
        message = _field_error(_text(response), "new-event_types")
        assert "Unknown: order.teleported" in message
        assert "known: order.created" in message
        assert not WebhookEndpoint.objects.exists()


class TestEndpointPage:
    def test_settings_are_saved_and_only_what_changed_is_checked(
        self, world: World, settings: Any
    ) -> None:
        # given an endpoint registered while private targets were allowed, then refused
        endpoint = services.endpoint_create(
            actor=world.owner.actor, url="http://127.0.0.1:9/hooks"
        ).endpoint
        settings.TRADEPOST_WEBHOOKS_ALLOW_PRIVATE = False
        owner = signed_in(world.owner)
        # when the description and types change, the URL staying as it is
        response = owner.post(
            _page(endpoint),
            {"url": endpoint.url, "description": "Billing", "event_types": ["order.paid"]},
        )
        # then it saves: the unchanged URL is not sent to be checked again
        assert response.status_code == 302
        endpoint.refresh_from_db()
        assert (endpoint.description, endpoint.event_types) == ("Billing", ["order.paid"])
        assert "Endpoint saved." in _text(owner.get(_page(endpoint)))

    def test_a_refused_new_url_leaves_the_endpoint_as_it_was(
        self, world: World, settings: Any
    ) -> None:
        endpoint = services.endpoint_create(actor=world.owner.actor, url=HOOK_URL).endpoint
        settings.TRADEPOST_WEBHOOKS_ALLOW_PRIVATE = False
        response = signed_in(world.owner).post(
            _page(endpoint), {"url": "https://169.254.169.254/latest", "description": "new"}
        )
        assert response.status_code == 422
        assert "metadata addresses are refused" in _field_error(_text(response), "edit-url")
        endpoint.refresh_from_db()
        assert (endpoint.url, endpoint.description) == (HOOK_URL, "")

    def test_disabling_shows_the_reason_and_enabling_clears_it(self, world: World) -> None:
        endpoint = services.endpoint_create(actor=world.owner.actor, url=HOOK_URL).endpoint
        owner = signed_in(world.owner)
        assert owner.post(_page(endpoint, "enabled"), {"enabled": "false"}).status_code == 302
        page = _text(owner.get(_page(endpoint)))
        assert "Endpoint disabled" in page
        assert "Reason: disabled by a person" in page
        assert ">Enable</button>" in page
        endpoint.refresh_from_db()
        assert not endpoint.enabled
        assert owner.post(_page(endpoint, "enabled"), {"enabled": "true"}).status_code == 302
        endpoint.refresh_from_db()
        assert (endpoint.enabled, endpoint.disabled_reason) == (True, "")
        assert ">Disable</button>" in _text(owner.get(_page(endpoint)))

    def test_rotating_shows_the_new_secret_once_and_when_the_old_one_stops(
        self, world: World
    ) -> None:
        # given
        clock.travel_to(datetime(2026, 3, 1, 11, 0, tzinfo=UTC))
        created = services.endpoint_create(actor=world.owner.actor, url=HOOK_URL)
        owner = signed_in(world.owner)
        # when
        clock.travel_to(datetime(2026, 3, 1, 12, 0, tzinfo=UTC))
        response = owner.post(_page(created.endpoint, "rotate-secret"))
        # then
        assert response.status_code == 200
        endpoint = WebhookEndpoint.objects.get()
        page = _text(response)
        assert _secret_shown(page) == endpoint.secret != created.secret
        assert "no-store" in response["Cache-Control"]
        assert "keeps signing beside the new one for 24 hours, until 2026-03-02 12:00 UTC" in (
            _plain(page)
        )
        # and the page read back names the expiry but shows no secret
        clock.travel_to(datetime(2026, 3, 1, 13, 0, tzinfo=UTC))
        later = _text(owner.get(_page(endpoint)))
        assert endpoint.secret not in later
        assert created.secret not in later
        assert "The previous secret also signs until" in later

    def test_delete_asks_first_then_removes_the_endpoint(self, world: World) -> None:
        endpoint = services.endpoint_create(actor=world.owner.actor, url=HOOK_URL).endpoint
        owner = signed_in(world.owner)
        confirm = owner.get(_page(endpoint, "delete"))
        assert confirm.status_code == 200
        assert "Delete this endpoint?" in _text(confirm)
        assert WebhookEndpoint.objects.exists()
        response = owner.post(_page(endpoint, "delete"))
        assert response.status_code == 302
        assert response["Location"] == LIST
        assert not WebhookEndpoint.objects.exists()
        assert "Endpoint deleted" in _text(owner.get(LIST))
        assert owner.get(_page(endpoint)).status_code == 404


class TestDeliveryLog:
    def test_each_delivery_shows_its_order_status_and_attempts(
        self, world: World, receiver: Receiver
    ) -> None:
        # given a delivery whose first attempt failed
        endpoint = _endpoint_to(world, receiver)
        receiver.statuses.append(503)
        receiver.response_body = b"<b>busy</b>"
        number = place_order(world, {"MUG": 1}).order.number
        run_worker()
        # when
        page = _text(signed_in(world.owner).get(_page(endpoint)))
        # then
        assert _rows(page) == [("order.created", "pending")]
        assert f'href="/dashboard/orders/{number}/">#{number}</a>' in page
        assert '<span class="badge delivery-pending">Pending</span>' in page
        assert "1 attempt<" in page
        assert "next attempt <time" in page
        attempts = page.split('<details class="attempts">', 1)[1].split("</details>", 1)[0]
        assert "last answered 503" in attempts
        assert "<td>503</td>" in attempts
        assert re.search(r'<td class="num">\d+ ms</td>', attempts)
        assert "&lt;b&gt;busy&lt;/b&gt;" in attempts  # the receiver's text, escaped

    def test_the_log_filters_by_status_type_and_date(
        self, world: World, receiver: Receiver
    ) -> None:
        # given two orders delivered, then a third whose delivery is still pending
        endpoint = _endpoint_to(world, receiver)
        first = pay(world, place_order(world, {"MUG": 1})).order.number
        place_order(world, {"TEE": 1})
        run_worker()
        receiver.statuses.append(500)
        pending = place_order(world, {"CAP": 1}).order.number
        run_worker()
        owner = signed_in(world.owner)

        def log(**query: str) -> str:
            response = owner.get(_page(endpoint), query)
            assert response.status_code == 200
            return _text(response)

        # when / then
        everything = _rows(log())
        assert len(everything) >= 4
        paid = log(event_type="order.paid")
        assert _rows(paid) == [("order.paid", "succeeded")]
        assert f"#{first}" in paid
        waiting = log(status="pending")
        assert _rows(waiting) == [("order.created", "pending")]
        assert f"#{pending}" in waiting
        assert f"#{first}" not in waiting
        assert all(status == "succeeded" for _, status in _rows(log(status="succeeded")))
        today = clock.now().date()
        tomorrow, yesterday = today + timedelta(days=1), today - timedelta(days=1)
        assert _rows(log(created_from=str(today), created_to=str(today))) == everything
        assert _rows(log(created_from=str(tomorrow))) == []
        assert _rows(log(created_to=str(yesterday))) == []
        assert '<option value="order.paid" selected>' in paid  # the filter in force shows
        bad = owner.get(_page(endpoint), {"created_from": str(today), "created_to": "2000-01-01"})
        assert bad.status_code == 400
        assert "must be on or after the start date" in _text(bad)

    def test_pages_go_on_by_cursor_with_the_filters_kept(
        self, world: World, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # given five order.created deliveries and pages of two
        monkeypatch.setattr(webhook_views, "LOG_PAGE_SIZE", 2)
        endpoint = _endpoint_to(world, receiver)
        numbers = [place_order(world, {"MUG": 1}).order.number for _ in range(5)]
        pay(world, place_order(world, {"TEE": 1}))
        run_worker()
        owner = signed_in(world.owner)
        # when
        url: str | None = f"{_page(endpoint)}?event_type=order.created"
        shown: list[str] = []
        pages = 0
        while url:
            page = _text(owner.get(url))
            pages += 1
            assert {event for event, _ in _rows(page)} == {"order.created"}
            shown += re.findall(r'class="order-number" href="[^"]+">#([\w-]+)<', page)
            url = _next_page(page)
            assert url is None or "event_type=order.created" in url
        # then: newest first, each once (the TEE order's created delivery is the newest)
        assert pages == 3
        assert shown[1:] == list(reversed(numbers))
        # and htmx gets only the results as the filters change
        partial = owner.get(f"{_page(endpoint)}?status=succeeded", headers={"HX-Request": "true"})
        assert "<html" not in _text(partial)
        assert 'class="delivery-rows"' in _text(partial)

    def test_a_cursor_from_elsewhere_is_refused(self, world: World) -> None:
        endpoint = services.endpoint_create(actor=world.owner.actor, url=HOOK_URL).endpoint
        response = signed_in(world.owner).get(_page(endpoint), {"cursor": "bogus"})
        assert response.status_code == 422
        assert "The cursor is not a cursor this list returned." in _text(response)

    def test_the_whole_log_holds_only_the_sellers_own_deliveries(
        self, world: World, receiver: Receiver
    ) -> None:
        # given an endpoint each for acme and bolt
        acme = services.endpoint_create(actor=world.members["acme"].actor, url=receiver.url)
        bolt = services.endpoint_create(actor=world.members["bolt"].actor, url=receiver.url)
        acme_order = place_order(world, {"MUG": 1}).order.number
        bolt_order = place_order(world, {"TEE": 1}).order.number
        run_worker()
        seller = signed_in(world.members["acme"])
        # when
        page = _text(seller.get(LOG))
        # then
        assert _rows(page) == [("order.created", "succeeded")]
        assert f"#{acme_order}" in page
        assert f"#{bolt_order}" not in page
        assert str(bolt.endpoint.public_id) not in page
        assert str(acme.endpoint.public_id) in page
        other = WebhookDelivery.objects.get(endpoint=bolt.endpoint)
        resend = f"/dashboard/webhooks/deliveries/{other.public_id}/resend/"
        assert seller.post(resend).status_code == 404
        assert seller.post(_resend(acme.endpoint, other)).status_code == 404
        assert seller.get(LOG, {"endpoint": str(bolt.endpoint.public_id)}).status_code == 400
        owner_log = _text(signed_in(world.owner).get(LOG))
        assert len(_rows(owner_log)) == 2

    def test_resend_sends_the_event_again_and_comes_back_to_the_same_log(
        self, world: World, receiver: Receiver
    ) -> None:
        # given a delivery that failed its first attempt
        endpoint = _endpoint_to(world, receiver)
        receiver.statuses.append(500)
        place_order(world, {"MUG": 1})
        run_worker()
        delivery = WebhookDelivery.objects.get()
        owner = signed_in(world.owner)
        # when
        response = owner.post(_resend(endpoint, delivery, "status=pending"))
        run_worker()
        # then
        assert response.status_code == 302
        assert response["Location"] == f"{_page(endpoint)}?status=pending"
        assert WebhookDelivery.objects.count() == 2
        assert len(receiver.received) == 2
        ids = {request.headers["webhook-id"] for request in receiver.received}
        assert len(ids) == 1  # the same message id, so receivers deduplicate
        page = _text(owner.get(_page(endpoint)))
        assert "Delivery queued to be sent again." in page
        assert ("order.created", "succeeded") in _rows(page)

    def test_resend_from_the_whole_log(self, world: World, receiver: Receiver) -> None:
        _endpoint_to(world, receiver)
        receiver.statuses.append(500)
        place_order(world, {"MUG": 1})
        run_worker()
        delivery = WebhookDelivery.objects.get()
        response = signed_in(world.owner).post(
            f"/dashboard/webhooks/deliveries/{delivery.public_id}/resend/?event_type=order.created"
        )
        run_worker()
        assert response["Location"] == f"{LOG}?event_type=order.created"
        assert len(receiver.received) == 2

    def test_resend_to_a_disabled_endpoint_says_why(self, world: World, receiver: Receiver) -> None:
        endpoint = _endpoint_to(world, receiver)
        place_order(world, {"MUG": 1})
        run_worker()
        services.endpoint_update(
            actor=world.owner.actor, endpoint_id=endpoint.public_id, changes={"enabled": False}
        )
        delivery = WebhookDelivery.objects.get()
        response = signed_in(world.owner).post(_resend(endpoint, delivery))
        assert response.status_code == 422
        assert "Not resent: The endpoint is disabled; enable it before resending." in _text(
            response
        )
        assert WebhookDelivery.objects.count() == 1

    def test_replay_queues_every_event_since_the_time(
        self, world: World, receiver: Receiver
    ) -> None:
        # given two orders placed before the endpoint existed
        since = (clock.now() - timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%S")
        place_order(world, {"MUG": 1})
        place_order(world, {"TEE": 1})
        run_worker()
        owner = signed_in(world.owner)
        owner.post(LIST, {"url": receiver.url, "event_types": ["order.created"]})
        endpoint = WebhookEndpoint.objects.get()
        receiver.secrets = [endpoint.secret]
        # when
        response = owner.post(_page(endpoint, "replay"), {"since": since})
        run_worker()
        # then
        assert response.status_code == 302
        assert [request.json()["type"] for request in receiver.received] == ["order.created"] * 2
        assert all(request.verified_with for request in receiver.received)
        page = _text(owner.get(_page(endpoint)))
        assert "Replay: 2 events queued." in page
        assert _rows(page) == [("order.created", "succeeded")] * 2

    def test_a_future_replay_time_is_refused_next_to_the_field(self, world: World) -> None:
        endpoint = services.endpoint_create(actor=world.owner.actor, url=HOOK_URL).endpoint
        tomorrow = (clock.now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S")
        response = signed_in(world.owner).post(_page(endpoint, "replay"), {"since": tomorrow})
        assert response.status_code == 422
        assert (
            _field_error(_text(response), "replay-since")
            == "Since (UTC) must not be in the future."
        )
        assert not WebhookDelivery.objects.exists()

    @pytest.mark.parametrize("page", ["endpoint", "whole log"])
    def test_the_log_costs_the_same_queries_for_one_delivery_or_many(
        self, world: World, receiver: Receiver, page: str
    ) -> None:
        # given
        endpoint = _endpoint_to(world, receiver)
        owner = signed_in(world.owner)
        url = _page(endpoint) if page == "endpoint" else LOG
        counts = []
        for orders in (1, 6):
            for _ in range(orders):
                pay(world, place_order(world, {"MUG": 1, "TEE": 1}))
            run_worker()
            # when
            with CaptureQueriesContext(connection) as queries:
                response = owner.get(url)
            # then
            assert response.status_code == 200
            counts.append((len(_rows(_text(response))), len(queries)))
        assert counts[0][0] < counts[1][0]
        assert counts[0][1] == counts[1][1], counts
