"""Dashboard forms for messages and reply templates: shape only; the services check the rest."""

from __future__ import annotations

from typing import Any

from django import forms

from tradepost.attachments.content import ACCEPTED
from tradepost.attachments.services import MAX_FILES_PER_UPLOAD
from tradepost.messaging.reply_templates import BODY_MAX_LENGTH as TEMPLATE_BODY_MAX_LENGTH
from tradepost.messaging.reply_templates import NAME_MAX_LENGTH
from tradepost.messaging.services import BODY_MAX_LENGTH


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (empty when none were chosen)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        accept = ",".join(ACCEPTED)
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True, "accept": accept}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > MAX_FILES_PER_UPLOAD:
            raise forms.ValidationError(f"Attach at most {MAX_FILES_PER_UPLOAD} files.")
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class MessageForm(forms.Form):
    body = forms.CharField(
        label="Message",
        required=False,
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    attachments = MultipleFileField(
        label="Photos, videos or PDFs",
        required=False,
        help_text="Photos (JPEG, PNG, WebP, GIF), PDFs and short videos (MP4, WebM, QuickTime).",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("body") or "").strip() and not data.get("attachments"):
            self.add_error("body", "Write a message or attach a file.")
        return data


def message_form(reference: str, data: Any = None, files: Any = None) -> MessageForm:
    """Ids carry the seller order, so the forms of two threads on one page never clash."""
    return MessageForm(data, files, auto_id=f"{reference}-message-%s")


class ReplyTemplateForm(forms.Form):
    name = forms.CharField(max_length=NAME_MAX_LENGTH)
    body = forms.CharField(
        max_length=TEMPLATE_BODY_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 6})
    )
