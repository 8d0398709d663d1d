"""Webhook delivery end to end: a domain change, the worker, a real receiver checking signatures."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django_tasks_db.models import DBTaskResult

from tests import clock
from tests.builders import World, pay, place_order
from tests.notifications.flows import run_worker
from tests.webhooks.receiver import Receiver
from tradepost.core.dispatch import outbox_dispatch
from tradepost.core.schedule import periodic_jobs_enqueue
from tradepost.core.worker import Worker
from tradepost.webhooks import services
from tradepost.webhooks.delivery import RETRY_DELAYS, delivery_attempt
from tradepost.webhooks.models import DeliveryStatus, WebhookDelivery

pytestmark = pytest.mark.django_db


class TestDelivery:
    def test_an_order_reaches_the_endpoint_signed_per_standard_webhooks(
        self, world: World, receiver: Receiver
    ) -> None:
        # given
        created = services.endpoint_create(actor=world.owner.actor, url=receiver.url)
        receiver.secrets = [created.secret]
        # when
        bundle = place_order(world, {"MUG": 1})
        run_worker()
        # then
        assert len(receiver.received) == 1
        got = receiver.received[0]
        assert got.verified_with == [created.secret]
        assert got.json()["type"] == "order.created"
        assert got.json()["data"]["order"]["number"] == bundle.order.number
        assert got.headers["webhook-id"].startswith("evt_")

    def test_failures_are_retried_with_backoff_then_succeed(
        self, world: World, receiver: Receiver
    ) -> None:
        created = services.endpoint_create(actor=world.owner.actor, url=receiver.url)
        receiver.secrets = [created.secret]
        receiver.statuses.extend([500, 503])
        place_order(world, {"MUG": 1})
        run_worker()  # the first attempt: 500
        delivery = WebhookDelivery.objects.get()
        assert (delivery.status, delivery.attempt_count) == ("pending", 1)
        first_wait = delivery.next_attempt_at - delivery.attempts.get().attempted_at
        assert RETRY_DELAYS[0] * 0.9 <= first_wait <= RETRY_DELAYS[0] * 1.1
        clock.travel_to(delivery.next_attempt_at + timedelta(seconds=1))
        delivery_attempt(delivery.pk)  # 503
        delivery.refresh_from_db()
        clock.travel_to(delivery.next_attempt_at + timedelta(seconds=1))
        delivery_attempt(delivery.pk)  # 200
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.SUCCEEDED
        assert [a.status_code for a in delivery.attempts.order_by("id")] == [500, 503, 200]
        ids = {r.headers["webhook-id"] for r in receiver.received}
        assert len(ids) == 1  # the same message id on every attempt
        assert receiver.received[0].verified_with == [created.secret]  # in real time
        assert all(r.signed_by(created.secret) for r in receiver.received)

    def test_a_seller_endpoint_hears_only_its_orders_as_it_sees_them(
        self, world: World, receiver: Receiver
    ) -> None:
        created = services.endpoint_create(actor=world.members["bolt"].actor, url=receiver.url)
        receiver.secrets = [created.secret]
        place_order(world, {"MUG": 1})  # acme only
        mixed = pay(world, place_order(world, {"MUG": 1, "TEE": 1}))
        run_worker()
        orders = [r.json()["data"]["order"] for r in receiver.received]
        assert {o["number"] for o in orders} == {mixed.order.number}
        for order in orders:
            assert [so["seller"]["slug"] for so in order["seller_orders"]] == ["bolt"]
            assert order["total_amount"] == 2000
            assert order["buyer"]["email"] == "j***@buyers.test"
            assert "captured_amount" not in order


class TestPriority:
    def test_a_delivery_runs_before_periodic_jobs_queued_ahead_of_it(
        self, world: World, receiver: Receiver
    ) -> None:
        # given every periodic job due and queued, then an order's delivery queued behind them
        created = services.endpoint_create(actor=world.owner.actor, url=receiver.url)
        receiver.secrets = [created.secret]
        place_order(world, {"MUG": 1})
        assert len(periodic_jobs_enqueue()) == len(settings.TRADEPOST_PERIODIC_JOBS)
        assert outbox_dispatch() == 1
        # when one worker turn runs them all
        Worker(interval=0).turn()
        # then the delivery finished before any periodic job started
        tasks = DBTaskResult.objects.all()
        [delivery] = [t for t in tasks if t.task_path == "tradepost.webhooks.tasks.deliver"]
        jobs = [t for t in tasks if t.task_path != delivery.task_path]
        assert len(jobs) == len(settings.TRADEPOST_PERIODIC_JOBS)
        assert all(job.status == "SUCCESSFUL" for job in jobs)
        assert delivery.finished_at is not None
        assert all(delivery.finished_at <= job.started_at for job in jobs if job.started_at)
        assert len(receiver.received) == 1


class TestFailures:
    def test_five_days_of_failures_disable_the_endpoint_and_email_the_staff(
        self, world: World, receiver: Receiver
    ) -> None:
        from tradepost.notifications.models import OutgoingEmail
        from tradepost.webhooks.models import WebhookEndpoint

        world.owner.user.email = "ops@market.test"
        world.owner.user.save()
        made = services.endpoint_create(actor=world.owner.actor, url=receiver.url)
        receiver.statuses.extend([500] * 100)
        start = clock.now()
        # an event every 10 hours for five days, every delivery failing
        for step in range(13):
            clock.travel_to(start + timedelta(hours=10 * step))
            place_order(world, {"MUG": 1})
            run_worker()
            endpoint = WebhookEndpoint.objects.get(pk=made.endpoint.pk)
            assert endpoint.failing_since == start
            if step < 12:
                assert endpoint.enabled, step
        assert not endpoint.enabled
        assert endpoint.disabled_reason.startswith("failing since")
        assert not WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING).exists()
        email = OutgoingEmail.objects.get(kind="staff")
        assert email.to == ["ops@market.test"]
        assert receiver.url in email.subject

    def test_failures_after_a_long_silence_start_a_new_streak(
        self, world: World, receiver: Receiver
    ) -> None:
        from tradepost.webhooks.models import WebhookEndpoint

        made = services.endpoint_create(actor=world.owner.actor, url=receiver.url)
        # the first event's delivery, its retry (due by the time of the second) and the second's
        receiver.statuses.extend([500, 503, 502])
        start = clock.travel_to(clock.now())
        place_order(world, {"MUG": 1})
        run_worker()
        later = start + timedelta(days=21)
        clock.travel_to(later)
        place_order(world, {"MUG": 1})
        run_worker()
        endpoint = WebhookEndpoint.objects.get(pk=made.endpoint.pk)
        assert endpoint.enabled
        assert endpoint.failing_since == later

    def test_a_success_resets_the_failure_clock(self, world: World, receiver: Receiver) -> None:
        from tradepost.webhooks.models import WebhookEndpoint

        made = services.endpoint_create(actor=world.owner.actor, url=receiver.url)
        receiver.statuses.append(502)
        place_order(world, {"MUG": 1})
        run_worker()
        assert WebhookEndpoint.objects.get(pk=made.endpoint.pk).failing_since is not None
        place_order(world, {"MUG": 1})
        run_worker()
        assert WebhookEndpoint.objects.get(pk=made.endpoint.pk).failing_since is None

    def test_a_slow_endpoint_times_out_and_is_retried(
        self, world: World, receiver: Receiver, settings: pytest.FixtureRequest
    ) -> None:
        settings.TRADEPOST_WEBHOOK_TIMEOUT_SECONDS = 0.3  # type: ignore[attr-defined]
        receiver.delay_seconds = 1.0
        services.endpoint_create(actor=world.owner.actor, url=receiver.url)
        place_order(world, {"MUG": 1})
        run_worker()
        delivery = WebhookDelivery.objects.get()
        attempt = delivery.attempts.get()
        assert attempt.status_code is None
        assert attempt.error.startswith("timed out")
        assert delivery.status == DeliveryStatus.PENDING
        assert delivery.next_attempt_at is not None

    def test_only_the_start_of_a_huge_response_is_read_and_kept(
        self, world: World, receiver: Receiver
    ) -> None:
        receiver.response_body = b"x" * (5 * 1024 * 1024)
        services.endpoint_create(actor=world.owner.actor, url=receiver.url)
        place_order(world, {"MUG": 1})
        run_worker()
        attempt = WebhookDelivery.objects.get().attempts.get()
        assert attempt.status_code == 200
        assert attempt.response_excerpt == "x" * 2000

    def test_a_retry_after_the_last_gives_up(self, world: World, receiver: Receiver) -> None:
        services.endpoint_create(actor=world.owner.actor, url=receiver.url)
        receiver.statuses.extend([500] * (len(RETRY_DELAYS) + 1))
        place_order(world, {"MUG": 1})
        run_worker()
        delivery = WebhookDelivery.objects.get()
        while delivery.status == DeliveryStatus.PENDING:
            clock.travel_to(delivery.next_attempt_at + timedelta(seconds=1))
            delivery_attempt(delivery.pk)
            delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.FAILED
        assert delivery.attempt_count == len(RETRY_DELAYS) + 1
        waits = [
            later.attempted_at - earlier.attempted_at
            for earlier, later in zip(
                list(delivery.attempts.order_by("id")),
                list(delivery.attempts.order_by("id"))[1:],
                strict=False,
            )
        ]
        total = sum(waits, timedelta())
        # 67.6 h of planned waits, each stretched or shrunk by up to 10 %: about three days.
        assert timedelta(days=2.5) < total < timedelta(days=3.1)


class TestSweep:
    def test_a_backlog_is_not_queued_twice(self, world: World) -> None:
        from django_tasks_db.models import DBTaskResult

        from tradepost.webhooks.tasks import sweep_deliveries

        services.endpoint_create(actor=world.owner.actor, url="https://93.184.215.14/hooks")
        for _ in range(3):
            place_order(world, {"MUG": 1})
        from tradepost.core.dispatch import outbox_dispatch

        outbox_dispatch()
        queued = DBTaskResult.objects.count()
        clock.advance(timedelta(minutes=30))
        assert sweep_deliveries.call() == 0
        assert DBTaskResult.objects.count() == queued

    def test_a_delivery_whose_lease_ran_out_is_queued_again(self, world: World) -> None:
        from tradepost.webhooks.tasks import sweep_deliveries

        services.endpoint_create(actor=world.owner.actor, url="https://93.184.215.14/hooks")
        place_order(world, {"MUG": 1})
        from tradepost.core.dispatch import outbox_dispatch

        outbox_dispatch()
        WebhookDelivery.objects.update(leased_until=clock.now() - timedelta(seconds=1))
        assert sweep_deliveries.call() == 1


class TestDeadline:
    def test_a_server_trickling_its_answer_is_cut_off_at_the_timeout(
        self, world: World, settings: pytest.FixtureRequest
    ) -> None:
        import socket
        import threading
        import time

        settings.TRADEPOST_WEBHOOK_TIMEOUT_SECONDS = 1  # type: ignore[attr-defined]
        listener = socket.create_server(("127.0.0.1", 0))
        port = listener.getsockname()[1]

        def trickle() -> None:
            connection, _ = listener.accept()
            connection.recv(65536)
            connection.sendall(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n")
            for _ in range(20):  # a byte every 0.4 s: each read is quick, the whole is not
                time.sleep(0.4)
                try:
                    connection.sendall(b"x")
                except OSError:
                    break
            connection.close()

        threading.Thread(target=trickle, daemon=True).start()
        services.endpoint_create(actor=world.owner.actor, url=f"http://127.0.0.1:{port}/hooks")
        started = time.monotonic()
        place_order(world, {"MUG": 1})
        run_worker()
        assert time.monotonic() - started < 4
        attempt = WebhookDelivery.objects.get().attempts.get()
        assert attempt.status_code is None
        assert attempt.error.startswith("timed out")
        listener.close()
