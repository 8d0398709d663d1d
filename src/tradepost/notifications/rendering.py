"""Email templates: plain text with ``{name}`` placeholders, checked on save, filled in on send.

Placeholders are looked up by name in a dict of strings and nothing else: there is no
``str.format`` here, so no attribute or index access (``{order.__class__}``), no format specs and no
conversions. ``{{`` and ``}}`` write a literal brace.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from tradepost.core import text_templates
from tradepost.core.text_templates import TemplateProblem, template_problems, template_render

SUBJECT_MAX_LENGTH = 200
BODY_MAX_LENGTH = 10_000
SENT_SUBJECT_MAX_LENGTH = 300  # OutgoingEmail.subject


class InvalidTemplate(text_templates.InvalidTemplate):
    title = "Invalid email template"


def template_check(*, subject: str, body: str, allowed: Iterable[str]) -> tuple[str, str]:
    """The subject (one line) and body, trimmed, or ``InvalidTemplate`` naming every problem."""
    allowed = tuple(allowed)
    subject, body = subject.strip(), body.strip("\n")
    problems = []
    if not subject:
        problems.append(TemplateProblem("subject", "must not be empty", ""))
    elif "\n" in subject or "\r" in subject:
        problems.append(TemplateProblem("subject", "must be a single line", ""))
    elif len(subject) > SUBJECT_MAX_LENGTH:
        problems.append(
            TemplateProblem("subject", f"must be at most {SUBJECT_MAX_LENGTH} characters", "")
        )
    if not body.strip():
        problems.append(TemplateProblem("body", "must not be empty", ""))
    elif len(body) > BODY_MAX_LENGTH:
        problems.append(
            TemplateProblem("body", f"must be at most {BODY_MAX_LENGTH} characters", "")
        )
    problems += template_problems(
        field="subject", text=subject, allowed=allowed, whose="this email's"
    )
    problems += template_problems(field="body", text=body, allowed=allowed, whose="this email's")
    if problems:
        raise InvalidTemplate(problems)
    return subject, body


def subject_render(text: str, values: Mapping[str, str]) -> str:
    """A subject is one header line: values with line breaks are folded onto it."""
    return " ".join(template_render(text, values).split())[:SENT_SUBJECT_MAX_LENGTH]
