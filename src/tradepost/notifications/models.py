"""Outgoing email (kept until sent, and after, as a log, so a failure is retried, not lost), the
owner's wording of each email, and the notifications on sellers' dashboards."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from tradepost.catalog.models import Seller
from tradepost.core import clock
from tradepost.core.models import OutboxEvent, TimeStampedModel


class EmailStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent (or to be retried)."
    SENT = "sent", "Handed to the mail server."
    FAILED = "failed", "Every attempt failed."


class OutgoingEmail(models.Model):
    """One message to one or more recipients, rendered when queued, sent by the worker."""

    to = models.JSONField(help_text="Recipient addresses.")
    subject = models.CharField(max_length=300)
    body = models.TextField()
    # What the message is about, for the log; empty for messages no event caused.
    kind = models.CharField(max_length=60)
    event = models.ForeignKey(
        OutboxEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    order_number = models.CharField(max_length=32, blank=True)
    status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    attempt_count = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    leased_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["order_number", "created_at"], name="email_order_idx"),
            models.Index(
                fields=["next_attempt_at"],
                name="email_due_idx",
                condition=models.Q(status="pending"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {', '.join(self.to)}"


class EmailTemplate(TimeStampedModel):
    """The owner's wording of one kind of email. A key without a row is sent in the default
    wording of ``notifications.email_templates``; resetting a template deletes its row.

    Subject and body hold ``{placeholder}`` names only, checked against the key's own set when
    saved (``notifications.rendering``), so what is stored always renders.
    """

    key = models.CharField(max_length=40, unique=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return self.key


class Notification(TimeStampedModel):
    """Something a seller should know, shown on its dashboard until one of its members reads it.

    Read state is the seller's, not each member's: a member who reads it reads it for the team.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="+")
    # The domain event it came from, e.g. ``order.paid``.
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    body = models.CharField(max_length=1000, blank=True)
    link = models.CharField(max_length=300, blank=True, help_text="A dashboard path.")
    order_number = models.CharField(max_length=32, blank=True)
    event = models.ForeignKey(
        OutboxEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # A seller's list, newest first, and the owner's list of everyone's.
            models.Index(fields=["seller", "created_at", "id"], name="notification_seller_idx"),
            models.Index(fields=["created_at", "id"], name="notification_created_idx"),
            # The unread count in every seller page's navigation.
            models.Index(
                fields=["seller"],
                name="notification_unread_idx",
                condition=models.Q(read_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seller_id}: {self.title}"
