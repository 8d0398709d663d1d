"""Background tasks for attachments, run by ``tradepost worker``."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django_tasks import task

from tradepost.attachments.services import attachments_sweep_unclaimed
from tradepost.core import clock


@task()
def sweep_unclaimed() -> int:
    """Remove uploads that were never attached to anything, with their files."""
    hours = settings.TRADEPOST_ATTACHMENT_UNCLAIMED_HOURS
    return attachments_sweep_unclaimed(uploaded_before=clock.now() - timedelta(hours=hours))
