"""A mail server that refuses, or is down, loses no email: it is retried later and arrives once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests import clock
from tests.builders import World, pay, place_order
from tests.notifications.flows import run_worker
from tests.notifications.smtp import SmtpSink
from tradepost.notifications.models import EmailStatus, OutgoingEmail
from tradepost.notifications.sending import RETRY_DELAYS, email_send

pytestmark = pytest.mark.django_db

JOHN = "john@buyers.test"


def the_confirmation() -> OutgoingEmail:
    return OutgoingEmail.objects.get(kind="order_confirmed")


class TestRefusedOrDown:
    def test_a_refused_email_is_retried_at_its_time_and_arrives_once(
        self, world: World, smtp: SmtpSink
    ) -> None:
        # given: the server answers 451 (try again later)
        smtp.refusing = True
        pay(world, place_order(world, {"MUG": 1}))
        run_worker()
        email = the_confirmation()
        assert (email.status, email.attempt_count) == (EmailStatus.PENDING, 1)
        assert "451" in email.last_error
        assert email.next_attempt_at is not None
        first_try_at = email.next_attempt_at - RETRY_DELAYS[0]
        assert abs(first_try_at - clock.now()) < timedelta(seconds=30)
        # when: the server accepts again, but the retry is not yet due
        smtp.refusing = False
        clock.travel_to(email.next_attempt_at - timedelta(seconds=1))
        assert email_send(email.pk) is None
        assert smtp.to(JOHN) == []
        # when: it is due
        clock.travel_to(email.next_attempt_at + timedelta(seconds=1))
        sent = email_send(email.pk)
        again = email_send(email.pk)
        # then
        assert sent is not None
        assert sent.status == EmailStatus.SENT
        assert again is None  # a second task for the same email sends nothing
        assert len(smtp.one_to(JOHN).body) > 0
        assert smtp.refused == 2  # the confirmation and the seller's email, once each

    def test_a_server_that_is_down_gets_the_email_once_it_is_back(
        self, world: World, smtp: SmtpSink
    ) -> None:
        # given: nothing listens on the port
        smtp.stop()
        pay(world, place_order(world, {"MUG": 1}))
        run_worker()
        email = the_confirmation()
        assert (email.status, email.attempt_count) == (EmailStatus.PENDING, 1)
        assert "Connection refused" in email.last_error or "ConnectionRefused" in email.last_error
        assert email.next_attempt_at is not None
        # when: the server is back and the retry comes due (the queued retry task runs then;
        # the clock is moved, not waited for, so the test makes the attempt the task would make)
        smtp.start()
        clock.travel_to(email.next_attempt_at + timedelta(seconds=1))
        for pending in OutgoingEmail.objects.filter(status=EmailStatus.PENDING):
            email_send(pending.pk)
        # then
        email.refresh_from_db()
        assert (email.status, email.attempt_count) == (EmailStatus.SENT, 2)
        assert smtp.one_to(JOHN).subject.startswith("Your order ")
        assert len(smtp.one_to("a@acme.test").raw) > 0

    def test_after_the_last_retry_the_email_is_marked_failed(
        self, world: World, smtp: SmtpSink
    ) -> None:
        smtp.refusing = True
        pay(world, place_order(world, {"MUG": 1}))
        run_worker()
        email = the_confirmation()
        for _ in RETRY_DELAYS:
            assert email.next_attempt_at is not None
            clock.travel_to(email.next_attempt_at + timedelta(seconds=1))
            email_send(email.pk)
            email.refresh_from_db()
        assert (email.status, email.attempt_count) == (EmailStatus.FAILED, len(RETRY_DELAYS) + 1)
        assert email.next_attempt_at is None
        assert smtp.to(JOHN) == []
