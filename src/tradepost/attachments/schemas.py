"""Attachments API shapes."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema


class AttachmentOut(Schema):
    id: str
    name: str = Field(description="The name it downloads as; its extension matches the content.")
    content_type: str = Field(description="As the content shows it, never as the client said.")
    kind: str = Field(description="image, pdf or video")
    size: int = Field(description="Bytes.")
    sha256: str
    created_at: datetime
    download_url: str = Field(description="GET it with your API key.")
