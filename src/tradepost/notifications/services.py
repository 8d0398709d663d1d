"""Writes for notifications: queue an email, reword or reset an email template, add and read
sellers' dashboard notifications."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.models import User

from tradepost.core import clock
from tradepost.core.actors import Actor, Role
from tradepost.core.errors import PermissionDenied
from tradepost.core.models import OutboxEvent
from tradepost.core.transactions import unit_of_work
from tradepost.notifications.models import EmailTemplate, Notification, OutgoingEmail
from tradepost.notifications.rendering import template_check
from tradepost.notifications.selectors import (
    EmailTemplateView,
    email_template_get,
    notification_get,
    notifications_visible_to,
)
from tradepost.notifications.tasks import send_email


def email_queue(
    *,
    to: list[str],
    subject: str,
    body: str,
    kind: str,
    event: OutboxEvent | None = None,
    order_number: str = "",
) -> OutgoingEmail | None:
    """Queue a message in the caller's transaction; the worker sends it after commit."""
    recipients = sorted({address for address in to if address})
    if not recipients:
        return None
    email = OutgoingEmail.objects.create(
        to=recipients,
        subject=subject,
        body=body,
        kind=kind,
        event=event,
        order_number=order_number,
        next_attempt_at=clock.now(),
    )
    send_email.enqueue(str(email.pk))
    return email


def email_staff(*, subject: str, body: str) -> OutgoingEmail | None:
    """A message for the marketplace's staff (the owner's people)."""
    staff = User.objects.filter(is_staff=True, is_active=True).exclude(email="")
    return email_queue(
        to=list(staff.values_list("email", flat=True)), subject=subject, body=body, kind="staff"
    )


def email_template_update(*, actor: Actor, key: str, subject: str, body: str) -> EmailTemplateView:
    """Owner: reword an email. Every placeholder must be one of the key's own (else 422 naming the
    field and the placeholder); emails queued from now on use the new wording."""
    with unit_of_work():
        spec = email_template_get(actor=actor, key=key).spec  # 404 for anyone but the owner
        subject, body = template_check(subject=subject, body=body, allowed=spec.placeholders)
        EmailTemplate.objects.update_or_create(
            key=key, defaults={"subject": subject, "body": body, "updated_by_id": actor.user_id}
        )
        return email_template_get(actor=actor, key=key)


def email_template_reset(*, actor: Actor, key: str) -> EmailTemplateView:
    """Owner: go back to the default wording."""
    with unit_of_work():
        email_template_get(actor=actor, key=key)
        EmailTemplate.objects.filter(key=key).delete()
        return email_template_get(actor=actor, key=key)


def notifications_add(notifications: list[Notification]) -> list[Notification]:
    """Add notifications in the caller's transaction (the outbox fan-out's)."""
    return Notification.objects.bulk_create(notifications)


def _require_seller(actor: Actor) -> None:
    if actor.role is not Role.SELLER:
        raise PermissionDenied("Only the seller's own members mark its notifications read.")


def notification_mark_read(*, actor: Actor, notification_id: UUID | str) -> Notification:
    """Mark one notification read, for the whole seller; reading it again changes nothing."""
    with unit_of_work():
        notification = notification_get(actor=actor, notification_id=notification_id)
        _require_seller(actor)
        if notification.read_at is None:
            notification.read_at = clock.now()
            Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
                read_at=notification.read_at
            )
    return notification


def notifications_mark_all_read(*, actor: Actor) -> int:
    """Mark every unread notification of the seller read; returns how many."""
    _require_seller(actor)
    with unit_of_work():
        unread = notifications_visible_to(actor).filter(read_at__isnull=True)
        return unread.update(read_at=clock.now())
