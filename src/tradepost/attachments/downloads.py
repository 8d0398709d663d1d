"""Serving a stored file: always as a download, in the type its content was found to be.

The API and the dashboard both answer with this response, after their selector said the caller may
see the attachment.
"""

from __future__ import annotations

from django.http import FileResponse

from tradepost.attachments.models import Attachment
from tradepost.core.errors import NotFound


def attachment_response(attachment: Attachment) -> FileResponse:
    try:
        content = attachment.file.open("rb")
    except FileNotFoundError:
        raise NotFound(
            f"The file of attachment {attachment.public_id} is no longer stored."
        ) from None
    response = FileResponse(
        content,
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
    # Never rendered in a Tradepost page: a file that smuggles script or HTML stays inert.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-cache"
    return response
