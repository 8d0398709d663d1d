"""Sending one queued email through Django's mail backend, with a lease and retries."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction

from tradepost.core import clock
from tradepost.core.leases import claim_due
from tradepost.notifications.models import EmailStatus, OutgoingEmail

logger = logging.getLogger("tradepost.notifications")

RETRY_DELAYS = (
    timedelta(seconds=30),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
)
LEASE = timedelta(minutes=2)


def email_send(email_id: int | str) -> OutgoingEmail | None:
    """Send a due email; on failure, schedule the next try (or give up after the last)."""
    email = _claim(email_id)
    if email is None:
        return None
    message = EmailMessage(
        subject=email.subject,
        body=email.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(email.to),
    )
    try:
        message.send(fail_silently=False)
    except Exception as error:  # any transport failure is retried; the message is not lost
        logger.warning("email %s failed: %s", email.pk, error)
        return _failed(email, f"{type(error).__name__}: {error}"[:300])
    email.status, email.sent_at = EmailStatus.SENT, clock.now()
    email.attempt_count += 1
    email.leased_until = email.next_attempt_at = None
    email.save(
        update_fields=["status", "sent_at", "attempt_count", "leased_until", "next_attempt_at"]
    )
    return email


def _claim(email_id: int | str) -> OutgoingEmail | None:
    return claim_due(
        OutgoingEmail.objects.all(), email_id, pending=EmailStatus.PENDING, lease=LEASE
    )


def _failed(email: OutgoingEmail, error: str) -> OutgoingEmail:
    from tradepost.notifications.tasks import send_email

    with transaction.atomic():
        email.attempt_count += 1
        email.last_error = error
        email.leased_until = None
        if email.attempt_count > len(RETRY_DELAYS):
            email.status, email.next_attempt_at = EmailStatus.FAILED, None
        else:
            email.next_attempt_at = clock.now() + RETRY_DELAYS[email.attempt_count - 1]
            send_email.using(run_after=email.next_attempt_at).enqueue(str(email.pk))
        email.save(
            update_fields=[
                "attempt_count",
                "last_error",
                "leased_until",
                "status",
                "next_attempt_at",
            ]
        )
    return email
