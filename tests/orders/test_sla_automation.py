"""SLA automation run by the real worker on a controlled clock: before a deadline nothing, after it
exactly one effect, and a rerun nothing more. Emails arrive in a real SMTP server."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests import clock
from tests.builders import ApiClient, World
from tests.notifications import conftest as mail
from tests.notifications.conftest import PUBLIC_URL
from tests.notifications.flows import reference
from tests.notifications.smtp import SmtpSink
from tests.orders.sla_flows import PAID_AT, acknowledge_and_ship, at, paid
from tradepost.catalog import services as catalog
from tradepost.catalog.models import Listing
from tradepost.catalog.selectors import marketplace_get
from tradepost.disputes.services import case_open
from tradepost.notifications.models import Notification
from tradepost.orders import automation, services
from tradepost.orders.automation import NOTICES, notice_send
from tradepost.orders.models import Order, SellerOrder
from tradepost.orders.selectors import OrderBundle

pytestmark = pytest.mark.django_db
# The public URL of tests/notifications, for these tests too (the SMTP sink is everyone's).
mail_public_url = mail.public_url

JOHN, ACME, STAFF = "john@buyers.test", "a@acme.test", "owner@example.com"


def kinds(api: ApiClient, world: World, number: str) -> list[str]:
    response = api.get(f"/orders/{number}/events", world.owner.key)
    assert response.status == 200, response
    return [event["kind"] for event in response.json() if event["kind"].startswith("sla.")]


def subjects(sink: SmtpSink, address: str) -> list[str]:
    return [received.subject for received in sink.to(address)]


class TestAcknowledgementSla:
    def test_the_seller_is_reminded_once_the_reminder_hours_before_the_deadline(
        self, world: World, api: ApiClient, smtp: SmtpSink
    ) -> None:
        # given: paid, 48 h to acknowledge, reminders 12 h ahead
        bundle = paid(world)
        number, ref = bundle.order.number, reference(bundle, "acme")
        # when: 13 h before the deadline, nothing
        at(timedelta(hours=35))
        # then
        assert kinds(api, world, number) == []
        assert subjects(smtp, ACME) == [f"New order {number}: please acknowledge it"]
        # when: 11 h before it, and again a few minutes later
        at(timedelta(hours=37))
        at(timedelta(hours=37, minutes=5))
        # then: exactly one reminder, by email and on the dashboard
        assert kinds(api, world, number) == ["sla.acknowledge_reminder"]
        reminder = smtp.to(ACME)[-1]
        assert reminder.subject == (
            f"Reminder: please acknowledge order {number} by Thu 3 Dec 2026, 09:00 UTC"
        )
        assert f"{PUBLIC_URL}/dashboard/orders/{number}/" in reminder.body
        assert JOHN not in reminder.body
        assert len(subjects(smtp, ACME)) == 2
        titles = list(Notification.objects.values_list("title", flat=True))
        assert f"Reminder: acknowledge {ref} by Thu 3 Dec 2026, 09:00 UTC" in titles

    def test_past_the_deadline_it_is_flagged_late_once_and_the_owner_alerted(
        self, world: World, api: ApiClient, smtp: SmtpSink
    ) -> None:
        # given
        bundle = paid(world)
        number, ref = bundle.order.number, reference(bundle, "acme")
        at(timedelta(hours=47, minutes=59))
        assert "sla.acknowledge_late" not in kinds(api, world, number)
        assert api.get("/orders", world.owner.key, late="true").json()["items"] == []
        # when
        at(timedelta(hours=48, minutes=1))
        at(timedelta(hours=49))
        # then: one late flag on the timeline, one alert to the owner's people
        assert kinds(api, world, number).count("sla.acknowledge_late") == 1
        assert subjects(smtp, STAFF) == [
            f"Late: {ref} from Acme was not acknowledged by Thu 3 Dec 2026, 09:00 UTC"
        ]
        assert Notification.objects.filter(title__startswith=f"Late: {ref}").count() == 1
        listed = api.get("/orders", world.owner.key, late="true").json()["items"]
        assert [order["number"] for order in listed] == [number]
        # the buyer hears of a delay only when shipping is late
        assert not any("update on your order" in s for s in subjects(smtp, JOHN))

    def test_an_acknowledged_order_is_neither_reminded_nor_flagged(
        self, world: World, api: ApiClient, smtp: SmtpSink
    ) -> None:
        bundle = paid(world)
        services.seller_order_acknowledge(
            actor=world.members["acme"].actor, reference=reference(bundle, "acme")
        )
        at(timedelta(hours=50))
        assert "sla.acknowledge_reminder" not in kinds(api, world, bundle.order.number)
        assert "sla.acknowledge_late" not in kinds(api, world, bundle.order.number)


class TestShippingSla:
    def test_a_late_shipment_tells_the_buyer_once_with_an_apology(
        self, world: World, api: ApiClient, smtp: SmtpSink
    ) -> None:
        # given: acknowledged in time, never shipped
        bundle = paid(world)
        number = bundle.order.number
        services.seller_order_acknowledge(
            actor=world.members["acme"].actor, reference=reference(bundle, "acme")
        )
        at(timedelta(days=2, hours=23))
        assert kinds(api, world, number) == ["sla.ship_reminder"]
        assert not any("update" in s for s in subjects(smtp, JOHN))
        # when
        at(timedelta(days=3, minutes=1))
        at(timedelta(days=3, hours=2))
        # then
        assert kinds(api, world, number) == ["sla.ship_reminder", "sla.ship_late"]
        delayed = [m for m in smtp.to(JOHN) if m.subject == f"An update on your order {number}"]
        assert len(delayed) == 1
        body = delayed[0].body
        assert body.startswith("Hello John Doe,")
        assert "We're sorry: your order for Mug item from Acme has not shipped yet." in body
        assert "It was due to ship by Fri 4 Dec 2026, 09:00 UTC." in body
        assert ACME not in body

    def test_a_shipped_order_is_not_late(
        self, world: World, api: ApiClient, smtp: SmtpSink
    ) -> None:
        bundle = paid(world)
        acknowledge_and_ship(world, reference(bundle, "acme"))
        at(timedelta(days=4))
        assert "sla.ship_late" not in kinds(api, world, bundle.order.number)


class TestAutoCancel:
    def test_off_by_default(self, world: World, api: ApiClient, smtp: SmtpSink) -> None:
        bundle = paid(world)
        at(timedelta(days=30))
        assert SellerOrder.objects.get(order=bundle.order).status == "pending"

    def test_never_acknowledged_is_canceled_refunded_in_full_and_restocked(
        self, world: World, api: ApiClient, smtp: SmtpSink
    ) -> None:
        # given: auto-cancel 2 days after the acknowledgement deadline
        response = api.patch(
            "/marketplace", world.owner.key, {"auto_cancel_unacknowledged_days": 2}
        )
        assert response.status == 200, response
        stock = Listing.objects.get(sku="MUG").stock_quantity
        bundle = paid(world, {"MUG": 2})
        number = bundle.order.number
        assert Listing.objects.get(sku="MUG").stock_quantity == stock - 2
        # when: just before, then just after the acknowledgement deadline + 2 days
        at(timedelta(days=4, minutes=-1))
        assert Order.objects.get(number=number).status == "pending"
        at(timedelta(days=4, minutes=1))
        at(timedelta(days=4, minutes=5))
        # then
        order = Order.objects.get(number=number)
        assert order.status == "canceled"
        assert order.refunded_amount == order.captured_amount == 2500
        assert order.payment_status == "refunded"
        assert Listing.objects.get(sku="MUG").stock_quantity == stock
        events = api.get(f"/orders/{number}/events", world.owner.key).json()
        canceled = [e for e in events if e["to_status"] == "canceled"]
        assert len(canceled) == 1
        assert canceled[0]["actor_role"] == "system"
        assert "Not acknowledged by the seller within 2 days" in canceled[0]["message"]
        assert [m.subject for m in smtp.to(JOHN)].count(
            f"Your order {number} has been canceled"
        ) == 1

    def test_turned_off_again_with_null(self, world: World, api: ApiClient) -> None:
        api.patch("/marketplace", world.owner.key, {"auto_cancel_unacknowledged_days": 2})
        response = api.patch(
            "/marketplace", world.owner.key, {"auto_cancel_unacknowledged_days": None}
        )
        assert response.json()["auto_cancel_unacknowledged_days"] is None


class TestAutoComplete:
    def delivered(self, world: World) -> OrderBundle:
        bundle = paid(world)
        clock.travel_to(PAID_AT + timedelta(days=1))
        acknowledge_and_ship(world, reference(bundle, "acme"))
        services.seller_order_deliver(
            actor=world.members["acme"].actor, reference=reference(bundle, "acme")
        )
        return bundle

    def test_delivered_orders_complete_after_the_configured_days(
        self, world: World, api: ApiClient, smtp: SmtpSink
    ) -> None:
        # given: delivered on day 1, auto-complete after 7 days
        bundle = self.delivered(world)
        number = bundle.order.number
        at(timedelta(days=8, minutes=-1))
        assert Order.objects.get(number=number).status == "delivered"
        # when
        at(timedelta(days=8, minutes=1))
        at(timedelta(days=8, minutes=5))
        # then: completed once, by the system, and the buyer is invited to review
        assert Order.objects.get(number=number).status == "completed"
        events = api.get(f"/orders/{number}/events", world.owner.key).json()
        completed = [e for e in events if e["to_status"] == "completed"]
        assert len(completed) == 1
        assert completed[0]["actor_role"] == "system"
        assert "after delivery, with no open dispute" in completed[0]["message"]
        assert len([m for m in smtp.to(JOHN) if m.subject == "How was your order from Acme?"]) == 1

    def test_an_open_dispute_blocks_it(self, world: World, api: ApiClient) -> None:
        bundle = self.delivered(world)
        clock.travel_to(PAID_AT + timedelta(days=2))
        case_open(
            actor=world.buyers["john"].actor,
            reference=reference(bundle, "acme"),
            kind="damaged",
            description="The mug arrived cracked.",
        )
        at(timedelta(days=9))
        assert Order.objects.get(number=bundle.order.number).status == "delivered"


class TestDeliveryConfirmation:
    def test_the_buyer_is_asked_once_after_shipping_and_the_expected_days(
        self, world: World, api: ApiClient, smtp: SmtpSink
    ) -> None:
        # given: shipped on day 1; delivery is expected within 5 days
        bundle = paid(world)
        number = bundle.order.number
        clock.travel_to(PAID_AT + timedelta(days=1))
        acknowledge_and_ship(world, reference(bundle, "acme"))
        at(timedelta(days=6, minutes=-1))
        assert "sla.delivery_confirmation" not in kinds(api, world, number)
        # when
        at(timedelta(days=6, minutes=1))
        at(timedelta(days=6, minutes=5))
        # then: one email linking to the order page, where the confirm action is
        asked = [m for m in smtp.to(JOHN) if m.subject == f"Has your order {number} arrived?"]
        assert len(asked) == 1
        url = f"{PUBLIC_URL}/dashboard/orders/{number}/"
        assert url in asked[0].body
        assert "please confirm delivery on your order page" in asked[0].body
        buyer_view = api.get(f"/orders/{number}", world.buyers["john"].key).json()
        assert "complete" in buyer_view["seller_orders"][0]["actions"]


class TestRerunsAndBatches:
    def test_running_a_rule_again_at_the_same_moment_sends_nothing(self, world: World) -> None:
        paid(world)
        now = PAID_AT + timedelta(days=5)
        clock.travel_to(now)
        marketplace = marketplace_get()
        first = {n.name: notice_send(n, marketplace=marketplace, now=now) for n in NOTICES}
        again = {n.name: notice_send(n, marketplace=marketplace, now=now) for n in NOTICES}
        assert first["acknowledge_late"] == first["ship_late"] == 1
        assert set(again.values()) == {0}

    def test_one_order_failing_holds_up_no_other_and_is_tried_again(
        self, world: World, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # given two orders late at once, the first of which breaks the late notice (a bug)
        first, second = paid(world), paid(world)
        broken = first.seller_orders[0].seller_order.pk
        real = automation.sla_notice_event

        def failing(*, seller_order: SellerOrder, **kwargs: Any) -> Any:
            if seller_order.pk == broken:
                raise RuntimeError("boom")
            return real(seller_order=seller_order, **kwargs)

        monkeypatch.setattr(automation, "sla_notice_event", failing)
        now = PAID_AT + timedelta(days=2, hours=1)
        late = next(notice for notice in NOTICES if notice.name == "acknowledge_late")
        clock.travel_to(now)
        marketplace = marketplace_get()
        # when the rule runs: the second is flagged, the first rolled back whole
        assert notice_send(late, marketplace=marketplace, now=now) == 1
        assert SellerOrder.objects.get(pk=broken).acknowledge_late_at is None
        flagged = SellerOrder.objects.get(pk=second.seller_orders[0].seller_order.pk)
        assert flagged.acknowledge_late_at == now
        # then, fixed, the next run sends the first its notice
        monkeypatch.undo()
        assert notice_send(late, marketplace=marketplace, now=now) == 1
        assert SellerOrder.objects.get(pk=broken).acknowledge_late_at == now


class TestSellerOverrides:
    def set_times(self, api: ApiClient, world: World, **times: Any) -> Any:
        return api.patch("/sellers/acme", world.owner.key, times)

    def test_the_sellers_handling_times_set_the_due_times_at_payment(
        self, world: World, api: ApiClient
    ) -> None:
        # given
        response = self.set_times(
            api, world, acknowledgement_sla_hours=24, ship_within_days=3, ship_within_min_days=2
        )
        assert response.status == 200, response
        # when
        bundle = paid(world, {"MUG": 1, "TEE": 1})
        # then: acme's own times; bolt keeps the marketplace's
        parts = {
            p["seller"]["slug"]: p
            for p in api.get(f"/orders/{bundle.order.number}", world.buyers["john"].key).json()[
                "seller_orders"
            ]
        }
        assert parts["acme"]["acknowledge_due_at"] == "2026-12-02T09:00:00Z"
        assert parts["acme"]["ship_due_at"] == "2026-12-04T09:00:00Z"
        assert parts["acme"]["shipping_promise"] == "Ships within 2\N{EN DASH}3 days"
        assert parts["bolt"]["acknowledge_due_at"] == "2026-12-03T09:00:00Z"
        assert parts["bolt"]["shipping_promise"] == "Ships within 3 days"

    def test_buyers_see_the_promise_on_the_seller_and_on_their_order_page(
        self, world: World, api: ApiClient
    ) -> None:
        self.set_times(api, world, ship_within_days=3, ship_within_min_days=2)
        seller = api.get("/sellers/acme", world.buyers["john"].key).json()
        assert seller["shipping_promise"] == "Ships within 2\N{EN DASH}3 days"
        bundle = paid(world)
        client = api.client
        client.force_login(world.buyers["john"].user)
        page = client.get(f"/dashboard/orders/{bundle.order.number}/").content.decode()
        assert "Ships within 2\N{EN DASH}3 days" in page

    def test_a_range_that_reads_backwards_is_refused_naming_the_field(
        self, world: World, api: ApiClient
    ) -> None:
        response = self.set_times(api, world, ship_within_days=2, ship_within_min_days=4)
        assert response.status == 422
        assert response.json()["errors"][0]["field"] == "ship_within_min_days"
        assert "at most the ship-within days (2)" in response.json()["errors"][0]["message"]

    def test_settings_out_of_range_are_refused(self, world: World, api: ApiClient) -> None:
        response = api.patch("/marketplace", world.owner.key, {"sla_reminder_hours": -1})
        assert response.status == 422
        assert "sla_reminder_hours" in response.body.decode()
        assert self.set_times(api, world, acknowledgement_sla_hours=0).status == 422
        catalog.seller_update(actor=world.owner.actor, slug="acme", ship_within_min_days=None)
