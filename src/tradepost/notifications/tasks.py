"""Background tasks for notifications, run by ``tradepost worker``."""

from __future__ import annotations

from django_tasks import task

from tradepost.core.leases import expired_leases
from tradepost.notifications.models import EmailStatus, OutgoingEmail
from tradepost.notifications.sending import email_send


@task()
def send_email(email_id: str) -> None:
    email_send(email_id)


@task()
def sweep_emails() -> int:
    """Re-queue emails whose send died with its worker: their lease ran out unreleased."""
    stale = expired_leases(OutgoingEmail.objects.all(), pending=EmailStatus.PENDING)
    for email_id in stale:
        send_email.enqueue(str(email_id))
    return len(stale)
