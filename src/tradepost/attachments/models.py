"""Uploaded files: photos, PDFs and short videos that people attach to messages (and, later,
to refund requests and disputes).

Only ``attachments.services`` writes these rows. An upload is unclaimed until a domain service
attaches it to something (``attachments_claim``); from then on it is visible to whoever may see
that thing, and unclaimed uploads are swept after a while.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from tradepost.core import clock


class AttachmentKind(models.TextChoices):
    IMAGE = "image", "A photo: JPEG, PNG, WebP or GIF."
    PDF = "pdf", "A PDF document."
    VIDEO = "video", "A short video: MP4, WebM or QuickTime."


class Attachment(models.Model):
    """One stored file, its type as its content shows it (never as the client said), its size and
    SHA-256, and who uploaded it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Stored under a name Tradepost makes (the id and the type's extension), never the client's.
    file = models.FileField(upload_to="attachments/%Y/%m/", max_length=200)
    name = models.CharField(max_length=255, help_text="The file name people see and download.")
    content_type = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=AttachmentKind.choices)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploader_role = models.CharField(max_length=10)
    created_at = models.DateTimeField(default=clock.now)
    # Set when a domain service attaches the file to something; unclaimed uploads are swept.
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(size__gt=0), name="attachment_not_empty")
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="attachment_unclaimed_idx",
                condition=models.Q(claimed_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return self.name
