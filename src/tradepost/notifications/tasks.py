"""Background tasks for notifications, run by ``tradepost worker``."""

from __future__ import annotations

from django_tasks import task

from tradepost.core import clock
from tradepost.notifications.models import EmailStatus, OutgoingEmail
from tradepost.notifications.sending import email_send

SWEEP_LIMIT = 1000


@task()
def send_email(email_id: str) -> None:
    email_send(email_id)


@task()
def sweep_emails() -> int:
    """Re-queue emails whose send died with its worker: their lease ran out unreleased."""
    now = clock.now()
    stale = list(
        OutgoingEmail.objects.filter(
            status=EmailStatus.PENDING, leased_until__isnull=False, leased_until__lt=now
        )
        .order_by("leased_until")
        .values_list("pk", flat=True)[:SWEEP_LIMIT]
    )
    for email_id in stale:
        send_email.enqueue(str(email_id))
    return len(stale)
