"""Attachments API: upload files to attach, download the ones you may see."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponseBase
from ninja import File, Router, UploadedFile

from tradepost.accounts.auth import request_actor
from tradepost.attachments.downloads import attachment_response
from tradepost.attachments.representation import attachment_data
from tradepost.attachments.schemas import AttachmentOut
from tradepost.attachments.selectors import attachment_get
from tradepost.attachments.services import attachments_upload
from tradepost.core.schemas import READ_ERRORS, WRITE_ERRORS

router = Router(tags=["attachments"])

BINARY = {"schema": {"type": "string", "format": "binary"}}


@router.post("/attachments", response={201: list[AttachmentOut], **WRITE_ERRORS})
def upload_attachments(
    request: HttpRequest, files: File[list[UploadedFile]]
) -> tuple[int, list[dict[str, Any]]]:
    """Upload up to 10 files (multipart, each in a ``files`` part) to attach to a message by id.
    Photos (JPEG, PNG, WebP, GIF), PDFs and short videos (MP4, WebM, QuickTime) only, judged by
    their content; anything else, or a file over its size limit, is a 422 naming it."""
    attachments = attachments_upload(actor=request_actor(request), uploads=files)
    return 201, [attachment_data(attachment) for attachment in attachments]


@router.get(
    "/attachments/{attachment_id}",
    response={200: None, **READ_ERRORS},
    url_name="download_attachment",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file, as a download in its stored content type.",
                "content": {"application/octet-stream": BINARY},
            }
        }
    },
)
def download_attachment(request: HttpRequest, attachment_id: str) -> HttpResponseBase:
    """Download a file attached to something you may see (a message on your seller order's
    thread, say), or one you uploaded and have not attached yet."""
    attachment = attachment_get(actor=request_actor(request), attachment_id=attachment_id)
    return attachment_response(attachment)
