"""Putting a service's refusal on the form that caused it.

Services name the API's fields (``attachment_ids``, ``lines[2].quantity``); the forms name
theirs. A refusal naming a field the form has goes next to that field, as a sentence; anything
else is returned for the top of the form (or, if the caller asks, becomes a non-field error).
"""

from __future__ import annotations

from django import forms

from tradepost.core.errors import DomainError, ValidationFailed

# API field → form field, where the dashboard's form calls it something else.
ALIASES = {"attachment_ids": "attachments"}
# Service messages that are a predicate ("is required by this marketplace") read after the
# field's label; the others ("write a message or attach a file") are sentences already.
PREDICATES = ("is ", "are ", "must ", "may ", "cannot ", "can ", "should ", "has ", "needs ")


def place_error(
    form: forms.Form | None, error: DomainError, *, unplaced_on_form: bool = False
) -> str:
    """Add the error to the form's fields; return what is left for the top of the page.

    With ``unplaced_on_form`` the rest becomes the form's non-field error instead, and "" is
    returned.
    """
    placed = False
    if form is not None and isinstance(error, ValidationFailed):
        for item in error.extra.get("errors", []):
            name = item["field"].split("[", 1)[0]
            name = ALIASES.get(name, name)
            field = form.fields.get(name)
            if field is not None:
                form.add_error(name, _sentence(name, str(field.label or name), item["message"]))
                placed = True
    if placed:
        return ""
    if form is not None and unplaced_on_form:
        form.add_error(None, _sentence("", "", error.detail))
        return ""
    return error.detail


def _sentence(name: str, label: str, message: str) -> str:
    if name == "attachments":
        text = message  # a file's error starts with the file's name, which keeps its case
    elif label and message.startswith(PREDICATES):
        text = f"{label.capitalize()} {message}"
    else:
        text = message[:1].upper() + message[1:]
    return text if text.endswith((".", "!", "?")) else text + "."
