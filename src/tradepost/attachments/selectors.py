"""Reads of attachments, scoped to the actor.

An attachment is visible to whoever may see what it is attached to: each app that attaches files
names a function in ``TRADEPOST_ATTACHMENT_SCOPES`` that gives, for an actor, the ids of the
attachments it lets them see. Until it is attached, an upload is visible to its uploader alone.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.module_loading import import_string

from tradepost.attachments.models import Attachment
from tradepost.core.actors import Actor
from tradepost.core.errors import NotFound

Scope = Callable[[Actor], "QuerySet[Any]"]


@cache
def _scopes() -> tuple[Scope, ...]:
    return tuple(import_string(path) for path in settings.TRADEPOST_ATTACHMENT_SCOPES)


def attachments_visible_to(actor: Actor) -> QuerySet[Attachment]:
    visible = Q(pk__in=[])
    if actor.user_id is not None:
        visible |= Q(claimed_at__isnull=True, uploaded_by_id=actor.user_id)
    for scope in _scopes():
        visible |= Q(pk__in=scope(actor))
    return Attachment.objects.filter(visible)


def attachment_get(*, actor: Actor, attachment_id: UUID | str) -> Attachment:
    try:
        public_id = attachment_id if isinstance(attachment_id, UUID) else UUID(attachment_id)
    except ValueError:
        raise NotFound(f"No attachment {attachment_id}.") from None
    attachment = attachments_visible_to(actor).filter(public_id=public_id).first()
    if attachment is None:
        raise NotFound(f"No attachment {attachment_id}.")
    return attachment
