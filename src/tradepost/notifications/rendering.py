"""Email templates: plain text with ``{name}`` placeholders, checked on save, filled in on send.

Placeholders are looked up by name in a dict of strings and nothing else: there is no
``str.format`` here, so no attribute or index access (``{order.__class__}``), no format specs and no
conversions. ``{{`` and ``}}`` write a literal brace.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tradepost.core.errors import ValidationFailed

SUBJECT_MAX_LENGTH = 200
BODY_MAX_LENGTH = 10_000
SENT_SUBJECT_MAX_LENGTH = 300  # OutgoingEmail.subject

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_NAME = re.compile(r"[a-z_][a-z0-9_]*")


@dataclass(frozen=True)
class TemplateProblem:
    field: str
    message: str
    placeholder: str  # the text at fault, as written: "{order.total}", "{", "{unknown}"


class InvalidTemplate(ValidationFailed):
    """A subject or body that would not render: every problem, each naming field and placeholder."""

    code = "invalid_template"
    title = "Invalid email template"

    def __init__(self, problems: list[TemplateProblem]) -> None:
        first = problems[0]
        super().__init__(first.field, first.message)
        self.extra["errors"] = [
            {"field": p.field, "message": p.message, "placeholder": p.placeholder} for p in problems
        ]


def _problem(raw: str, inner: str | None, allowed: Iterable[str]) -> str | None:
    """What is wrong with one ``{…}`` (or a lone brace), or None when it is a usable placeholder."""
    if inner is None:
        return f'has an unmatched "{raw}"; write "{raw * 2}" for a literal brace'
    if _NAME.fullmatch(inner):
        if inner in allowed:
            return None
        names = ", ".join(f"{{{name}}}" for name in allowed)
        return f"uses the unknown placeholder {raw}; this email's placeholders are: {names}"
    if not inner.strip():
        return f"has an empty placeholder {raw}; put a placeholder name between the braces"
    if "." in inner or "[" in inner:
        return f"uses {raw}: placeholders are plain names, without attribute or index access"
    if "!" in inner or ":" in inner:
        return f"uses {raw}: placeholders take no format or conversion"
    return f"uses {raw}, which is not a placeholder name (lowercase letters, digits and _)"


def template_problems(*, field: str, text: str, allowed: Iterable[str]) -> list[TemplateProblem]:
    allowed = tuple(allowed)
    problems = []
    for match in _TOKEN.finditer(text):
        raw = match.group(0)
        if raw in ("{{", "}}"):
            continue
        message = _problem(raw, match.group(1), allowed)
        if message is not None:
            problems.append(TemplateProblem(field, message, raw))
    return problems


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
    problems += template_problems(field="subject", text=subject, allowed=allowed)
    problems += template_problems(field="body", text=body, allowed=allowed)
    if problems:
        raise InvalidTemplate(problems)
    return subject, body


def template_render(text: str, values: Mapping[str, str]) -> str:
    """Fill in the placeholders. Anything that is not a known placeholder stays as written, so a
    template saved before a placeholder was retired still sends, showing the old name."""

    def replace(match: re.Match[str]) -> str:
        raw, name = match.group(0), match.group(1)
        if raw in ("{{", "}}"):
            return raw[0]
        if name is not None and name in values:
            return values[name]
        return raw

    return _TOKEN.sub(replace, text)


def subject_render(text: str, values: Mapping[str, str]) -> str:
    """A subject is one header line: values with line breaks are folded onto it."""
    return " ".join(template_render(text, values).split())[:SENT_SUBJECT_MAX_LENGTH]
