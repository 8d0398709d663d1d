"""What an upload is, judged by its content: the magic bytes at its start (the ``filetype``
library reads them), never the client's content type or the file name's extension.

Only the types below are accepted, each kind with its own size limit (settings, in MiB).
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

from tradepost.attachments.models import AttachmentKind
from tradepost.core.errors import ValidationFailed

MIB = 1024 * 1024
HEAD_BYTES = 8192  # as much as the signatures need (filetype reads no more either)
NAME_MAX_LENGTH = 255
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class AcceptedType:
    content_type: str
    kind: AttachmentKind
    extensions: tuple[str, ...]  # the first is the one Tradepost gives a file of this type


ACCEPTED: dict[str, AcceptedType] = {
    accepted.content_type: accepted
    for accepted in (
        AcceptedType("image/jpeg", AttachmentKind.IMAGE, ("jpg", "jpeg")),
        AcceptedType("image/png", AttachmentKind.IMAGE, ("png",)),
        AcceptedType("image/webp", AttachmentKind.IMAGE, ("webp",)),
        AcceptedType("image/gif", AttachmentKind.IMAGE, ("gif",)),
        AcceptedType("application/pdf", AttachmentKind.PDF, ("pdf",)),
        AcceptedType("video/mp4", AttachmentKind.VIDEO, ("mp4",)),
        AcceptedType("video/webm", AttachmentKind.VIDEO, ("webm",)),
        AcceptedType("video/quicktime", AttachmentKind.VIDEO, ("mov", "qt")),
    )
}
KIND_NOUNS = {
    AttachmentKind.IMAGE: "photo",
    AttachmentKind.PDF: "PDF",
    AttachmentKind.VIDEO: "video",
}
WHAT_WE_ACCEPT = "a photo (JPEG, PNG, WebP, GIF), a PDF or a short video (MP4, WebM, QuickTime)"


@dataclass(frozen=True)
class CheckedUpload:
    """An upload whose content is of an accepted type and within its kind's size limit."""

    upload: UploadedFile
    name: str
    accepted: AcceptedType
    size: int
    sha256: str


def size_limit(kind: AttachmentKind) -> int:
    """The largest file of this kind, in bytes."""
    megabytes = {
        AttachmentKind.IMAGE: settings.TRADEPOST_ATTACHMENT_MAX_IMAGE_MB,
        AttachmentKind.PDF: settings.TRADEPOST_ATTACHMENT_MAX_PDF_MB,
        AttachmentKind.VIDEO: settings.TRADEPOST_ATTACHMENT_MAX_VIDEO_MB,
    }[kind]
    return int(megabytes) * MIB


def upload_check(*, field: str, upload: UploadedFile) -> CheckedUpload:
    """The upload's type, size and SHA-256, or ``ValidationFailed`` naming ``field``."""
    shown = display_name(upload.name or "")
    size = int(upload.size or 0)
    if size == 0:
        raise ValidationFailed(field, f"{shown} is empty")
    upload.seek(0)
    guessed = filetype.guess(bytearray(upload.read(HEAD_BYTES)))
    accepted = ACCEPTED.get(guessed.mime) if guessed is not None else None
    if accepted is None:
        raise ValidationFailed(
            field, f"{shown} is not a file we accept; send {WHAT_WE_ACCEPT}, checked by content"
        )
    limit = size_limit(accepted.kind)
    if size > limit:
        raise ValidationFailed(
            field,
            f"{shown} is {_megabytes_over(size)}; a {KIND_NOUNS[accepted.kind]} may be at most "
            f"{limit // MIB} MB",
        )
    if accepted.kind == AttachmentKind.IMAGE:
        _check_pixels(field, shown, upload)
    return CheckedUpload(
        upload=upload,
        name=download_name(shown, accepted),
        accepted=accepted,
        size=size,
        sha256=_sha256(upload),
    )


def _check_pixels(field: str, shown: str, upload: UploadedFile) -> None:
    """Refuse a photo whose header declares more pixels than the limit. Pillow reads only the
    header here, no pixel; a header it cannot read declares no size, and the content check
    above already judged the type."""
    limit = settings.TRADEPOST_ATTACHMENT_MAX_IMAGE_PIXELS
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            width, height = image.size
        too_many = width * height > limit
    except Image.DecompressionBombError:
        too_many = True  # past Pillow's own ceiling, so past ours
    except (UnidentifiedImageError, OSError, ValueError):
        too_many = False
    finally:
        upload.seek(0)
    if too_many:
        raise ValidationFailed(
            field,
            f"{shown} declares more pixels than a photo may have "
            f"(at most {limit / 1_000_000:g} million)",
        )


def display_name(raw: str) -> str:
    """The client's file name without any folders or control characters, or "file"."""
    base = PureWindowsPath(PurePosixPath(raw).name).name
    return _CONTROL.sub("", base).strip()[:NAME_MAX_LENGTH] or "file"


def download_name(name: str, accepted: AcceptedType) -> str:
    """The name with an extension that matches the content, so a PNG named ``setup.exe`` is
    saved as ``setup.png`` by whoever downloads it, never run."""
    stem, dot, extension = name.rpartition(".")
    if dot and extension.lower() in accepted.extensions:
        return name
    stem = (stem if dot and stem else name)[: NAME_MAX_LENGTH - 6]
    return f"{stem}.{accepted.extensions[0]}"


def _sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()


def _megabytes_over(size: int) -> str:
    """Rounded up to the hundredth, so a file just over the limit never reads as at the limit."""
    hundredths = math.ceil(size * 100 / MIB)
    return f"{hundredths // 100}.{hundredths % 100:02d} MB"
