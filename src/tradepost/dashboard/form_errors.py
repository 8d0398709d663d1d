"""Putting a service's refusal on the form that caused it.

Services name the API's fields (``attachment_ids``, ``lines[2].quantity``); the forms name
theirs. A refusal naming a field the form has goes next to that field, as a sentence; the rest is
returned as sentences for the top of the form (or, if the caller asks, becomes a non-field error).
"""

from __future__ import annotations

from collections.abc import Mapping

from django import forms

from tradepost.core.errors import DomainError, ValidationFailed

# API field → form field, where a dashboard form calls it something else.
ALIASES = {"attachment_ids": "attachments"}
# File fields: a file's error starts with the file's name, which keeps its case.
FILE_FIELDS = frozenset({"attachments", "proofs"})
# Service messages that are a predicate ("is required by this marketplace") read after the
# field's label; the others ("write a message or attach a file") are sentences already.
PREDICATES = ("is ", "are ", "must ", "may ", "cannot ", "can ", "should ", "has ", "needs ")


def place_error(
    form: forms.Form | None,
    error: DomainError,
    *,
    aliases: Mapping[str, str] | None = None,
    unplaced_on_form: bool = False,
) -> str:
    """Add the error to the form's fields; return what no field took, for the top of the page.

    ``aliases`` adds to (or overrides) the API-to-form field names. With ``unplaced_on_form``
    what is left becomes the form's non-field error instead, and "" is returned.
    """
    names = {**ALIASES, **(aliases or {})}
    items = error.extra.get("errors", []) if isinstance(error, ValidationFailed) else []
    elsewhere = []
    for item in items:
        api_name = item["field"].split("[", 1)[0]
        name = names.get(api_name, api_name)
        field = form.fields.get(name) if form is not None else None
        if form is not None and field is not None:
            form.add_error(name, _sentence(name, str(field.label or name), item["message"]))
        else:
            # No field to stand beside: the sentence names it ("The cursor is not …").
            label = f"the {api_name.replace('_', ' ')}"
            elsewhere.append(_sentence(name, label, item["message"]))
    rest = " ".join(elsewhere) if items else error.detail
    if rest and form is not None and unplaced_on_form:
        form.add_error(None, rest)
        return ""
    return rest


def _sentence(name: str, label: str, message: str) -> str:
    if name in FILE_FIELDS:
        text = message
    elif label and message.startswith(PREDICATES):
        text = f"{label[:1].upper()}{label[1:]} {message}"
    else:
        text = message[:1].upper() + message[1:]
    return text if text.endswith((".", "!", "?")) else text + "."
