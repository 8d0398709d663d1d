"""Writes for attachments: store checked uploads, let a domain service claim them, sweep the
uploads nobody claimed.

Files go to Django's default storage (``MEDIA_ROOT`` unless configured otherwise) before their
rows are written; a store that fails removes the files it wrote. A file whose transaction rolls
back after that has no row, so it is never served; ``attachments_sweep_unclaimed`` keeps the
rest tidy.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator, Sequence
from datetime import datetime
from uuid import UUID

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from tradepost.attachments.content import CheckedUpload, upload_check
from tradepost.attachments.models import Attachment
from tradepost.core import clock
from tradepost.core.actors import Actor
from tradepost.core.errors import PermissionDenied, ValidationFailed
from tradepost.core.transactions import unit_of_work

MAX_FILES_PER_UPLOAD = 10
SWEEP_LIMIT = 500


def attachments_upload(
    *, actor: Actor, uploads: Sequence[UploadedFile], field: str = "files"
) -> list[Attachment]:
    """Check each upload by its content and size, then store them all, unclaimed, for the actor
    to attach within ``TRADEPOST_ATTACHMENT_UNCLAIMED_HOURS``. One bad file refuses them all,
    naming it (``files[2]``)."""
    if actor.user_id is None:
        raise PermissionDenied("Only people upload files.")
    if not uploads:
        raise ValidationFailed(field, "choose at least one file")
    if len(uploads) > MAX_FILES_PER_UPLOAD:
        raise ValidationFailed(field, f"send at most {MAX_FILES_PER_UPLOAD} files at once")
    checked = [upload_check(field=f"{field}[{i}]", upload=u) for i, u in enumerate(uploads)]
    with unit_of_work(), _files_removed_on_failure() as written:
        attachments = [_stored(actor, item, written) for item in checked]
        Attachment.objects.bulk_create(attachments)
    return attachments


def attachments_claim(
    *, actor: Actor, attachment_ids: Sequence[UUID | str], field: str = "attachment_ids"
) -> list[Attachment]:
    """Attach the actor's own unclaimed uploads to what the calling service is writing, in its
    transaction: locked, checked, marked claimed, returned in the order given."""
    wanted = [_uuid(value, f"{field}[{i}]") for i, value in enumerate(attachment_ids)]
    for index, value in enumerate(wanted):
        if value in wanted[:index]:
            raise ValidationFailed(f"{field}[{index}]", "is listed twice")
    found = {
        attachment.public_id: attachment
        for attachment in Attachment.objects.select_for_update(no_key=True)
        .filter(public_id__in=wanted, uploaded_by_id=actor.user_id, claimed_at__isnull=True)
        .order_by("pk")
    }
    for index, value in enumerate(wanted):
        if value not in found:
            raise ValidationFailed(
                f"{field}[{index}]", "is not an upload of yours that is waiting to be attached"
            )
    now = clock.now()
    Attachment.objects.filter(pk__in=[a.pk for a in found.values()]).update(claimed_at=now)
    for attachment in found.values():
        attachment.claimed_at = now
    return [found[value] for value in wanted]


def attachments_sweep_unclaimed(*, uploaded_before: datetime) -> int:
    """Delete uploads nobody attached in time, and their files once that commits."""
    with transaction.atomic():
        stale = list(
            Attachment.objects.select_for_update(no_key=True)
            .filter(claimed_at__isnull=True, created_at__lt=uploaded_before)
            .order_by("created_at")[:SWEEP_LIMIT]
        )
        names = [str(attachment.file.name) for attachment in stale]
        Attachment.objects.filter(pk__in=[attachment.pk for attachment in stale]).delete()
        transaction.on_commit(lambda: _delete_files(names))
    return len(stale)


def _stored(actor: Actor, item: CheckedUpload, written: list[str]) -> Attachment:
    attachment = Attachment(
        public_id=uuid.uuid4(),
        name=item.name,
        content_type=item.accepted.content_type,
        kind=item.accepted.kind,
        size=item.size,
        sha256=item.sha256,
        uploaded_by_id=actor.user_id,
        uploader_role=actor.role.value,
        created_at=clock.now(),
    )
    stored_name = f"{attachment.public_id.hex}.{item.accepted.extensions[0]}"
    attachment.file.save(stored_name, item.upload, save=False)
    written.append(str(attachment.file.name))
    return attachment


@contextlib.contextmanager
def _files_removed_on_failure() -> Iterator[list[str]]:
    written: list[str] = []
    try:
        yield written
    except BaseException:
        _delete_files(written)
        raise


def _delete_files(names: Sequence[str]) -> None:
    for name in names:
        default_storage.delete(name)


def _uuid(value: UUID | str, field: str) -> UUID:
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except ValueError:
        raise ValidationFailed(field, "is not an attachment id") from None
