"""Attachments as the API shows them, as JSON-ready dicts."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from tradepost.attachments.models import Attachment


def attachment_download_path(attachment: Attachment) -> str:
    return reverse("api-v1:download_attachment", args=[attachment.public_id])


def attachment_data(attachment: Attachment) -> dict[str, Any]:
    return {
        "id": str(attachment.public_id),
        "name": attachment.name,
        "content_type": attachment.content_type,
        "kind": attachment.kind,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "created_at": attachment.created_at.isoformat(),
        "download_url": attachment_download_path(attachment),
    }
